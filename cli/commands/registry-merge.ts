import { printBlocks } from "../gate-report.js";
import { resolve } from "node:path";
import { flag, noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { GateBlocked, mergeBranch } from "../../registry/publish/index.js";
import { ReleaseAlarm } from "../../registry/publish/index.js";

/** Every reason the gate blocked, one a line, on stderr. */
export const command: Command = {
  name: "registry merge",
  summary: "Review and merge a publish branch into main (local forge), then release",
  help: `Usage: skillreg registry merge <branch> --key <reviewer-key> [--registry D] [--json]

The local forge's merge, for registries on a plain Git remote (a folder or any Git server):
runs the publish gate on main..<branch>, requires the reviewer (the principal of --key in
allowed_signers) to be a maintainer or owner of every scope the change touches (an admin for
registry files), not its publisher, and a security reviewer (policy.securityReviewers) when
the scan decision is 'review'. Before anything is signed it prints what the change touches
(git diff --stat) and the scan summary of each skill it publishes. Then writes a merge commit signed with the reviewer's key, with
trailers Skill:, Publisher:, Reviewer: and Scan-Decision:, and runs 'registry release'.
A sealed version is opened for the gate with the registry's gate key (SKILLREG_GATE_KEY),
else with the reviewer's own --key, so the gate judges its files; see 'registry diff'.
With SKILLREG_LLM_URL and SKILLREG_LLM_KEY set, the gate also asks the semantic reviewer, as
'registry check' does (see its help).

Options:
  --key FILE     the reviewer's SSH private key (ed25519; encrypted keys through ssh-agent)
  --registry D   the registry repository (default: current folder)
  --json         print the merge as JSON

Example:
  skillreg registry merge publish/acme-corp/deploy-script/1.2.3 --key ~/.ssh/id_ed25519

Exit status: 0 merged and released, 1 the gate, the review rule or the release refused,
2 bad usage.`,
  options: {
    key: { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [branch] = args.positionals;
    if (branch === undefined) throw new UsageError("missing <branch>; usage: skillreg registry merge <branch> --key <reviewer-key>");
    noExtraArguments(args, 1, seeHelp("registry merge"));
    const key = str(args, "key");
    if (key === undefined) throw new UsageError("missing --key <reviewer-key>: the merge is signed by the reviewer");
    const registry = registryDir(args, ctx.cwd);
    let result;
    try {
      result = await mergeBranch({
        registry,
        branch,
        keyPath: resolve(ctx.cwd, key),
        env: ctx.env,
        progress: ctx.out.progress,
        onReview: ({ diffStat, gate }) => {
          if (flag(args, "json")) return;
          ctx.out.line(`Changes in ${branch}:`);
          ctx.out.line(diffStat.split("\n").map((l) => `  ${l.trim()}`).join("\n"));
          for (const s of gate.skills.filter((v) => v.scan)) {
            const counts = s.scan!.findings.filter((f) => !f.suppressed).reduce<Record<string, number>>((c, f) => ({ ...c, [f.severity]: (c[f.severity] ?? 0) + 1 }), {});
            const shown = Object.entries(counts).map(([sev, n]) => `${n} ${sev}`).join(", ") || "no findings";
            ctx.out.line(`Scan of ${s.tag ?? s.id}: ${s.scan!.decision} (${shown})`);
          }
        },
      });
    } catch (e) {
      if (e instanceof GateBlocked) {
        printBlocks(ctx, e.decision);
        ctx.stderr.write(`skillreg: merge refused: the publish gate blocks ${branch} (${e.decision.blocks.length} reason${e.decision.blocks.length === 1 ? "" : "s"})\n`);
        return 1;
      }
      if (e instanceof ReleaseAlarm) {
        for (const alarm of e.alarms) ctx.stderr.write(`${ctx.out.color.red("ALARM:")} ${alarm}\n`);
        ctx.stderr.write("skillreg: merged, but the release refused: published versions must never change\n");
        return 1;
      }
      throw e;
    }
    const { commit, reviewer, gate, release } = result;
    printResult(args, ctx, { branch, commit, reviewer, publishers: gate.publishers, decision: gate.decision, created: release.created }, () => {
      ctx.out.line(`Merged ${branch} into main as ${commit.slice(0, 12)}, signed by ${reviewer} (publisher: ${gate.publishers.join(", ") || "-"}, scan: ${gate.decision})`);
      for (const t of release.created) ctx.out.line(`${ctx.out.color.green("tagged")} ${t}`);
    });
    return 0;
  },
};
