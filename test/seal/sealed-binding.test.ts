import { createHash, createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { skillSha256 } from "../../registry/core/index.js";
import { git } from "../../registry/git/cli.js";
import { ageFileOf, sealVersion, plaintextBinding, type PlainFile } from "../../registry/seal/index.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { buildTagPayload, signTag, tagName, taggerFor } from "../../registry/trust/tags.js";
import { cliAt } from "../helpers/cli.js";
import type { TestKey } from "../helpers/keys.js";
import { makeChange } from "../helpers/registry-change.js";
import { acmeSealingRegistry, type AcmeMember } from "../helpers/sealing-registry.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * What a sealed version's public parts bind: a salted HMAC of the plaintext, so a private
 * skill whose files can be guessed (a template, a known script) cannot be confirmed by
 * hashing the guess and comparing it with sealed.json or the signed tag. A member checks the
 * binding with the salt inside the payload. Versions sealed before, whose sealed.json and tag
 * carry the plain hash (format 1), still pull and verify; one is made here with the age CLI.
 */

const guessable = (version: string) => skillMd("deploy", version, "Run ./deploy.sh and watch the logs.");
const GUESSABLE = guessable("1.0.0");

describe("the plaintext binding of sealed versions", () => {
  let root: string;
  let reg: string;
  let gateKey: TestKey;
  let keys: Record<AcmeMember, TestKey>;
  const { cli, mustRun } = cliAt(() => reg);
  const files: PlainFile[] = [{ path: "SKILL.md", executable: false, bytes: Buffer.from(GUESSABLE) }];
  const fingerprint = (key: TestKey) => execFileSync("ssh-keygen", ["-lf", key.publicPath]).toString().split(" ")[1]!;

  beforeAll(async () => {
    root = tempDir();
    ({ reg, keys, gateKey } = await acmeSealingRegistry(root));
  }, 600_000);

  it("hashing a guess of the files confirms nothing: sealed.json and the tag line carry a salted HMAC, different at every seal", async () => {
    const id = { scope: "acme", name: "deploy", version: "1.0.0" };
    const recipients = [{ principal: "rita", key: keys.rita.publicKey }];
    const [first, second] = [await sealVersion(id, files, recipients), await sealVersion(id, files, recipients)];
    const guess = skillSha256([{ path: "SKILL.md", bytes: Buffer.from(GUESSABLE) }]);
    for (const sealed of [first, second]) {
      expect(sealed.manifestText).not.toContain(guess);
      expect(plaintextBinding(sealed.manifest)).not.toContain(guess);
    }
    expect(plaintextBinding(first.manifest)).not.toBe(plaintextBinding(second.manifest));

    // A member checks the binding with the age CLI and the salt inside the payload.
    const container = JSON.parse(execFileSync("age", ["-d", "-i", keys.rita.privatePath], { input: ageFileOf(first.envelopeText, first.payload) }).toString()) as { salt: string };
    const hmac = createHmac("sha256", Buffer.from(container.salt, "base64")).update(`skillreg-sealed-plaintext/2 ${guess}`).digest("hex");
    expect(plaintextBinding(first.manifest)).toBe(`Sealed-Plaintext-HMAC-SHA256: ${hmac}`);
  });

  it("a version sealed before, with the plain hash in sealed.json and its tag (format 1, made with the age CLI), still merges, pulls and verifies", async () => {
    const version = "0.9.0";
    const text = guessable(version);
    // The format-1 container has no salt; the age CLI seals it to the members and the gate.
    const container = { format: "skillreg-sealed-files/1", scope: "acme", name: "deploy", version, files: [{ path: "SKILL.md", mode: "100644", base64: Buffer.from(text).toString("base64") }] };
    const members = [keys.alice, keys.bob, keys.rita, gateKey];
    const ageOut = execFileSync("age", members.flatMap((k) => ["-r", k.publicKey]), { input: JSON.stringify(container) });
    const macEnd = ageOut.indexOf("\n", ageOut.indexOf("\n--- ") + 1) + 1;
    const header = ageOut.subarray(0, macEnd).toString("latin1");
    const payload = ageOut.subarray(macEnd);
    const payloadSha256 = createHash("sha256").update(payload).digest("hex");
    const plaintextSha256 = skillSha256([{ path: "SKILL.md", bytes: Buffer.from(text) }]);
    const manifest = { format: "skillreg-sealed/1", scope: "acme", name: "deploy", version, plaintextSha256, payloadSha256 };
    const principals = ["alice", "bob", "rita", "registry-gate"];
    const recipients = members.map((k, i) => ({ principal: principals[i]!, fingerprint: fingerprint(k) })).sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
    const envelope = { format: "skillreg-seal-envelope/1", scope: "acme", name: "deploy", version, payloadSha256, recipients, header };

    const bob = await loadSigner(keys.bob.privatePath);
    await makeChange(reg, {
      branch: `publish/acme/deploy/${version}`,
      signer: bob,
      edit: async (work) => {
        await work.write("skills/acme/deploy/payload.age-body", payload);
        await work.write("skills/acme/deploy/sealed.json", `${JSON.stringify(manifest, null, 2)}\n`);
        await work.write(`sealed/acme/deploy/${version}.json`, `${JSON.stringify(envelope, null, 2)}\n`);
        const message = `Publish @acme/deploy@${version}\n\nSealed-Plaintext-SHA256: ${plaintextSha256}\n`;
        const tag = buildTagPayload({ object: await work.treeOf("skills/acme/deploy"), type: "tree", tag: tagName("acme", "deploy", version), tagger: taggerFor("bob", new Date()), message });
        await work.write(`publish/acme/deploy/${version}.tag`, await signTag(tag, bob));
      },
    });
    await mustRun(["registry", "merge", `publish/acme/deploy/${version}`, "--key", keys.alice.privatePath], { SKILLREG_GATE_KEY: gateKey.privatePath });
    expect(await git(["cat-file", "tag", `@acme/deploy@${version}`], { cwd: reg })).toContain(`Sealed-Plaintext-SHA256: ${plaintextSha256}`);

    const dir = join(root, "rita");
    mkdirSync(dir);
    const r = await cli(["pull", `@acme/deploy@${version}`, "--registry", reg, "--agent", "claude", "--identity", keys.rita.privatePath], {}, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, ".claude", "skills", "deploy", "SKILL.md"), "utf8")).toBe(text);
    expect((await cli(["verify"], {}, dir)).code).toBe(0);

    // The next version is pushed by skillreg: salted, format 2.
    const skill = join(root, "deploy-1.0.0", "deploy");
    mkdirSync(skill, { recursive: true });
    writeFileSync(join(skill, "SKILL.md"), GUESSABLE);
    await mustRun(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["registry", "merge", "publish/acme/deploy/1.0.0", "--key", keys.alice.privatePath], { SKILLREG_GATE_KEY: gateKey.privatePath });
    const tag = await git(["cat-file", "tag", "@acme/deploy@1.0.0"], { cwd: reg });
    expect(tag).toMatch(/^Sealed-Plaintext-HMAC-SHA256: [0-9a-f]{64}$/m);
    expect(tag).not.toContain(plaintextSha256);
    expect(await git(["show", "@acme/deploy@1.0.0^{tree}:sealed.json"], { cwd: reg })).not.toContain(plaintextSha256);
    const pulled = await cli(["pull", "@acme/deploy@1.0.0", "--registry", reg, "--agent", "claude", "--identity", keys.rita.privatePath], {}, dir);
    expect(pulled.code, pulled.stderr).toBe(0);
  });
});
