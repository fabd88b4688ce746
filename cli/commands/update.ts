import { updateSkills } from "../../registry/client/index.js";
import { clientEnvironment, flag, type Command } from "../command.js";
import { clientEvents, describeBackups, describeDryRun, describeInstall } from "../install-report.js";

export const command: Command = {
  name: "update",
  scanner: "on demand",
  summary: "Move installed skills to the newest version their range allows",
  help: `Usage: skillreg update [@scope/name...] [options]

For each named skill (default: every skill in skillreg.lock), resolve its recorded range
again, skipping yanked versions, and install the result if it differs from what is locked.

Options:
  --global        use the user-level lock
  --accept-risk   allow versions whose scan needs review (high findings)
  --prerelease    let ranges match prerelease versions
  --identity KEY  the SSH private key that opens sealed versions (default ~/.ssh/id_ed25519)
  --force         move a skill folder SkillReg did not make into .skillreg-backup/ instead
                  of refusing to replace it
  --dry-run       say what would change; fetch and write nothing
  --json          print what changed as JSON
  -h, --help      show this help

Example:
  skillreg update @acme-corp/deploy-script --dry-run`,
  options: {
    global: { type: "boolean" },
    "accept-risk": { type: "boolean" },
    prerelease: { type: "boolean" },
    identity: { type: "string" },
    force: { type: "boolean" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const json = flag(args, "json");
    const dryRun = flag(args, "dry-run");
    const { updated, unchanged, backups, wouldInstall } = await updateSkills(
      clientEnvironment(args, ctx),
      {
        skills: args.positionals,
        global: flag(args, "global"),
        acceptRisk: flag(args, "accept-risk"),
        prerelease: flag(args, "prerelease"),
        force: flag(args, "force"),
        dryRun,
      },
      clientEvents(ctx, json),
    );
    if (json) {
      ctx.out.json(dryRun ? { dryRun, wouldInstall, unchanged } : { updated: updated.map((u) => ({ skill: u.item.key, from: u.from, to: u.item.entry.version, paths: u.paths })), unchanged, backups });
      return 0;
    }
    if (dryRun) {
      if (wouldInstall.length === 0) ctx.out.line("every skill is at the newest version its range allows");
      describeDryRun(ctx.out, wouldInstall);
      return 0;
    }
    describeBackups(ctx.out, backups);
    for (const u of updated) describeInstall(ctx.out, u);
    if (updated.length === 0) ctx.out.line("every skill is at the newest version its range allows");
    return 0;
  },
};
