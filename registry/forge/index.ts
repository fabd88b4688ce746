/** forge/: GitHub through octokit (pull requests, review gate, team sync) beside the local forge. */
export * from "./github-sync.js";
export * from "./github-tokens.js";
export * from "./github.js";
export * from "./review-gate.js";
