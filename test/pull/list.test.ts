import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { acmeDeployRegistry } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `skillreg list` and a lock someone edited (issue 11): the lock is a file in the project that
 * a pull request can change, so list shows its signer as the lock's word, only where the
 * installed files still match the lock, and never as a verified fact.
 */

const root = tempDir("skillreg-list-");
let registry = "";

beforeAll(async () => {
  registry = (await acmeDeployRegistry(root, ["1.0.0"])).reg.dir;
}, 120_000);

interface Lock {
  skills: Record<string, { signer: { principal: string; fingerprint: string }; files: Record<string, string> }>;
}

async function project(name: string): Promise<{ cwd: string; env: NodeJS.ProcessEnv; lockPath: string }> {
  const cwd = join(root, name);
  mkdirSync(cwd);
  const env = { HOME: join(root, `${name}-home`) };
  const pulled = await runCli(["pull", "@acme/deploy", "--registry", registry], { cwd, env });
  expect(pulled.code, pulled.stderr).toBe(0);
  return { cwd, env, lockPath: join(cwd, "skillreg.lock") };
}

function editLock(lockPath: string, edit: (lock: Lock) => void): void {
  const lock = JSON.parse(readFileSync(lockPath, "utf8")) as Lock;
  edit(lock);
  writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
}

describe("skillreg list", () => {
  it("shows the signer as skillreg.lock records it while the installed files match the lock", async () => {
    const { cwd, env } = await project("clean");
    const r = await runCli(["list"], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`@acme/deploy@1.0.0  (^1.0.0)  signed by alice@acme.example (per skillreg.lock)  from ${registry}\n  .agents/skills/deploy\n`);
    expect(r.stdout).toContain("'skillreg install --frozen' re-verifies each signature");
    const json = JSON.parse((await runCli(["list", "--json"], { cwd, env })).stdout) as { skills: { filesMatchLock: boolean; signer: { principal: string } }[] };
    expect(json.skills[0]).toMatchObject({ filesMatchLock: true, signer: { principal: "alice@acme.example" } });
  });

  it("says unverified, naming no signer, when an edited lock no longer describes the installed files", async () => {
    const { cwd, env, lockPath } = await project("swapped");
    // A pull request swaps the recorded content and claims a signer for it.
    editLock(lockPath, (lock) => {
      const entry = lock.skills["@acme/deploy"]!;
      entry.files["run.sh"] = "0".repeat(64);
      entry.signer.principal = "carol@acme.example";
    });
    const r = await runCli(["list"], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("@acme/deploy@1.0.0  (^1.0.0)  signer unverified (the installed files differ from skillreg.lock)  from ");
    expect(r.stdout).not.toContain("carol");
    const json = JSON.parse((await runCli(["list", "--json"], { cwd, env })).stdout) as { skills: { filesMatchLock: boolean }[] };
    expect(json.skills[0]!.filesMatchLock).toBe(false);
  });

  it("marks an edited signer as the lock's word, and install --frozen refuses it against the registry", async () => {
    const { cwd, env, lockPath } = await project("renamed");
    editLock(lockPath, (lock) => {
      lock.skills["@acme/deploy"]!.signer.principal = "carol@acme.example";
    });
    const r = await runCli(["list"], { cwd, env });
    expect(r.stdout).toContain("signed by carol@acme.example (per skillreg.lock)");
    const frozen = await runCli(["install", "--frozen"], { cwd, env });
    expect(frozen.code).not.toBe(0);
    expect(frozen.stderr).toMatch(/skillreg\.lock says it was signed by carol@acme\.example \(SHA256:[^)]+\), the registry's index says alice@acme\.example/);
  });
});

describe("a project with nothing installed", () => {
  it("list and verify say so, and what installs a skill, without writing a lock", async () => {
    const cwd = join(root, "empty");
    mkdirSync(cwd);
    const env = { HOME: join(root, "empty-home") };
    for (const command of ["list", "verify"]) {
      const r = await runCli([command], { cwd, env });
      expect(r, command).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout, command).toMatch(/^no skills installed here.*\(skillreg pull <@scope\/name> installs one\)\n$/);
    }
    expect(JSON.parse((await runCli(["verify", "--json"], { cwd, env })).stdout)).toEqual({ ok: true, skills: 0, differences: [] });
    expect(readdirSync(cwd)).toEqual([]);
  });
});
