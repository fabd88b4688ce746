import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readSkillDir } from "../../scanner/read-dir.js";
import { scanSkill, type Severity, type SkillScan } from "../../scanner/index.js";

/**
 * The development cases for attack families (persistence, reverse shells, install hooks,
 * agent-config tampering, empty-variable deletes, transcript theft, loop-built strings) and
 * their benign look-alikes: each malicious skill reaches its expected severity, no benign
 * one is blocked. Written for tuning, unlike the held-out blind sets.
 */
const ROOT = fileURLToPath(new URL("../fixtures/scanner/dev-attacks/", import.meta.url));
const RANK: Record<Severity | "none", number> = { critical: 4, high: 3, medium: 2, low: 1, none: 0 };
const labels = (JSON.parse(readFileSync(join(ROOT, "labels.json"), "utf8")) as { skills: { path: string; label: "malicious" | "benign"; expected?: Severity }[] }).skills;

function top(scan: SkillScan): Severity | "none" {
  let best: Severity | "none" = "none";
  for (const f of scan.findings) if (!f.suppressed && RANK[f.severity] > RANK[best]) best = f.severity;
  return best;
}

describe("dev attack families", () => {
  it.each(labels.filter((l) => l.label === "malicious").map((l) => [l.path, l.expected!] as const))("%s reaches %s", async (path, expected) => {
    const scan = scanSkill(await readSkillDir(join(ROOT, path)));
    expect(RANK[top(scan)], JSON.stringify(scan.findings.map((f) => [f.ruleId, f.severity]))).toBeGreaterThanOrEqual(RANK[expected]);
  });

  it.each(labels.filter((l) => l.label === "benign").map((l) => [l.path] as const))("%s is not blocked", async (path) => {
    const scan = scanSkill(await readSkillDir(join(ROOT, path)));
    expect(scan.decision).not.toBe("blocked");
  });
});
