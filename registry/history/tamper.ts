import { readAuditCommits, type AuditCommit } from "./audit.js";
import { judgedAt, mainLineTimes } from "../trust/index.js";
import { parseScopeFile } from "../core/index.js";
import type { ScopeFile } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import { listTags, readFileAt, type TagRef } from "../git/index.js";
import { ALLOWED_SIGNERS_FILE, PUBLISH_DIR, checkPublishPath, isLayoutPlaceholder, parseScopeFilePath } from "../core/index.js";
import { membersWith } from "../core/index.js";
import { parseRegistrySigners, registrySignersOrNone, type AllowedSigner } from "../trust/index.js";
import { parseTagName, parseTagObject, tagName, tagObjectId, verifyTagSignature } from "../trust/index.js";

/**
 * Tamper evidence for a registry (`skillreg verify --registry`): the publish records on the
 * main line, the tag refs and the history that connects them must tell one story.
 *
 * - every publish record has its tag, and the tag is the identical object;
 * - every skill tag has a publish record;
 * - every record's signature verifies with a key allowed_signers (as it is now) authorises
 *   at the moment the release recorded it, as a signature proves it: the main-line commit that
 *   added the record, its time never earlier than the history before it, proven by its own
 *   signature or the next signed commit (trust/release-time.ts); never the tagger date the
 *   publisher wrote, nor a commit date nobody signed. A revoked key keeps its line with
 *   `valid-before`, so the tags it signed before stay valid and later ones fail;
 * - the signer was an owner or maintainer of the scope just before that commit;
 * - no record was modified or deleted on the main line, ever.
 *
 * The main line is the first-parent history: what each merge or direct commit changed on the
 * branch everyone pulls from. A record rewritten away by a force-push shows up as a tag without
 * a record, or as a tag that differs from its record.
 */

export interface TamperFacts {
  /** Main-line commits that touched publish/ or scopes/ or allowed_signers, oldest first. */
  commits: AuditCommit[];
  tags: TagRef[];
  /** allowed_signers at the tip of the main line. */
  allowedSigners: string;
}

export interface Violation {
  /** The publish record or tag the violation is about. */
  subject: string;
  message: string;
}

interface PublishRecord {
  path: string;
  bytes: Buffer;
  releasedAt: Date;
  /** Whether a signed main-line commit proves the release time (else it is its claimed time, never earlier than the history before it). */
  releaseProven: boolean;
  releaseCommit: string;
  /** Scope files as they were just before the release commit (the trusted side). */
  publishers?: string[];
  /** allowed_signers just before the release commit: the keys authorised when it was released. */
  signersAtRelease: string;
}

export interface TamperReport {
  violations: Violation[];
  /** How many publish records and skill tags were checked. */
  records: number;
  tags: number;
}

/** Decide every violation from the facts. Pure. */
export function findTamper(facts: TamperFacts): TamperReport {
  const violations: Violation[] = [];
  const add = (subject: string, message: string) => violations.push({ subject, message });
  const records = new Map<string, PublishRecord>();
  const scopes = new Map<string, ScopeFile>();

  // Release times come from signatures, never from the dates commits claim (trust/release-time.ts).
  const times = mainLineTimes(facts.commits);
  for (const [index, commit] of facts.commits.entries()) {
    const at = judgedAt(times, index);
    const proven = times[index]?.provenAt !== undefined;
    const short = commit.id.slice(0, 12);
    for (const change of commit.changes) {
      if (change.path.startsWith(`${PUBLISH_DIR}/`) && !isLayoutPlaceholder(change.path)) {
        if (change.status === "A" && change.after) {
          const ref = checkPublishPath(change.path);
          const publishers = "problem" in ref ? undefined : membersWith(scopes.get(ref.scope) ?? EMPTY_SCOPE, ["owner", "maintainer"]);
          records.set(change.path, {
            path: change.path,
            bytes: change.after,
            releasedAt: at,
            releaseProven: proven,
            releaseCommit: commit.id,
            signersAtRelease: commit.signersBefore,
            ...(publishers ? { publishers } : {}),
          });
        } else if (change.status === "M") {
          add(change.path, `publish record modified in commit ${short}: object ${objectIdOf(change.before)} became ${objectIdOf(change.after)}; published versions never change`);
        } else if (change.status === "D") {
          add(change.path, `publish record deleted in commit ${short}; published versions are never removed (yank them instead)`);
        }
      }
    }
    // Scope changes take effect after this commit: a release is judged by the scopes before it.
    for (const change of commit.changes) {
      const scope = parseScopeFilePath(change.path);
      if (scope === undefined) continue;
      if (!change.after) scopes.delete(scope);
      else {
        try {
          scopes.set(scope, parseScopeFile(change.after, change.path));
        } catch (e) {
          if (!(e instanceof SkillregError)) throw e;
          scopes.delete(scope);
        }
      }
    }
  }

  let signers: AllowedSigner[] = [];
  try {
    signers = parseRegistrySigners(facts.allowedSigners, ALLOWED_SIGNERS_FILE);
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    add(ALLOWED_SIGNERS_FILE, `cannot be read, so no signature can be verified: ${e.message}`);
  }

  const tagsByName = new Map(facts.tags.map((t) => [t.name, t]));
  const expectedTags = new Set<string>();
  for (const record of [...records.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const ref = checkPublishPath(record.path);
    if ("problem" in ref) {
      add(record.path, ref.problem);
      continue;
    }
    const name = tagName(ref.scope, ref.name, ref.version);
    expectedTags.add(name);
    const id = tagObjectId(record.bytes);
    const tag = tagsByName.get(name);
    if (!tag) add(record.path, `tag ${name} is missing (the publish record is object ${id}); run 'skillreg registry release' or find out who deleted it`);
    else if (tag.objectType !== "tag") add(name, `tag ${name} is a lightweight tag pointing at a ${tag.objectType}, not the signed tag object ${id} of ${record.path}`);
    else if (tag.objectId !== id) add(name, `tag ${name} points at object ${tag.objectId}, but its publish record ${record.path} is object ${id}: the tag was moved or replaced`);

    let parsed;
    try {
      parsed = parseTagObject(record.bytes);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      add(record.path, e.message);
      continue;
    }
    if (parsed.tag !== name) add(record.path, `the tag object is named '${parsed.tag}', expected '${name}'`);
    // Both the keys as they are now (a later revocation may reach back) and the keys as they
    // were then (a key added after the release cannot vouch for it) must accept the signature.
    const use = { at: record.releasedAt, ...(record.publishers ? { publishers: record.publishers } : {}) };
    const when = `${record.releasedAt.toISOString()}${record.releaseProven ? "" : ", unproven: no signed commit vouches for it"}, commit ${record.releaseCommit.slice(0, 12)}`;
    const now = refusalOf(() => verifyTagSignature(parsed, signers, use));
    const then = now === undefined ? refusalOf(() => verifyTagSignature(parsed, registrySignersOrNone(record.signersAtRelease, ALLOWED_SIGNERS_FILE), use)) : undefined;
    if (now) add(record.path, `signature not valid at its release (${when}): ${now}`);
    else if (then) add(record.path, `signature not authorised when it was released (${when}): by the allowed_signers of that time, ${then}`);
  }

  for (const tag of [...facts.tags].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!tag.name.startsWith("@") || expectedTags.has(tag.name)) continue;
    try {
      parseTagName(tag.name);
      add(tag.name, `tag ${tag.name} has no publish record on the main line`);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      add(tag.name, `tag ${tag.name} is not a valid skill tag and has no publish record`);
    }
  }
  return { violations, records: records.size, tags: facts.tags.filter((t) => t.name.startsWith("@")).length };
}

/** The one-line reason a check throws, or undefined when it passes. */
function refusalOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof SkillregError) return e.message;
    throw e;
  }
}

const EMPTY_SCOPE: ScopeFile = { scope: "", visibility: "private", members: {}, skills: {} };

function objectIdOf(bytes: Buffer | undefined): string {
  return bytes ? tagObjectId(bytes) : "(none)";
}

/** Read the facts from a checkout or bare repository: main-line history, tag refs, allowed_signers. */
export async function readTamperFacts(repoDir: string, ref = "HEAD"): Promise<TamperFacts> {
  const [commits, tags, signers] = await Promise.all([readAuditCommits(repoDir, ref), listTags(repoDir), readFileAt(repoDir, ref, ALLOWED_SIGNERS_FILE)]);
  return { commits, tags, allowedSigners: signers?.toString("utf8") ?? "" };
}

/** Check a registry repository (checkout or bare) for tampering. */
export async function verifyRegistry(repoDir: string, ref = "HEAD"): Promise<TamperReport> {
  return findTamper(await readTamperFacts(repoDir, ref));
}
