import type { Command } from "./command.js";

/** The groups `skillreg --help` shows, in order: who does what with the registry. */
export const COMMAND_GROUPS = {
  consume: "Use skills in a project",
  publish: "Publish skills",
  review: "Review changes",
  administer: "Administer a registry",
} as const;
export type CommandGroup = keyof typeof COMMAND_GROUPS;

interface CommandEntry {
  group: CommandGroup;
  /** One typical use, shown by `skillreg --help`. */
  example: string;
  load: () => Promise<{ command: Command }>;
}

/**
 * Every command, loaded lazily so small commands start fast (only --help loads them all).
 * Add a command: create cli/commands/<name>.ts exporting `command`, then list it here.
 */
export const commandTable: Record<string, CommandEntry> = {
  "registry add": { group: "consume", example: "skillreg registry add https://skills.acme.example/ --scope @acme-corp", load: () => import("./commands/registry-add.js") },
  search: { group: "consume", example: "skillreg search changelog", load: () => import("./commands/search.js") },
  info: { group: "consume", example: "skillreg info @acme-corp/changelog-writer", load: () => import("./commands/info.js") },
  pull: { group: "consume", example: "skillreg pull @acme-corp/deploy-script@~1.2.0", load: () => import("./commands/pull.js") },
  install: { group: "consume", example: "skillreg install --frozen", load: () => import("./commands/install.js") },
  outdated: { group: "consume", example: "skillreg outdated", load: () => import("./commands/outdated.js") },
  update: { group: "consume", example: "skillreg update --dry-run", load: () => import("./commands/update.js") },
  remove: { group: "consume", example: "skillreg remove @acme-corp/deploy-script --agent codex", load: () => import("./commands/remove.js") },
  list: { group: "consume", example: "skillreg list", load: () => import("./commands/list.js") },
  verify: { group: "consume", example: "skillreg verify", load: () => import("./commands/verify.js") },
  login: { group: "consume", example: "skillreg login https://skills.acme.example/", load: () => import("./commands/login.js") },
  logout: { group: "consume", example: "skillreg logout https://skills.acme.example/", load: () => import("./commands/logout.js") },
  whoami: { group: "consume", example: "skillreg whoami", load: () => import("./commands/whoami.js") },
  new: { group: "publish", example: "skillreg new deploy-script", load: () => import("./commands/new.js") },
  validate: { group: "publish", example: "skillreg validate ./deploy-script", load: () => import("./commands/validate.js") },
  scan: { group: "publish", example: "skillreg scan ./deploy-script", load: () => import("./commands/scan.js") },
  push: { group: "publish", example: "skillreg push @alice/deploy-script", load: () => import("./commands/push.js") },
  yank: { group: "publish", example: "skillreg yank @acme-corp/deploy-script@1.2.3 --reason 'broken' --key ~/.ssh/id_ed25519", load: () => import("./commands/yank.js") },
  deprecate: { group: "publish", example: "skillreg deprecate @acme-corp/deploy-script@1.0.0 --reason 'use 1.2' --key ~/.ssh/id_ed25519", load: () => import("./commands/deprecate.js") },
  "registry diff": { group: "review", example: "skillreg registry diff publish/acme-corp/deploy-script/1.3.0 --identity ~/.ssh/id_ed25519", load: () => import("./commands/registry-diff.js") },
  "registry pending": { group: "review", example: "skillreg registry pending", load: () => import("./commands/registry-pending.js") },
  "registry check": { group: "review", example: "skillreg registry check --base main --head publish/acme-corp/deploy-script/1.2.3", load: () => import("./commands/registry-check.js") },
  "registry merge": { group: "review", example: "skillreg registry merge publish/acme-corp/deploy-script/1.2.3 --key ~/.ssh/id_ed25519", load: () => import("./commands/registry-merge.js") },
  "registry review-gate": { group: "review", example: "skillreg registry review-gate", load: () => import("./commands/registry-review-gate.js") },
  audit: { group: "review", example: "skillreg audit @acme-corp --format csv", load: () => import("./commands/audit.js") },
  init: { group: "administer", example: "skillreg init acme-skills --name acme-skills --admin alice@acme.example", load: () => import("./commands/init.js") },
  "scope add": { group: "administer", example: "skillreg scope add @acme-corp --owner alice@acme.example", load: () => import("./commands/scope-add.js") },
  "keys add": { group: "administer", example: "skillreg keys add alice@acme.example ~/.ssh/id_ed25519.pub", load: () => import("./commands/keys-add.js") },
  "keys revoke": { group: "administer", example: "skillreg keys revoke bob@acme.example --key ~/.ssh/id_ed25519", load: () => import("./commands/keys-revoke.js") },
  "access list": { group: "administer", example: "skillreg access list @acme-corp", load: () => import("./commands/access-list.js") },
  "access grant": { group: "administer", example: "skillreg access grant @acme-corp bob@acme.example --role maintainer --key ~/.ssh/id_ed25519", load: () => import("./commands/access-grant.js") },
  "access revoke": { group: "administer", example: "skillreg access revoke @acme-corp bob@acme.example --key ~/.ssh/id_ed25519", load: () => import("./commands/access-revoke.js") },
  visibility: { group: "administer", example: "skillreg visibility @acme-corp/deploy-script public --key ~/.ssh/id_ed25519", load: () => import("./commands/visibility.js") },
  "registry release": { group: "administer", example: "skillreg registry release", load: () => import("./commands/registry-release.js") },
  "registry trust": { group: "administer", example: "skillreg registry trust show", load: () => import("./commands/registry-trust.js") },
  "registry codeowners": { group: "administer", example: "skillreg registry codeowners --check", load: () => import("./commands/registry-codeowners.js") },
  "registry sync-github": { group: "administer", example: "skillreg registry sync-github", load: () => import("./commands/registry-sync-github.js") },
  build: { group: "administer", example: "skillreg build --base-url https://acme.github.io/skills/ --git-url https://github.com/acme/skills.git", load: () => import("./commands/build.js") },
  serve: { group: "administer", example: "skillreg serve --port 4321", load: () => import("./commands/serve.js") },
  demo: { group: "administer", example: "skillreg demo", load: () => import("./commands/demo.js") },
};

/** Each command's loader by name (what main dispatches on). */
export const commandLoaders: Record<string, () => Promise<{ command: Command }>> = Object.fromEntries(
  Object.entries(commandTable).map(([name, entry]) => [name, entry.load]),
);
