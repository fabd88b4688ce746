/** git/: the git CLI wrapper, the object reader (cat-file batch, trees, tags), opening and cloning registries. */
export * from "./cli.js";
export * from "./objects.js";
export * from "./open-repo.js";
export * from "./registry-clone.js";
export * from "./pkt-line.js";
export * from "./http-backend.js";
