import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { Stanza, type Identity, type Recipient } from "age-encryption";
import type { SshPublicKey } from "../trust/index.js";

/**
 * The age `ssh-ed25519` recipient stanza (C2SP age.md), so that every member can open a
 * sealed version with their own ~/.ssh/id_ed25519 and the `age` CLI. The age-encryption
 * package (0.3.x) implements the format and its native recipients but not this SSH one, so
 * the stanza is written here on the noble primitives the package itself uses; the tests
 * cross-check every direction with the real `age` CLI.
 *
 *   -> ssh-ed25519 <tag> <ephemeral share>
 *   <ChaCha20-Poly1305 of the file key>
 *
 * tag: first 4 bytes of SHA-256 of the SSH public key's wire encoding. The X25519 key is the
 * Ed25519 key through the birational map; the shared secret is multiplied by a tweak bound
 * to the SSH key, so the same key used with plain X25519 elsewhere yields other secrets.
 */

export const SSH_ED25519_STANZA = "ssh-ed25519";
const LABEL = new TextEncoder().encode("age-encryption.org/v1/ssh-ed25519");
const FILE_KEY_BYTES = 16;
const WRAPPED_FILE_KEY_BYTES = FILE_KEY_BYTES + 16;
const ZERO_NONCE = new Uint8Array(12);

/** Unpadded standard base64, age's encoding for stanza arguments. */
export function base64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

/** Strict unpadded base64: anything that does not re-encode to itself is refused. */
function fromB64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  return base64NoPad(bytes) === text ? bytes : undefined;
}

/** The stanza tag: which SSH key a stanza is for, without naming it. */
export function sshStanzaTag(key: SshPublicKey): string {
  return base64NoPad(sha256(key.blob).subarray(0, 4));
}

/** HKDF-SHA-256 with empty input keyed by the SSH key: the per-key scalar tweak. */
function tweakFor(key: SshPublicKey): Uint8Array {
  return hkdf(sha256, new Uint8Array(0), key.blob, LABEL, 32);
}

function wrapKey(sharedSecret: Uint8Array, ephemeralShare: Uint8Array, recipientX25519: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralShare, 0);
  salt.set(recipientX25519, 32);
  return hkdf(sha256, sharedSecret, salt, LABEL, 32);
}

/** Encrypts a file key to one member's ssh-ed25519 public key. */
export class SshEd25519Recipient implements Recipient {
  private readonly x25519Public: Uint8Array;

  constructor(private readonly key: SshPublicKey) {
    // toMontgomery decompresses the Edwards point and throws for bytes that are not one.
    this.x25519Public = ed25519.utils.toMontgomery(key.key);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const ephemeral = randomBytes(32);
    const share = x25519.getPublicKey(ephemeral);
    const shared = x25519.scalarMult(tweakFor(this.key), x25519.scalarMult(ephemeral, this.x25519Public));
    const body = chacha20poly1305(wrapKey(shared, share, this.x25519Public), ZERO_NONCE).encrypt(fileKey);
    return [new Stanza([SSH_ED25519_STANZA, sshStanzaTag(this.key), base64NoPad(share)], body)];
  }
}

/**
 * Decrypts the file key from the stanza meant for one ssh-ed25519 private key. Returns null
 * for stanzas of other keys or types (age tries every identity on every stanza); throws only
 * for a stanza with this key's tag that is malformed, as the age-encryption contract asks.
 */
export class SshEd25519Identity implements Identity {
  private readonly x25519Secret: Uint8Array;
  private readonly x25519Public: Uint8Array;
  private readonly tag: string;

  constructor(
    seed: Uint8Array,
    private readonly key: SshPublicKey,
  ) {
    this.x25519Secret = ed25519.utils.toMontgomerySecret(seed);
    this.x25519Public = ed25519.utils.toMontgomery(key.key);
    this.tag = sshStanzaTag(key);
  }

  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      const [type, tag, shareText] = stanza.args;
      if (type !== SSH_ED25519_STANZA || tag !== this.tag) continue;
      const share = shareText === undefined ? undefined : fromB64(shareText);
      if (stanza.args.length !== 3 || share?.length !== 32 || stanza.body.length !== WRAPPED_FILE_KEY_BYTES) {
        throw new Error("invalid ssh-ed25519 recipient stanza");
      }
      let shared: Uint8Array;
      try {
        shared = x25519.scalarMult(tweakFor(this.key), x25519.scalarMult(this.x25519Secret, share));
      } catch {
        // noble refuses a low-order share (an all-zero secret): a forged stanza.
        throw new Error("invalid ssh-ed25519 recipient stanza (low-order ephemeral share)");
      }
      try {
        return chacha20poly1305(wrapKey(shared, share, this.x25519Public), ZERO_NONCE).decrypt(stanza.body);
      } catch {
        // A 4-byte tag can collide; a stanza that does not open is simply not ours.
        continue;
      }
    }
    return null;
  }
}
