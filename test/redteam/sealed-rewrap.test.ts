import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git, runGit } from "../../registry/git/cli.js";
import { loadSealIdentity, rewrapSealed, type SealRecipient } from "../../registry/seal/index.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { acmeSealingRegistry, type AcmeMember, type SealingRegistry } from "../helpers/sealing-registry.js";
import { runCli } from "../helpers/cli.js";
import type { TestKey } from "../helpers/keys.js";
import { makeChange } from "../helpers/registry-change.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A change that only re-wraps the envelope of a published sealed version (what a grant or a
 * key rotation does) was checked for still opening with the gate key, but not for whom it
 * opens: an owner's branch re-wrapping @acme/vault@1.0.0 for nina, who holds a registry key
 * but is no member of @acme, passed `registry check` with a note, and nina then read the
 * version with the plain age CLI while @acme/vault stayed private. The gate now judges a
 * re-wrap's recipients against the scope's readers after the change.
 */

describe("the gate holds a re-wrapped envelope to the scope's readers", () => {
  let reg: string;
  let keys: SealingRegistry<AcmeMember | "nina">["keys"];
  let gateKey: TestKey;
  const gate = { SKILLREG_GATE_KEY: "" };
  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { cwd: reg, env });
  const as = (who: AcmeMember | "nina"): SealRecipient => ({ principal: who, key: keys[who].publicKey });

  beforeAll(async () => {
    const root = tempDir();
    ({ reg, keys, gateKey } = await acmeSealingRegistry(root, ["nina"] as const));
    gate.SKILLREG_GATE_KEY = gateKey.privatePath;
    const dir = join(root, "vault-1.0.0", "vault");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), skillMd("vault", "1.0.0", "Follow the osprey-quartz-77c1 procedure.", { description: "The vault procedure" }));
    for (const [argv, env] of [
      [["push", dir, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath], {}],
      [["registry", "merge", "publish/acme/vault/1.0.0", "--key", keys.alice.privatePath], gate],
    ] as const) {
      const r = await cli([...argv], env);
      if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    }
  }, 600_000);

  it("a re-wrap that adds a non-member's key is blocked; the same re-wrap to the members passes", async () => {
    const input = {
      manifestText: await git(["show", "@acme/vault@1.0.0^{tree}:sealed.json"], { cwd: reg }),
      payload: (await runGit(["cat-file", "blob", "@acme/vault@1.0.0^{tree}:payload.age-body"], { cwd: reg, raw: true })).bytes,
      envelopeText: await git(["show", "main:sealed/acme/vault/1.0.0.json"], { cwd: reg }),
    };
    const members = [as("alice"), as("bob"), as("rita"), { principal: "registry-gate", key: gateKey.publicKey }];
    const alice = await loadSigner(keys.alice.privatePath);
    const identity = await loadSealIdentity(keys.alice.privatePath);

    const leaked = await rewrapSealed(input, identity, [...members, as("nina")]);
    await makeChange(reg, { branch: "rewrap/nina", signer: alice, edit: (w) => w.write("sealed/acme/vault/1.0.0.json", leaked.envelopeText) });
    // The stanza nina's key opens, so the age CLI alone reads the version if this merges.
    const ageFile = Buffer.concat([Buffer.from(leaked.envelope.header), input.payload]);
    const container = JSON.parse(execFileSync("age", ["-d", "-i", keys.nina.privatePath], { input: ageFile }).toString()) as { files: { path: string; base64: string }[] };
    expect(Buffer.from(container.files.find((f) => f.path === "SKILL.md")!.base64, "base64").toString()).toContain("osprey-quartz-77c1");
    const r = await cli(["registry", "check", "--base", "main", "--head", "rewrap/nina"], gate);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "blocked: [sealed] sealed/acme/vault/1.0.0.json re-wraps a sealed version of @acme/vault for 1 key (envelope: nina), who may not read @acme after this change",
    );
    const merge = await cli(["registry", "merge", "rewrap/nina", "--key", keys.bob.privatePath], gate);
    expect(merge.code).not.toBe(0);
    expect(await git(["show", "main:sealed/acme/vault/1.0.0.json"], { cwd: reg })).toBe(input.envelopeText);

    const honest = await rewrapSealed(input, identity, members);
    await makeChange(reg, { branch: "rewrap/members", signer: alice, edit: (w) => w.write("sealed/acme/vault/1.0.0.json", honest.envelopeText) });
    const ok = await cli(["registry", "check", "--base", "main", "--head", "rewrap/members"], gate);
    expect(ok.stderr).not.toContain("blocked");
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });
});
