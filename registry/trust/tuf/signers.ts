import { createHash } from "node:crypto";
import { canonicalize } from "@tufjs/canonical-json";
import { Metadata, MetadataKind, TargetFile, Targets } from "@tufjs/models";
import {
  ALLOWED_SIGNERS_FILE,
  CONFIG_FILE,
  SCOPES_DIR,
  SkillregError,
  parseScopeFile,
  parseScopeFilePath,
  scopeFileSchema,
  skillKey,
  validatorFor,
  type ScopeFile,
} from "../../core/index.js";
import { signWith, type TufSigningKey } from "./keys.js";
import { SIGNING_ROOT_FIELD, TRUST_DIR, TUF_SPEC_VERSION, checkRootChain, requireExpiry, rootFingerprint, rootPathInRepo } from "./repository.js";
import type { RootPin, TrustState } from "./client.js";

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
 *   scopes/<scope>/flags       each scope's visibility and its skills' visibility, yanks and
 *                              deprecations (canonical JSON, also carried in the target's
 *                              `custom`, so a client can name what main dropped)
 *
 * as TUF targets metadata (@tufjs/models) in trust/signers.json, beside the root chain. A
 * client holds main's files to it: a key, a member, a policy, a yank, a deprecation or a
 * visibility the admins did not sign is refused, and a yank they signed that main lost is
 * named. So a yank or a deprecation takes an admin's signature too (docs/trust.md). Scan
 * decisions need no entry: the client scans the signed tag's tree itself, under the signed
 * skillreg.yaml's policy.
 */

export const SIGNERS_PATH = `${TRUST_DIR}/signers.json`;
/** Signer sets stay valid this long unless the admins choose otherwise; they re-sign at every membership or key change anyway. */
export const DEFAULT_SIGNERS_EXPIRY_DAYS = 365;

const membersTarget = (scope: string) => `${SCOPES_DIR}/${scope}/members`;
const flagsTarget = (scope: string) => `${SCOPES_DIR}/${scope}/flags`;
/** The key under a flags target's `custom` holding what was signed, as JSON. */
const FLAGS_CUSTOM_FIELD = "skillreg_flags";

/** What a scope's flags target signs: the scope file less its name and members. */
type ScopeFlags = Pick<ScopeFile, "visibility" | "skills">;

/** The flags as signers.json carries them; the scope file's own schema for the two fields. */
const scopeFlagsSchema = {
  $id: "https://skillreg.dev/schema/signers-scope-flags.json",
  title: "trust/signers.json: a scope's visibility, yanks and deprecations",
  type: "object",
  additionalProperties: false,
  required: ["visibility", "skills"],
  properties: { visibility: scopeFileSchema.properties.visibility, skills: scopeFileSchema.properties.skills },
} as const;

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

/** Target path -> the bytes signed for it, and each scope's flags as parsed. A scope file that does not parse grants nobody and flags nothing. */
function signedForm(files: SignerSetFiles): { texts: Map<string, string>; flags: Map<string, ScopeFlags> } {
  const texts = new Map<string, string>([
    [ALLOWED_SIGNERS_FILE, files.allowedSigners],
    [CONFIG_FILE, files.config],
  ]);
  const flags = new Map<string, ScopeFlags>();
  for (const [scope, text] of [...files.scopes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let parsed: Pick<ScopeFile, "members" | "visibility" | "skills"> = { members: {}, visibility: "private", skills: {} };
    try {
      parsed = parseScopeFile(text, `${SCOPES_DIR}/${scope}.yaml`);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
    }
    texts.set(membersTarget(scope), canonicalize(parsed.members));
    const scopeFlags = { visibility: parsed.visibility, skills: parsed.skills };
    texts.set(flagsTarget(scope), canonicalize(scopeFlags));
    flags.set(scope, scopeFlags);
  }
  return { texts, flags };
}

/** The flags a signed target carries, when they are exactly what it signs (else undefined: only its hash is known). */
function signedFlags(target: TargetFile): ScopeFlags | undefined {
  const carried = target.custom[FLAGS_CUSTOM_FIELD];
  if (!validatorFor(scopeFlagsSchema)(carried)) return undefined;
  const text = canonicalize(carried);
  return target.length === Buffer.byteLength(text) && target.hashes.sha256 === sha256(text) ? (carried as ScopeFlags) : undefined;
}

const ownEntries = <T>(map: Readonly<Record<string, T>> | undefined): [string, T][] => (map === undefined ? [] : Object.entries(map));

/**
 * The first way main's flags of a scope differ from the signed ones, in words: a dropped yank
 * or deprecation first (what a hostile server hides), then flags nobody signed, then visibility.
 */
function flagsDifference(scope: string, signed: ScopeFlags, now: ScopeFlags): string | undefined {
  const names = [...new Set([...Object.keys(signed.skills), ...Object.keys(now.skills)])].sort();
  const skill = (flags: ScopeFlags, name: string) => (Object.hasOwn(flags.skills, name) ? flags.skills[name] : undefined);
  for (const kind of ["yanked", "deprecated"] as const) {
    const word = kind === "yanked" ? "yank" : "deprecation";
    for (const name of names) {
      const had = skill(signed, name)?.[kind];
      const has = skill(now, name)?.[kind];
      for (const [version, reason] of ownEntries(had)) {
        if (!(has !== undefined && Object.hasOwn(has, version))) return `dropped ${word}: ${skillKey(scope, name)}@${version} is ${kind} in what the admins signed (${JSON.stringify(reason)}) but not at main`;
      }
      for (const [version, reason] of ownEntries(has)) {
        if (!(had !== undefined && Object.hasOwn(had, version)) || had[version] !== reason) return `${skillKey(scope, name)}@${version} is ${kind} at main (${JSON.stringify(reason)}), but the admins did not sign that ${word}`;
      }
    }
  }
  for (const name of names) {
    const was = skill(signed, name)?.visibility ?? signed.visibility;
    const is = skill(now, name)?.visibility ?? now.visibility;
    if (was !== is) return `${skillKey(scope, name)} is ${is} at main, but the admins signed it ${was}`;
  }
  if (signed.visibility !== now.visibility) return `@${scope} is ${now.visibility} at main, but the admins signed it ${signed.visibility}`;
  return undefined;
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
  const { texts, flags } = signedForm(files);
  const flagsOf = new Map([...flags].map(([scope, f]) => [flagsTarget(scope), f]));
  const targets = Object.fromEntries(
    [...texts].map(([path, text]) => {
      const carried = flagsOf.get(path);
      const custom = carried === undefined ? {} : { unrecognizedFields: { custom: { [FLAGS_CUSTOM_FIELD]: carried } } };
      return [path, new TargetFile({ path, length: Buffer.byteLength(text), hashes: { sha256: sha256(text) }, ...custom })];
    }),
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

/**
 * The trust state a verified repository stands for. The signer set's version is both its
 * timestamp and its snapshot: it is the repository's only signed metadata that changes, and
 * its version only grows.
 */
export function signerSetTrustState(verified: VerifiedSignerSet): TrustState {
  return { pin: verified.pin, rootVersion: verified.rootVersion, newestRoot: verified.newestRoot, timestampVersion: verified.signersVersion, snapshotVersion: verified.signersVersion, signerSet: true };
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
  for (const path of [...new Set([...Object.keys(signed), ...now.texts.keys()])].sort()) {
    const text = now.texts.get(path);
    const target = signed[path];
    const ok = text !== undefined && target !== undefined && target.length === Buffer.byteLength(text) && target.hashes.sha256 === sha256(text);
    if (ok) continue;
    const scope = path.split("/")[1]!;
    if (path === flagsTarget(scope) && target !== undefined && text !== undefined) {
      const was = signedFlags(target);
      const difference = was && flagsDifference(scope, was, now.flags.get(scope)!);
      if (difference) throw new SkillregError(`${shown}: ${difference} (${SIGNERS_PATH}); refusing it`);
    }
    const what =
      path === membersTarget(scope) ? `the members of @${scope} at main are` : path === flagsTarget(scope) ? `the visibility, yanks and deprecations of @${scope} at main are` : `${path} at main is`;
    const why = target === undefined ? "the admins signed nothing for it" : text === undefined ? "it is missing" : "it differs from what the admins signed";
    throw new SkillregError(`${shown}: ${what} not vouched for by the pinned root (${SIGNERS_PATH}: ${why}); refusing its keys`);
  }
  return { pin, rootVersion: root.signed.version, newestRoot: { fingerprint: rootFingerprint(newest), version: root.signed.version }, signersVersion: md.signed.version };
}
