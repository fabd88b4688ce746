import { createHash } from "node:crypto";
import { Metadata, MetadataKind, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp } from "@tufjs/models";
import { SkillregError } from "../../core/index.js";
import { readFileAt, runGit } from "../../git/index.js";
import type { SshPublicKey } from "../ssh-keys.js";
import { signWith, tufKey, tufKeyFingerprint, type TufSigningKey } from "./keys.js";

/**
 * The registry side of the client's trust root, TUF-style (https://theupdateframework.io):
 *
 *   root       the registry admins' keys and threshold; names the online key. Kept in the
 *              registry repository as trust/<N>.root.json, committed like any admin change;
 *              version N+1 must be signed by the thresholds of both N and N+1 (a chain).
 *   targets    the length and sha256 of every index file (config.json, all.json,
 *              skills/<scope>/<name>.json): signer keys, validity windows, yanks,
 *              deprecations, visibility and scan decisions are all inside those files.
 *   snapshot   the version of targets.json;
 *   timestamp  the version of snapshot.json, with the shortest expiry: a frozen or rolled-back
 *              index is refused once it expires.
 *
 * targets/snapshot/timestamp are signed at every build by the release workflow's online key.
 */

export const TUF_SPEC_VERSION = "1.0.31";
/** Where the trust root chain lives in a registry repository. */
export const TRUST_DIR = "trust";
/** Where the signed metadata is served, beside the index files it covers. */
export const TUF_SITE_DIR = "index/v1/tuf";
/** Targets are paths under this folder of the site. */
export const TARGETS_SITE_DIR = "index/v1";

export const rootPathInRepo = (version: number) => `${TRUST_DIR}/${version}.root.json`;

/** A root file's fingerprint, as clients pin it: the sha256 of its bytes, as ssh-keygen -l writes a key's. */
export function rootFingerprint(bytes: Uint8Array | string): string {
  return `SHA256:${createHash("sha256").update(bytes).digest("base64").replace(/=+$/, "")}`;
}

/**
 * The field of root N+1 naming root N's fingerprint, and of the signer set naming the root
 * whose admins signed it. TUF metadata names no repository, and admins reuse their SSH keys
 * across registries: without these links, a root or signer set the same admins signed for
 * another registry would chain here too (docs/trust.md).
 */
export const PREVIOUS_ROOT_FIELD = "skillreg_previous_root";
export const SIGNING_ROOT_FIELD = "skillreg_root";

/** TUF's expiry format, checked: a date that does not parse would never expire. */
export function requireExpiry(expires: string, where: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(expires) || Number.isNaN(Date.parse(expires))) {
    throw new SkillregError(`${where} has an expiry that is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)`);
  }
}

const DAY_MS = 86_400_000;
/** How long each online role's signature stays good; every build re-signs all three. */
export const DEFAULT_EXPIRY_DAYS = { timestamp: 7, snapshot: 30, targets: 30 } as const;

const ONLINE_ROLES = [MetadataKind.Targets, MetadataKind.Snapshot, MetadataKind.Timestamp] as const;

/** TUF's expiry format: UTC, whole seconds. */
function expiry(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Text of a metadata file: compact JSON. Signatures cover the canonical form, not these bytes. */
function metadataText(md: Metadata<Root | Targets | Snapshot | Timestamp>): string {
  return JSON.stringify(md.toJSON(), null, 2) + "\n";
}

export function parseRoot(text: string, where: string): Metadata<Root> {
  try {
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(text));
    if (md.signed.type !== MetadataKind.Root) throw new Error(`it is ${md.signed.type} metadata`);
    return md;
  } catch (e) {
    throw new SkillregError(`${where}: not TUF root metadata (${(e as Error).message})`);
  }
}

export interface RootInput {
  /** The admins' keys: the root role. */
  admins: readonly SshPublicKey[];
  threshold: number;
  /** The release workflow's key, signing targets, snapshot and timestamp. */
  online: SshPublicKey;
  expires: Date;
  /** Admin private keys signing this root (for a rotation: old and new admins). */
  signers: readonly TufSigningKey[];
}

function makeRoot(version: number, input: RootInput, previousText?: string): Metadata<Root> {
  const adminKeys = input.admins.map(tufKey);
  const ids = new Set(adminKeys.map((k) => k.keyID));
  if (ids.size !== adminKeys.length) throw new SkillregError("the same admin key is listed twice");
  if (!Number.isInteger(input.threshold) || input.threshold < 1 || input.threshold > adminKeys.length) {
    throw new SkillregError(`threshold must be between 1 and the number of admin keys (${adminKeys.length}), not ${input.threshold}`);
  }
  const online = tufKey(input.online);
  if (ids.has(online.keyID)) throw new SkillregError("the online key must not be an admin key: it sits in CI, the admin keys must not");
  // @tufjs/models does not export its Role class: roles are given in the spec's JSON form.
  const onlineRole = { keyids: [online.keyID], threshold: 1 };
  const root = Root.fromJSON({
    _type: MetadataKind.Root,
    spec_version: TUF_SPEC_VERSION,
    version,
    expires: expiry(input.expires),
    consistent_snapshot: false,
    ...(previousText === undefined ? {} : { [PREVIOUS_ROOT_FIELD]: rootFingerprint(previousText) }),
    keys: Object.fromEntries([...adminKeys, online].map((k) => [k.keyID, k.toJSON()])),
    roles: {
      [MetadataKind.Root]: { keyids: [...ids], threshold: input.threshold },
      ...Object.fromEntries(ONLINE_ROLES.map((r) => [r, onlineRole])),
    },
  });
  const md = new Metadata(root);
  signWith(md, input.signers);
  return md;
}

/** Check that `signer` (a root) is satisfied by `md`'s signatures, or say by how many keys it is short. */
function requireSignedBy(signer: Metadata<Root>, md: Metadata<Root>, which: string): void {
  try {
    signer.verifyDelegate(MetadataKind.Root, md);
  } catch (e) {
    throw new SkillregError(`root version ${md.signed.version} is not signed by the threshold of ${which} (${(e as Error).message}); add --sign-key for more admin keys`);
  }
}

/** trust/1.root.json: the first root, signed by at least `threshold` of the admins. */
export function createRoot(input: RootInput): string {
  const md = makeRoot(1, input);
  requireSignedBy(md, md, "its own admin keys");
  return metadataText(md);
}

/** The next root of the chain: signed by the thresholds of the previous root and of itself. */
export function rotateRoot(previousText: string, input: RootInput): { version: number; text: string } {
  const previous = parseRoot(previousText, "the current root");
  const md = makeRoot(previous.signed.version + 1, input, previousText);
  requireSignedBy(previous, md, `the previous root (version ${previous.signed.version})`);
  requireSignedBy(md, md, "its own admin keys");
  return { version: md.signed.version, text: metadataText(md) };
}

/**
 * The chain of roots (trust/1.root.json ... trust/N.root.json), checked the way a client
 * walks it: versions 1..N with no gap, each signed by its predecessor's threshold and its own.
 * A client that pinned version `from` checks the chain from there (earlier roots are left
 * out of the result): the pinned root needs no predecessor, only its own admins' threshold.
 */
export function checkRootChain(texts: readonly string[], from = 1): Metadata<Root>[] {
  if (texts.length < from) throw new SkillregError(`the registry has no ${rootPathInRepo(from)}; create it with 'skillreg registry trust init'`);
  const chain = texts.slice(from - 1).map((t, i) => parseRoot(t, rootPathInRepo(from + i)));
  chain.forEach((md, i) => {
    const version = from + i;
    if (md.signed.version !== version) throw new SkillregError(`${rootPathInRepo(version)} says it is version ${md.signed.version}`);
    requireExpiry(md.signed.expires, rootPathInRepo(version));
    // One key under two key ids would meet a threshold of two alone.
    const admins = (md.signed.roles[MetadataKind.Root]?.keyIDs ?? []).map((id) => md.signed.keys[id]?.keyVal.public);
    if (new Set(admins).size !== admins.length) throw new SkillregError(`${rootPathInRepo(version)} lists one admin key under two key ids`);
    if (i > 0) {
      requireSignedBy(chain[i - 1]!, md, `root version ${version - 1}`);
      const previous = rootFingerprint(texts[version - 2]!);
      if (md.signed.unrecognizedFields[PREVIOUS_ROOT_FIELD] !== previous) {
        throw new SkillregError(`${rootPathInRepo(version)} does not name ${rootPathInRepo(version - 1)} (${previous}) as the root before it: it was made for another chain`);
      }
    }
    requireSignedBy(md, md, "its own admin keys");
  });
  return chain;
}

export interface SignIndexInput {
  /** The root chain, oldest first (texts of trust/1.root.json ... trust/N.root.json). */
  roots: readonly string[];
  online: TufSigningKey;
  now: Date;
  expiryDays?: { timestamp: number; snapshot: number; targets: number };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The signed metadata for a set of index files (site path -> text, or its length and sha256
 * when the caller wrote the text out already): site path -> text of
 * every file under index/v1/tuf/. Versions are the signing time in milliseconds, so they only grow
 * and a build needs no state of its own.
 */
export function signIndex(files: ReadonlyMap<string, string | { length: number; sha256: string }>, input: SignIndexInput): Map<string, string> {
  const chain = checkRootChain(input.roots);
  const root = chain.at(-1)!;
  for (const role of ONLINE_ROLES) {
    const ids = root.signed.roles[role]?.keyIDs ?? [];
    if (!ids.includes(input.online.key.keyID)) {
      const named = ids.map((id) => root.signed.keys[id]).filter((k) => k !== undefined).map(tufKeyFingerprint);
      throw new SkillregError(`the online key ${input.online.fingerprint} is not the ${role} key of ${rootPathInRepo(root.signed.version)} (${named.join(", ") || "none"})`);
    }
  }
  if (root.signed.isExpired(input.now)) {
    throw new SkillregError(`${rootPathInRepo(root.signed.version)} expired at ${root.signed.expires}; the admins must sign a new root ('skillreg registry trust rotate')`);
  }
  const days = input.expiryDays ?? DEFAULT_EXPIRY_DAYS;
  const version = input.now.getTime();
  const expires = (d: number) => expiry(new Date(input.now.getTime() + d * DAY_MS));
  const common = { version, specVersion: TUF_SPEC_VERSION };

  const targets: Record<string, TargetFile> = {};
  for (const [path, file] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.startsWith(`${TARGETS_SITE_DIR}/`) || path.startsWith(`${TUF_SITE_DIR}/`)) continue;
    const rel = path.slice(TARGETS_SITE_DIR.length + 1);
    const { length, sha256: hash } = typeof file === "string" ? { length: Buffer.byteLength(file), sha256: sha256(file) } : file;
    targets[rel] = new TargetFile({ path: rel, length, hashes: { sha256: hash } });
  }
  const targetsMd = new Metadata(new Targets({ ...common, expires: expires(days.targets), targets }));
  signWith(targetsMd, [input.online]);
  const targetsText = metadataText(targetsMd);
  const snapshotMd = new Metadata(
    new Snapshot({ ...common, expires: expires(days.snapshot), meta: { "targets.json": new MetaFile({ version, length: Buffer.byteLength(targetsText), hashes: { sha256: sha256(targetsText) } }) } }),
  );
  signWith(snapshotMd, [input.online]);
  const snapshotText = metadataText(snapshotMd);
  const timestampMd = new Metadata(
    new Timestamp({ ...common, expires: expires(days.timestamp), snapshotMeta: new MetaFile({ version, length: Buffer.byteLength(snapshotText), hashes: { sha256: sha256(snapshotText) } }) }),
  );
  signWith(timestampMd, [input.online]);

  const out = new Map<string, string>();
  input.roots.forEach((text, i) => out.set(`${TUF_SITE_DIR}/${i + 1}.root.json`, text));
  out.set(`${TUF_SITE_DIR}/root.json`, input.roots.at(-1)!);
  out.set(`${TUF_SITE_DIR}/targets.json`, targetsText);
  out.set(`${TUF_SITE_DIR}/snapshot.json`, snapshotText);
  out.set(`${TUF_SITE_DIR}/timestamp.json`, metadataText(timestampMd));
  return out;
}

/** The root chain as committed at `rev`: trust/1.root.json, trust/2.root.json, ... up to the first gap. */
/** Roots and signer sets are a few kilobytes; a bigger one is refused before it is read (whoever serves the repository chooses its size). */
export const MAX_TRUST_FILE_BYTES = 1024 * 1024;

/** A file of trust/ at `rev`, undefined when there is none; refused when larger than MAX_TRUST_FILE_BYTES. */
export async function readTrustFile(repoDir: string, rev: string, path: string): Promise<Buffer | undefined> {
  const size = await runGit(["cat-file", "-s", `${rev}:${path}`], { cwd: repoDir, okCodes: [128] });
  if (size.code !== 0) return undefined;
  if (Number(size.stdout) > MAX_TRUST_FILE_BYTES) throw new SkillregError(`${path} is ${size.stdout} bytes, more than a trust file may hold (${MAX_TRUST_FILE_BYTES}); refusing it`);
  return readFileAt(repoDir, rev, path);
}

export async function readRootChain(repoDir: string, rev: string): Promise<string[]> {
  const texts: string[] = [];
  for (let version = 1; ; version++) {
    const bytes = await readTrustFile(repoDir, rev, rootPathInRepo(version));
    if (!bytes) return texts;
    texts.push(bytes.toString("utf8"));
  }
}
