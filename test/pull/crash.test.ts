import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../registry/client/lock.js";
import { BIN, runBin } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/**
 * Real processes of the built binary. SKILLREG_TEST_PAUSE_BEFORE_RENAME=<ms> (read in
 * registry/client/install.ts) makes an install wait after writing its temporary folder and before
 * renaming it into place, while holding the lockfile's lock: the one moment where a crash
 * could leave half a skill, and where two pulls would lose an entry without the lock.
 * Polling the file system for that moment would be racy; the hook makes it certain.
 */

let s: ServedRegistry;

beforeAll(async () => {
  s = await serveRegistry();
});

function lockOf(cwd: string): LockFile {
  return JSON.parse(readFileSync(join(cwd, "skillreg.lock"), "utf8")) as LockFile;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const temporaries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(".skillreg-")) : []);

describe("concurrent and interrupted pulls", () => {
  it("two pulls at once into one project leave a valid lock holding both", async () => {
    const p = s.project();
    const env = { ...p.env, SKILLREG_TEST_PAUSE_BEFORE_RENAME: "300" };
    const [a, b] = await Promise.all([
      runBin(["pull", "@acme/deploy@1.2.0", "--registry", s.url], { cwd: p.cwd, env }),
      runBin(["pull", "@acme/lint@0.1.0", "--registry", s.url], { cwd: p.cwd, env }),
    ]);
    expect(a.stderr).not.toContain("error");
    expect(b.stderr).not.toContain("error");
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(Object.keys(lockOf(p.cwd).skills)).toEqual(["@acme/deploy", "@acme/lint"]);
    expect(readdirSync(join(p.cwd, ".agents/skills")).sort()).toEqual(["deploy", "lint"]);
    expect(existsSync(join(p.cwd, "skillreg.lock.lock"))).toBe(false);
    expect((await runBin(["verify"], p)).code).toBe(0);
  });

  it("a pull killed with SIGKILL mid-install leaves no partial skill folder; the next pull recovers", async () => {
    const p = s.project();
    expect((await runBin(["pull", "@acme/deploy@1.2.0", "--registry", s.url], p)).code).toBe(0);
    const lockBefore = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    const skills = join(p.cwd, ".agents/skills");

    const child = spawn(process.execPath, [BIN, "pull", "@acme/deploy@1.2.3", "@acme/lint@0.1.0", "--registry", s.url], {
      cwd: p.cwd,
      env: { ...process.env, ...p.env, NO_COLOR: "1", SKILLREG_TEST_PAUSE_BEFORE_RENAME: "10000" },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await waitFor(() => temporaries(skills).some((t) => existsSync(join(skills, t, "run.sh"))), "the temporary folder");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    // The old version is whole, the new one absent, the lock untouched.
    expect(readdirSync(skills).filter((n) => !n.startsWith("."))).toEqual(["deploy"]);
    expect(readFileSync(join(skills, "deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.0\n");
    expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toBe(lockBefore);
    expect((await runBin(["verify"], p)).code).toBe(0);
    expect(existsSync(join(p.cwd, "skillreg.lock.lock"))).toBe(true);

    // The next run takes over the dead process's lock and sweeps its temporary folder.
    const again = await runBin(["pull", "@acme/deploy@1.2.3", "@acme/lint@0.1.0", "--registry", s.url], p);
    expect(again.stderr).not.toContain("error");
    expect(again.code).toBe(0);
    expect(temporaries(skills)).toEqual([]);
    expect(readFileSync(join(skills, "deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    expect(Object.keys(lockOf(p.cwd).skills)).toEqual(["@acme/deploy", "@acme/lint"]);
  });
});
