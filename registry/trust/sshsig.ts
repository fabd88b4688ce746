import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { SkillregError } from "../core/index.js";
import { ED25519, nodePublicKey, parsePublicKeyBlob } from "./ssh-keys.js";
import { SshReader, WireError, sshString, sshUint32 } from "./wire.js";

/**
 * SSHSIG (OpenSSH PROTOCOL.sshsig), the format of `ssh-keygen -Y sign` and of git's
 * `gpg.format=ssh` signatures, produced and checked with node:crypto so neither the CLI nor
 * CI needs ssh-keygen. Byte-compatible with ssh-keygen 8.x/9.x: same field order, sha512,
 * base64 wrapped at 70 columns.
 */

const MAGIC = Buffer.from("SSHSIG", "latin1");
const VERSION = 1;
const BEGIN = "-----BEGIN SSH SIGNATURE-----";
const END = "-----END SSH SIGNATURE-----";
/** What ssh-keygen writes; sha256 is the only other hash the format allows and we accept it on verify. */
const SIGN_HASH = "sha512";
const HASHES = new Set(["sha256", "sha512"]);

export interface VerifiedSignature {
  publicKeyBlob: Buffer;
  /** "ssh-ed25519 AAAA..." without comment. */
  publicKeyLine: string;
  fingerprint: string;
}

/** The bytes that are actually signed: the message is bound to its namespace and hash. */
function signedData(message: Buffer, namespace: string, hash: string): Buffer {
  return Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(""),
    sshString(hash),
    sshString(createHash(hash).update(message).digest()),
  ]);
}

function checkNamespace(namespace: string): void {
  if (namespace === "" || !/^[\x21-\x7e]+$/.test(namespace)) {
    throw new SkillregError(`invalid signature namespace '${namespace}'`);
  }
}

/** Wrap a binary signature the way ssh-keygen does: 70-column base64 between BEGIN/END lines. */
export function armorSshsig(blob: Buffer): string {
  const b64 = blob.toString("base64");
  const lines = [BEGIN];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  lines.push(END);
  return `${lines.join("\n")}\n`;
}

/** Sign `message` in `namespace` ("git" for tags) and return the armoured SSHSIG. */
export function signSshsig(message: Buffer, privateKey: KeyObject, publicKeyBlob: Buffer, namespace: string): string {
  checkNamespace(namespace);
  const key = parsePublicKeyBlob(publicKeyBlob);
  const raw = cryptoSign(null, signedData(message, namespace, SIGN_HASH), privateKey);
  if (!cryptoVerify(null, signedData(message, namespace, SIGN_HASH), nodePublicKey(key), raw)) {
    throw new SkillregError(`the private key does not belong to public key ${key.fingerprint}`);
  }
  const blob = Buffer.concat([
    MAGIC,
    sshUint32(VERSION),
    sshString(key.blob),
    sshString(namespace),
    sshString(""),
    sshString(SIGN_HASH),
    sshString(Buffer.concat([sshString(ED25519), sshString(raw)])),
  ]);
  return armorSshsig(blob);
}

/** Undo the armour, strictly: one BEGIN line, base64 lines, one END line, nothing around them. */
export function dearmorSshsig(armored: string): Buffer {
  const lines = armored.replace(/\n$/, "").split("\n");
  if (lines[0] !== BEGIN) throw new SkillregError(`bad signature armour: does not start with "${BEGIN}"`);
  if (lines[lines.length - 1] !== END) throw new SkillregError(`bad signature armour: does not end with "${END}"`);
  const body = lines.slice(1, -1);
  if (body.length === 0) throw new SkillregError("bad signature armour: no signature between the BEGIN and END lines");
  if (body.some((l) => !/^[A-Za-z0-9+/=]{1,76}$/.test(l))) {
    throw new SkillregError("bad signature armour: a line is not base64");
  }
  const b64 = body.join("");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new SkillregError("bad signature armour: the base64 is malformed");
  }
  return Buffer.from(b64, "base64");
}

/**
 * Verify an armoured SSHSIG over `message` in `namespace`. Returns the signing key; who that key
 * belongs to is the allowed_signers file's business. Throws a one-line SkillregError saying
 * exactly what is wrong.
 */
export function verifySshsig(message: Buffer, armored: string, namespace: string): VerifiedSignature {
  checkNamespace(namespace);
  const blob = dearmorSshsig(armored);
  let fields;
  try {
    fields = readSignatureBlob(blob);
  } catch (e) {
    if (e instanceof WireError) throw new SkillregError(`malformed SSH signature: ${e.message}`);
    throw e;
  }
  const { publicKeyBlob, signedNamespace, hash, sigType, sig } = fields;
  const key = parsePublicKeyBlob(publicKeyBlob, "signature's public key");
  if (signedNamespace !== namespace) {
    throw new SkillregError(`wrong signature namespace: signed for '${signedNamespace}', expected '${namespace}'`);
  }
  if (!HASHES.has(hash)) throw new SkillregError(`unsupported signature hash algorithm '${hash}' (sha256 or sha512 expected)`);
  if (sigType !== ED25519) throw new SkillregError(`unsupported signature algorithm '${sigType}' (only ssh-ed25519 is supported)`);
  if (sig.length !== 64) throw new SkillregError(`malformed SSH signature: ed25519 signature is ${sig.length} bytes, expected 64`);
  if (!cryptoVerify(null, signedData(message, namespace, hash), nodePublicKey(key), sig)) {
    throw new SkillregError(`bad signature: the signed data does not match the signature by ${key.fingerprint}`);
  }
  return { publicKeyBlob: key.blob, publicKeyLine: key.line, fingerprint: key.fingerprint };
}

function readSignatureBlob(blob: Buffer) {
  const r = new SshReader(blob);
  if (!r.raw(MAGIC.length, "magic").equals(MAGIC)) throw new WireError("missing the SSHSIG magic");
  const version = r.uint32("version");
  if (version !== VERSION) throw new WireError(`unsupported SSHSIG version ${version}`);
  const publicKeyBlob = r.string("public key");
  const signedNamespace = r.text("namespace");
  r.string("reserved");
  const hash = r.text("hash algorithm");
  const signature = r.string("signature");
  r.end("the signature");
  const s = new SshReader(signature);
  const sigType = s.text("signature algorithm");
  const sig = s.string("signature bytes");
  s.end("the signature bytes");
  return { publicKeyBlob, signedNamespace, hash, sigType, sig };
}
