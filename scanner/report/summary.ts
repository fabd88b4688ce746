/** Counts shared by every reporter. */
import { SEVERITIES, type Decision, type Finding, type Severity, type SkillScan } from "../types.js";
import { DECISION_WORDS } from "../words.js";

export type SeverityCounts = Record<Severity, number>;

/** Unsuppressed findings by severity. */
export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of findings) if (!f.suppressed) counts[f.severity]++;
  return counts;
}

function countDecisions(scans: readonly SkillScan[]): Record<Decision, number> {
  const counts = { blocked: 0, review: 0, flagged: 0, pass: 0 };
  for (const s of scans) counts[s.decision]++;
  return counts;
}

/** "2 skills: 1 blocked, 0 needs review, 0 flagged, 1 passed; findings: ...", in the words every other command uses. */
export function summaryLine(scans: readonly SkillScan[]): string {
  const d = countDecisions(scans);
  const all = countSeverities(scans.flatMap((s) => s.findings));
  const suppressed = scans.reduce((n, s) => n + s.findings.filter((f) => f.suppressed).length, 0);
  return (
    `${scans.length} skill${scans.length === 1 ? "" : "s"}: ${(["blocked", "review", "flagged", "pass"] as const).map((k) => `${d[k]} ${DECISION_WORDS[k]}`).join(", ")}; ` +
    `findings: ${SEVERITIES.map((s) => `${all[s]} ${s}`).join(", ")}${suppressed ? `, ${suppressed} suppressed` : ""}`
  );
}
