import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSigner } from "../../registry/trust/signer.js";
import { armorSshsig, dearmorSshsig, verifySshsig } from "../../registry/trust/sshsig.js";
import { fingerprintOf, parsePublicKey } from "../../registry/trust/ssh-keys.js";
import { makeSshKey, signingKeys } from "../helpers/keys.js";

const { dir, keys: { alice }, allowedSignersFile: allowedSigners } = signingKeys({ alice: "alice@acme.example" });
const message = Buffer.from("object 0123\ntype tree\n\nsome bytes \u00e9\n", "utf8");
const messagePath = join(dir, "message");
writeFileSync(messagePath, message);

/** `ssh-keygen -Y sign` over the message file; returns the armour it wrote. */
function sshKeygenSign(namespace: string, extra: string[] = []): string {
  const r = spawnSync("ssh-keygen", ["-Y", "sign", "-n", namespace, "-f", alice.privatePath, ...extra], { input: message });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString("utf8");
}

/** `ssh-keygen -Y verify`: exit status and its one-line verdict. */
function sshKeygenVerify(signature: string, principal: string, namespace: string, data = message) {
  const sigPath = join(dir, "candidate.sig");
  writeFileSync(sigPath, signature);
  const r = spawnSync("ssh-keygen", ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", namespace, "-s", sigPath], { input: data });
  return { ok: r.status === 0, output: `${r.stdout.toString()}${r.stderr.toString()}` };
}

describe("SSHSIG interop with ssh-keygen", () => {
  it("produces the very bytes ssh-keygen -Y sign -n git produces, and ssh-keygen verifies them", async () => {
    const signer = await loadSigner(alice.privatePath);
    const ours = await signer.sign(message, "git");
    expect(ours).toBe(sshKeygenSign("git"));
    expect(ours.split("\n").slice(1, -3).every((l) => l.length === 70)).toBe(true);
    const verdict = sshKeygenVerify(ours, "alice@acme.example", "git");
    expect(verdict.output).toContain(`Good "git" signature for alice@acme.example with ED25519 key ${fingerprintOf(alice.publicKey)}`);
    expect(verdict.ok).toBe(true);
  });

  it("verifies ssh-keygen's signatures with node:crypto, sha512 and sha256", () => {
    const expected = parsePublicKey(alice.publicKey);
    for (const extra of [[], ["-O", "hashalg=sha256"]]) {
      const v = verifySshsig(message, sshKeygenSign("file", extra), "file");
      expect(v.fingerprint).toBe(expected.fingerprint);
      expect(v.publicKeyLine).toBe(expected.line);
      expect(v.publicKeyBlob.equals(expected.blob)).toBe(true);
    }
  });

  it("rejects a tampered message, both here and in ssh-keygen", async () => {
    const signature = await (await loadSigner(alice.privatePath)).sign(message, "git");
    const tampered = Buffer.concat([message, Buffer.from(" ")]);
    expect(() => verifySshsig(tampered, signature, "git")).toThrow(
      `bad signature: the signed data does not match the signature by ${fingerprintOf(alice.publicKey)}`,
    );
    expect(sshKeygenVerify(signature, "alice@acme.example", "git", tampered).ok).toBe(false);
  });

  it("rejects a signature made for another namespace", () => {
    const signature = sshKeygenSign("file");
    expect(() => verifySshsig(message, signature, "git")).toThrow("wrong signature namespace: signed for 'file', expected 'git'");
    expect(sshKeygenVerify(signature, "alice@acme.example", "git").ok).toBe(false);
  });

  it("says what is wrong with malformed armour", () => {
    const good = sshKeygenSign("git");
    expect(() => verifySshsig(message, good.replace("BEGIN SSH", "BEGIN PGP"), "git")).toThrow(
      'bad signature armour: does not start with "-----BEGIN SSH SIGNATURE-----"',
    );
    expect(() => verifySshsig(message, good.replace("-----END SSH SIGNATURE-----\n", ""), "git")).toThrow(
      'bad signature armour: does not end with "-----END SSH SIGNATURE-----"',
    );
    expect(() => verifySshsig(message, good.replace(/\n[A-Za-z]/, "\n!"), "git")).toThrow("bad signature armour: a line is not base64");
    expect(() => verifySshsig(message, `${good}trailing\n`, "git")).toThrow("does not end with");
    const blob = dearmorSshsig(good);
    expect(() => verifySshsig(message, armorSshsig(blob.subarray(0, blob.length - 10)), "git")).toThrow(/^malformed SSH signature: /);
    const noMagic = Buffer.from(blob);
    noMagic.write("XXHSIG", 0, "latin1");
    expect(() => verifySshsig(message, armorSshsig(noMagic), "git")).toThrow("malformed SSH signature: missing the SSHSIG magic");
    expect(() => verifySshsig(message, armorSshsig(Buffer.concat([blob, Buffer.from([0])])), "git")).toThrow(
      "malformed SSH signature: 1 unexpected trailing bytes after the signature",
    );
  });

  it("names an unsupported hash or signature algorithm", () => {
    const blob = dearmorSshsig(sshKeygenSign("git"));
    const sha384 = Buffer.from(blob.toString("latin1").replace("\x00\x00\x00\x06sha512", "\x00\x00\x00\x06sha384"), "latin1");
    expect(() => verifySshsig(message, armorSshsig(sha384), "git")).toThrow("unsupported signature hash algorithm 'sha384'");
    const text = blob.toString("latin1");
    const at = text.lastIndexOf("\x00\x00\x00\x0bssh-ed25519");
    const other = Buffer.from(`${text.slice(0, at)}\x00\x00\x00\x0bssh-ed99999${text.slice(at + 15)}`, "latin1");
    expect(() => verifySshsig(message, armorSshsig(other), "git")).toThrow("unsupported signature algorithm 'ssh-ed99999'");
  });

  it("rejects a signature whose embedded key was swapped", () => {
    const bob = makeSshKey(dir, "bob");
    const blob = dearmorSshsig(sshKeygenSign("git"));
    const swapped = Buffer.from(blob);
    parsePublicKey(bob.publicKey).key.copy(swapped, swapped.indexOf(parsePublicKey(alice.publicKey).key));
    expect(() => verifySshsig(message, armorSshsig(swapped), "git")).toThrow(
      `bad signature: the signed data does not match the signature by ${fingerprintOf(bob.publicKey)}`,
    );
  });
});
