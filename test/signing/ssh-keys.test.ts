import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SkillregError } from "../../registry/core/errors.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { ed25519Blob, fingerprintOf, parsePrivateKey, parsePublicKey } from "../../registry/trust/ssh-keys.js";
import { makeSshKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";

const dir = tempDir();
const alice = makeSshKey(dir, "alice@acme.example");

function keygen(type: string, name: string, passphrase = ""): string {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", passphrase, "-C", name, "-f", path]);
  return path;
}

describe("public keys", () => {
  it("parses a key line and prints the fingerprint exactly as ssh-keygen -l", () => {
    const key = parsePublicKey(alice.publicKey);
    expect(key.comment).toBe("alice@acme.example");
    expect(key.key).toHaveLength(32);
    expect(key.line).toBe(alice.publicKey.split(" ").slice(0, 2).join(" "));
    const printed = execFileSync("ssh-keygen", ["-l", "-f", alice.publicPath], { encoding: "utf8" }).split(" ")[1];
    expect(fingerprintOf(key.blob)).toBe(printed);
    expect(fingerprintOf(alice.publicKey)).toBe(printed);
  });

  it("refuses a line whose type word differs from the type inside the blob", () => {
    const b64 = alice.publicKey.split(" ")[1]!;
    expect(() => parsePublicKey(`ssh-rsa ${b64}`)).toThrow("only ed25519 keys are supported, this is a ssh-rsa key");
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from("ssh-rsa"), Buffer.from([0, 0, 0, 1, 1])]);
    expect(() => parsePublicKey(`ssh-ed25519 ${rsaBlob.toString("base64")}`)).toThrow("only ed25519 keys are supported");
  });

  it("refuses a key that is not 32 bytes, trailing bytes and broken base64", () => {
    const short = ed25519Blob(Buffer.alloc(31, 7)).toString("base64");
    expect(() => parsePublicKey(`ssh-ed25519 ${short}`)).toThrow("ed25519 key is 31 bytes, expected 32");
    const trailing = Buffer.concat([ed25519Blob(Buffer.alloc(32, 7)), Buffer.from([0])]).toString("base64");
    expect(() => parsePublicKey(`ssh-ed25519 ${trailing}`)).toThrow("trailing bytes");
    expect(() => parsePublicKey("ssh-ed25519 AAAA$$$")).toThrow("not valid base64");
    expect(() => parsePublicKey("ssh-ed25519")).toThrow('expected "ssh-ed25519 <base64> [comment]"');
    expect(() => parsePublicKey("ecdsa-sha2-nistp256 AAAA")).toThrow("only ed25519 keys are supported, this is an ecdsa-sha2-nistp256 key");
  });
});

describe("private keys", () => {
  it("reads an unencrypted ed25519 key whose public half matches the .pub file", () => {
    const key = parsePrivateKey(readFileSync(alice.privatePath, "utf8"), alice.privatePath);
    if (key.encrypted) throw new Error("expected an unencrypted key");
    expect(key.publicKey.line).toBe(parsePublicKey(alice.publicKey).line);
    expect(key.comment).toBe("alice@acme.example");
    expect(key.privateKey.asymmetricKeyType).toBe("ed25519");
  });

  it("recognises an encrypted key without a passphrase and still reads its public half", () => {
    const path = keygen("ed25519", "locked", "secret words");
    const key = parsePrivateKey(readFileSync(path, "utf8"), path);
    expect(key.encrypted).toBe(true);
    expect(key.publicKey.line).toBe(parsePublicKey(readFileSync(`${path}.pub`, "utf8")).line);
  });

  it("says only ed25519 is supported for rsa and ecdsa keys", async () => {
    const rsa = keygen("rsa", "rsa-key");
    const ecdsa = keygen("ecdsa", "ecdsa-key");
    await expect(loadSigner(rsa)).rejects.toThrow(`${rsa}: only ed25519 keys are supported, this is a ssh-rsa key`);
    await expect(loadSigner(ecdsa)).rejects.toThrow(`${ecdsa}: only ed25519 keys are supported, this is an ecdsa-sha2-nistp256 key`);
  });

  it("gives one-line errors for a missing file, a public key, and a malformed file", async () => {
    await expect(loadSigner(join(dir, "nope"))).rejects.toThrow(`cannot read key ${join(dir, "nope")}: no such file`);
    await expect(loadSigner(alice.publicPath)).rejects.toThrow("this is a public key; pass the private key file (without .pub)");
    const text = readFileSync(alice.privatePath, "utf8").split("\n");
    const broken = join(dir, "broken");
    writeFileSync(broken, [text[0], text[1]!.slice(0, 40), text.at(-2)].join("\n"));
    const err = await loadSigner(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillregError);
    expect((err as Error).message).toMatch(/^.*broken: malformed private key \(.*\)$/);
    writeFileSync(broken, "hello\n");
    await expect(loadSigner(broken)).rejects.toThrow(`${broken}: not an OpenSSH private key`);
  });

  it("refuses a key file whose stored public key is not the seed's", () => {
    const bob = makeSshKey(dir, "bob");
    const a = Buffer.from(readFileSync(alice.privatePath, "utf8").split("\n").slice(1, -2).join(""), "base64");
    // Alice's seed with bob's public key written everywhere alice's appears.
    const aliceKey = parsePublicKey(alice.publicKey).key;
    const bobKey = parsePublicKey(bob.publicKey).key;
    let forged = a;
    for (let i = forged.indexOf(aliceKey); i >= 0; i = forged.indexOf(aliceKey)) {
      forged = Buffer.concat([forged.subarray(0, i), bobKey, forged.subarray(i + 32)]);
    }
    expect(forged.length).toBe(a.length);
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${forged.toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`;
    expect(() => parsePrivateKey(pem, "forged")).toThrow("forged: corrupt private key (the seed does not produce the stored public key)");
  });
});
