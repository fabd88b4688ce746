import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import type { TestKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { messages, pinnedAndPulledFrom, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team: a hostile Git server hides a yank (or a deprecation) from a project that pinned the
 * registry's root and reads it by its Git URL, served by the real `git http-backend`. The
 * admins signed the yank into trust/signers.json; the server rewrites main's history so the
 * scope file no longer holds it, keeping the signer set it cannot forge. The project never saw
 * the yank (its checkpoint predates it), so only the signed metadata can tell.
 */

type Project = { cwd: string; env: NodeJS.ProcessEnv };

const acme = { scope: "acme", visibility: "public" as const, members: { "alice@acme.example": "owner" as const } };
const YANK_REASON = "leaks the deploy token";

let s: SignedRegistry;
let copies = 0;
const copy = () => RegistryFixture.cloneOf(s.reg, join(s.dir, `yank-copy-${++copies}`));
const served = (reg: RegistryFixture) => s.server.gitUrl(`${relative(s.dir, reg.dir)}/.git`);

async function signSignerSet(reg: RegistryFixture, keys: readonly TestKey[]): Promise<void> {
  const r = await runCli(["registry", "trust", "sign", "--registry", reg.dir, ...keys.flatMap((k) => ["--sign-key", k.privatePath])], { cwd: reg.dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

/** The owner flags a version and the admins sign it in the same commit, as the gate requires. */
async function flagSigned(reg: RegistryFixture, flags: Record<string, Record<string, string>>): Promise<void> {
  reg.writeScope({ ...acme, skills: { deploy: flags } });
  await signSignerSet(reg, s.admins);
  await reg.commit("scope acme: flag @acme/deploy, signed by the admins");
}

/** The server rewrites the last commit: same signer set, the scope file as it was before. */
async function dropFlagsFromHistory(reg: RegistryFixture): Promise<void> {
  await reg.git(["checkout", "HEAD~1", "--", "scopes/acme.yaml"]);
  await reg.git(["commit", "-q", "--amend", "--no-edit", "-a"]);
}

function projectFiles(p: Project): Map<string, string> {
  return new Map(readdirSync(p.cwd).filter((f) => f !== ".agents").map((f) => [f, readFileSync(join(p.cwd, f), "utf8")]));
}

beforeAll(async () => {
  s = await signedRegistry();
  await signSignerSet(s.reg, s.admins);
  await s.reg.commit("trust: the admins sign the signer set");
});

describe("red team: a hostile Git server hides a signed yank", () => {
  it("a project that pulled before the yank: pull names the dropped yank, exits 2 and writes nothing", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulledFrom(s, url);
    await flagSigned(hostile, { yanked: { "1.2.0": YANK_REASON } });
    await dropFlagsFromHistory(hostile);

    const before = projectFiles(p);
    const pull = await runCli(["pull", "@acme/deploy@1.2.0"], p);
    expect(messages(pull.stderr)).toEqual([
      `skillreg: error: ${url}: dropped yank: @acme/deploy@1.2.0 is yanked in what the admins signed ("${YANK_REASON}") but not at main (trust/signers.json); refusing it`,
    ]);
    expect(pull.code).toBe(2);
    expect(projectFiles(p)).toEqual(before);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 2.0.0\n");

    const verify = await runCli(["verify", "--registry", url], p);
    expect(messages(verify.stderr)).toEqual([expect.stringContaining("dropped yank: @acme/deploy@1.2.0 is yanked in what the admins signed")]);
    expect(verify.code).toBe(2);
  });

  it("a fresh project that pins the root: pull names a dropped deprecation and exits 2", async () => {
    const hostile = await copy();
    const url = served(hostile);
    await flagSigned(hostile, { deprecated: { "1.0.0": "use 2.x" } });
    await dropFlagsFromHistory(hostile);
    const p = s.project();
    const add = await runCli(["registry", "add", url, "--trust", s.rootFingerprint], p);
    expect(messages(add.stderr)).toEqual([expect.stringContaining(`dropped deprecation: @acme/deploy@1.0.0 is deprecated in what the admins signed ("use 2.x") but not at main`)]);
    expect(add.code).toBe(2);
    expect(readdirSync(p.cwd)).toEqual([]);
  });

  it("the signed yank, left in place, is honoured: pull refuses the yanked version as from a site", async () => {
    const honest = await copy();
    const url = served(honest);
    const p = await pinnedAndPulledFrom(s, url);
    await flagSigned(honest, { yanked: { "1.2.0": YANK_REASON } });
    const pull = await runCli(["pull", "@acme/deploy@1.2.0"], p);
    expect(messages(pull.stderr)).toEqual([`skillreg: error: @acme/deploy@1.2.0 is yanked: ${YANK_REASON}`]);
    expect(pull.code).toBe(2);
  });

  it("a yank the admins did not sign is refused too: the signer set must vouch for every flag", async () => {
    const stale = await copy();
    const url = served(stale);
    const p = await pinnedAndPulledFrom(s, url);
    await stale.updateScope({ ...acme, skills: { deploy: { yanked: { "1.0.0": "unsigned" } } } });
    const pull = await runCli(["pull", "@acme/deploy@1.0.0"], p);
    expect(messages(pull.stderr)).toEqual([
      `skillreg: error: ${url}: @acme/deploy@1.0.0 is yanked at main ("unsigned"), but the admins did not sign that yank (trust/signers.json); refusing it`,
    ]);
    expect(pull.code).toBe(2);
  });
});

describe("access list holds what it shows to the signer set, as pull does", () => {
  it("says which root vouched for the members and flags, and refuses a member the admins did not sign", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulledFrom(s, url);
    const list = await runCli(["access", "list", "@acme/deploy", "--registry", url], p);
    expect(messages(list.stderr)).toEqual([]);
    expect(list.stdout).toContain(`verified: signed by the admins of root version 1 (${s.rootFingerprint}) in trust/signers.json`);
    expect(list.code).toBe(0);

    hostile.writeScope({ ...acme, members: { ...acme.members, "mallory@evil.example": "owner" } });
    await hostile.commit("scope acme: mallory, unsigned");
    const refused = await runCli(["access", "list", "@acme", "--registry", url, "--json"], p);
    expect(messages(refused.stderr)).toEqual([
      `skillreg: error: ${url}: the members of @acme at main are not vouched for by the pinned root (trust/signers.json: it differs from what the admins signed); refusing its keys`,
    ]);
    expect(refused.stdout).toBe("");
    expect(refused.code).toBe(2);
  });

  it("warns that nothing vouches for the members of a registry without a signer set and a pin", async () => {
    const unsigned = await copy();
    await unsigned.git(["rm", "-q", "trust/signers.json"]);
    await unsigned.commit("no signer set");
    const list = await runCli(["access", "list", "@acme", "--registry", unsigned.dir], s.project());
    expect(messages(list.stderr)).toEqual([
      expect.stringMatching(/^warning: unverified: \S+ has no signer set \(trust\/signers\.json\) and this project pins no root for it; these members, visibility and flags are what its [0-9a-f]{12} says, and whoever can push to it chooses them$/),
    ]);
    expect(list.stdout).toContain("alice@acme.example  owner");
    expect(list.code).toBe(0);
  });
});
