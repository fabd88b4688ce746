import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBin, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/scanner/", import.meta.url));
const bad = join(FIXTURES, "malicious", "bash-reverse-shell");
const good = join(FIXTURES, "benign", "scoped-cleanup");
const review = join(FIXTURES, "malicious", "cron-persistence");

describe("skillreg scan", () => {
  it("prints the JSON contract and exits 1 when something is blocked", async () => {
    const r = await runCli(["scan", bad, good, "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.skills.map((s: { name: string; decision: string }) => [s.name, s.decision])).toEqual([
      ["bash-reverse-shell", "blocked"],
      ["scoped-cleanup", "pass"],
    ]);
    expect(out.skills[0].findings[0]).toMatchObject({ ruleId: expect.any(String), severity: expect.any(String), category: expect.any(String), message: expect.any(String), file: expect.any(String), line: expect.any(Number) });
  });

  it("finds every SKILL.md below a folder and exits 0 when nothing is blocked", async () => {
    const r = await runCli(["scan", join(FIXTURES, "benign"), "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skills).toHaveLength(readdirSync(join(FIXTURES, "benign")).length);
  });

  it("keeps an author-suppressed high finding listed with its reason and the skill in review", async () => {
    const dir = join(tempDir(), "nightly");
    mkdirSync(join(dir, "scripts"), { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), "---\nname: nightly\ndescription: Schedules a nightly backup.\nallowed-tools: Read Bash(sh scripts/run.sh)\n---\n# Nightly\n\n## Guardrails\nOnly the project.\n");
    writeFileSync(join(dir, "scripts", "run.sh"), "#!/bin/sh\n# skillreg-ignore: SR-PERSIST-001 the user asked for a nightly job\n(crontab -l; echo '0 3 * * * ./backup.sh') | crontab -\n");
    const r = await runCli(["scan", dir, "--format", "json"]);
    const [out] = JSON.parse(r.stdout).skills;
    expect(out.decision).toBe("review");
    expect(out.findings.find((f: { ruleId: string }) => f.ruleId === "SR-PERSIST-001")).toMatchObject({ severity: "high", suppressed: { reason: "the user asked for a nightly job" } });
    expect((await runCli(["scan", dir, "--fail-on", "high"])).code).toBe(1);
  });

  it("fails on the --fail-on threshold", async () => {
    expect((await runCli(["scan", review])).code).toBe(0);
    expect((await runCli(["scan", review, "--fail-on", "high"])).code).toBe(1);
    expect((await runCli(["scan", bad, "--fail-on", "none"])).code).toBe(0);
  });

  it("prints a readable text report by default", async () => {
    const r = await runCli(["scan", bad]);
    expect(r.stdout).toContain("bash-reverse-shell");
    expect(r.stdout).toMatch(/critical SR-SHELL-001 {2}scripts\/health\.sh:3:\d+/);
    expect(r.stdout).toContain("fix: ");
  });

  it("writes SARIF and Markdown to --output atomically", async () => {
    const dir = tempDir();
    const r = await runCli(["scan", bad, "--format", "sarif", "--output", join(dir, "scan.sarif")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^wrote .*scan\.sarif: 1 skill: 1 blocked/);
    expect(JSON.parse(readFileSync(join(dir, "scan.sarif"), "utf8")).version).toBe("2.1.0");
    await runCli(["scan", bad, "--format", "markdown", "--output", join(dir, "scan.md")]);
    expect(readFileSync(join(dir, "scan.md"), "utf8")).toMatch(/^## SkillReg scan/);
    expect(readdirSync(dir).sort()).toEqual(["scan.md", "scan.sarif"]);
  });

  it("applies policy.rules from a skillreg.yaml and rejects an invalid override naming the rule", async () => {
    const dir = tempDir();
    const policy = (rules: string) => {
      const f = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(f, `name: acme\nadmins: [alice]\npolicy:\n  rules:\n${rules}`);
      return f;
    };
    const lowered = await runCli(["scan", review, "--json", "--fail-on", "high", "--policy", policy("    SR-PERSIST-001: low\n")]);
    expect(lowered.code).toBe(0);
    const pinned = await runCli(["scan", bad, "--policy", policy("    SR-SHELL-001: off\n")]);
    expect(pinned.code).toBe(2);
    expect(pinned.stderr).toMatch(/^skillreg: error: .*SR-SHELL-001: 'off' is not allowed; .*critical payload rule/);
    expect(pinned.stderr.trim().split("\n")).toHaveLength(1);
    const unknown = await runCli(["scan", bad, "--policy", policy("    SR-MADE-UP-001: low\n")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("SR-MADE-UP-001: no such rule");
  });

  it("exits 2 with one line on bad usage or unreadable input, writing nothing", async () => {
    const dir = tempDir();
    const cases = [
      ["scan"],
      ["scan", good, "--format", "xml"],
      ["scan", good, "--fail-on", "severe"],
      ["scan", join(dir, "missing")],
      ["scan", dir],
      ["scan", good, "--policy", join(dir, "nope.yaml")],
    ];
    for (const argv of cases) {
      const r = await runCli([...argv, "--output", join(dir, "out.txt")]);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
    expect(existsSync(join(dir, "out.txt"))).toBe(false);
  });

  it("reports files too large to read as skipped", async () => {
    const dir = tempDir();
    const s = join(dir, "big");
    mkdirSync(s);
    writeFileSync(join(s, "SKILL.md"), "---\nname: big\ndescription: d\n---\n## Guardrails\nx\n");
    writeFileSync(join(s, "data.txt"), "x".repeat(1024 * 1024 + 1));
    const r = await runCli(["scan", s, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skills[0].skipped).toEqual([{ file: "data.txt", reason: expect.stringContaining("over the registry limit") }]);
  });

  it("lists the rules", async () => {
    const r = await runCli(["scan", "--list-rules", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).length).toBeGreaterThanOrEqual(45);
  });

  it("runs as the real binary", async () => {
    const r = await runBin(["scan", bad, "--format", "sarif"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).runs[0].results.length).toBeGreaterThan(0);
  });
});
