import type { BackedUp, ClientEvents, InstalledSkill, WouldInstall } from "../registry/client/index.js";
import { DECISION_WORDS } from "@skillreg/scanner/words";
import type { IndexVersion } from "../registry/index/index.js";
import type { CommandContext } from "./command.js";
import type { Output } from "./output.js";

/**
 * How pull, install and update print: each planned version with its scan verdict and flags,
 * then each installed skill with its signer and folders. Silent narration under --json,
 * whose stdout is the JSON alone.
 */
export function clientEvents(ctx: CommandContext, json: boolean): ClientEvents {
  const say: Output = json ? { ...ctx.out, line: () => undefined } : ctx.out;
  return {
    progress: (step) => ctx.out.progress(step),
    notice: (message) => ctx.out.warn(message),
    planned(plan, change) {
      say.line(change ? `${plan.key}: ${change.from} -> ${plan.entry.version}` : `${plan.key}@${plan.entry.version} from ${plan.registry}`);
      showScan(say, plan.key, plan.entry);
    },
  };
}

/** The scan verdict and flags of a version, and its deprecation. */
function showScan(out: Output, skill: string, entry: IndexVersion): void {
  const { decision, flags } = entry.scan;
  const c = out.color;
  const word = DECISION_WORDS[decision];
  const painted = decision === "pass" ? c.green(word) : decision === "flagged" ? c.yellow(word) : c.red(word);
  out.line(`  scan: ${painted}`);
  if (decision === "review" || decision === "flagged") {
    for (const f of flags) out.line(`    ${f.severity === "medium" ? c.yellow(f.severity) : c.red(f.severity)} ${f.ruleId} ${f.file}${f.line ? `:${f.line}` : ""} ${f.message}`);
  }
  if (entry.deprecated) out.warn(`${skill}@${entry.version} is deprecated: ${entry.deprecated.reason}`);
}

export function describeInstall(out: Output, { item, paths }: InstalledSkill): void {
  const c = out.color;
  out.line(`${c.green("+")} ${c.bold(`${item.key}@${item.entry.version}`)}  signed by ${item.verified.signer.principal} (${item.verified.signer.fingerprint})`);
  for (const p of paths) out.line(`  ${c.dim("→")} ${p}`);
}

/** Where --force moved folders SkillReg did not make. */
export function describeBackups(out: Output, backups: readonly BackedUp[]): void {
  for (const b of backups) out.warn(`${b.from} was not installed by skillreg; moved it to ${b.to}`);
}

/** What a --dry-run would have done. */
export function describeDryRun(out: Output, would: readonly WouldInstall[]): void {
  for (const w of would) out.line(`would install ${w.skill}@${w.version}${w.from ? ` (now ${w.from})` : ""} from ${w.registry} into ${w.paths.join(", ")}`);
  out.line(`dry run: nothing was fetched or written`);
}
