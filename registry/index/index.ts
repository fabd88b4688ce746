/** index/: the index model (config.json, per-skill files, all.json, well-known), gathered from git objects, and the release-tag check shared with pull. */
export * from "./build.js";
export * from "./gather.js";
export * from "./schema.js";
export * from "./release-tag.js";
export * from "./sealed.js";
export * from "./tag-verdicts.js";
