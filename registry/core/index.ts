/** core/: the skill model and its schema, the registry layout, skillreg.yaml and scope files, roles and access rules, path policy, errors and small fs/json helpers. Imports no flow. */
export * from "./config/load.js";
export * from "./config/policy.js";
export * from "./config/schema.js";
export * from "./errors.js";
export * from "./fs.js";
export * from "./json.js";
export * from "./layout.js";
export * from "./package-info.js";
export * from "./schema.js";
export * from "./scopes.js";
export * from "./skill/files.js";
export * from "./skill/hash.js";
export * from "./skill/parse.js";
export * from "./skill/problem.js";
export * from "./skill/scaffold.js";
export * from "./skill/schema.js";
export * from "./skill/validate.js";
