/** site-build/: the hand-off to @skillreg/site: the catalog view model, markdown and diffs, the build, and the local static server. */
export * from "./build.js";
export * from "./catalog.js";
export * from "./diff.js";
export * from "./serve.js";
