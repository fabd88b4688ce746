import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../registry/client/lock.js";
import { buildIndexModel } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { makeDemo, type DemoRegistry } from "../publish/registry-helpers.js";

/**
 * Issue #11, "removing a member drops their past releases": bob published
 * @acme-corp/changelog-writer@2.1.0 in the demo (2.0.0 is yanked, 2.0.1 deprecated). An owner
 * removes bob from @acme-corp through the normal access flow. His release was valid when it
 * was made, so it stays in the index, locked installs keep working and `latest` stays 2.1.0.
 */

let demo: DemoRegistry;
let reg: string;
let dir: string;
let projects = 0;
const SKILL = "@acme-corp/changelog-writer";

function project(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = join(dir, `project-${++projects}`);
  const home = join(dir, `home-${projects}`);
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", SKILLREG_TOKEN: "", GITHUB_TOKEN: "" } };
}

const lockedVersion = (cwd: string) => (JSON.parse(readFileSync(join(cwd, "skillreg.lock"), "utf8")) as LockFile).skills[SKILL]!.version;

let locked: { cwd: string; env: NodeJS.ProcessEnv };

beforeAll(async () => {
  dir = tempDir();
  demo = await makeDemo(join(dir, "demo"), { withoutSignerSet: true });
  reg = demo.registry;
  locked = project();
  const pulled = await runCli(["pull", SKILL, "--registry", reg], locked);
  expect(pulled.code, pulled.stderr).toBe(0);
  expect(lockedVersion(locked.cwd)).toBe("2.1.0");

  const asked = await runCli(["access", "revoke", "@acme-corp", "bob", "--key", demo.keys.alice, "--registry", reg]);
  expect(asked.code, asked.stderr).toBe(0);
  // A member change regenerates CODEOWNERS: a co-owner alone may not approve it, as on GitHub.
  const byOwner = await runCli(["registry", "merge", "access/acme-corp/revoke-bob", "--key", demo.keys.carol, "--registry", reg]);
  expect(byOwner.code).toBe(1);
  expect(byOwner.stderr).toContain("the change regenerates .github/CODEOWNERS (a member change), which only a registry admin may approve, as CODEOWNERS says on GitHub; carol is not one");
  const merged = await runCli(["registry", "merge", "access/acme-corp/revoke-bob", "--key", demo.keys.admin, "--registry", reg]);
  expect(merged.code, merged.stderr).toBe(0);
  expect(readFileSync(join(reg, "scopes/acme-corp.yaml"), "utf8")).not.toMatch(/^\s+bob:/m);
});

describe("after bob leaves @acme-corp", () => {
  it("his past release stays in the index, judged by the members of its time", async () => {
    const problems: string[] = [];
    const model = buildIndexModel(await readRegistryFacts(reg), { audience: "internal", onProblem: (p) => problems.push(p) });
    expect(problems).toEqual([]);
    const skill = model.skills.find((s) => s.entry.scope === "acme-corp" && s.entry.name === "changelog-writer")!;
    expect(skill.versions.map((v) => v.entry.version)).toEqual(["2.0.0", "2.0.1", "2.1.0"]);
    expect(skill.latest.entry.version).toBe("2.1.0");
    expect(skill.latest.entry.signer.principal).toBe("bob");
  });

  it("a locked install keeps working", async () => {
    const r = await runCli(["install", "--frozen"], locked);
    expect(r.code, r.stderr).toBe(0);
    expect(lockedVersion(locked.cwd)).toBe("2.1.0");
  });

  it("latest does not fall back to the deprecated 2.0.1", async () => {
    const p = project();
    const r = await runCli(["pull", `${SKILL}@latest`, "--registry", reg], p);
    expect(r.code, r.stderr).toBe(0);
    expect(lockedVersion(p.cwd)).toBe("2.1.0");
  });
});
