import { UsageError } from "../../registry/core/index.js";
import { pullSkills } from "../../registry/client/index.js";
import { clientEnvironment, flag, printResult, str, type Command } from "../command.js";
import { clientEvents, describeBackups, describeDryRun, describeInstall } from "../install-report.js";

export const command: Command = {
  name: "pull",
  scanner: "on demand",
  summary: "Install skills from a registry, verified, and record them in skillreg.lock",
  help: `Usage: skillreg pull <@scope/name[@range]>... [options]

Resolve each skill's range against the registry index, fetch only that version's signed tag,
check it (tag object id, signature by a publisher of the scope, tree, sha256), install it
into the agent's skills folder atomically and record it in skillreg.lock.

Ranges: 1.2.3, ~1.2.0, ^1.2.0, ">=1.2 <2", latest (the default). Yanked versions are
skipped unless the lock already names them; prereleases only when named or --prerelease.

Options:
  --agent <id>       install for this agent (claude, codex, cursor, gemini, copilot, agents;
                     comma-separated for several); default: the agents the project uses
  --global           install into your user-level skills folder (lock in ~/.config/skillreg)
  --registry <r>     registry site URL, Git URL or local path (default: .skillreg.yaml)
  --accept-risk      install a version whose scan needs review (high findings)
  --prerelease       let ranges match prerelease versions
  --identity <key>   the SSH private key that opens sealed (private) versions;
                     default ~/.ssh/id_ed25519
  --force            move a skill folder SkillReg did not make (not in skillreg.lock) into
                     .skillreg-backup/ instead of refusing to replace it
  --as <folder>      install the one skill named under this folder name instead of its own
                     (for two skills of one name in different scopes); its SKILL.md's
                     name becomes the folder name, the lock records it, verify allows it
  --dry-run          resolve and check, then say what would be installed; write nothing
  --json             print what was installed as JSON
  -h, --help         show this help

A skill already installed for other agents keeps those folders: installs add up. A folder
in the way that skillreg.lock does not record is never replaced (see --force). A skill
already installed exactly as resolved (same version, tag and content, files unchanged) is
not fetched again; --force fetches and installs it again.

Examples:
  skillreg pull @acme-corp/deploy-script@~1.2.0 --agent claude
  skillreg pull @alice/deploy-script --as alice-deploy-script`,
  options: {
    agent: { type: "string" },
    global: { type: "boolean" },
    registry: { type: "string" },
    "accept-risk": { type: "boolean" },
    prerelease: { type: "boolean" },
    identity: { type: "string" },
    force: { type: "boolean" },
    "dry-run": { type: "boolean" },
    as: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError("name at least one skill, e.g. skillreg pull @acme/deploy@^1.2.0");
    const agent = str(args, "agent");
    const registry = str(args, "registry");
    const as = str(args, "as");
    const result = await pullSkills(
      clientEnvironment(args, ctx),
      {
        specs: args.positionals,
        global: flag(args, "global"),
        acceptRisk: flag(args, "accept-risk"),
        prerelease: flag(args, "prerelease"),
        force: flag(args, "force"),
        dryRun: flag(args, "dry-run"),
        ...(agent === undefined ? {} : { agent }),
        ...(registry === undefined ? {} : { registry }),
        ...(as === undefined ? {} : { as }),
      },
      clientEvents(ctx, flag(args, "json")),
    );
    if (flag(args, "dry-run")) {
      printResult(args, ctx, { dryRun: true, wouldInstall: result.wouldInstall }, () => describeDryRun(ctx.out, result.wouldInstall));
      return 0;
    }
    const installed = result.installed;
    const json = installed.map(({ item, paths }) => ({
      skill: item.key,
      version: item.entry.version,
      registry: item.registry,
      paths,
      signer: item.verified.signer,
      scan: item.entry.scan,
    }));
    printResult(args, ctx, { installed: json, upToDate: result.upToDate, backups: result.backups }, () => {
      describeBackups(ctx.out, result.backups);
      for (const i of installed) describeInstall(ctx.out, i);
      for (const u of result.upToDate) ctx.out.line(`= ${u.skill}@${u.version} is already installed as resolved; nothing fetched (--force fetches and installs it again)`);
    });
    return 0;
  },
};
