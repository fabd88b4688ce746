import { describe, expect, it } from "vitest";
import { RULES } from "../../scanner/index.js";

/**
 * Rule.triggers lets the engine skip a whole-segment rule on a segment that holds none of its
 * words (found in the one keyword pass). A wrong trigger would silently hide a finding, so every
 * declared trigger is checked against what the rule is known to catch.
 */
const triggered = RULES.filter((r) => r.triggers);

describe("rule triggers", () => {
  it("are declared by whole-segment matchers only, as lower-case words", () => {
    expect(triggered.length).toBeGreaterThan(0);
    for (const r of triggered) {
      expect(r.keywords, `${r.id}: keywords already gate the rule`).toBeUndefined();
      expect(Boolean(r.pattern || r.match), r.id).toBe(true);
      for (const w of r.triggers!) expect(w, r.id).toBe(w.toLowerCase());
    }
  });

  it.each(triggered.map((r) => [r.id, r] as const))("%s: every example it fires on holds one of its triggers", (_id, rule) => {
    for (const example of rule.examples.positive) {
      expect(rule.triggers!.some((w) => example.toLowerCase().includes(w)), example.slice(0, 80)).toBe(true);
    }
  });
});
