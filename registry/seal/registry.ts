import { existsSync } from "node:fs";
import { ROLES, SkillregError, membersWith, publishTagPath, sealedEnvelopePath, skillVisibility, type RegistryConfig, type ScopeFile } from "../core/index.js";
import { lsTree, readBlobs, readFileAt } from "../git/index.js";
import { isAllowed, parsePublicKey, parseRegistrySigners, parseTagObject, type AllowedSigner } from "../trust/index.js";
import { SEALED_MANIFEST_FILE, SEALED_PAYLOAD_FILE, type SealEnvelope } from "./schema.js";
import { SSH_ED25519_STANZA, sshStanzaTag } from "./ssh-ed25519.js";
import { loadSealIdentity, openSealed, type OpenedVersion, type PlainFile, type SealedVersion, type SealIdentity, type SealRecipient, type VersionId } from "./seal.js";

/**
 * Sealed versions in a registry: who a version is sealed to, what its signed tree holds, and
 * opening one read from git. The flows (push, gate, pull) call these; the format is seal.ts.
 */

/** The principal the envelope names for the registry's gate key. */
export const GATE_PRINCIPAL = "registry-gate";

/** The registry's gate key, when SKILLREG_GATE_KEY names its private key file (the CI secret). */
export async function gateKeyFromEnv(env: NodeJS.ProcessEnv): Promise<SealIdentity | undefined> {
  const path = env.SKILLREG_GATE_KEY;
  return path ? loadSealIdentity(path) : undefined;
}

/**
 * The key that opens sealed versions for a command: the file the user gave (--identity), else
 * the registry's gate key (SKILLREG_GATE_KEY, in CI), else `userKey` (the user's own SSH key)
 * when that file exists. Undefined when there is none.
 */
export async function sealIdentityFor(given: string | undefined, env: NodeJS.ProcessEnv, userKey?: string): Promise<SealIdentity | undefined> {
  if (given !== undefined) return loadSealIdentity(given);
  return (await gateKeyFromEnv(env)) ?? (userKey !== undefined && existsSync(userKey) ? loadSealIdentity(userKey) : undefined);
}

/** Whether new versions of this skill are sealed: the registry seals, and the skill is private. */
export function sealsSkill(config: RegistryConfig, scopeFile: ScopeFile, name: string): boolean {
  return config.sealing !== undefined && skillVisibility(scopeFile, name) === "private";
}

export interface ScopeRecipients {
  recipients: SealRecipient[];
  /** Members with no current key in allowed_signers: they cannot read what is sealed now. */
  withoutKeys: string[];
}

/**
 * Everyone who may read a private skill of the scope (owners, maintainers, readers), with
 * each key allowed_signers lists for them at `now`, plus the registry's gate key.
 */
export function scopeRecipients(config: RegistryConfig, scopeFile: ScopeFile, allowedSigners: string | readonly AllowedSigner[], now: Date): ScopeRecipients {
  if (!config.sealing) throw new SkillregError("skillreg.yaml has no sealing.gateRecipient, so this registry does not seal versions");
  const signers = typeof allowedSigners === "string" ? parseRegistrySigners(allowedSigners) : allowedSigners;
  const recipients: SealRecipient[] = [{ principal: GATE_PRINCIPAL, key: config.sealing.gateRecipient }];
  const withoutKeys: string[] = [];
  for (const principal of membersWith(scopeFile, ROLES)) {
    const keys = signers.filter((s) => isAllowed([s], principal, s.key.blob, { namespace: "git", at: now }));
    if (keys.length === 0) withoutKeys.push(principal);
    for (const s of keys) recipients.push({ principal, key: s.key.line });
  }
  return { recipients, withoutKeys };
}

/**
 * The stanzas of a sealed version's header that wrap its file key to a key outside `allowed`
 * (or are not ssh-ed25519 stanzas at all), with the principals the envelope names for them.
 * A stanza names its key only by a 4-byte tag, so this is what the gate can check without the
 * recipients' private keys: it catches a version sealed before a member was removed, or to a
 * stranger by mistake. It does not stop a reader who forges a stanza's tag (and recomputes the
 * header MAC with the file key they hold) to wrap the key for someone else: no key is needed for
 * that, but a reader holds the plaintext anyway and can hand it to anyone (docs/sealed.md).
 */
export function strangerStanzas(envelope: SealEnvelope, allowed: readonly SealRecipient[]): { count: number; principals: string[] } {
  const keys = allowed.map((r) => parsePublicKey(r.key, `recipient ${r.principal}`));
  const tags = new Set(keys.map(sshStanzaTag));
  const fingerprints = new Set(keys.map((k) => k.fingerprint));
  const stanzas = envelope.header.split("\n").filter((line) => line.startsWith("-> "));
  const count = stanzas.filter((line) => {
    const [type, tag] = line.slice(3).split(" ");
    return type !== SSH_ED25519_STANZA || tag === undefined || !tags.has(tag);
  }).length;
  const principals = envelope.recipients.filter((r) => !fingerprints.has(r.fingerprint)).map((r) => r.principal);
  return { count: Math.max(count, principals.length), principals };
}

/** The files a sealed version's signed tree holds, for writing into skills/<scope>/<name>/. */
export function sealedTreeFiles(sealed: SealedVersion): PlainFile[] {
  return [
    { path: SEALED_PAYLOAD_FILE, executable: false, bytes: sealed.payload },
    { path: SEALED_MANIFEST_FILE, executable: false, bytes: Buffer.from(sealed.manifestText, "utf8") },
  ];
}

/** A tree of exactly sealed.json and the payload is a sealed version; anything else is plaintext. */
export function isSealedTree(files: readonly { path: string }[]): boolean {
  const paths = files.map((f) => f.path).sort();
  return paths.length === 2 && paths[0] === SEALED_PAYLOAD_FILE && paths[1] === SEALED_MANIFEST_FILE;
}

/** Open a sealed tree read from git (its two files) with the envelope read beside it. */
export async function openSealedTree(
  id: VersionId,
  files: readonly { path: string; bytes?: Uint8Array }[],
  envelopeText: string | undefined,
  /** Undefined: open with the envelope's disclosed file key. */
  identity: SealIdentity | undefined,
): Promise<OpenedVersion> {
  const where = `@${id.scope}/${id.name}@${id.version}`;
  const manifest = files.find((f) => f.path === SEALED_MANIFEST_FILE)?.bytes;
  const payload = files.find((f) => f.path === SEALED_PAYLOAD_FILE)?.bytes;
  if (!manifest || !payload) throw new SkillregError(`${where}: the sealed tree lacks ${SEALED_MANIFEST_FILE} or ${SEALED_PAYLOAD_FILE}`);
  if (envelopeText === undefined) throw new SkillregError(`${where} is sealed but the registry has no recipient envelope for it (${sealedEnvelopePath(id.scope, id.name, id.version)})`);
  return openSealed({ manifestText: Buffer.from(manifest).toString("utf8"), payload, envelopeText, expect: id }, identity);
}

/** A published sealed version as stored at one revision of the registry: its signed tree's two files and its envelope. */
export interface StoredSealedVersion {
  files: { path: string; bytes: Uint8Array }[];
  /** The envelope's text at that revision, undefined when there is none. */
  envelopeText: string | undefined;
}

/**
 * Read a published version's sealed tree through its publish record (the tag object names
 * the tree) and its envelope, both at `rev`. Undefined when the version is not published
 * there or its tree is not a sealed one.
 */
export async function readStoredSealedVersion(repo: string, rev: string, id: VersionId): Promise<StoredSealedVersion | undefined> {
  const tagBytes = await readFileAt(repo, rev, publishTagPath(id.scope, id.name, id.version));
  if (tagBytes === undefined) return undefined;
  let tree: string;
  try {
    const parsed = parseTagObject(tagBytes);
    if (parsed.type !== "tree") return undefined;
    tree = parsed.object;
  } catch (e) {
    if (e instanceof SkillregError) return undefined;
    throw e;
  }
  const entries = await lsTree(repo, tree, [], false).catch(() => []);
  if (!isSealedTree(entries) || entries.some((e) => e.type !== "blob")) return undefined;
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  const envelope = await readFileAt(repo, rev, sealedEnvelopePath(id.scope, id.name, id.version));
  return { files: entries.map((e) => ({ path: e.path, bytes: blobs.get(e.oid)! })), envelopeText: envelope?.toString("utf8") };
}
