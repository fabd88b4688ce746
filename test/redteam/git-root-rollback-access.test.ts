import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { messages, pinnedAndPulledFrom, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team: a hostile Git server serves main as it was before the admins removed a member,
 * with the (still valid) signer set of then. pull names the rollback from the project's
 * checkpoint; `access list`, `info` and `search`, which say they refuse what pull refuses, must
 * not show the removed member as "verified" nor the old main's versions.
 */

const MALLORY = "mallory@evil.example";
const acme = { scope: "acme", visibility: "public" as const, members: { "alice@acme.example": "owner" as const } };

let s: SignedRegistry;

async function signSignerSet(reg: RegistryFixture): Promise<void> {
  const r = await runCli(["registry", "trust", "sign", "--registry", reg.dir, ...s.admins.flatMap((k) => ["--sign-key", k.privatePath])], { cwd: reg.dir });
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  s = await signedRegistry();
  s.reg.writeScope({ ...acme, members: { ...acme.members, [MALLORY]: "maintainer" } });
  await signSignerSet(s.reg);
  await s.reg.commit("scope acme: mallory a maintainer, signed by the admins");
});

describe("red team: access list on a rolled-back main", () => {
  it("refuses (exit 2) a signer set older than the checkpoint's, as pull does, instead of showing a removed member as verified", async () => {
    const hostile = await RegistryFixture.cloneOf(s.reg, join(s.dir, "rollback-copy"));
    const url = s.server.gitUrl(`${relative(s.dir, hostile.dir)}/.git`);
    const p = await pinnedAndPulledFrom(s, url);

    // The admins remove mallory and sign that; the project reads it (its checkpoint records the newer signer set).
    await new Promise((r) => setTimeout(r, 5)); // signer set versions are signing times in milliseconds
    hostile.writeScope(acme);
    await signSignerSet(hostile);
    await hostile.commit("scope acme: mallory removed, signed by the admins");
    const current = await runCli(["access", "list", "@acme", "--registry", url], p);
    expect(current.stdout).not.toContain(MALLORY);
    expect(current.code).toBe(0);
    const pulled = await runCli(["pull", "@acme/deploy@2.0.0"], p);
    expect(pulled.code, pulled.stderr).toBe(0);

    // The server serves main as it was before the removal, with that signer set.
    await hostile.git(["reset", "-q", "--hard", "HEAD~1"]);
    const pull = await runCli(["pull", "@acme/deploy@2.0.0"], p);
    expect(messages(pull.stderr)).toEqual([expect.stringContaining(`${url}: rolled back: signed signer set (trust/signers.json) version`)]);
    expect(pull.code).toBe(2);

    const list = await runCli(["access", "list", "@acme", "--registry", url, "--json"], p);
    expect(messages(list.stderr)).toEqual([expect.stringContaining(`${url}: rolled back: signed signer set (trust/signers.json) version`)]);
    expect(list.stdout).toBe("");
    expect(list.code).toBe(2);

    // info and search read through the same pins and checkpoint as pull.
    for (const args of [["info", "@acme/deploy"], ["search", "deploy"]]) {
      const read = await runCli([...args, "--registry", url], p);
      expect(messages(read.stderr)).toEqual([expect.stringContaining(`${url}: rolled back: signed signer set (trust/signers.json) version`)]);
      expect(read.code).toBe(2);
    }
  });

  it("a folder registry (held to no commit): verify --registry names the rolled-back signer set as a violation", async () => {
    const folder = await RegistryFixture.cloneOf(s.reg, join(s.dir, "rollback-folder"));
    const p = await pinnedAndPulledFrom(s, folder.dir);
    await new Promise((r) => setTimeout(r, 5));
    folder.writeScope(acme);
    await signSignerSet(folder);
    await folder.commit("scope acme: mallory removed, signed by the admins");
    const pulled = await runCli(["pull", "@acme/deploy@2.0.0"], p);
    expect(pulled.code, pulled.stderr).toBe(0);

    await folder.git(["reset", "-q", "--hard", "HEAD~1"]);
    const list = await runCli(["access", "list", "@acme", "--registry", folder.dir], p);
    expect(messages(list.stderr)).toEqual([expect.stringContaining(": rolled back: signed signer set (trust/signers.json) version")]);
    expect(list.code).toBe(2);
    const verify = await runCli(["verify", "--registry", folder.dir], p);
    expect(verify.stdout).toMatch(/^violation: \S+: rolled back since the checkpoint \S+: signed signer set \(trust\/signers\.json\) version \d+ is older than version \d+ seen at the last checkpoint$/m);
    expect(verify.code).toBe(1);
  });
});

describe("red team: a tag named main", () => {
  it("does not stand in for the branch: pull and verify --registry read refs/heads/main, which holds a member the admins did not sign", async () => {
    const folder = await RegistryFixture.cloneOf(s.reg, join(s.dir, "main-tag"));
    const p = await pinnedAndPulledFrom(s, folder.dir);
    const signed = (await folder.git(["rev-parse", "HEAD"])).trim();
    folder.writeScope({ ...acme, members: { ...acme.members, [MALLORY]: "owner" } });
    await folder.commit("scope acme: mallory an owner, unsigned");
    // git's lookup of "main" prefers refs/tags/main over refs/heads/main.
    await folder.git(["tag", "main", signed]);
    const refused = `skillreg: error: ${folder.dir}: the members of @acme at main are not vouched for by the pinned root (trust/signers.json: it differs from what the admins signed); refusing its keys`;

    const pull = await runCli(["pull", "@acme/deploy@2.0.0"], p);
    expect(messages(pull.stderr)).toEqual([refused]);
    expect(pull.code).toBe(2);
    const verify = await runCli(["verify", "--registry", folder.dir], p);
    expect(messages(verify.stderr)).toEqual([refused]);
    expect(verify.code).toBe(2);
  });
});
