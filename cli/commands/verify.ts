import { installTarget, verifyInstalled, type InstalledDifference } from "../../registry/client/index.js";
import { readLock } from "../../registry/client/index.js";
import { flag, printResult, str, type Command, type CommandContext, type ParsedArgs } from "../command.js";
import { runVerifyRegistry, VERIFY_REGISTRY_HELP } from "../verify-registry.js";

/**
 * `skillreg verify` has modes; each is one function taking the parsed arguments. The project
 * mode (installed files against skillreg.lock) is the default. A `--registry <R>` mode (tamper
 * evidence over a whole registry) is added by declaring its option below and dispatching to
 * its function in `run`.
 */

async function verifyProject(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
  const lock = await readLock(target.lockPath);
  const differences = await verifyInstalled(target.root, lock);
  const count = Object.keys(lock.skills).length;
  printResult(args, ctx, { ok: differences.length === 0, skills: count, differences }, () => {
    if (count === 0) {
      // Not "0 skill(s) match skillreg.lock": in a folder with no lock that reads as if one was checked.
      ctx.out.line(`no skills installed here, nothing to verify (skillreg pull <@scope/name> installs one)`);
      return;
    }
    if (differences.length === 0) {
      ctx.out.line(`${ctx.out.color.green("ok")}: ${count} skill(s) match skillreg.lock`);
      return;
    }
    for (const d of differences) printDifference(ctx, d);
    ctx.out.line(`${differences.length} installed skill folder(s) differ from skillreg.lock; 'skillreg install' restores them`);
  });
  return differences.length === 0 ? 0 : 1;
}

function printDifference(ctx: CommandContext, d: InstalledDifference): void {
  const c = ctx.out.color;
  ctx.out.line(`${c.red("✗")} ${d.skill} at ${d.path}`);
  for (const p of d.problems) ctx.out.line(`    ${p}`);
  for (const p of d.changed) ctx.out.line(`    changed  ${p}`);
  for (const p of d.added) ctx.out.line(`    added    ${p}`);
  if (!d.problems.includes("the skill folder is missing")) for (const p of d.missing) ctx.out.line(`    missing  ${p}`);
}

export const command: Command = {
  name: "verify",
  summary: "Check installed skills against skillreg.lock, or a registry for tampering (--registry)",
  help: `Usage: skillreg verify [options]

Compare every installed skill folder with skillreg.lock and name each changed, added or
missing file. Exits 1 when anything differs.

Options:
  --global        use the user-level lock
  --registry R    verify the registry R instead (see below)
  --json          print the differences as JSON
  -h, --help      show this help

${VERIFY_REGISTRY_HELP}`,
  options: { global: { type: "boolean" }, registry: { type: "string" }, json: { type: "boolean" } },
  run(args, ctx) {
    const registry = str(args, "registry");
    if (registry !== undefined) return runVerifyRegistry(registry, flag(args, "json"), ctx);
    return verifyProject(args, ctx);
  },
};
