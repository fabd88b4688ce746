import { resolve } from "node:path";
import { flag, printResult, str, type Command, type CommandContext } from "../command.js";
import { skillTargets } from "../skill-dirs.js";
import { loadRegistryConfig } from "../../registry/core/index.js";
import { DEFAULT_LIMITS } from "../../registry/core/index.js";
import { formatProblem } from "../../registry/core/index.js";
import { validateSkillDir, type SkillReport } from "../../registry/core/index.js";
import { printable, type Problem } from "../../registry/core/index.js";

export const command: Command = {
  name: "validate",
  summary: "Check skills against the Agent Skills spec and the registry limits",
  help: `Usage: skillreg validate [dir...] [--json] [--require-version] [--registry D]

Validate skills: SKILL.md frontmatter against the Agent Skills specification (name, description,
license, compatibility, metadata, allowed-tools), name equal to the folder, metadata.version a
semantic version, and the registry limits (1 MiB a file, 10 MiB and 500 files a skill; no
symlinks, device files, absolute or '..' paths, non-UTF-8 SKILL.md).

Each dir is a skill (a folder holding SKILL.md) or a folder searched for skills, skipping
symlinks, node_modules and .git. Default: the current folder.

Client extensions (Claude Code's disable-model-invocation, model, hooks, ...), unknown fields,
a missing metadata.version, allowed-tools or '## Guardrails' section are warnings.

Options:
  --json              print {"skills":[{path,name,version,valid,errors,warnings}]}
  --require-version   a missing metadata.version is an error, as when publishing
  --registry D        apply the limits in D/skillreg.yaml instead of the defaults
  -h, --help          show this help

Exit status: 0 every skill is valid, 1 some skill is invalid, 2 bad usage or an unreadable path.`,
  options: {
    json: { type: "boolean" },
    "require-version": { type: "boolean" },
    registry: { type: "string" },
  },
  async run(args, ctx) {
    const requireVersion = flag(args, "require-version");
    const registry = str(args, "registry");
    const limits = registry === undefined ? DEFAULT_LIMITS : (await loadRegistryConfig(resolve(ctx.cwd, registry))).limits;
    const targets = args.positionals.length > 0 ? args.positionals : ["."];
    const reports: { path: string; report: SkillReport }[] = [];
    for (const target of targets) {
      const skills = await skillTargets(target, ctx.cwd);
      if (skills.length > 1) ctx.out.progress(`validating ${skills.length} skills under ${printable(target)}`);
      for (const { dir, shown } of skills) {
        const report = await validateSkillDir(dir, { requireVersion, limits });
        const relocate = (p: Problem): Problem => ({ ...p, file: shown(p.file) });
        reports.push({
          path: shown(dir),
          report: { ...report, dir: shown(dir), errors: report.errors.map(relocate), warnings: report.warnings.map(relocate) },
        });
      }
    }
    const invalid = reports.filter((r) => !r.report.valid).length;
    printResult(
      args,
      ctx,
      { skills: reports.map(({ path, report: r }) => ({ path, name: r.name ?? null, version: r.version ?? null, valid: r.valid, errors: r.errors, warnings: r.warnings })) },
      () => printHuman(reports, ctx),
    );
    return invalid > 0 ? 1 : 0;
  },
};

function printHuman(reports: { path: string; report: SkillReport }[], ctx: CommandContext): void {
  const c = ctx.out.color;
  let warnings = 0;
  for (const { path, report: r } of reports) {
    const label = r.name ? `${r.name}${r.version ? ` ${r.version}` : ""}` : "";
    const mark = r.valid ? c.green("✓") : c.red("✗");
    ctx.out.line(`${mark} ${c.bold(path)}${label ? c.dim(` (${label})`) : ""}`);
    for (const p of r.errors) ctx.out.line(`    ${c.red("error:")} ${formatProblem(p)} ${c.dim(`[${p.code}]`)}`);
    for (const p of r.warnings) ctx.out.line(`    ${c.yellow("warning:")} ${formatProblem(p)} ${c.dim(`[${p.code}]`)}`);
    warnings += r.warnings.length;
  }
  const invalid = reports.filter((r) => !r.report.valid).length;
  const noun = reports.length === 1 ? "skill" : "skills";
  const summary = `${reports.length} ${noun}: ${reports.length - invalid} valid, ${invalid} invalid, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  ctx.out.line(invalid > 0 ? c.red(summary) : summary);
}
