import type { Command } from "../command.js";

/**
 * Every command, loaded lazily so `skillreg --help` and small commands start fast.
 * Add a command: create cli/commands/<name>.ts exporting `command`, then list it here.
 */
export const commandLoaders: Record<string, () => Promise<{ command: Command }>> = {
  audit: () => import("./audit.js"),
  whoami: () => import("./whoami.js"),
  "access list": () => import("./access-list.js"),
  "access grant": () => import("./access-grant.js"),
  "access revoke": () => import("./access-revoke.js"),
  visibility: () => import("./visibility.js"),
  yank: () => import("./yank.js"),
  deprecate: () => import("./deprecate.js"),
  "keys revoke": () => import("./keys-revoke.js"),
  new: () => import("./new.js"),
  validate: () => import("./validate.js"),
  "registry sync-github": () => import("./registry-sync-github.js"),
  init: () => import("./init.js"),
  "scope add": () => import("./scope-add.js"),
  "keys add": () => import("./keys-add.js"),
  "registry codeowners": () => import("./registry-codeowners.js"),
  build: () => import("./build.js"),
  serve: () => import("./serve.js"),
  pull: () => import("./pull.js"),
  install: () => import("./install.js"),
  outdated: () => import("./outdated.js"),
  update: () => import("./update.js"),
  remove: () => import("./remove.js"),
  list: () => import("./list.js"),
  verify: () => import("./verify.js"),
  login: () => import("./login.js"),
  logout: () => import("./logout.js"),
  "registry release": () => import("./registry-release.js"),
  "registry merge": () => import("./registry-merge.js"),
  push: () => import("./push.js"),
  scan: () => import("./scan.js"),
  "registry check": () => import("./registry-check.js"),
  demo: () => import("./demo.js"),
  "registry review-gate": () => import("./registry-review-gate.js"),
};
