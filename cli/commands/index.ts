import type { Command } from "../command.js";

/**
 * Every command, loaded lazily so `skillreg --help` and small commands start fast.
 * Add a command: create cli/commands/<name>.ts exporting `command`, then list it here.
 */
export const commandLoaders: Record<string, () => Promise<{ command: Command }>> = {
  new: () => import("./new.js"),
  validate: () => import("./validate.js"),
  init: () => import("./init.js"),
  "scope add": () => import("./scope-add.js"),
  "keys add": () => import("./keys-add.js"),
  "registry codeowners": () => import("./registry-codeowners.js"),
};
