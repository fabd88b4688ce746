import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { SkillregError, UsageError, scanCacheFor } from "../../registry/core/index.js";
import { runGate, semanticReviewerFromEnv } from "../../registry/publish/index.js";
import { gateMarkdown, gateSarif } from "../../registry/publish/index.js";
import { gateKeyFromEnv } from "../../registry/seal/index.js";
import { printBlocks } from "../gate-report.js";

export const command: Command = {
  name: "registry check",
  summary: "The publish gate: check a change to a registry (base..head)",
  help: `Usage: skillreg registry check --base <rev> --head <rev> [--summary F] [--sarif F] [--json] [--registry D]

Checks the change from the merge base of <base> and <head> to <head>, reading git objects
only (never the work tree). Who may do what comes from <base>, the trusted side. For every
skill the change touches: SKILL.md format and limits, the scanner (critical blocks, high
needs a security reviewer), immutability (no published .tag edited or removed, no version
republished, no skill folder changed without a new version, a valid semver greater than the
latest), the tag object (name, tree, SSH signature, signer in allowed_signers and a maintainer
or owner of the scope). Then scope boundaries (only scopes the signers maintain; registry
files need an admin; a change that publishes nothing acts as the signer of its head commit)
and that .github/CODEOWNERS is what scopes/ generates. A sealed version is opened with the
registry's gate key (SKILLREG_GATE_KEY: its private key file) and judged on its files.

When SKILLREG_LLM_URL and SKILLREG_LLM_KEY (and SKILLREG_LLM_MODEL, SKILLREG_LLM_PROVIDER)
configure a semantic reviewer, as for 'skillreg scan --llm', it reads each published version
(never a sealed one) and may add findings, at most high (review), each with its reasoning. It
never clears or lowers a static finding; when it fails or times out the gate says so and the
static scan decides alone.

Options:
  --base REV       the target branch (e.g. main or the pull request's base sha)
  --head REV       the change (e.g. the pull request's head sha)
  --summary FILE   write the Markdown summary (scan report and gate reasons) to FILE
  --sarif FILE     write SARIF 2.1.0 (findings and gate reasons) to FILE
  --registry D     the registry repository (default: current folder)
  --json           print the decision as JSON

Exit status: 0 nothing blocks, 1 something blocks (every reason is listed), 2 bad usage.`,
  options: {
    base: { type: "string" },
    head: { type: "string" },
    summary: { type: "string" },
    sarif: { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry check"));
    const base = str(args, "base");
    const head = str(args, "head");
    if (base === undefined || head === undefined) throw new UsageError("missing --base <rev> and --head <rev>");
    const registry = registryDir(args, ctx.cwd);
    ctx.out.progress(`checking ${base}..${head}`);
    const { facts, decision } = await runGate(registry, base, head, new Date(), await gateKeyFromEnv(ctx.env), scanCacheFor(ctx.env), await semanticReviewerFromEnv(ctx.env));
    const outputs: [string | undefined, () => string][] = [
      [str(args, "summary"), () => gateMarkdown(decision, facts)],
      [str(args, "sarif"), () => gateSarif(decision)],
    ];
    for (const [file, render] of outputs) {
      if (file === undefined) continue;
      await writeFile(resolve(ctx.cwd, file), render()).catch((e: NodeJS.ErrnoException) => {
        throw new SkillregError(`cannot write ${file}: ${e.code ?? e.message}`);
      });
    }
    printResult(
      args,
      ctx,
      {
        ok: decision.ok,
        base: facts.base,
        head: facts.head,
        decision: decision.decision,
        blocks: decision.blocks,
        notes: decision.notes,
        publishers: decision.publishers,
        actors: decision.actors,
        touchedScopes: decision.touchedScopes,
        adminPaths: decision.adminPaths,
        skills: decision.skills.map(({ scan, ...s }) => ({ ...s, decision: scan?.decision ?? null, findings: scan?.findings ?? [] })),
      },
      () => {
        for (const s of decision.skills) {
          if (s.version) ctx.out.line(`${s.tag ?? `${s.id}@${s.version}`}: signer ${s.publisher ?? "not verified"}, scan ${s.scan?.decision ?? "-"}`);
        }
        for (const n of decision.notes) ctx.out.line(ctx.out.color.dim(`note: ${n}`));
        printBlocks(ctx, decision);
        ctx.out.line(
          decision.ok
            ? `${ctx.out.color.green("passed")}: nothing blocks this change (scan decision: ${decision.decision})`
            : `${ctx.out.color.red("blocked")}: ${decision.blocks.length} reason${decision.blocks.length === 1 ? "" : "s"}`,
        );
      },
    );
    return decision.ok ? 0 : 1;
  },
};
