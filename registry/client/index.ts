/**
 * client/: what a project that uses skills does. Sources (an HTTP site, a folder, a Git URL),
 * resolve a range, fetch one tag and verify it, install atomically, keep skillreg.lock.
 * The flows (pull, install, update, outdated, remove) are in flows.ts.
 */
export * from "./agents.js";
export * from "./checkpoint.js";
export * from "./checkpoint-verify.js";
export * from "./catalog.js";
export * from "./config.js";
export * from "./credentials.js";
export * from "./fetch-tag.js";
export * from "./flows.js";
export * from "./install.js";
export * from "./lock.js";
export * from "./registry-add.js";
export * from "./publish-remote.js";
export * from "./resolve.js";
export * from "./signed-index.js";
export * from "./sources/index.js";
export * from "./trust.js";
export * from "./verify-version.js";
