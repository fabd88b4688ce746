import { describe, expect, it } from "vitest";
import { CATEGORIES, RULES, scanSkill } from "../../scanner/index.js";
import { exampleSkill } from "./helpers.js";

describe("rule table", () => {
  it("has at least 45 rules with unique, well-formed ids covering every category", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(45);
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) expect(r.id).toMatch(/^SR-[A-Z]+-\d{3}$/);
    expect(new Set(RULES.map((r) => r.category))).toEqual(new Set(CATEGORIES));
  });

  it("gives every rule a title, message, fix, file kinds, a matcher and examples both ways", () => {
    for (const r of RULES) {
      expect(r.title && r.message && r.fix, r.id).toBeTruthy();
      expect(r.fileKinds.length, r.id).toBeGreaterThan(0);
      expect(Boolean(r.pattern || r.match || r.matchSkill || r.matchProse || r.composite || r.escalation || r.analysis), r.id).toBe(true);
      if (r.pattern) expect(r.pattern.global, `${r.id} pattern must be global`).toBe(true);
      expect(r.examples.positive.length, r.id).toBeGreaterThan(0);
      expect(r.examples.negative.length, r.id).toBeGreaterThan(0);
    }
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
  it.each(rule.examples.positive.map((e) => [e]))("fires on %j", (example) => {
    const scan = scanSkill(exampleSkill(rule, example));
    expect(scan.findings.map((f) => f.ruleId)).toContain(rule.id);
  });
  it.each(rule.examples.negative.map((e) => [e]))("stays quiet on %j", (example) => {
    const scan = scanSkill(exampleSkill(rule, example));
    expect(scan.findings.map((f) => f.ruleId)).not.toContain(rule.id);
  });
});
