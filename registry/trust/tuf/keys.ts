import { createHash, sign as cryptoSign, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { canonicalize } from "@tufjs/canonical-json";
import { Key, Signature, type Metadata, type Root, type Snapshot, type Targets, type Timestamp } from "@tufjs/models";
import { SkillregError } from "../../core/index.js";
import { ed25519Blob, fingerprintOf, parsePrivateKey, parsePublicKey, type SshPublicKey } from "../ssh-keys.js";

/**
 * The registry's SSH ed25519 keys as TUF keys. An OpenSSH ed25519 key is a raw 32-byte
 * ed25519 key, exactly what TUF's "ed25519" key type holds (hex), so admins sign the root with
 * the keys they already sign tags with; nothing new to generate or guard.
 */

export type AnyMetadata = Metadata<Root> | Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>;

export interface TufSigningKey {
  key: Key;
  privateKey: KeyObject;
  /** "SHA256:..." as `ssh-keygen -l` prints it, so people recognise their key. */
  fingerprint: string;
}

/** The TUF key for an SSH ed25519 public key; its id is the sha256 of its canonical JSON, as TUF defines. */
export function tufKey(pub: SshPublicKey): Key {
  const keyVal = { public: pub.key.toString("hex") };
  const keyID = createHash("sha256").update(canonicalize({ keytype: "ed25519", scheme: "ed25519", keyval: keyVal })).digest("hex");
  return new Key({ keyID, keyType: "ed25519", scheme: "ed25519", keyVal });
}

/** The ssh-style fingerprint of a TUF ed25519 key (what `ssh-keygen -l` prints for the same key). */
export function tufKeyFingerprint(key: Key): string {
  const hex = key.keyVal.public ?? "";
  if (key.keyType !== "ed25519" || !/^[0-9a-f]{64}$/.test(hex)) return `(${key.keyType} key ${key.keyID.slice(0, 16)})`;
  return fingerprintOf(ed25519Blob(Buffer.from(hex, "hex")));
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SkillregError(`cannot read key ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/**
 * A private key that signs TUF metadata. Signing happens in node:crypto over the canonical
 * JSON TUF signs; ssh-agent cannot help here (it makes SSHSIG envelopes, not raw ed25519
 * signatures), so a passphrase-protected key must be given as an unencrypted copy.
 */
export async function loadSigningKey(path: string): Promise<TufSigningKey> {
  const parsed = parsePrivateKey(await readKeyFile(path), path);
  if (parsed.encrypted) {
    throw new SkillregError(`${path}: the key is passphrase-protected; signing trust metadata needs an unencrypted copy (ssh-keygen -p -N "" -f <copy>)`);
  }
  return { key: tufKey(parsed.publicKey), privateKey: parsed.privateKey, fingerprint: parsed.publicKey.fingerprint };
}

/** The public half of a key file: a public key line (.pub) or an OpenSSH private key. */
export async function loadPublicKey(path: string): Promise<SshPublicKey> {
  const text = await readKeyFile(path);
  if (text.includes("PRIVATE KEY-----")) return parsePrivateKey(text, path).publicKey;
  return parsePublicKey(text, path);
}

/** Add each key's signature over the metadata's canonical signed part. */
export function signWith(md: AnyMetadata, keys: readonly TufSigningKey[]): void {
  for (const k of keys) {
    md.sign((data) => new Signature({ keyID: k.key.keyID, sig: cryptoSign(null, data, k.privateKey).toString("hex") }), true);
  }
}
