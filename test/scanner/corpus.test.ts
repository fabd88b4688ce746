import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CATEGORIES, RULES, scanSkill, type Decision, type SkillScan } from "../../scanner/index.js";

const ROOT = fileURLToPath(new URL("../fixtures/scanner/", import.meta.url));
const expectations = JSON.parse(readFileSync(join(ROOT, "expectations.json"), "utf8")) as {
  malicious: Record<string, { decision: Decision; rules: string[] }>;
  benign: string[];
  /** Benign cases a human must still review, each with why (never blocked). */
  benignReview: Record<string, string>;
};
const STRENGTH: Record<Decision, number> = { pass: 0, flagged: 1, review: 2, blocked: 3 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? filesUnder(abs) : [abs];
  });
}

function scanFixture(kind: "malicious" | "benign", name: string): SkillScan {
  const dir = join(ROOT, kind, name);
  return scanSkill({ path: `${kind}/${name}`, files: filesUnder(dir).map((abs) => ({ path: relative(dir, abs), bytes: readFileSync(abs) })) });
}

describe("malicious corpus", () => {
  const cases = Object.entries(expectations.malicious);

  it("has at least 40 cases whose expected rules cover every category", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(readdirSync(join(ROOT, "malicious")).sort()).toEqual(cases.map(([c]) => c).sort());
    const category = new Map(RULES.map((r) => [r.id, r.category]));
    const covered = new Set(cases.flatMap(([, e]) => e.rules.map((id) => category.get(id))));
    expect([...CATEGORIES].filter((c) => !covered.has(c))).toEqual([]);
  });

  it("gives every case its decision or a stronger one, with the expected rules (recall)", () => {
    const missed: string[] = [];
    for (const [name, want] of cases) {
      const scan = scanFixture("malicious", name);
      const got = new Set(scan.findings.filter((f) => !f.suppressed).map((f) => f.ruleId));
      if (STRENGTH[scan.decision] < STRENGTH[want.decision]) missed.push(`${name}: ${scan.decision}, expected ${want.decision}`);
      for (const id of want.rules) if (!got.has(id)) missed.push(`${name}: no ${id}`);
    }
    console.info(`scanner corpus recall: ${cases.length - new Set(missed.map((m) => m.split(":")[0])).size}/${cases.length} malicious cases as expected`);
    expect(missed).toEqual([]);
  });
});

describe("benign corpus", () => {
  it("has at least 20 cases, none blocked, none in review but the listed ones (false positives)", () => {
    expect(expectations.benign.length).toBeGreaterThanOrEqual(20);
    expect(readdirSync(join(ROOT, "benign")).sort()).toEqual([...expectations.benign].sort());
    const decisions = expectations.benign.map((name) => ({ name, scan: scanFixture("benign", name) }));
    const falsePositives = decisions
      .filter(({ name, scan }) => scan.decision === "blocked" || (scan.decision === "review" && !expectations.benignReview[name]))
      .map(({ name, scan }) => `${name}: ${scan.decision} (${scan.findings.filter((f) => f.severity === "critical" || f.severity === "high").map((f) => `${f.ruleId} ${f.file}:${f.line}`).join(", ")})`);
    const flagged = decisions.filter(({ scan }) => scan.decision === "flagged").length;
    console.info(`scanner corpus false positives: ${falsePositives.length}/${decisions.length} benign cases blocked or in review, ${flagged} flagged`);
    expect(falsePositives).toEqual([]);
  });
});
