import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { comparePaths, skillSha256, SkillregError } from "../../registry/core/index.js";
import {
  ageFileOf,
  loadSealIdentity,
  openSealed,
  parseSealEnvelope,
  plaintextBinding,
  rewrapSealed,
  sealVersion,
  type PlainFile,
  type SealedInput,
  type SealedVersion,
} from "../../registry/seal/index.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";

const dir = tempDir();
const alice = makeSshKey(dir, "alice@acme.example");
const bob = makeSshKey(dir, "bob@acme.example");
const carol = makeSshKey(dir, "carol@acme.example");
const gate = makeSshKey(dir, "gate@registry");

const MARKER = "TOP-SECRET-deploy-token-7f3a9c";
const files: PlainFile[] = [
  { path: "SKILL.md", executable: false, bytes: Buffer.from(`---\nname: deploy\ndescription: Deploys.\n---\nUse ${MARKER}.\n`) },
  { path: "scripts/run.sh", executable: true, bytes: Buffer.from("#!/bin/sh\necho deploy\n") },
  { path: "data/blob.bin", executable: false, bytes: Buffer.from([0, 255, 1, 254, 10, 13]) },
];
const v1 = { scope: "acme", name: "deploy", version: "1.0.0" };

const as = (key: TestKey) => ({ principal: key.principal, key: key.publicKey });
const input = (sealed: SealedVersion, envelopeText = sealed.envelopeText): SealedInput => ({
  manifestText: sealed.manifestText,
  payload: sealed.payload,
  envelopeText,
  expect: v1,
});

/** The real age CLI decrypting a standard age file with an SSH private key. */
function ageDecrypt(key: TestKey, file: Uint8Array): string {
  return execFileSync("age", ["-d", "-i", key.privatePath], { input: file }).toString("utf8");
}

/** The one-line SkillregError a call fails with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkillregError);
  const message = (error as SkillregError).message;
  expect(message).not.toContain("\n");
  expect((error as SkillregError).exitCode).toBe(2);
  return message;
}

describe("seal and open", () => {
  it("round-trips the files, their modes and the plaintext hash for every recipient", async () => {
    const sealed = await sealVersion(v1, files, [as(alice), as(bob), as(gate)]);
    // The binding is salted: sealed.json never holds the plain skill hash a guess could be checked against.
    expect(sealed.manifest.format).toBe("skillreg-sealed/2");
    expect(sealed.manifestText).not.toContain(skillSha256(files));
    expect(plaintextBinding(sealed.manifest)).toMatch(/^Sealed-Plaintext-HMAC-SHA256: [0-9a-f]{64}$/);
    expect(sealed.envelope.recipients.map((r) => r.principal).sort()).toEqual([alice, bob, gate].map((k) => k.principal).sort());
    for (const key of [alice, bob, gate]) {
      const opened = await openSealed(input(sealed), await loadSealIdentity(key.privatePath));
      expect(opened.files.map((f) => [f.path, f.executable, Buffer.from(f.bytes).toString("hex")])).toEqual(
        [...files]
          .sort((a, b) => comparePaths(a.path, b.path))
          .map((f) => [f.path, f.executable, Buffer.from(f.bytes).toString("hex")]),
      );
    }
  });

  it("leaves no plaintext in any stored part", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    for (const part of [sealed.manifestText, sealed.envelopeText, Buffer.from(sealed.payload).toString("latin1")]) {
      expect(part).not.toContain(MARKER);
      expect(part).not.toContain("echo deploy");
    }
  });

  it("refuses a key that is not a recipient, naming the scope and the grant command", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const message = await failure(openSealed(input(sealed), await loadSealIdentity(bob.privatePath)));
    expect(message).toMatch(/^@acme\/deploy@1\.0\.0 is sealed and the key SHA256:\S+ \(.*bob_acme\.example\) is not one of its 1 recipients/);
    expect(message).toContain("skillreg access grant @acme <you> --role reader");
  });
});

describe("interop with the age CLI", () => {
  it("age -d -i <member's ssh key> decrypts what SkillReg sealed", async () => {
    const sealed = await sealVersion(v1, files, [as(alice), as(bob)]);
    const container = JSON.parse(ageDecrypt(bob, ageFileOf(sealed.envelopeText, sealed.payload))) as {
      files: { path: string; base64: string }[];
    };
    const skillMd = container.files.find((f) => f.path === "SKILL.md")!;
    expect(Buffer.from(skillMd.base64, "base64").toString("utf8")).toContain(MARKER);
    expect(() => execFileSync("age", ["-d", "-i", carol.privatePath], { input: ageFileOf(sealed.envelopeText, sealed.payload), stdio: "pipe" })).toThrow(
      /no identity matched any of the recipients/,
    );
  });

  it("SkillReg opens a payload that age -R <ssh .pub file> encrypted", async () => {
    const sealedBySkillreg = await sealVersion(v1, files, [as(alice)]);
    const plaintext = ageDecrypt(alice, ageFileOf(sealedBySkillreg.envelopeText, sealedBySkillreg.payload));
    const fromCli = execFileSync("age", ["-R", alice.publicPath, "-R", carol.publicPath], { input: plaintext });
    const macLineEnd = fromCli.indexOf("\n", fromCli.indexOf("\n--- ") + 1) + 1;
    const payload = fromCli.subarray(macLineEnd);
    const payloadSha256 = execFileSync("sha256sum", { input: payload }).toString().split(" ")[0]!;
    const manifestText = JSON.stringify({ ...sealedBySkillreg.manifest, payloadSha256 });
    const envelopeText = JSON.stringify({
      ...sealedBySkillreg.envelope,
      payloadSha256,
      header: fromCli.subarray(0, macLineEnd).toString("latin1"),
    });
    const opened = await openSealed({ manifestText, payload, envelopeText, expect: v1 }, await loadSealIdentity(carol.privatePath));
    expect(Buffer.from(opened.files.find((f) => f.path === "SKILL.md")!.bytes).toString()).toContain(MARKER);
  });
});

describe("re-wrap and revoke", () => {
  it("re-wrap adds a member: sealed.json and payload stay byte for byte, and both age and SkillReg open it", async () => {
    const sealed = await sealVersion(v1, files, [as(alice), as(gate)]);
    const manifestBefore = sealed.manifestText;
    const payloadBefore = Buffer.from(sealed.payload);
    const rewrapped = await rewrapSealed(input(sealed), await loadSealIdentity(alice.privatePath), [as(alice), as(gate), as(carol)]);
    expect(sealed.manifestText).toBe(manifestBefore);
    expect(Buffer.from(sealed.payload).equals(payloadBefore)).toBe(true);
    expect(rewrapped.envelope.payloadSha256).toBe(sealed.manifest.payloadSha256);
    expect(rewrapped.envelope.header).not.toBe(sealed.envelope.header);
    expect(rewrapped.envelope.recipients.map((r) => r.principal)).toContain(carol.principal);

    const opened = await openSealed(input(sealed, rewrapped.envelopeText), await loadSealIdentity(carol.privatePath));
    expect(opened.manifest).toEqual(sealed.manifest);
    expect(ageDecrypt(carol, ageFileOf(rewrapped.envelopeText, sealed.payload))).toContain("SKILL.md");
    // The members already there keep reading it.
    await openSealed(input(sealed, rewrapped.envelopeText), await loadSealIdentity(alice.privatePath));
    expect(ageDecrypt(gate, ageFileOf(rewrapped.envelopeText, sealed.payload))).toContain("scripts/run.sh");
  });

  it("a removed member reads the version they had but not a later one", async () => {
    const old = await sealVersion(v1, files, [as(alice), as(bob)]);
    const later = await sealVersion({ ...v1, version: "1.1.0" }, files, [as(alice)]);
    const bobIdentity = await loadSealIdentity(bob.privatePath);
    await openSealed(input(old), bobIdentity);
    const message = await failure(
      openSealed({ manifestText: later.manifestText, payload: later.payload, envelopeText: later.envelopeText }, bobIdentity),
    );
    expect(message).toContain("@acme/deploy@1.1.0 is sealed and the key");
    expect(() => execFileSync("age", ["-d", "-i", bob.privatePath], { input: ageFileOf(later.envelopeText, later.payload), stdio: "pipe" })).toThrow();
  });

  it("re-wrap needs a key that opens the version", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const message = await failure(rewrapSealed(input(sealed), await loadSealIdentity(bob.privatePath), [as(alice), as(bob)]));
    expect(message).toContain("is not one of its 1 recipients");
  });
});

describe("bad input: one line, exit code 2", () => {
  it("a corrupted payload", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const payload = Buffer.from(sealed.payload);
    payload[payload.length - 5]! ^= 0x01;
    const message = await failure(openSealed({ ...input(sealed), payload }, await loadSealIdentity(alice.privatePath)));
    expect(message).toMatch(/^@acme\/deploy@1\.0\.0: the sealed payload is corrupted \(its sha256 \S+ differs from sealed\.json's \S+\)$/);
  });

  it("a payload whose hashes were rewritten to match still fails to decrypt", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const payload = Buffer.from(sealed.payload);
    payload[20]! ^= 0x01;
    const payloadSha256 = execFileSync("sha256sum", { input: payload }).toString().split(" ")[0]!;
    const manifestText = JSON.stringify({ ...sealed.manifest, payloadSha256 });
    const envelopeText = JSON.stringify({ ...sealed.envelope, payloadSha256 });
    const message = await failure(openSealed({ manifestText, payload, envelopeText }, await loadSealIdentity(alice.privatePath)));
    expect(message).toMatch(/^@acme\/deploy@1\.0\.0: the sealed payload does not decrypt \(.+\); it is corrupted or was not sealed with this header$/);
  });

  it("a truncated header", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const truncated = JSON.stringify({ ...sealed.envelope, header: sealed.envelope.header.slice(0, 60) });
    const message = await failure(openSealed(input(sealed, truncated), await loadSealIdentity(alice.privatePath)));
    expect(message).toMatch(/^@acme\/deploy@1\.0\.0: the recipient envelope is malformed or truncated: header: must be an age header ending in its '--- <MAC>' line$/);
    const cut = sealed.envelopeText.slice(0, sealed.envelopeText.length / 2);
    expect(await failure(openSealed(input(sealed, cut), await loadSealIdentity(alice.privatePath)))).toMatch(/the recipient envelope is not valid JSON/);
  });

  it("a header whose MAC was tampered with", async () => {
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const header = sealed.envelope.header.replace(/--- (.)/, (_m, c: string) => `--- ${c === "A" ? "B" : "A"}`);
    const message = await failure(openSealed(input(sealed, JSON.stringify({ ...sealed.envelope, header })), await loadSealIdentity(alice.privatePath)));
    expect(message).toBe("@acme/deploy@1.0.0: the recipient header is malformed or was tampered with (invalid header HMAC)");
  });

  it("a header forged with another file key for a member", async () => {
    // Anyone with write access can make a valid header for a file key of their own choosing;
    // the payload's authentication is what refuses it.
    const sealed = await sealVersion(v1, files, [as(alice)]);
    const forged = await sealVersion(v1, files, [as(alice)]);
    const envelopeText = JSON.stringify({ ...sealed.envelope, header: forged.envelope.header });
    const message = await failure(openSealed(input(sealed, envelopeText), await loadSealIdentity(alice.privatePath)));
    expect(message).toContain("the sealed payload does not decrypt");
  });

  it("a payload that claims to be another version", async () => {
    const sealed = await sealVersion({ ...v1, version: "2.0.0" }, files, [as(alice)]);
    const message = await failure(openSealed(input(sealed), await loadSealIdentity(alice.privatePath)));
    expect(message).toBe("@acme/deploy@1.0.0: sealed.json says it is @acme/deploy@2.0.0; refusing a payload of another version");
  });

  it("identities that cannot open anything: a public key, a passphrase-protected key, a missing file", async () => {
    expect(await failure(loadSealIdentity(alice.publicPath))).toContain("this is a public key; pass the private key file");
    const locked = makeSshKey(dir, "locked@acme.example", "correct horse");
    expect(await failure(loadSealIdentity(locked.privatePath))).toContain("passphrase-protected");
    expect(await failure(loadSealIdentity(join(dir, "absent")))).toContain("cannot read the identity (ENOENT)");
  });

  it("sealing to nobody or to a non-ed25519 key", async () => {
    expect(await failure(sealVersion(v1, files, []))).toContain("cannot seal to nobody");
    const rsaPath = join(dir, "rsa");
    execFileSync("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsaPath]);
    const rsa = { principal: "dave", key: readFileSync(`${rsaPath}.pub`, "utf8") };
    expect(await failure(sealVersion(v1, files, [rsa]))).toContain("only ed25519 keys are supported");
  });

  it("an envelope parsed on its own names what is wrong", () => {
    expect(() => parseSealEnvelope('{"format":"x"}', "@acme/deploy@1.0.0")).toThrow(/recipient envelope is malformed or truncated/);
  });
});
