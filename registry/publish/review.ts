import { createTwoFilesPatch } from "diff";
import semver from "semver";
import type { SkillScan } from "@skillreg/scanner";
import { MAIN_REF, SkillregError, comparePaths, isValidVersion, skillKey, skillPath, type ScanCache } from "../core/index.js";
import { git, lsTree, readBlobs, runGit } from "../git/index.js";
import { openSealedTree, readStoredSealedVersion, type SealIdentity } from "../seal/index.js";
import { runGate } from "./gate/check.js";
import type { GateDecision } from "./gate/decide.js";

/**
 * `skillreg registry diff <branch>`: what a publish branch changes, as a reviewer needs to see
 * it. A sealed version's pull-request diff is ciphertext, so a member's key opens both the new
 * version and the latest one on main, and the diff and scan are of the plaintext. Reads git
 * objects only; nothing is written.
 */

export interface ReviewedVersion {
  /** `@scope/name@version` the branch publishes. */
  version: string;
  sealed: boolean;
  /** The latest version on main it is compared with, if any. */
  previous?: string;
  /** Unified diff of the files, previous to new; empty when the files could not be opened. */
  patch: string;
  /** Why there is no diff (a sealed version the key does not open). */
  unreadable?: string;
  scan?: SkillScan;
}

type Files = { path: string; bytes: Uint8Array }[];

const utf8 = new TextDecoder("utf-8", { fatal: true });

function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** One unified diff over every file that differs, in path order; binary files are named only. */
export function filesPatch(before: Files, after: Files): string {
  const old = new Map(before.map((f) => [f.path, f.bytes]));
  const now = new Map(after.map((f) => [f.path, f.bytes]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort(comparePaths);
  const parts: string[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a && b && Buffer.from(a).equals(Buffer.from(b))) continue;
    const aText = a === undefined ? "" : asText(a);
    const bText = b === undefined ? "" : asText(b);
    const from = a === undefined ? "/dev/null" : `a/${path}`;
    const to = b === undefined ? "/dev/null" : `b/${path}`;
    if (aText === undefined || bText === undefined) parts.push(`Binary files ${from} and ${to} differ\n`);
    else parts.push(createTwoFilesPatch(from, to, aText, bText, undefined, undefined, { context: 3 }).replace(/^=+\n/, ""));
  }
  return parts.join("");
}

/** The files of the latest published version on main: opened with `identity` when it is sealed. */
async function latestFiles(repo: string, rev: string, id: { scope: string; name: string; version: string }, identity: SealIdentity | undefined): Promise<Files> {
  const stored = await readStoredSealedVersion(repo, rev, id);
  if (stored) {
    if (!identity) throw new SkillregError(`${skillKey(id.scope, id.name)}@${id.version} is sealed; pass --identity with a key that opens it`);
    return (await openSealedTree(id, stored.files, stored.envelopeText, identity)).files;
  }
  const folder = skillPath(id.scope, id.name);
  const entries = (await lsTree(repo, rev, [`${folder}/`], true)).filter((e) => e.type === "blob");
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  return entries.map((e) => ({ path: e.path.slice(folder.length + 1), bytes: blobs.get(e.oid)! }));
}

export async function reviewBranch(opts: {
  registry: string;
  branch: string;
  identity?: SealIdentity;
  now?: Date;
  /** The caller's scan cache (core scanCacheFor), so a version the gate scanned before is not scanned again. */
  scans?: ScanCache;
}): Promise<{ gate: GateDecision; versions: ReviewedVersion[] }> {
  const { registry: repo, branch } = opts;
  if (branch.startsWith("-")) throw new SkillregError(`'${branch}' is not a branch name`);
  const head = (await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: repo, okCodes: [1] })).stdout;
  if (!head) throw new SkillregError(`no branch '${branch}' in ${repo}`);
  const main = await git(["rev-parse", "--verify", MAIN_REF], { cwd: repo });
  const { facts, decision } = await runGate(repo, main, head, opts.now ?? new Date(), opts.identity, opts.scans);

  const versions: ReviewedVersion[] = [];
  for (const verdict of decision.skills) {
    if (verdict.version === undefined) continue;
    const skill = facts.skills.find((s) => s.scope === verdict.scope && s.name === verdict.name)!;
    const reviewed: ReviewedVersion = { version: `${verdict.id}@${verdict.version}`, sealed: skill.sealed !== undefined, patch: "" };
    if (verdict.scan) reviewed.scan = verdict.scan;
    const previous = semver.rsort(skill.baseVersions.filter(isValidVersion))[0];
    if (previous !== undefined) reviewed.previous = previous;
    if (skill.sealed?.opened === false) {
      reviewed.unreadable = skill.sealed.problem;
    } else {
      try {
        const before = previous === undefined ? [] : await latestFiles(repo, main, { scope: skill.scope, name: skill.name, version: previous }, opts.identity);
        const after = skill.headFiles.filter((f) => f.bytes !== undefined).map((f) => ({ path: f.path, bytes: f.bytes! }));
        reviewed.patch = filesPatch(before, after);
      } catch (e) {
        if (!(e instanceof SkillregError)) throw e;
        reviewed.unreadable = e.message;
      }
    }
    versions.push(reviewed);
  }
  return { gate: decision, versions };
}
