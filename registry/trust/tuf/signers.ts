import { createHash } from "node:crypto";
import { canonicalize } from "@tufjs/canonical-json";
import { Metadata, MetadataKind, TargetFile, Targets } from "@tufjs/models";
import { ALLOWED_SIGNERS_FILE, CONFIG_FILE, SCOPES_DIR, SkillregError, parseScopeFile, parseScopeFilePath } from "../../core/index.js";
import { signWith, type TufSigningKey } from "./keys.js";
import { SIGNING_ROOT_FIELD, TRUST_DIR, TUF_SPEC_VERSION, checkRootChain, requireExpiry, rootFingerprint, rootPathInRepo } from "./repository.js";
import type { RootPin } from "./client.js";

/**
 * The signer set: what a registry named by its Git URL (or a folder) is trusted through.
 * Such a registry serves no index; the client builds it from the repository, so the keys and
 * principals it uses must themselves be vouched for by the root the project pinned. The
 * admins sign, with their root's threshold, the length and sha256 of
 *
 *   allowed_signers            every key, its principal, its validity window (revocations)
 *   skillreg.yaml              admins, security reviewers, scanner policy
 *   scopes/<scope>/members     each scope's members and roles (canonical JSON)
 *
 * as TUF targets metadata (@tufjs/models) in trust/signers.json, beside the root chain. A
 * client holds main's files to it: a key, a member or a policy the admins did not sign is
 * refused. Only membership is signed, not the whole scope file, so owners still yank,
 * deprecate and change visibility without the admins (docs/trust.md, "Limits").
 */

export const SIGNERS_PATH = `${TRUST_DIR}/signers.json`;
/** Signer sets stay valid this long unless the admins choose otherwise; they re-sign at every membership or key change anyway. */
export const DEFAULT_SIGNERS_EXPIRY_DAYS = 365;

const membersTarget = (scope: string) => `${SCOPES_DIR}/${scope}/members`;

/** What the repository holds at one commit, as the signer set covers it. */
export interface SignerSetFiles {
  allowedSigners: string;
  config: string;
  /** scopes/<scope>.yaml texts by scope. */
  scopes: ReadonlyMap<string, string>;
}

/** The signer set's files from scope files named by their paths (`scopes/<scope>.yaml`); other paths are skipped. */
export function signerSetFiles(allowedSigners: string, config: string, scopeFiles: Iterable<[path: string, text: string]>): SignerSetFiles {
  const scopes = new Map<string, string>();
  for (const [path, text] of scopeFiles) {
    const scope = parseScopeFilePath(path);
    if (scope !== undefined) scopes.set(scope, text);
  }
  return { allowedSigners, config, scopes };
}

/** Target path -> the bytes signed for it. A scope file that does not parse grants nobody, so its members are {}. */
function signedForm(files: SignerSetFiles): Map<string, string> {
  const out = new Map<string, string>([
    [ALLOWED_SIGNERS_FILE, files.allowedSigners],
    [CONFIG_FILE, files.config],
  ]);
  for (const [scope, text] of [...files.scopes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let members: Record<string, string> = {};
    try {
      members = parseScopeFile(text, `${SCOPES_DIR}/${scope}.yaml`).members;
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
    }
    out.set(membersTarget(scope), canonicalize(members));
  }
  return out;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function expiry(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface SignSignerSetInput {
  /** The root chain, oldest first; the newest root's admins sign. */
  roots: readonly string[];
  signers: readonly TufSigningKey[];
  now: Date;
  expiresDays?: number;
}

/** trust/signers.json for `files`, signed by at least the threshold of the newest root. */
export function signSignerSet(files: SignerSetFiles, input: SignSignerSetInput): string {
  const root = checkRootChain(input.roots).at(-1)!;
  const targets = Object.fromEntries(
    [...signedForm(files)].map(([path, text]) => [path, new TargetFile({ path, length: Buffer.byteLength(text), hashes: { sha256: sha256(text) } })]),
  );
  const version = input.now.getTime();
  const days = input.expiresDays ?? DEFAULT_SIGNERS_EXPIRY_DAYS;
  const md = new Metadata(
    new Targets({ version, specVersion: TUF_SPEC_VERSION, expires: expiry(new Date(version + days * 86_400_000)), targets, unrecognizedFields: { [SIGNING_ROOT_FIELD]: rootFingerprint(input.roots.at(-1)!) } }),
  );
  signWith(md, input.signers);
  try {
    root.verifyDelegate(MetadataKind.Root, md);
  } catch (e) {
    throw new SkillregError(`${SIGNERS_PATH} is not signed by the threshold of ${rootPathInRepo(root.signed.version)} (${(e as Error).message}); add --sign-key for more admin keys`);
  }
  return JSON.stringify(md.toJSON(), null, 2) + "\n";
}

/** What a client verified a repository from: the pin, the newest root it walked to, and the signer set's version. */
export interface VerifiedSignerSet {
  pin: RootPin;
  rootVersion: number;
  /** The newest root of the chain: its fingerprint and version. */
  newestRoot: RootPin;
  signersVersion: number;
}

export interface VerifySignerSetInput {
  pin: RootPin;
  /** The newest root the project's checkpoint saw this repository's chain verified to: the chain must still hold it. */
  held?: RootPin;
  /** trust/1.root.json ... as the repository holds them. */
  roots: readonly string[];
  /** trust/signers.json, undefined when the repository has none. */
  signersText: string | undefined;
  files: SignerSetFiles;
  now: Date;
  /** How the registry is named in messages. */
  shown: string;
}

/**
 * Hold a repository to the pinned root: the pinned root is in its chain byte for byte, every
 * later root is signed by the threshold of the one before (and its own), the newest is not
 * expired, it signs (threshold) an unexpired trust/signers.json, and main's allowed_signers,
 * skillreg.yaml and scope members are exactly what that file lists. The signature and chain
 * checks are @tufjs/models' own (verifyDelegate), the same as tuf-js runs for a site.
 */
export function verifySignerSet(input: VerifySignerSetInput): VerifiedSignerSet {
  const { pin, roots, shown, held } = input;
  // A pin taken from the checkpoint (nothing else pins the registry) is checked as the checkpoint's, below.
  if (pin !== held) {
    const pinned = roots[pin.version - 1];
    if (pinned === undefined) throw new SkillregError(`${shown} holds no ${rootPathInRepo(pin.version)}, the root this project pinned; refusing its keys`);
    const got = rootFingerprint(pinned);
    if (got !== pin.fingerprint) {
      throw new SkillregError(`${shown}: ${rootPathInRepo(pin.version)} has fingerprint ${got}, but this project pinned ${pin.fingerprint}; refusing its keys`);
    }
  }
  if (held !== undefined) {
    const was = roots[held.version - 1];
    if (was === undefined) {
      throw new SkillregError(`${shown}: the root chain was cut back: ${rootPathInRepo(held.version)} (root version ${held.version}, ${held.fingerprint}) was verified at the last checkpoint and is gone; refusing its keys`);
    }
    const now = rootFingerprint(was);
    if (now !== held.fingerprint) throw new SkillregError(`${shown}: ${rootPathInRepo(held.version)} has fingerprint ${now}, but this project's checkpoint recorded ${held.fingerprint}; refusing its keys`);
  }
  let root;
  try {
    root = checkRootChain(roots, pin.version).at(-1)!;
  } catch (e) {
    throw new SkillregError(`${shown}: the root chain does not hold from the pinned root: ${(e as Error).message.replace(/; add --sign-key.*$/, "")}; refusing its keys`);
  }
  if (root.signed.isExpired(input.now)) throw new SkillregError(`${shown}: ${rootPathInRepo(root.signed.version)} expired at ${root.signed.expires}; refusing its keys until the admins sign a new root`);
  if (input.signersText === undefined) {
    throw new SkillregError(`${shown} holds no ${SIGNERS_PATH}: its admins signed no signer set, so the pinned root vouches for none of its keys; refusing it`);
  }
  let md: Metadata<Targets>;
  try {
    md = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(input.signersText));
    root.verifyDelegate(MetadataKind.Root, md);
  } catch (e) {
    throw new SkillregError(`${shown}: ${SIGNERS_PATH} is not signed by the threshold of the admins of ${rootPathInRepo(root.signed.version)} (${(e as Error).message}); refusing its keys`);
  }
  const newest = roots[root.signed.version - 1]!;
  if (md.signed.unrecognizedFields[SIGNING_ROOT_FIELD] !== rootFingerprint(newest)) {
    throw new SkillregError(`${shown}: ${SIGNERS_PATH} was not signed for ${rootPathInRepo(root.signed.version)} (${rootFingerprint(newest)}) of this registry; refusing its keys`);
  }
  try {
    requireExpiry(md.signed.expires, SIGNERS_PATH);
  } catch (e) {
    throw new SkillregError(`${shown}: ${(e as Error).message}; refusing its keys`);
  }
  if (md.signed.isExpired(input.now)) throw new SkillregError(`${shown}: ${SIGNERS_PATH} expired at ${md.signed.expires}; refusing its keys until the admins sign it again`);
  const signed = md.signed.targets;
  const now = signedForm(input.files);
  for (const path of [...new Set([...Object.keys(signed), ...now.keys()])].sort()) {
    const text = now.get(path);
    const target = signed[path];
    const ok = text !== undefined && target !== undefined && target.length === Buffer.byteLength(text) && target.hashes.sha256 === sha256(text);
    if (ok) continue;
    const members = path.endsWith("/members");
    const what = members ? `the members of @${path.split("/")[1]} at main are` : `${path} at main is`;
    const why = target === undefined ? "the admins signed nothing for it" : text === undefined ? "it is missing" : "it differs from what the admins signed";
    throw new SkillregError(`${shown}: ${what} not vouched for by the pinned root (${SIGNERS_PATH}: ${why}); refusing its keys`);
  }
  return { pin, rootVersion: root.signed.version, newestRoot: { fingerprint: rootFingerprint(newest), version: root.signed.version }, signersVersion: md.signed.version };
}
