import { installFromLock } from "../../registry/client/index.js";
import { clientEnvironment, flag, type Command } from "../command.js";
import { clientEvents, describeBackups, describeInstall } from "../install-report.js";

export const command: Command = {
  name: "install",
  scanner: "on demand",
  summary: "Install exactly what skillreg.lock records",
  help: `Usage: skillreg install [options]

Reinstall every skill in skillreg.lock at its locked version, verified exactly as pull does
(and against the lock's tag object, tree and sha256). Skills whose installed files already
match the lock are left alone.

Options:
  --frozen        fail instead of changing skillreg.lock (for CI)
  --global        use the user-level lock (~/.config/skillreg/skillreg.lock)
  --accept-risk   allow versions whose scan needs review (high findings)
  --identity KEY  the SSH private key that opens sealed versions (default ~/.ssh/id_ed25519)
  --force         move a skill folder SkillReg did not make into .skillreg-backup/ instead
                  of refusing to replace it
  --json          print what was installed as JSON
  -h, --help      show this help

Example:
  skillreg install --frozen`,
  options: {
    frozen: { type: "boolean" },
    global: { type: "boolean" },
    "accept-risk": { type: "boolean" },
    identity: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const json = flag(args, "json");
    const result = await installFromLock(
      clientEnvironment(args, ctx),
      { global: flag(args, "global"), frozen: flag(args, "frozen"), acceptRisk: flag(args, "accept-risk"), force: flag(args, "force") },
      clientEvents(ctx, json),
    );
    if (result.noLock) {
      ctx.out.line("nothing to install: no skillreg.lock here (use 'skillreg pull <skill>')");
      return 0;
    }
    if (json) {
      ctx.out.json({ installed: result.installed.map(({ item, paths }) => ({ skill: item.key, version: item.entry.version, paths })), upToDate: result.upToDate, backups: result.backups });
      return 0;
    }
    describeBackups(ctx.out, result.backups);
    for (const i of result.installed) describeInstall(ctx.out, i);
    const same = result.upToDate.length;
    ctx.out.line(result.installed.length === 0 ? `all ${same} skill(s) already match skillreg.lock` : `${result.installed.length} installed, ${same} already matched skillreg.lock`);
    return 0;
  },
};
