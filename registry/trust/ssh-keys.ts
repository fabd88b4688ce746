import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { SkillregError } from "../core/index.js";
import { SshReader, WireError, sshString } from "./wire.js";

/**
 * OpenSSH ed25519 keys, read without ssh-keygen: public key lines and blobs, the
 * openssh-key-v1 private key container (unencrypted), and fingerprints as `ssh-keygen -l`
 * prints them. The registry signs and verifies with ed25519 only, so every other key type is
 * refused by name rather than half-supported.
 */

export const ED25519 = "ssh-ed25519";

export interface SshPublicKey {
  /** The wire blob: string "ssh-ed25519", string key (32 bytes). What signatures embed. */
  blob: Buffer;
  /** The raw 32-byte ed25519 public key. */
  key: Buffer;
  /** "ssh-ed25519 AAAA..." without a comment: the canonical text form. */
  line: string;
  /** The comment after the key on a public key line ("" when there is none). */
  comment: string;
  /** "SHA256:..." as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

export type SshPrivateKey =
  | { encrypted: false; privateKey: KeyObject; publicKey: SshPublicKey; comment: string }
  | { encrypted: true; cipher: string; kdf: string; publicKey: SshPublicKey };

/** Key types we recognise only to say clearly that they are not supported. */
const OTHER_KEY_TYPES = /^(ssh-rsa|ssh-dss|ecdsa-sha2-nistp\d+|sk-\S+@openssh\.com|\S+-cert-v01@openssh\.com)$/;

function unsupportedType(type: string): string {
  if (type.endsWith("-cert-v01@openssh.com")) return `only plain ed25519 keys are supported, this is a ${type} certificate`;
  return `only ed25519 keys are supported, this is a${/^[aeiou]/.test(type) ? "n" : ""} ${type} key`;
}

/** Refuse a key whose type word is not ssh-ed25519, naming known types as unsupported. */
function refuseKeyType(type: string, where: string): never {
  throw new SkillregError(`${where}: ${OTHER_KEY_TYPES.test(type) ? unsupportedType(type) : `unknown key type '${type.slice(0, 40)}'`}`);
}

/** "SHA256:<unpadded base64 of sha256(blob)>", byte for byte what `ssh-keygen -l` prints. */
export function fingerprintOf(publicKey: Buffer | string): string {
  const blob = typeof publicKey === "string" ? parsePublicKey(publicKey).blob : publicKey;
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Decode and check a public key blob: type string "ssh-ed25519", a 32-byte key, nothing more. */
export function parsePublicKeyBlob(blob: Buffer, where = "public key"): SshPublicKey {
  let type: string;
  let key: Buffer;
  try {
    const r = new SshReader(blob);
    type = r.string("key type").toString("latin1");
    if (type !== ED25519) refuseKeyType(type, where);
    key = r.string("ed25519 key");
    r.end("the key");
  } catch (e) {
    if (e instanceof WireError) throw new SkillregError(`${where}: malformed ed25519 key blob (${e.message})`);
    throw e;
  }
  if (key.length !== 32) throw new SkillregError(`${where}: ed25519 key is ${key.length} bytes, expected 32`);
  const canonical = Buffer.from(blob);
  const line = `${ED25519} ${canonical.toString("base64")}`;
  return { blob: canonical, key: Buffer.from(key), line, comment: "", fingerprint: fingerprintOf(canonical) };
}

/** The blob for a raw 32-byte ed25519 key. */
export function ed25519Blob(key: Buffer): Buffer {
  return Buffer.concat([sshString(ED25519), sshString(key)]);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parse a public key line "ssh-ed25519 AAAA... [comment]". The type word must equal the type
 * inside the blob (a mismatch is how a swapped key hides), and the base64 must be canonical.
 */
export function parsePublicKey(text: string, where = "public key"): SshPublicKey {
  const trimmed = text.trim();
  if (trimmed.includes("\n")) throw new SkillregError(`${where}: expected one key line, found several lines`);
  const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(trimmed);
  if (!match) throw new SkillregError(`${where}: expected "ssh-ed25519 <base64> [comment]"`);
  const [, type, b64, comment = ""] = match as unknown as [string, string, string, string | undefined];
  if (type !== ED25519) refuseKeyType(type, where);
  if (!BASE64.test(b64)) throw new SkillregError(`${where}: the key is not valid base64`);
  const blob = Buffer.from(b64, "base64");
  if (blob.toString("base64") !== b64) throw new SkillregError(`${where}: the key is not canonical base64`);
  const key = parsePublicKeyBlob(blob, where);
  const innerType = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1");
  if (innerType !== type) throw new SkillregError(`${where}: key line says ${type} but the key inside is ${innerType}`);
  return { ...key, comment: comment.trim() };
}

/** A node:crypto public KeyObject for an ed25519 key. */
export function nodePublicKey(key: SshPublicKey): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.key.toString("base64url") }, format: "jwk" });
}

const PRIVATE_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
const PRIVATE_END = "-----END OPENSSH PRIVATE KEY-----";
const AUTH_MAGIC = Buffer.from("openssh-key-v1\0", "latin1");

/** Say what a non-OpenSSH PEM file is, so the user knows which key to pass instead. */
function describeForeignPem(text: string): string | undefined {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (!begin) return undefined;
  if (begin === "RSA PRIVATE KEY") return unsupportedType("ssh-rsa");
  if (begin === "EC PRIVATE KEY") return unsupportedType("ecdsa");
  if (begin === "DSA PRIVATE KEY") return unsupportedType("ssh-dss");
  if (begin === "SSH SIGNATURE") return "this is an SSH signature, not a private key";
  return `expected an OpenSSH private key ("${PRIVATE_BEGIN}"), found "-----BEGIN ${begin}-----"`;
}

/**
 * Parse an openssh-key-v1 private key file. Unencrypted ed25519 keys become a node:crypto
 * KeyObject; encrypted ones are reported as such (their public half is readable) so the caller
 * can sign through ssh-keygen and an agent instead of asking for a passphrase.
 */
export function parsePrivateKey(text: string, where = "private key"): SshPrivateKey {
  const lines = text.replace(/\r\n/g, "\n").trim().split("\n");
  if (lines[0] !== PRIVATE_BEGIN) {
    if (/^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(lines[0] ?? "")) {
      throw new SkillregError(`${where}: this is a public key; pass the private key file (without .pub)`);
    }
    throw new SkillregError(`${where}: ${describeForeignPem(text) ?? "not an OpenSSH private key"}`);
  }
  if (lines[lines.length - 1] !== PRIVATE_END) throw new SkillregError(`${where}: missing "${PRIVATE_END}"`);
  const body = lines.slice(1, -1).join("");
  if (!BASE64.test(body)) throw new SkillregError(`${where}: the key body is not valid base64`);
  const bytes = Buffer.from(body, "base64");
  if (!bytes.subarray(0, AUTH_MAGIC.length).equals(AUTH_MAGIC)) {
    throw new SkillregError(`${where}: not in openssh-key-v1 format`);
  }
  try {
    const r = new SshReader(bytes.subarray(AUTH_MAGIC.length));
    const cipher = r.text("cipher name");
    const kdf = r.text("kdf name");
    r.string("kdf options");
    const count = r.uint32("key count");
    if (count !== 1) throw new SkillregError(`${where}: holds ${count} keys, expected exactly one`);
    const publicKey = parsePublicKeyBlob(r.string("public key"), where);
    const secret = r.string("private section");
    r.end("the private section");
    if (cipher !== "none" || kdf !== "none") return { encrypted: true, cipher, kdf, publicKey };
    return { encrypted: false, ...readPrivateSection(secret, publicKey, where) };
  } catch (e) {
    if (e instanceof WireError) throw new SkillregError(`${where}: malformed private key (${e.message})`);
    throw e;
  }
}

function readPrivateSection(
  secret: Buffer,
  publicKey: SshPublicKey,
  where: string,
): { privateKey: KeyObject; publicKey: SshPublicKey; comment: string } {
  const r = new SshReader(secret);
  // Two equal random words: for encrypted keys they prove the passphrase was right; here they
  // catch a corrupted file.
  if (r.uint32("check word") !== r.uint32("check word")) throw new SkillregError(`${where}: corrupt private key (check words differ)`);
  const type = r.text("key type");
  if (type !== ED25519) throw new SkillregError(`${where}: ${unsupportedType(type)}`);
  const pub = r.string("public key");
  const priv = r.string("private key");
  const comment = r.string("comment").toString("utf8");
  const padding = r.rest();
  if (padding.length >= 8 || !padding.every((b, i) => b === i + 1)) {
    throw new SkillregError(`${where}: corrupt private key (bad padding)`);
  }
  if (!pub.equals(publicKey.key) || priv.length !== 64 || !priv.subarray(32).equals(pub)) {
    throw new SkillregError(`${where}: corrupt private key (public and private halves disagree)`);
  }
  const privateKey = createPrivateKey({
    key: { kty: "OKP", crv: "Ed25519", d: priv.subarray(0, 32).toString("base64url"), x: pub.toString("base64url") },
    format: "jwk",
  });
  // The seed determines the public key; a file whose stored public key is not the seed's is forged.
  const derived = createPublicKey(privateKey).export({ format: "jwk" }).x;
  if (derived !== pub.toString("base64url")) {
    throw new SkillregError(`${where}: corrupt private key (the seed does not produce the stored public key)`);
  }
  return { privateKey, publicKey: { ...publicKey, comment }, comment };
}
