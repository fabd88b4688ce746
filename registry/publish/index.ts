/** publish/: propose (push and access changes share one pipeline), the gate (facts, then pure decisions, then the report), merge, release, init and bootstrap, CODEOWNERS, workflow templates. */
export * from "./access.js";
export * from "./bootstrap.js";
export * from "./gate/check.js";
export * from "./gate/decide.js";
export * from "./gate/report.js";
export * from "./gate/semantic.js";
export * from "./init.js";
export * from "./merge.js";
export * from "./propose.js";
export * from "./publish.js";
export * from "./release.js";
export * from "./review.js";
export * from "./rewrap.js";
export * from "./visibility.js";
export * from "./pending.js";
