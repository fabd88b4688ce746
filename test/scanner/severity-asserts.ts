/**
 * What the capability tests assert of a scan: one skill with a plain SKILL.md and the files under
 * test, and "an honest skill stays at medium or below" (suppressed findings aside).
 */
import { expect } from "vitest";
import { scanSkill, type SkillScan } from "../../scanner/index.js";
import { skill } from "./helpers.js";

export function scanOf(files: Record<string, string>): SkillScan {
  return scanSkill(skill("s", { "SKILL.md": "---\nname: s\ndescription: A test skill.\n---\n# S\n\nRun the scripts in this folder.\n", ...files }));
}

export const rules = (s: SkillScan) => s.findings.map((f) => f.ruleId);

const RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;
const worst = (s: SkillScan) => Math.max(-1, ...s.findings.filter((f) => !f.suppressed).map((f) => RANK[f.severity]));

export const atMostMedium = (s: SkillScan) => expect(worst(s), JSON.stringify(s.findings.filter((f) => RANK[f.severity] > 1).map((f) => [f.ruleId, f.evidence]))).toBeLessThanOrEqual(RANK.medium);

/** "This attack is blocked", showing every finding when it is not. */
export const blocked = (s: SkillScan) => expect(s.decision, JSON.stringify(s.findings.map((f) => [f.ruleId, f.severity, f.evidence]))).toBe("blocked");

/** Blocked, by one of the rules that name the attack's class. */
export const blockedBy = (s: SkillScan, ...ids: string[]) => {
  expect(rules(s).filter((r) => ids.includes(r)), JSON.stringify(s.findings.map((f) => [f.ruleId, f.severity, f.evidence]))).not.toHaveLength(0);
  expect(s.decision).toBe("blocked");
};

/** "Rule `id` reports this capability for review (high)", showing every finding when it does not. */
export const reviewed = (s: SkillScan, id: string) => {
  expect(rules(s), JSON.stringify(s.findings.map((f) => [f.ruleId, f.severity, f.evidence]))).toContain(id);
  expect(s.findings.find((f) => f.ruleId === id)!.severity).toBe("high");
};

const findingsOf = (s: SkillScan) => JSON.stringify(s.findings.map((f) => [f.ruleId, f.severity, f.evidence]));
/** Needs a security review but is not blocked: the decision a company's own index deserves. */
export const atMostHigh = (s: SkillScan) => expect(s.decision, findingsOf(s)).not.toBe("blocked");
/** Reviewed or blocked. */
export const atLeastHigh = (s: SkillScan) => expect(["review", "blocked"], findingsOf(s)).toContain(s.decision);
