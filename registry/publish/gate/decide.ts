import semver from "semver";
import type { Decision, Finding, ReviewerAnswer, SkillScan } from "@skillreg/scanner";
import { codeownersDifferences, generateCodeowners } from "../codeowners.js";
import { commitSigner } from "../../trust/index.js";
import { parseRegistryConfig, parseScopes } from "../../core/index.js";
import { checkScanPolicy, openScanCache, registryScanDecision, type ScanCache } from "../../core/index.js";
import type { RegistryConfig, Scopes } from "../../core/index.js";
import { SkillregError } from "../../core/index.js";
import { MODE_EXECUTABLE, MODE_SUBMODULE, MODE_SYMLINK } from "../../git/index.js";
import {
  ALLOWED_SIGNERS_FILE,
  CODEOWNERS_FILE,
  CONFIG_FILE,
  PUBLISH_DIR,
  SCOPES_DIR,
  SEALED_DIR,
  SKILLS_DIR,
  checkPublishPath,
  isValidName,
  isValidVersion,
  parseScopeFilePath,
  parseSealedEnvelopePath,
  parseSkillFilePath,
  publishTagPath,
  skillPath,
} from "../../core/index.js";
import { canPublish } from "../../core/index.js";
import { adminChangeRefusals, controlPathOwner, droppedYanks, scopeChangeRefusals, scopeForRules } from "../access.js";
import { parseRegistrySigners, type AllowedSigner } from "../../trust/index.js";
import { verifySshsig } from "../../trust/index.js";
import { SIGNERS_PATH, rootFingerprint, rootPathInRepo, signerSetFiles, verifySignerSet } from "../../trust/index.js";
import { scopeRecipients, sealsSkill, strangerStanzas, type SealEnvelope } from "../../seal/index.js";
import type { SkillFile } from "../../core/index.js";
import { checkRelativePath, checkSkillFiles, printable } from "../../core/index.js";
import { parseTagObject, tagName, tagObjectId, verifyTagSignature, type ParsedTag } from "../../trust/index.js";
import type { ControlFiles, GateFacts, SkillFacts, TagFileChange, TreeFile } from "./facts-types.js";

/**
 * The publish gate's judgement, a pure function of the facts of one change (facts.ts reads
 * them from git). Every rule adds a Reason; the change passes only when none blocks. Who may
 * do what is always decided by the base revision (the trusted side), never by the change.
 */

export type ReasonCode =
  | "trusted-config"
  | "config-invalid"
  | "bad-path"
  | "format"
  | "scan-blocked"
  | "tag-edited"
  | "tag-removed"
  | "republish"
  | "invalid-version"
  | "version-order"
  | "version-mismatch"
  | "one-version"
  | "unversioned-change"
  | "skill-deleted"
  | "stale-base"
  | "tag-malformed"
  | "tag-name"
  | "tag-tree"
  | "tag-unsigned"
  | "tag-signature"
  | "signer-unknown"
  | "signer-role"
  | "unsigned-change"
  | "foreign-commit"
  | "unknown-scope"
  | "scope-boundary"
  | "admin-required"
  | "access-rule"
  | "codeowners-stale"
  | "signer-set-stale"
  | "yank-dropped"
  | "sealed";

/** Why a change is blocked: a stable code, the words, and where. */
export interface Reason {
  code: ReasonCode;
  message: string;
  file?: string;
  /** `@scope/name` when the reason is about one skill. */
  skill?: string;
}

export interface SkillVerdict {
  scope: string;
  name: string;
  /** `@scope/name`. */
  id: string;
  /** The version this change publishes, if any. */
  version?: string;
  tag?: string;
  tagObjectId?: string;
  treeId?: string;
  /** Principal that signed the tag, when the signature checks out. */
  publisher?: string;
  scan?: SkillScan;
  /** The version is sealed: its scan and content reasons come from plaintext only members may see. */
  sealed?: true;
  /**
   * What the semantic reviewer (an LLM, when one is configured) said: how many findings it added
   * to `scan`, or why it could not answer. Absent when none is configured or the version is sealed.
   */
  semanticReview?: { added: number } | { unavailable: string };
}

/** One commit of the change and the principal whose signature is on it. */
export interface CommitVerdict {
  id: string;
  /** Absent when no key of allowed_signers (at base) verifies its signature. */
  signer?: string;
  /** The paths of the change it introduces. */
  paths: string[];
}

export interface GateDecision {
  ok: boolean;
  blocks: Reason[];
  /** Things worth telling the reviewer that do not block. */
  notes: string[];
  skills: SkillVerdict[];
  /** The worst scan decision over the published skills; "pass" when nothing was scanned. */
  decision: Decision;
  /** Principals who signed the new tags. */
  publishers: string[];
  /** Everyone the change acts as: the tag signers and the signers of its commits; none of them may approve it. */
  actors: string[];
  /** The change's commits, oldest first, each with its signer: every path is judged against the commit that introduced it. */
  commits: CommitVerdict[];
  /** Scopes whose skills/ or publish/ folders the change touches. */
  touchedScopes: string[];
  /** Registry files (admin-owned) the change touches. */
  adminPaths: string[];
  /** Generated files the change touches (.github/CODEOWNERS): no authority to write, but GitHub gives their approval to the admins. */
  generatedPaths: string[];
  /** Scopes whose scope file the change touches (their owners or an admin approve: registry/publish/access.ts). */
  scopeFiles: string[];
}

const DECISION_ORDER: readonly Decision[] = ["pass", "flagged", "review", "blocked"];
const NAMESPACE = "git";

export function worstDecision(decisions: Iterable<Decision>): Decision {
  let worst: Decision = "pass";
  for (const d of decisions) if (DECISION_ORDER.indexOf(d) > DECISION_ORDER.indexOf(worst)) worst = d;
  return worst;
}

export interface Trusted {
  config: RegistryConfig;
  scopes: Scopes;
  signers: AllowedSigner[];
}

function message(e: unknown): string {
  if (e instanceof SkillregError) return e.message;
  throw e;
}

function parseControl(files: ControlFiles): { config: RegistryConfig; scopes: Scopes } {
  if (files.config === undefined) throw new SkillregError(`${CONFIG_FILE}: missing`);
  const config = parseRegistryConfig(files.config, CONFIG_FILE);
  const scopes = parseScopes(Object.entries(files.scopes).map(([path, content]) => ({ path, content })));
  return { config, scopes };
}

/** The base side's config, scopes and signers; throws a SkillregError when any is invalid. */
export function parseTrusted(files: ControlFiles): Trusted {
  const { config, scopes } = parseControl(files);
  if (files.allowedSigners === undefined) throw new SkillregError(`${ALLOWED_SIGNERS_FILE}: missing`);
  checkScanPolicy(config, CONFIG_FILE);
  return { config, scopes, signers: parseRegistrySigners(files.allowedSigners, ALLOWED_SIGNERS_FILE) };
}

/** A path the change touches, classified by who owns it. */
type PathKind = { kind: "skill"; scope: string; name: string } | { kind: "admin" } | { kind: "bad"; problem: string };

export function classifyPath(path: string): PathKind {
  const top = path.split("/", 1)[0];
  if (top === SKILLS_DIR) {
    const p = parseSkillFilePath(path);
    if (!p || !isValidName(p.scope) || !isValidName(p.name)) {
      return { kind: "bad", problem: `${path}: files under ${SKILLS_DIR}/ belong in ${SKILLS_DIR}/<scope>/<name>/` };
    }
    return { kind: "skill", scope: p.scope, name: p.name };
  }
  if (top === PUBLISH_DIR) {
    const p = checkPublishPath(path);
    if ("problem" in p) return { kind: "bad", problem: p.problem };
    return { kind: "skill", scope: p.scope, name: p.name };
  }
  if (top === SEALED_DIR) {
    const p = parseSealedEnvelopePath(path);
    if (!p) return { kind: "bad", problem: `${path}: files under ${SEALED_DIR}/ are recipient envelopes, ${SEALED_DIR}/<scope>/<name>/<version>.json` };
    return { kind: "skill", scope: p.scope, name: p.name };
  }
  // skillreg.yaml, scopes/, allowed_signers, .github/ and anything else at the root: admins own
  // it all (CODEOWNERS says "*" is the admins'), so only an admin may change it.
  return { kind: "admin" };
}

/**
 * `scans` answers a version's scan when it was scanned before (core/scan-cache); by default
 * this judgement's own memory, so the function stays free of disk unless a caller hands one.
 * `semantic`, when a semantic reviewer is configured: its answer for each skill (by `@scope/name`),
 * asked beforehand (gate/semantic.ts); its findings join the scan, they never replace it.
 */
export function decideGate(facts: GateFacts, now: Date, scans: ScanCache = openScanCache(undefined), semantic?: ReadonlyMap<string, ReviewerAnswer>): GateDecision {
  const blocks: Reason[] = [];
  const notes: string[] = [];
  const block = (reason: Reason) => blocks.push(reason);
  const result = (extra: Partial<GateDecision> = {}): GateDecision => ({
    ok: blocks.length === 0,
    blocks,
    notes,
    skills: [],
    decision: "pass",
    publishers: [],
    actors: [],
    commits: [],
    touchedScopes: [],
    adminPaths: [],
    generatedPaths: [],
    scopeFiles: [],
    ...extra,
  });

  let trusted: Trusted;
  try {
    trusted = parseTrusted(facts.trusted);
  } catch (e) {
    // Without a readable base nothing can be judged: fail closed.
    block({ code: "trusted-config", message: `the base revision's registry files are invalid, so nothing can be checked: ${message(e)}` });
    return result();
  }

  // Classify every touched path.
  const touchedScopes = new Set<string>();
  const adminPaths: string[] = [];
  const generatedPaths: string[] = [];
  const scopeFiles = new Set<string>();
  for (const change of facts.changes) {
    const kind = classifyPath(change.path);
    if (kind.kind === "bad") block({ code: "bad-path", message: kind.problem, file: change.path });
    else if (kind.kind === "admin") {
      const owner = controlPathOwner(change.path);
      if (owner.kind === "scope") scopeFiles.add(owner.scope);
      else if (owner.kind === "admin") adminPaths.push(change.path);
      else generatedPaths.push(change.path);
    } else touchedScopes.add(kind.scope);
  }

  // The proposed registry files must be valid, and CODEOWNERS must be what they generate.
  checkProposed(facts.proposed, block);
  // A registry whose admins sign its signers (trust/signers.json) stays signed for them after the change.
  checkSignerSet(facts.trusted, facts.proposed, now, block);

  // Each touched skill: immutability, version, format, scan, tag object and signer.
  // A re-wrap is judged against who may read the scope after the change (a grant adds the
  // member, a key rotation the new key in the same change); invalid files are blocked above.
  let proposed: Trusted | undefined;
  try {
    proposed = parseTrusted(facts.proposed);
  } catch {
    proposed = undefined;
  }
  const skills = facts.skills.map((skill) => judgeSkill(skill, trusted, proposed, now, block, notes, scans, semantic));
  const publishers = [...new Set(skills.map((s) => s.publisher).filter((p): p is string => p !== undefined))].sort();

  // Authorship: each commit is judged by its own signer, for exactly the paths it introduces.
  const commits = judgeCommits(facts, trusted, skills, now, block, notes);
  const actors = [...new Set([...publishers, ...commits.flatMap((c) => (c.signer !== undefined && c.paths.length > 0 ? [c.signer] : []))])].sort();

  for (const scope of [...touchedScopes].sort()) {
    if (!trusted.scopes.has(scope)) {
      block({ code: "unknown-scope", message: `scope @${scope} does not exist on the base branch; an admin adds it first (skillreg scope add) in a separate change` });
    }
  }
  const decision = worstDecision(skills.map((s) => s.scan?.decision ?? "pass"));
  if (decision === "review") {
    const who = trusted.config.policy.securityReviewers;
    notes.push(`high findings: a security reviewer (${who.join(", ") || "none configured in skillreg.yaml policy.securityReviewers"}) must approve this change`);
  }
  return result({ skills, decision, publishers, actors, commits, touchedScopes: [...touchedScopes].sort(), adminPaths, generatedPaths, scopeFiles: [...scopeFiles].sort() });
}

/** What a list of paths says in a message: the first few, then how many more. */
function pathList(paths: readonly string[]): string {
  return paths.slice(0, 3).join(", ") + (paths.length > 3 ? ` (and ${paths.length - 3} more)` : "");
}

/**
 * Judge every commit of the change by the principal whose signature is on it, for the paths
 * it introduces: skill folders and publish records under the publish rules (a publish holds
 * only its publisher's commits for that skill), scope files under the access rules of
 * registry/publish/access.ts (authority from the base side), everything else admins only.
 * Someone's commit added to another person's branch is thereby judged as their own change.
 */
function judgeCommits(facts: GateFacts, trusted: Trusted, skills: readonly SkillVerdict[], now: Date, block: (r: Reason) => void, notes: string[]): CommitVerdict[] {
  const verdicts: CommitVerdict[] = [];
  const bySkill = new Map(skills.map((s) => [`${s.scope}/${s.name}`, s]));
  for (const commit of facts.commits) {
    const who = commitSigner(Buffer.from(commit.raw, "utf8"), trusted.signers, now);
    const short = commit.id.slice(0, 12);
    if (commit.cleanMerge) {
      // It holds nothing its parents do not, and each parent is the base or judged here: no author to hold to it.
      verdicts.push({ id: commit.id, paths: [] });
      notes.push(`commit ${short} is a clean merge of its parents (${pathList(commit.paths)} as they hold them): it adds nothing of its own`);
      continue;
    }
    verdicts.push({ id: commit.id, paths: commit.paths, ...(who.verified && { signer: who.principal }) });
    if (commit.paths.length === 0) continue;
    if (!who.verified) {
      block({
        code: "unsigned-change",
        message: `commit ${short} changes ${pathList(commit.paths)} but is not signed by anyone in ${ALLOWED_SIGNERS_FILE}: ${who.why}; sign every commit with a registered key (git commit -S with gpg.format=ssh)`,
        file: commit.paths[0]!,
      });
      continue;
    }
    const author = who.principal;
    notes.push(`commit ${short} is signed by ${author}: ${pathList(commit.paths)}`);
    const skillPaths = new Map<string, string[]>();
    const adminPaths: string[] = [];
    for (const path of commit.paths) {
      const kind = classifyPath(path);
      if (kind.kind === "skill") skillPaths.set(`${kind.scope}/${kind.name}`, [...(skillPaths.get(`${kind.scope}/${kind.name}`) ?? []), path]);
      else if (kind.kind === "admin" && controlPathOwner(path).kind === "admin") adminPaths.push(path);
    }
    for (const [key, paths] of skillPaths) {
      const [scope = ""] = key.split("/");
      const verdict = bySkill.get(key);
      if (trusted.scopes.has(scope) && !canPublish(trusted.scopes, scope, author)) {
        block({ code: "scope-boundary", message: `commit ${short} by ${author} touches @${scope} (${pathList(paths)}), but ${author} is not a maintainer or owner of @${scope}`, file: paths[0]! });
      } else if (verdict?.publisher !== undefined && verdict.publisher !== author) {
        block({
          code: "foreign-commit",
          message: `commit ${short} by ${author} changes ${pathList(paths)}, but this change publishes ${verdict.id}@${verdict.version ?? "?"} signed by ${verdict.publisher}; a publish holds only its publisher's commits for that skill and its record: ${author} makes their change separately`,
          file: paths[0]!,
          skill: verdict.id,
        });
      }
    }
    for (const why of adminChangeRefusals(adminPaths, author, trusted.config)) block({ code: "admin-required", message: `commit ${short}: ${why}`, file: adminPaths[0]! });
    for (const edit of commit.scopeFiles) {
      const scope = parseScopeFilePath(edit.path)!;
      const after = scopeForRules(edit.after, edit.path);
      if (edit.after !== undefined && after === undefined) continue; // invalid: config-invalid says why when it stays so
      const authority = scopeForRules(facts.trusted.scopes[edit.path], edit.path);
      const before = scopeForRules(edit.before, edit.path);
      for (const why of scopeChangeRefusals(scope, before, after, author, trusted.config, authority)) {
        block({ code: "access-rule", message: `commit ${short} by ${author} changes ${edit.path}: ${why}`, file: edit.path });
      }
      const dropped = droppedYanks(scope, before, after);
      if (dropped.length > 0) {
        block({ code: "yank-dropped", message: `commit ${short} by ${author} drops the yank of ${dropped.join(", ")} from ${edit.path}; a yank is never undone: publish a fixed version instead`, file: edit.path });
      }
    }
  }
  // Fail closed: a path no commit introduces has no author to judge it by.
  const introduced = new Set(facts.commits.flatMap((c) => (c.cleanMerge ? [] : c.paths)));
  const orphans = facts.changes.map((c) => c.path).filter((p) => !introduced.has(p));
  if (orphans.length > 0) block({ code: "unsigned-change", message: `no commit of the change introduces ${pathList(orphans)}, so nobody can be held to it`, file: orphans[0]! });
  return verdicts;
}

function checkProposed(files: ControlFiles, block: (r: Reason) => void): void {
  let parsed;
  try {
    parsed = parseControl(files);
    if (files.allowedSigners !== undefined) parseRegistrySigners(files.allowedSigners, ALLOWED_SIGNERS_FILE);
  } catch (e) {
    block({ code: "config-invalid", message: `the change leaves the registry files invalid: ${message(e)}` });
    return;
  }
  const differences = codeownersDifferences(files.codeowners, generateCodeowners(parsed.config, parsed.scopes));
  if (differences.length > 0) {
    const shown = differences.slice(0, 5).join("; ") + (differences.length > 5 ? ` (and ${differences.length - 5} more)` : "");
    block({
      code: "codeowners-stale",
      message: `${CODEOWNERS_FILE} is not what ${SCOPES_DIR}/ generates: ${shown}; run 'skillreg registry codeowners' and commit the result`,
      file: CODEOWNERS_FILE,
    });
  }
}

/**
 * Git-URL and folder clients hold main to trust/signers.json (trust/tuf/signers.ts) and refuse a
 * main whose keys, config or members the admins did not sign. A change that leaves the signer
 * set stale would lock every such client out after the merge, so it is refused here, where an
 * admin can still re-sign it in the same change. The chain is walked from the base's newest
 * root: a change cannot swap the roots it is judged by.
 */
function checkSignerSet(base: ControlFiles, head: ControlFiles, now: Date, block: (r: Reason) => void): void {
  if (base.signerSet === undefined && head.signerSet === undefined) return;
  const resign = `an admin signs it again in this change ('skillreg registry trust sign --sign-key <admin key>') and commits ${SIGNERS_PATH}`;
  if (head.signerSet === undefined) {
    block({ code: "signer-set-stale", message: `the change deletes ${SIGNERS_PATH}, so clients of the registry's Git URL would refuse every key; restore it`, file: SIGNERS_PATH });
    return;
  }
  const pinned = base.roots.length > 0 ? base.roots : head.roots;
  if (pinned.length === 0) {
    block({ code: "signer-set-stale", message: `${SIGNERS_PATH} has no root chain (${rootPathInRepo(1)}) to be checked against; 'skillreg registry trust init' writes one`, file: SIGNERS_PATH });
    return;
  }
  try {
    verifySignerSet({
      pin: { fingerprint: rootFingerprint(pinned.at(-1)!), version: pinned.length },
      roots: head.roots,
      signersText: head.signerSet,
      files: signerSetFiles(head.allowedSigners ?? "", head.config ?? "", Object.entries(head.scopes)),
      now,
      shown: "after the change",
    });
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    const why = e.message
      .replace(/^after the change:? /, "")
      .replace(/; refusing (its keys|it)$/, "")
      .replaceAll(" at main", "")
      .replaceAll("the pinned root", "the admins' root");
    block({ code: "signer-set-stale", message: `the change leaves ${SIGNERS_PATH} stale: ${why}; ${resign}`, file: SIGNERS_PATH });
  }
}

function judgeSkill(
  skill: SkillFacts,
  trusted: Trusted,
  proposed: Trusted | undefined,
  now: Date,
  block: (r: Reason) => void,
  notes: string[],
  scans: ScanCache,
  semantic: ReadonlyMap<string, ReviewerAnswer> | undefined,
): SkillVerdict {
  const id = `@${skill.scope}/${skill.name}`;
  const verdict: SkillVerdict = { scope: skill.scope, name: skill.name, id };
  const say = (code: ReasonCode, text: string, file?: string) => block({ code, message: text, skill: id, ...(file !== undefined && { file }) });

  const published = new Set(skill.baseVersions);
  for (const t of skill.existingTags) {
    const version = t.name.slice(id.length + 1);
    if (t.name.startsWith(`${id}@`) && isValidVersion(version)) published.add(version);
  }
  const latest = semver.rsort([...published].filter((v) => isValidVersion(v)))[0];

  // Published .tag files never change.
  for (const t of skill.tagFiles) {
    if (t.status === "deleted") say("tag-removed", `${t.path} is a published version and may not be removed; yank it in the scope file instead`, t.path);
    else if (t.status !== "added") say("tag-edited", `${t.path} is a published version and may not be edited; publish a new version instead`, t.path);
  }
  const added = skill.tagFiles.filter((t) => t.status === "added");
  const folderChanged = skill.headTree !== skill.forkTree;

  if (skill.headTree === undefined && skill.forkTree !== undefined) {
    say("skill-deleted", `${skillPath(skill.scope, skill.name)}/ may not be removed: published skills are never deleted (yank or deprecate them in the scope file)`);
  } else if (folderChanged && added.length === 0) {
    say(
      "unversioned-change",
      `${skillPath(skill.scope, skill.name)}/ changes without a new version; bump metadata.version in SKILL.md and publish it with 'skillreg push'`,
    );
  }
  if (folderChanged && skill.baseTree !== skill.forkTree) {
    // Merging would mix the base's newer files with this change's: the tag would not name the result.
    say("stale-base", `${skillPath(skill.scope, skill.name)}/ changed on the base branch since this change forked from it; make the change again on top of the base (skillreg push again)`);
  }
  if (added.length > 1) {
    say("one-version", `the change publishes ${added.length} versions of ${id} (${added.map((t) => t.version).join(", ")}); publish one version per change`);
  }
  for (const e of skill.envelopes ?? []) {
    const strangers = e.problem === undefined && e.envelope ? rewrapStrangers(e.envelope, skill.scope, proposed, now) : undefined;
    if (e.problem !== undefined) say("sealed", e.problem, e.path);
    else if (strangers !== undefined) say("sealed", `${e.path} re-wraps a sealed version of ${id} for ${strangers}, who may not read @${skill.scope} after this change`, e.path);
    else notes.push(`${e.path} re-wraps or discloses a sealed version of ${id}; the gate key still opens it`);
  }
  if (added.length === 0) return verdict;
  const tagFile = semver.rsort(added.map((t) => t.version).filter((v) => isValidVersion(v)))[0] ?? added[0]!.version;
  const newTag = added.find((t) => t.version === tagFile)!;
  verdict.version = newTag.version;

  if (!isValidVersion(newTag.version)) {
    say("invalid-version", `${newTag.path}: '${newTag.version}' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.3)`, newTag.path);
  } else if (published.has(newTag.version)) {
    say("republish", `${id}@${newTag.version} is already published; a version never changes: bump metadata.version and push again`, newTag.path);
  } else if (latest !== undefined && !semver.gt(newTag.version, latest)) {
    say("version-order", `${id}@${newTag.version} is not greater than the latest published version ${latest}; use a higher version`, newTag.path);
  }

  if (skill.sealed?.opened === false) say("sealed", skill.sealed.problem);
  const sealedProblem = sealedRecipientsProblem(skill, `${id}@${newTag.version}`, trusted, now);
  if (sealedProblem !== undefined) say("sealed", sealedProblem);
  if (skill.sealed) verdict.sealed = true;
  if (skill.headTree !== undefined) {
    verdict.treeId = skill.headTree;
    // A sealed version that did not open has only ciphertext to judge; "sealed" already blocks it.
    if (skill.sealed?.opened !== false) {
      const answer = skill.sealed ? undefined : semantic?.get(id);
      verdict.scan = checkContent(skill, newTag.version, trusted, say, scans, answer);
      if (answer !== undefined) {
        verdict.semanticReview = "unavailable" in answer ? { unavailable: answer.unavailable } : { added: answer.findings.length };
        notes.push(semanticNote(`${id}@${newTag.version}`, answer));
      }
    }
    // Its plaintext is for the scope's members only: never sent to an outside endpoint.
    if (semantic !== undefined && skill.sealed) notes.push(`${id}@${newTag.version} is sealed, so it was not sent to the semantic reviewer`);
  }
  checkTagObject(skill, newTag, trusted, now, verdict, say, notes);
  return verdict;
}

/** Keys an edited envelope opens for beyond the scope's readers after the change, named; undefined when none. */
function rewrapStrangers(envelope: SealEnvelope, scope: string, proposed: Trusted | undefined, now: Date): string | undefined {
  const scopeFile = proposed?.scopes.get(scope);
  if (proposed === undefined || scopeFile === undefined) return undefined;
  let allowed;
  try {
    allowed = scopeRecipients(proposed.config, scopeFile, proposed.signers, now).recipients;
  } catch (e) {
    return message(e);
  }
  const strangers = strangerStanzas(envelope, allowed);
  if (strangers.count === 0) return undefined;
  return `${strangers.count} key${strangers.count === 1 ? "" : "s"} (envelope: ${strangers.principals.length > 0 ? strangers.principals.join(", ") : "names none of them"})`;
}

/**
 * Who may read the new version is decided when it merges, by the base's scope file and keys:
 * a private skill of a sealing registry must be sealed, and only to the scope's members now
 * (a version pushed before a member was removed would otherwise stay readable to them).
 */
function sealedRecipientsProblem(skill: SkillFacts, version: string, trusted: Trusted, now: Date): string | undefined {
  const scopeFile = trusted.scopes.get(skill.scope);
  if (scopeFile === undefined || skill.headTree === undefined) return undefined;
  if (skill.sealed === undefined) {
    return sealsSkill(trusted.config, scopeFile, skill.name)
      ? `${version} is a private skill and this registry seals private skills, but the version is plaintext; push it with a skillreg that seals`
      : undefined;
  }
  if (!skill.sealed.opened) return undefined;
  let allowed;
  try {
    allowed = scopeRecipients(trusted.config, scopeFile, trusted.signers, now).recipients;
  } catch (e) {
    return `${version} is sealed: ${message(e)}`;
  }
  const strangers = strangerStanzas(skill.sealed.envelope, allowed);
  if (strangers.count === 0) return undefined;
  const named = strangers.principals.length > 0 ? strangers.principals.join(", ") : "names none of them";
  return `${version} is sealed to ${strangers.count} key${strangers.count === 1 ? "" : "s"} that may not read @${skill.scope} now (envelope: ${named}); drop this change and push the version again to seal it to the scope's current members`;
}

/** What the gate says about the semantic reviewer's answer for one version. */
function semanticNote(version: string, answer: ReviewerAnswer): string {
  if ("unavailable" in answer) return `semantic review of ${version} unavailable (${answer.unavailable}): the static scan decides alone`;
  const n = answer.findings.length;
  return n === 0
    ? `the semantic reviewer found nothing to add in ${version}`
    : `the semantic reviewer added ${n} finding${n === 1 ? "" : "s"} to ${version} (at most high, each with its reasoning)`;
}

/** The files of a skill at head that the gate reads (those git gave bytes for), as the scanner takes them. */
export function headSkillFiles(skill: SkillFacts): SkillFile[] {
  return skill.headFiles.flatMap((f) => {
    if (f.bytes === undefined) return [];
    const executable = f.mode === MODE_EXECUTABLE;
    return [{ path: f.path, bytes: f.bytes, size: f.bytes.length, mode: executable ? 0o755 : 0o644, executable }];
  });
}

/** The skill at head: limits, SKILL.md format and version, the scanner and the semantic reviewer's findings. */
function checkContent(
  skill: SkillFacts,
  version: string,
  trusted: Trusted,
  say: (code: ReasonCode, text: string, file?: string) => void,
  scans: ScanCache,
  semantic: ReviewerAnswer | undefined,
): SkillScan {
  const folder = skillPath(skill.scope, skill.name);
  const limits = trusted.config.limits;
  for (const problem of treeProblems(skill.headFiles, limits)) say("format", `${folder}/${problem}`, folder);
  const files = headSkillFiles(skill);
  const total = skill.headFiles.reduce((sum, f) => sum + (f.bytes === undefined ? 0 : f.size), 0);
  if (total > limits.maxSkillBytes) say("format", `${folder}/ holds ${total} bytes, over the registry limit of ${limits.maxSkillBytes} (limits.maxSkillBytes)`, folder);

  const report = checkSkillFiles(folder, files, { expectedName: skill.name, requireVersion: true });
  for (const p of report.errors) {
    say("format", `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`, p.file);
  }
  if (report.version !== undefined && report.version !== version) {
    say("version-mismatch", `${folder}/SKILL.md says metadata.version ${report.version}, but the change publishes ${version}; they must match`, `${folder}/SKILL.md`);
  }

  // A sealed version's files are plaintext here (opened with the gate key): kept off the disk cache.
  const scanned = scans.scan({ path: folder, files }, { rules: trusted.config.policy.rules }, { sealed: skill.sealed !== undefined });
  // The reviewer only adds (askReviewer caps each finding at high): the static findings all stay.
  const findings = semantic !== undefined && "findings" in semantic ? [...scanned.findings, ...semantic.findings] : scanned.findings;
  const scan: SkillScan = { ...scanned, findings, decision: registryScanDecision(findings) };
  const critical = scan.findings.filter((f) => f.severity === "critical");
  if (scan.decision === "blocked") {
    say("scan-blocked", `the scanner blocks ${folder}: ${critical.map(describeFinding).join("; ") || "critical findings"}`, critical[0] ? `${folder}/${critical[0].file}` : folder);
  }
  return scan;
}

function describeFinding(f: Finding): string {
  return `${f.ruleId} (${f.severity}) at ${f.file}:${f.line}: ${f.message}`;
}

/** What no skill tree may hold: links, submodules, bad paths, oversized or too many files. */
export function treeProblems(files: readonly TreeFile[], limits: { maxFileBytes: number; maxFiles: number }): string[] {
  const problems: string[] = [];
  if (files.length > limits.maxFiles) problems.push(` has ${files.length} files, over the registry limit of ${limits.maxFiles} (limits.maxFiles)`);
  for (const f of files) {
    // The same path policy push and pull apply (registry/core/skill/files.ts).
    const badPath = checkRelativePath(f.path);
    if (badPath) problems.push(`${printable(f.path)}: ${badPath.message}`);
    else if (f.mode === MODE_SYMLINK) problems.push(`${f.path} is a symbolic link; a skill may hold only regular files`);
    else if (f.mode === MODE_SUBMODULE) problems.push(`${f.path} is a git submodule; a skill may hold only regular files`);
    else if (f.size > limits.maxFileBytes) problems.push(`${f.path} is ${f.size} bytes, over the registry limit of ${limits.maxFileBytes} a file (limits.maxFileBytes)`);
  }
  return problems;
}

function checkTagObject(
  skill: SkillFacts,
  tagFile: TagFileChange,
  trusted: Trusted,
  now: Date,
  verdict: SkillVerdict,
  say: (code: ReasonCode, text: string, file?: string) => void,
  notes: string[],
): void {
  const file = publishTagPath(skill.scope, skill.name, tagFile.version);
  const bytes = Buffer.from(tagFile.after ?? new Uint8Array());
  let parsed: ParsedTag;
  try {
    parsed = parseTagObject(bytes);
  } catch (e) {
    say("tag-malformed", `${file}: ${message(e)}`, file);
    return;
  }
  verdict.tagObjectId = tagObjectId(bytes);
  if (isValidVersion(tagFile.version)) {
    const expected = tagName(skill.scope, skill.name, tagFile.version);
    verdict.tag = expected;
    if (parsed.tag !== expected) say("tag-name", `${file}: the tag is named '${parsed.tag}', but its path says '${expected}'`, file);
  }
  if (parsed.type !== "tree" || parsed.object !== skill.headTree) {
    say(
      "tag-tree",
      `${file}: the tag points at ${parsed.type} ${parsed.object}, not at the tree of ${skillPath(skill.scope, skill.name)}/ (${skill.headTree ?? "missing"}); sign a tag for the folder as committed`,
      file,
    );
  }
  if (parsed.signature === undefined) {
    say("tag-unsigned", `${file}: the tag is not signed; sign it with an SSH key listed in ${ALLOWED_SIGNERS_FILE} ('skillreg push --key')`, file);
    return;
  }
  try {
    verifySshsig(parsed.payload, parsed.signature, NAMESPACE);
  } catch (e) {
    say("tag-signature", `${file}: the signature does not verify: ${message(e)}`, file);
    return;
  }
  let signer: string;
  try {
    // The key must be valid now, when the version is being published, not at the tagger time
    // the signer wrote into the tag (a revoked key could backdate it).
    signer = verifyTagSignature(parsed, trusted.signers, { at: now }).principal;
  } catch (e) {
    say("signer-unknown", `${file}: ${message(e)}; an admin adds keys with 'skillreg keys add'`, file);
    return;
  }
  if (!canPublish(trusted.scopes, skill.scope, signer)) {
    say("signer-role", `${file}: signed by ${signer}, who is not a maintainer or owner of @${skill.scope}`, file);
    return;
  }
  verdict.publisher = signer;
  notes.push(`${verdict.tag ?? file} is signed by ${signer}`);
}
