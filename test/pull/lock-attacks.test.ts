import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../registry/client/lock.js";
import { runCli } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/**
 * Issue #11: skillreg.lock is a file anyone can edit in a pull request. `install --frozen` in
 * CI must not install from a registry the lock brings along, nor let a lock path point install
 * at another folder of the project.
 */

let s: ServedRegistry;
beforeAll(async () => {
  s = await serveRegistry();
});

const lockPath = (cwd: string) => join(cwd, "skillreg.lock");
const readLock = (cwd: string) => JSON.parse(readFileSync(lockPath(cwd), "utf8")) as LockFile;
const writeLock = (cwd: string, lock: LockFile) => writeFileSync(lockPath(cwd), JSON.stringify(lock, null, 2) + "\n");

describe("install from a hostile lock", () => {
  it("refuses a registry vendored inside the project that no config names", async () => {
    const p = s.project();
    // The pull request adds vendor/registry (a copy of a registry it controls) and a lock entry.
    cpSync(s.reg.dir, join(p.cwd, "vendor", "registry"), { recursive: true });
    const pulled = await runCli(["pull", "@acme/lint", "--registry", "vendor/registry"], p);
    expect(pulled.code, pulled.stderr).toBe(0);
    rmSync(join(p.cwd, ".agents"), { recursive: true, force: true });

    const r = await runCli(["install", "--frozen"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skillreg\.lock: @acme\/lint comes from \S+vendor\/registry, a registry inside this project that no config names; a lock cannot bring its own registry/);
    expect(existsSync(join(p.cwd, ".agents", "skills", "lint"))).toBe(false);

    // Named in the project's config, it is trusted like any configured registry.
    writeFileSync(join(p.cwd, ".skillreg.yaml"), "registry: vendor/registry\n");
    const configured = await runCli(["install", "--frozen"], p);
    expect(configured.code, configured.stderr).toBe(0);
    expect(existsSync(join(p.cwd, ".agents", "skills", "lint", "lint.sh"))).toBe(true);
  });

  it("refuses a lock path outside an agent's skills folder, and leaves that folder alone", async () => {
    const p = s.project();
    const pulled = await runCli(["pull", "@acme/lint", "--registry", s.url], p);
    expect(pulled.code, pulled.stderr).toBe(0);
    const lock = readLock(p.cwd);
    lock.skills["@acme/lint"]!.paths = ["src/lint"];
    writeLock(p.cwd, lock);
    mkdirSync(join(p.cwd, "src", "lint"), { recursive: true });
    writeFileSync(join(p.cwd, "src", "lint", "main.ts"), "// the project's own code\n");

    const r = await runCli(["install"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skillreg\.lock: @acme\/lint: install path "src\/lint" is not in an agent's skills folder/);
    expect(readFileSync(join(p.cwd, "src", "lint", "main.ts"), "utf8")).toBe("// the project's own code\n");
  });
});
