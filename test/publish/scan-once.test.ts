import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scannerFingerprint, scannerRunCount } from "../../registry/core/index.js";
import { runCli } from "../helpers/cli.js";
import { acmeGateRegistry } from "../helpers/registry-fixture.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A version is scanned once: push, the gate, the review diff, the merge, the site build and
 * `skillreg scan` all ask the scan cache, and the count is the scanner's own run counter
 * (every scan skillreg makes goes through core/scan-cache), not a stand-in for the scanner.
 * Then the CI path: the gate job fills its cache folder, the folder travels (what
 * actions/cache does between the check and release workflows) and the site build scans nothing.
 */

const root = tempDir("skillreg-scan-once-");
let registry = "";
let aliceKey = "";
let bobKey = "";
let skillDir = "";
const BRANCH = "publish/acme/deploy/1.0.0";

function machine(name: string): NodeJS.ProcessEnv {
  const home = join(root, `${name}-home`);
  mkdirSync(home, { recursive: true });
  return { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", SKILLREG_CACHE_DIR: join(root, `${name}-cache`), SKILLREG_GATE_KEY: "" };
}

beforeAll(async () => {
  const { dir, alice, bob } = await acmeGateRegistry(root);
  aliceKey = alice.privatePath;
  bobKey = bob.privatePath;
  registry = dir;
  skillDir = join(root, "work", "deploy");
  mkdirSync(join(skillDir, "scripts"), { recursive: true });
  writeFileSync(join(skillDir, "SKILL.md"), skillMd("deploy", "1.0.0"));
  // A medium finding, so the scan has something to carry.
  writeFileSync(join(skillDir, "scripts", "run.sh"), "#!/bin/sh\ngit push --force origin scratch\n", { mode: 0o755 });
}, 120_000);

describe("a version is scanned once", () => {
  it("across push, registry check, registry diff, registry merge, skillreg build and skillreg scan on one machine", async () => {
    const env = machine("laptop");
    const runs = scannerRunCount();
    const pushed = await runCli(["push", skillDir, "--scope", "@acme", "--key", aliceKey, "--registry", registry, "--json"], { env });
    expect(pushed.stderr).not.toContain("error");
    expect(pushed.code).toBe(0);
    expect(scannerRunCount() - runs).toBe(1);
    const { treeId, decision } = JSON.parse(pushed.stdout) as { treeId: string; decision: string };
    expect(decision).toBe("flagged");
    // The entry is filed under the tree id the signed tag names.
    expect(existsSync(join(env.SKILLREG_CACHE_DIR!, "scan", scannerFingerprint(), treeId.slice(0, 2)))).toBe(true);
    expect(readdirSync(join(env.SKILLREG_CACHE_DIR!, "scan", scannerFingerprint(), treeId.slice(0, 2)))[0]).toMatch(new RegExp(`^${treeId}\\.`));

    const checked = await runCli(["registry", "check", "--base", "main", "--head", BRANCH, "--registry", registry], { env });
    expect(checked.code, checked.stderr).toBe(0);
    const diff = await runCli(["registry", "diff", BRANCH, "--registry", registry], { env });
    expect(diff.code, diff.stderr).toBe(0);
    expect(scannerRunCount() - runs).toBe(1);

    // Meanwhile the check workflow's gate job runs on another machine with a cache folder of its own.
    const gateRuns = scannerRunCount();
    const ciChecked = await runCli(["registry", "check", "--base", "main", "--head", BRANCH, "--registry", registry], { env: machine("ci-gate") });
    expect(ciChecked.code, ciChecked.stderr).toBe(0);
    expect(scannerRunCount() - gateRuns).toBe(1);
    const merged = await runCli(["registry", "merge", BRANCH, "--key", bobKey, "--registry", registry], { env });
    expect(merged.stderr).not.toContain("error");
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/Scan of @acme\/deploy@1\.0\.0: flagged/);
    expect(scannerRunCount() - runs).toBe(2); // push, and the CI gate's own

    const built = await runCli(["build", "--registry", registry, "--out", join(root, "site-laptop"), "--json"], { env });
    expect(built.code, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({ versions: 1, cachedScans: 1, scannedVersions: 0 });
    const scanned = await runCli(["scan", skillDir, "--json"], { env });
    expect(JSON.parse(scanned.stdout)).toMatchObject({ skills: [{ decision: "flagged" }] });
    // The text report speaks the words pull, search, info and the catalog use (DECISION_WORDS).
    const text = await runCli(["scan", skillDir], { env });
    expect(text.stdout).toMatch(/^deploy .*  FLAGGED$/m);
    expect(text.stdout).toContain("1 skill: 0 blocked, 0 needs review, 1 flagged, 0 passed;");
    expect(scannerRunCount() - runs).toBe(2);
  }, 600_000);

  it("the gate job's cache folder, restored in the site job, leaves the site build nothing to scan", async () => {
    // actions/cache saves the gate job's scan folder and the site job restores it into its own.
    const gateJob = machine("ci-gate");
    const siteJob = machine("ci-site");
    cpSync(join(gateJob.SKILLREG_CACHE_DIR!, "scan"), join(siteJob.SKILLREG_CACHE_DIR!, "scan"), { recursive: true });
    const runs = scannerRunCount();
    const built = await runCli(["build", "--registry", registry, "--out", join(root, "site-ci"), "--json"], { env: siteJob });
    expect(built.code, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({ versions: 1, cachedScans: 1, scannedVersions: 0 });
    expect(scannerRunCount() - runs).toBe(0);

    // Without the gate's folder the same build scans the version itself.
    const cold = await runCli(["build", "--registry", registry, "--out", join(root, "site-cold"), "--json"], { env: machine("ci-cold") });
    expect(JSON.parse(cold.stdout)).toMatchObject({ cachedScans: 0, scannedVersions: 1 });
    expect(scannerRunCount() - runs).toBe(1);
  }, 600_000);
});
