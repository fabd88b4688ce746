import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { messages, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Outside review of the pinned trust root and the checkpoint, found by the red team: another
 * spelling of a pinned site's URL met the site as a first contact (and read it unsigned), and a
 * hostile admin who renamed the registry while rewriting its history made `verify --registry`
 * forget the project's checkpoint and say "history intact"; an edited lock moved a pinned
 * scope's skill to another site, whose root it carried, and `install --frozen` installed it.
 */

let s: SignedRegistry;
const acme = { scope: "acme", visibility: "public" as const, members: { "alice@acme.example": "owner" as const } };

beforeAll(async () => {
  s = await signedRegistry();
});

describe("a pinned site spelled another way is still held to its pin", () => {
  it("HTTP:// and a host with a trailing dot: a site that stopped signing is refused, nothing written", async () => {
    const signed = await s.publishSite();
    const p = s.project();
    expect((await runCli(["registry", "add", s.url, "--trust", s.rootFingerprint], p)).code).toBe(0);
    const before = readdirSync(p.cwd).sort();
    s.serveFiles(new Map([...signed].filter(([path]) => !path.startsWith("index/v1/tuf/"))));
    for (const spelling of [s.url.replace("http://", "HTTP://"), s.url.replace("127.0.0.1", "127.0.0.1.")]) {
      const r = await runCli(["pull", "@acme/deploy", "--registry", spelling], p);
      expect(r.code, spelling).toBe(2);
      expect(messages(r.stderr), spelling).toEqual([expect.stringMatching(/^skillreg: error: http:\/\/127\.0\.0\.1:\d+: (signed index metadata refused|.*serves no index\/v1\/tuf\/1\.root\.json)/)]);
      expect(readdirSync(p.cwd).sort()).toEqual(before);
    }
    s.serveFiles(signed);
  });
});

describe("verify --registry finds the checkpoint's registry when a rewrite renames it", () => {
  it("an undone yank is named even though skillreg.yaml now gives the registry another name", async () => {
    await s.reg.updateScope({ ...acme, skills: { deploy: { yanked: { "1.0.0": "deletes the wrong folder" } } } });
    await s.publishSite();
    const p = s.project();
    expect((await runCli(["registry", "add", s.url, "--trust", s.rootFingerprint, "--scope", "@acme"], p)).code).toBe(0);
    expect((await runCli(["pull", "@acme/deploy@^2"], p)).code).toBe(0);

    // The hostile admin drops the yank and renames the registry in the same breath.
    await s.reg.updateScope(acme);
    const config = readFileSync(join(s.reg.dir, "skillreg.yaml"), "utf8");
    writeFileSync(join(s.reg.dir, "skillreg.yaml"), config.replace(/^name: .*$/m, "name: acme-skills"));
    await s.reg.commit("registry: new name");

    const verify = await runCli(["verify", "--registry", s.reg.dir], p);
    expect(verify.stdout).toMatch(/violation: @acme\/deploy@1\.0\.0: dropped yank since the checkpoint/);
    expect(verify.code).toBe(1);
  });
});

describe("install --frozen holds the lock to the registry the project pinned for the scope", () => {
  it("a lock entry moved to another site (with that site's root) is refused, nothing installed", async () => {
    const evil = await signedRegistry();
    await s.publishSite();
    const p = s.project();
    expect((await runCli(["registry", "add", s.url, "--trust", s.rootFingerprint, "--scope", "@acme"], p)).code).toBe(0);
    expect((await runCli(["pull", "@acme/deploy@2.0.0"], p)).code).toBe(0);
    // The attacker's site has its own @acme/deploy@2.0.0, signed by a key of its own; a pull there writes the entry to copy.
    const e = evil.project();
    expect((await runCli(["pull", "@acme/deploy@2.0.0", "--registry", evil.url], e)).code).toBe(0);
    const lockPath = join(p.cwd, "skillreg.lock");
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { skills: Record<string, unknown> };
    lock.skills["@acme/deploy"] = (JSON.parse(readFileSync(join(e.cwd, "skillreg.lock"), "utf8")) as typeof lock).skills["@acme/deploy"];
    writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
    rmSync(join(p.cwd, ".agents"), { recursive: true });

    const r = await runCli(["install", "--frozen"], p);
    expect(r.code).toBe(2);
    expect(messages(r.stderr)).toEqual([
      `skillreg: error: ${lockPath}: @acme/deploy comes from ${evil.url}, but .skillreg.yaml sends @acme to ${s.url} and pins its root, and pins nothing for ${evil.url}; pull @acme/deploy again, or pin that registry with 'skillreg registry add ${evil.url}'`,
    ]);
    expect(existsSync(join(p.cwd, ".agents"))).toBe(false);
  });
});
