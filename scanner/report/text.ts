/** The terminal report: grouped by skill, one block per finding with file:line and the fix. */
import type { Decision, Severity, SkillScan } from "../types.js";
import { summaryLine } from "./summary.js";
import { DECISION_WORDS } from "../words.js";

/** Colour functions; the CLI passes its own (which are identity when colour is off). */
export interface TextColors {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: TextColors = { red: (s) => s, yellow: (s) => s, green: (s) => s, blue: (s) => s, dim: (s) => s, bold: (s) => s };


export function renderText(scans: readonly SkillScan[], options: { color?: TextColors } = {}): string {
  const c = options.color ?? PLAIN;
  const sev: Record<Severity, (s: string) => string> = { critical: (s) => c.bold(c.red(s)), high: c.red, medium: c.yellow, low: c.dim };
  const dec: Record<Decision, (s: string) => string> = { blocked: (s) => c.bold(c.red(s)), review: c.red, flagged: c.yellow, pass: c.green };
  const out: string[] = [];
  for (const scan of scans) {
    out.push(`${c.bold(scan.name)} ${c.dim(scan.path)}  ${dec[scan.decision](DECISION_WORDS[scan.decision].toUpperCase())}`);
    for (const f of scan.findings) {
      const tag = f.suppressed ? c.dim(" [suppressed]") : f.demoted ? c.dim(` [${f.demoted}]`) : "";
      out.push(`  ${sev[f.severity](f.severity.padEnd(8))} ${f.ruleId}  ${c.blue(`${f.file}:${f.line}:${f.column}`)}${tag}`);
      out.push(`           ${f.message}`);
      if (f.evidence) out.push(`           ${c.dim("> " + f.evidence)}`);
      if (f.suppressed) out.push(`           ${c.dim("suppressed: " + f.suppressed.reason)}`);
      else out.push(`           ${c.dim("fix: " + f.fix)}`);
    }
    for (const s of scan.skipped) out.push(`  ${c.dim(`skipped ${s.file}: ${s.reason}`)}`);
    out.push("");
  }
  out.push(summaryLine(scans));
  return out.join("\n") + "\n";
}
