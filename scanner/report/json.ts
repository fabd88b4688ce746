/**
 * The design's JSON contract: {"skills":[{"path","name","decision","findings":[{"ruleId",
 * "severity","category","message","file","line", ...}]}]}. Extra fields are additive.
 */
import type { SkillScan } from "../types.js";

export function renderJson(scans: readonly SkillScan[]): string {
  const skills = scans.map((s) => ({
    path: s.path,
    name: s.name,
    decision: s.decision,
    findings: s.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      category: f.category,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      evidence: f.evidence,
      fix: f.fix,
      ...(f.related?.length ? { related: f.related } : {}),
      ...(f.demoted ? { demoted: f.demoted } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
    skipped: s.skipped,
  }));
  return JSON.stringify({ skills }, null, 2) + "\n";
}
