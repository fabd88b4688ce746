import type { Command } from "./command.js";

/**
 * Every command, loaded lazily so `skillreg --help` and small commands start fast.
 * Add a command: create cli/commands/<name>.ts exporting `command`, then list it here.
 */
export const commandLoaders: Record<string, () => Promise<{ command: Command }>> = {
  audit: () => import("./commands/audit.js"),
  whoami: () => import("./commands/whoami.js"),
  "access list": () => import("./commands/access-list.js"),
  "access grant": () => import("./commands/access-grant.js"),
  "access revoke": () => import("./commands/access-revoke.js"),
  visibility: () => import("./commands/visibility.js"),
  yank: () => import("./commands/yank.js"),
  deprecate: () => import("./commands/deprecate.js"),
  "keys revoke": () => import("./commands/keys-revoke.js"),
  new: () => import("./commands/new.js"),
  validate: () => import("./commands/validate.js"),
  "registry sync-github": () => import("./commands/registry-sync-github.js"),
  init: () => import("./commands/init.js"),
  "scope add": () => import("./commands/scope-add.js"),
  "keys add": () => import("./commands/keys-add.js"),
  "registry codeowners": () => import("./commands/registry-codeowners.js"),
  build: () => import("./commands/build.js"),
  serve: () => import("./commands/serve.js"),
  pull: () => import("./commands/pull.js"),
  install: () => import("./commands/install.js"),
  outdated: () => import("./commands/outdated.js"),
  update: () => import("./commands/update.js"),
  remove: () => import("./commands/remove.js"),
  list: () => import("./commands/list.js"),
  verify: () => import("./commands/verify.js"),
  login: () => import("./commands/login.js"),
  logout: () => import("./commands/logout.js"),
  "registry release": () => import("./commands/registry-release.js"),
  "registry merge": () => import("./commands/registry-merge.js"),
  push: () => import("./commands/push.js"),
  scan: () => import("./commands/scan.js"),
  "registry check": () => import("./commands/registry-check.js"),
  demo: () => import("./commands/demo.js"),
  "registry review-gate": () => import("./commands/registry-review-gate.js"),
  "registry add": () => import("./commands/registry-add.js"),
  "registry trust": () => import("./commands/registry-trust.js"),
};
