import { DECISION_WORDS } from "@skillreg/scanner/words";
import { skillInfo } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import { flag, noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";

export const command: Command = {
  name: "info",
  scanner: "on demand",
  summary: "Show a skill's description, versions and the chosen version's scan and signer",
  help: `Usage: skillreg info <@scope/name[@range]> [--registry R] [--prerelease] [--json]

Like 'npm view': the skill's description and every version (yanked and deprecated marked),
and for the version the range picks (default: latest) its scan decision and flags, signer,
publish time, files and the command that installs it.

Options:
  --registry R    registry site URL, Git URL or folder (default: .skillreg.yaml)
  --prerelease    let the range pick a prerelease
  --json          print everything as JSON

Example:
  skillreg info @acme-corp/changelog-writer@^2`,
  options: { registry: { type: "string" }, prerelease: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const [spec] = args.positionals;
    if (spec === undefined) throw new UsageError(`missing <@scope/name[@range]>; ${seeHelp("info")}`);
    noExtraArguments(args, 1, seeHelp("info"));
    const registry = str(args, "registry");
    const info = await skillInfo({ cwd: ctx.cwd, env: ctx.env, progress: ctx.out.progress }, { spec, prerelease: flag(args, "prerelease"), ...(registry !== undefined ? { registry } : {}) });
    printResult(args, ctx, info, () => {
      const v = info.version;
      const c = ctx.out.color;
      ctx.out.line(`${c.bold(`${info.skill}@${v.version}`)} (${info.visibility}) from ${info.registry}`);
      if (info.description) ctx.out.line(info.description);
      ctx.out.line("");
      ctx.out.line(`scan: ${DECISION_WORDS[v.scan.decision]} (${v.scan.counts.critical} critical, ${v.scan.counts.high} high, ${v.scan.counts.medium} medium, ${v.scan.counts.low} low)`);
      for (const f of v.scan.flags) ctx.out.line(`  ${f.severity} ${f.ruleId} ${f.file}${f.line ? `:${f.line}` : ""} ${f.message}`);
      ctx.out.line(`signed by: ${v.signer.principal} (${v.signer.fingerprint})`);
      ctx.out.line(`published: ${v.publishedAt}`);
      if (v.yanked) ctx.out.line(`yanked: ${v.yanked.reason}`);
      if (v.deprecated) ctx.out.line(`deprecated: ${v.deprecated.reason}`);
      ctx.out.line(`files: ${v.files.map((f) => f.path).join(", ")}`);
      ctx.out.line(`versions: ${info.versions.map((x) => `${x.version}${x.yanked ? " (yanked)" : x.deprecated ? " (deprecated)" : ""}`).join(", ")}`);
      if (!v.yanked && v.scan.decision !== "blocked") {
        ctx.out.line("");
        // Offered verbatim: the registry the user named, and --accept-risk when the version needs review.
        ctx.out.line(`install: skillreg pull ${info.skill}@${v.version}${registry !== undefined ? ` --registry ${registry}` : ""}${v.scan.decision === "review" ? " --accept-risk" : ""}`);
      }
    });
    return 0;
  },
};
