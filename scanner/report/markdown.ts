/** Markdown for pull-request comments and job summaries: a table per run, details per skill. */
import { SEVERITIES, type Decision, type SkillScan } from "../types.js";
import { countSeverities, summaryLine } from "./summary.js";

const DECISION_BADGE: Record<Decision, string> = { blocked: "⛔ blocked", review: "🔍 needs review", flagged: "⚠️ flagged", pass: "✅ pass" };

/** Table-cell safe: no pipes, newlines or raw HTML. */
function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks inside the text. */
function code(s: string): string {
  const t = s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/`/g, "ˋ");
  return t ? `\`${t}\`` : "";
}

export function renderMarkdown(scans: readonly SkillScan[]): string {
  const out: string[] = ["## SkillReg scan", "", summaryLine(scans), ""];
  out.push("| Skill | Decision | Critical | High | Medium | Low |", "|---|---|---:|---:|---:|---:|");
  for (const s of scans) {
    const n = countSeverities(s.findings);
    out.push(`| ${code(s.name)} ${cell(s.path)} | ${DECISION_BADGE[s.decision]} | ${SEVERITIES.map((sev) => n[sev]).join(" | ")} |`);
  }
  for (const s of scans) {
    if (s.findings.length === 0 && s.skipped.length === 0) continue;
    out.push("", `<details${s.decision === "blocked" || s.decision === "review" ? " open" : ""}><summary><b>${cell(s.name)}</b>: ${DECISION_BADGE[s.decision]}, ${s.findings.length} finding${s.findings.length === 1 ? "" : "s"}</summary>`, "");
    if (s.findings.length > 0) {
      out.push("| Severity | Rule | Location | Finding | Fix |", "|---|---|---|---|---|");
      for (const f of s.findings) {
        const note = f.suppressed ? ` _(suppressed: ${cell(f.suppressed.reason)})_` : f.demoted ? ` _(${cell(f.demoted)})_` : "";
        out.push(`| ${f.suppressed ? `~~${f.severity}~~` : f.severity} | ${f.ruleId} | ${code(`${f.file}:${f.line}`)} | ${cell(f.message)}${note}${f.evidence ? `<br>${code(f.evidence)}` : ""} | ${cell(f.fix)} |`);
      }
    }
    for (const k of s.skipped) out.push(`- skipped ${code(k.file)}: ${cell(k.reason)}`);
    out.push("", "</details>");
  }
  return out.join("\n") + "\n";
}
