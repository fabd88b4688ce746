import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { discloseSealed, loadSealIdentity, plaintextBinding, sealedTreeFiles, sealVersion, type PlainFile, type SealRecipient } from "../../registry/seal/index.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { buildTagPayload, signTag, tagName, taggerFor } from "../../registry/trust/tags.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { makeChange, proposeSealing } from "../helpers/registry-change.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * Outside review of sealed versions: the gate judges who a new version is sealed to against
 * the scope's members when it merges, not when the version was pushed. Found by the red team:
 * a version pushed while a reader was a member and merged after the reader was removed was
 * readable by them; a maintainer could seal to a non-member's key; and a plaintext version of
 * a private skill passed the gate of a registry that seals.
 */

type Who = "admin" | "admin2" | "alice" | "bob" | "rita" | "nina";

describe("the gate holds a sealed version to the scope's members at merge time", () => {
  let root: string;
  let reg: string;
  let gateKey: TestKey;
  const keys = {} as Record<Who, TestKey>;
  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = reg) => runCli(argv, { cwd, env });
  const withGate = () => ({ SKILLREG_GATE_KEY: gateKey.privatePath });
  const as = (who: Who): SealRecipient => ({ principal: who, key: keys[who].publicKey });
  const gate = (): SealRecipient => ({ principal: "registry-gate", key: gateKey.publicKey });
  const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("skillreg: ") || l.startsWith("blocked: ["));

  async function mustRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    const r = await cli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  /** bob's publish change made by hand (a modified client): `sealed` files, or plaintext when absent. */
  async function craft(version: string, files: PlainFile[], recipients?: SealRecipient[], disclosedBy?: Who): Promise<string> {
    const id = { scope: "acme", name: "deploy", version };
    const made = recipients ? await sealVersion(id, files, recipients) : undefined;
    const sealed =
      made && disclosedBy
        ? { ...made, envelopeText: (await discloseSealed({ manifestText: made.manifestText, payload: made.payload, envelopeText: made.envelopeText }, await loadSealIdentity(keys[disclosedBy].privatePath))).envelopeText }
        : made;
    const bob = await loadSigner(keys.bob.privatePath);
    const branch = `publish/acme/deploy/${version}`;
    await makeChange(reg, {
      branch,
      signer: bob,
      edit: async (work) => {
        const folder = "skills/acme/deploy";
        await work.remove(folder);
        for (const f of sealed ? sealedTreeFiles(sealed) : files) await work.write(`${folder}/${f.path}`, Buffer.from(f.bytes));
        if (sealed) await work.write(`sealed/acme/deploy/${version}.json`, sealed.envelopeText);
        const message = `Publish @acme/deploy@${version}\n${sealed ? `\n${plaintextBinding(sealed.manifest)}\n` : ""}`;
        const payload = buildTagPayload({ object: await work.treeOf(folder), type: "tree", tag: tagName("acme", "deploy", version), tagger: taggerFor("bob", new Date()), message });
        await work.write(`publish/acme/deploy/${version}.tag`, await signTag(payload, bob));
      },
    });
    return branch;
  }

  const skillFiles = (version: string): PlainFile[] => [{ path: "SKILL.md", executable: false, bytes: Buffer.from(skillMd("deploy", version, "The private runbook.")) }];

  beforeAll(async () => {
    root = tempDir();
    mkdirSync(join(root, "keys"));
    for (const who of ["admin", "admin2", "alice", "bob", "rita", "nina"] as const) keys[who] = makeSshKey(join(root, "keys"), who);
    gateKey = makeSshKey(join(root, "keys"), "gate");
    reg = join(root, "registry");
    await mustRun(["init", reg, "--name", "acme", "--admin", "admin", "--admin", "admin2"]);
    for (const who of ["admin", "admin2", "alice", "bob", "rita", "nina"] as const) await mustRun(["keys", "add", who, keys[who].publicPath, "--registry", reg]);
    await mustRun(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
    for (const [who, role] of [["bob", "maintainer"], ["rita", "reader"]] as const) {
      await mustRun(["access", "grant", "@acme", who, "--role", role, "--key", keys.alice.privatePath]);
      await mustRun(["registry", "merge", `access/acme/grant-${who}-${role}`, "--key", keys.admin.privatePath]);
    }
    await proposeSealing(reg, await loadSigner(keys.admin.privatePath), gateKey.publicKey);
    await mustRun(["registry", "merge", "admin/sealing", "--key", keys.admin2.privatePath]);
  });

  it("a version pushed before a reader was removed and merged after it is refused; pushed again, the removed reader cannot open it", async () => {
    const skill = join(root, "deploy");
    mkdirSync(skill, { recursive: true });
    writeFileSync(join(skill, "SKILL.md"), skillMd("deploy", "1.0.0", "The private runbook."));
    await mustRun(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["access", "revoke", "@acme", "rita", "--key", keys.alice.privatePath]);
    await mustRun(["registry", "merge", "access/acme/revoke-rita", "--key", keys.admin.privatePath]);

    const stale = await cli(["registry", "merge", "publish/acme/deploy/1.0.0", "--key", keys.alice.privatePath], withGate());
    expect(stale.code).toBe(1);
    expect(errorLines(stale.stderr)).toContainEqual(
      expect.stringMatching(/^blocked: \[sealed\] @acme\/deploy@1\.0\.0 is sealed to 1 key that may not read @acme now \(envelope: rita\); drop this change and push the version again to seal it to the scope's current members$/),
    );

    // bob pushes again from today's main (the stale branch dropped first): sealed to today's members only.
    execFileSync("git", ["-C", reg, "branch", "-q", "-D", "publish/acme/deploy/1.0.0"]);
    await mustRun(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["registry", "merge", "publish/acme/deploy/1.0.0", "--key", keys.alice.privatePath], withGate());
    const dir = join(root, "rita");
    mkdirSync(dir);
    const pull = await cli(["pull", "@acme/deploy@1.0.0", "--registry", reg, "--agent", "claude", "--identity", keys.rita.privatePath], {}, dir);
    expect(pull.code).toBe(2);
    expect(errorLines(pull.stderr)).toEqual([expect.stringMatching(/^skillreg: error: @acme\/deploy@1\.0\.0 is sealed and the key SHA256:\S+ \(.*rita\) is not one of its 3 recipients/)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a version sealed to a non-member's key as well is refused", async () => {
    const branch = await craft("1.1.0", skillFiles("1.1.0"), [as("alice"), as("bob"), gate(), as("nina")]);
    const r = await cli(["registry", "check", "--base", "main", "--head", branch, "--registry", reg], withGate());
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/^blocked: \[sealed\] @acme\/deploy@1\.1\.0 is sealed to 1 key that may not read @acme now \(envelope: nina\)/)]);
  });

  it("the same version sealed to the members and the gate passes", async () => {
    const branch = await craft("1.1.1", skillFiles("1.1.1"), [as("alice"), as("bob"), gate()]);
    const r = await cli(["registry", "check", "--base", "main", "--head", branch, "--registry", reg], withGate());
    expect(r.stderr).not.toContain("blocked:");
    expect(r.code).toBe(0);
  });

  it("a new version whose envelope discloses its file key is refused: anyone could open a private skill's version", async () => {
    const branch = await craft("1.1.2", skillFiles("1.1.2"), [as("alice"), as("bob"), gate()], "bob");
    const r = await cli(["registry", "check", "--base", "main", "--head", branch, "--registry", reg], withGate());
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toContainEqual(
      "blocked: [sealed] @acme/deploy@1.1.2 is published with its file key disclosed in its envelope; a new version of a public skill is pushed in plaintext, and a private one's file key stays sealed",
    );
  });

  it("a plaintext version of a private skill in a registry that seals is refused", async () => {
    const branch = await craft("1.2.0", skillFiles("1.2.0"));
    const r = await cli(["registry", "check", "--base", "main", "--head", branch, "--registry", reg], withGate());
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      "blocked: [sealed] @acme/deploy@1.2.0 is a private skill and this registry seals private skills, but the version is plaintext; push it with a skillreg that seals",
    ]);
  });
});
