import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scanSkill, type ScanInput } from "@skillreg/scanner";
import { openScanPool } from "@skillreg/scanner/pool";
import { readSkillFiles } from "../../registry/core/index.js";
import { openScanCache, scannerRunCount } from "../../registry/core/index.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/scanner/", import.meta.url));

/** Every fixture skill under benign/ and malicious/, read as the CLI reads it. */
async function fixtureSkills(): Promise<ScanInput[]> {
  const dirs = ["benign", "malicious"].flatMap((set) => readdirSync(join(FIXTURES, set)).map((name) => join(FIXTURES, set, name)));
  return Promise.all(dirs.map(async (dir) => ({ path: dir, files: (await readSkillFiles(dir)).files.map((f) => ({ path: f.path, bytes: f.bytes })) })));
}

describe("scanning in worker threads", () => {
  it("gives every skill the result scanSkill gives in this thread, in the order asked", async () => {
    const skills = await fixtureSkills();
    expect(skills.length).toBeGreaterThan(20);
    const pool = openScanPool(2);
    try {
      // All asked at once: the workers finish in any order, each promise still answers its own skill.
      const pooled = await Promise.all(skills.map((s) => pool.scan(s)));
      expect(pooled).toEqual(skills.map((s) => scanSkill(s)));
      expect(pooled.some((s) => s.decision === "blocked")).toBe(true);
      // A policy travels with its skill.
      const at = pooled.findIndex((s) => s.findings.some((f) => f.severity === "high"));
      const lowered = { rules: { [pooled[at]!.findings.find((f) => f.severity === "high")!.ruleId]: "low" as const } };
      const withPolicy = await pool.scan(skills[at]!, lowered);
      expect(withPolicy).toEqual(scanSkill(skills[at]!, lowered));
      expect(withPolicy).not.toEqual(pooled[at]);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("rejects the one skill whose scan fails, with the scanner's message, and goes on scanning", async () => {
    const [skill] = await fixtureSkills();
    const pool = openScanPool(1);
    try {
      const broken = pool.scan({ path: "broken", files: [{ path: "SKILL.md", bytes: "not bytes" as unknown as Uint8Array }] });
      const inThread = (() => {
        try {
          scanSkill({ path: "broken", files: [{ path: "SKILL.md", bytes: "not bytes" as unknown as Uint8Array }] });
          return "no error";
        } catch (e) {
          return (e as Error).message;
        }
      })();
      await expect(broken).rejects.toThrow(inThread);
      expect(await pool.scan(skill!)).toEqual(scanSkill(skill!));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("refuses a pool of no threads", () => {
    expect(() => openScanPool(0)).toThrow(/at least 1/);
  });

  it("caches a scan made by a worker as the scan made here", async () => {
    const [skill] = await fixtureSkills();
    const dir = tempDir();
    const runs = scannerRunCount();
    const pool = openScanPool(1);
    try {
      const cache = openScanCache(dir);
      const pooled = await cache.scanWith(skill!, {}, pool.scan);
      expect(cache.stats).toEqual({ hits: 0, misses: 1 });
      // Another cache over the same folder answers from the entry the worker's result became.
      const again = openScanCache(dir);
      expect(again.scan({ ...skill!, path: "elsewhere" }, {})).toEqual({ ...pooled, path: "elsewhere" });
      expect(await again.scanWith(skill!, {}, () => Promise.reject(new Error("must not scan again")))).toEqual(pooled);
      expect(again.stats).toEqual({ hits: 2, misses: 0 });
      expect(scannerRunCount() - runs).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe("skillreg scan over many skills", () => {
  it("reports the same bytes with worker threads as in one thread, skills in the same order", async () => {
    const args = ["scan", join(FIXTURES, "malicious"), join(FIXTURES, "benign"), "--format", "json", "--fail-on", "none"];
    const one = await runCli(args, { env: { SKILLREG_SCAN_THREADS: "1", SKILLREG_CACHE_DIR: tempDir() } });
    const two = await runCli(args, { env: { SKILLREG_SCAN_THREADS: "2", SKILLREG_CACHE_DIR: tempDir() } });
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const names = JSON.parse(two.stdout).skills.map((s: { path: string }) => s.path);
    expect(names).toEqual([...readdirSync(join(FIXTURES, "malicious")).sort(), ...readdirSync(join(FIXTURES, "benign")).sort()].map((n) => expect.stringContaining(n)));
  }, 180_000);

  it("refuses a SKILLREG_SCAN_THREADS that is not a whole number, before scanning", async () => {
    const r = await runCli(["scan", join(FIXTURES, "benign")], { env: { SKILLREG_SCAN_THREADS: "two" } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("SKILLREG_SCAN_THREADS must be a whole number");
  });
});
