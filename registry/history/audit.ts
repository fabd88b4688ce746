import { parse as parseYaml } from "yaml";
import { DECISION_WORDS } from "@skillreg/scanner/words";
import { commitSigner, mainLineTimes, splitCommit, type CommitSignerResult } from "../trust/index.js";
import { parseScopeFile } from "../core/index.js";
import type { ScopeFile } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import { isCleanMerge, runGit } from "../git/index.js";
import { readFileAt, readObjects } from "../git/index.js";
import { ALLOWED_SIGNERS_FILE, CONFIG_FILE, PUBLISH_DIR, SCOPES_DIR, parsePublishPath, parseScopeFilePath } from "../core/index.js";
import { parseRegistrySigners, registrySignersOrNone, type AllowedSigner } from "../trust/index.js";
import { parseTagObject, verifyTagSignature } from "../trust/index.js";

/**
 * The audit trail, read from Git alone. Every commit on the main line (first parents) that
 * touches the control files or publish records is one change; its diff against its first
 * parent is what the change did, whether it came as a merged branch or a direct commit.
 *
 * Who did it is proven, not claimed: a commit's actor is the allowed_signers principal of its
 * SSH signature, with the keys as they stood before the change (a commit cannot vouch for
 * itself by adding its own key). Unsigned commits, or keys nobody is allowed to use, fall back
 * to the commit's author, marked unverified. For a merge, the actor is the signer of the
 * merged branch's tip (who asked) and the approver is the signer of the merge (who allowed).
 * A publish is done by its tag's signer.
 *
 * `deriveAuditEvents` is pure over `AuditCommit` values; `readAuditCommits` reads them.
 */

export const AUDIT_EVENT_TYPES = [
  "publish",
  "yank",
  "unyank",
  "deprecate",
  "undeprecate",
  "visibility",
  "scope-created",
  "scope-removed",
  "member-added",
  "member-removed",
  "role-changed",
  "key-added",
  "key-revoked",
  "key-removed",
  "key-changed",
  "policy-changed",
  "invalid-file",
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  type: AuditEventType;
  /**
   * When the main-line commit happened, UTC ISO 8601, as a signature proves it (its own or the
   * next signed commit's: trust/release-time.ts); when `unproven` lists "time", the latest time
   * the history claims up to this commit, which no signature backs.
   */
  time: string;
  /** Claims of this event no admitted signature backs ("time", "reviewer", "scan-decision"): shown, never trusted. */
  unproven?: string[];
  commit: string;
  /** A principal when verified, else the commit author "Name <email>". */
  actor: string;
  actorVerified: boolean;
  /** The signer of the merge commit that brought the change in, when it came by merge. */
  approver?: string;
  scope?: string;
  skill?: string;
  version?: string;
  /** Member or key holder the event is about. */
  principal?: string;
  role?: string;
  previousRole?: string;
  visibility?: string;
  previousVisibility?: string;
  reason?: string;
  fingerprint?: string;
  /** For a revoked key: the moment after which it no longer verifies. */
  validBefore?: string;
  /** Publish: who signed the tag (verified), who reviewed, what the scanner decided. */
  signer?: string;
  reviewer?: string;
  scanDecision?: string;
  pullRequest?: number;
  tagObject?: string;
  /** policy-changed: the changed settings, e.g. `admins: +bob`. invalid-file: what was wrong. */
  changes?: string[];
  file?: string;
}

export interface FileChange {
  path: string;
  status: "A" | "M" | "D";
  before?: Buffer;
  after?: Buffer;
}

/** One main-line commit with everything the derivation needs, read once. */
export interface AuditCommit {
  id: string;
  /** The raw commit object (signature header included). */
  raw: Buffer;
  /** For a merge: the raw commit object of the merged branch's tip. */
  branchTip?: Buffer;
  /** A merge no SSH key signed whose tree is git's merge of its two parents. */
  cleanMerge?: boolean;
  /** allowed_signers text at the first parent ("" for the root commit). */
  signersBefore: string;
  changes: FileChange[];
}

export interface AuditFilter {
  scope?: string;
  skill?: string;
  /** Only events at or after this moment. */
  since?: Date;
}

interface Who {
  actor: string;
  actorVerified: boolean;
}

/** Who signed a commit, with the key judged at `at` (the main-line time, never an earlier claimed date). */
function who(raw: Buffer, signers: readonly AllowedSigner[], at: Date): Who & { signed: CommitSignerResult } {
  const c = splitCommit(raw);
  const signed = commitSigner(raw, signers, at);
  return signed.verified ? { actor: signed.principal, actorVerified: true, signed } : { actor: c.author, actorVerified: false, signed };
}

/** `Key: value` trailers of a commit message (the last paragraph). */
export function trailersOf(message: string): Map<string, string[]> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? "";
  const out = new Map<string, string[]>();
  for (const line of last.split("\n")) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!m) continue;
    out.set(m[1]!.toLowerCase(), [...(out.get(m[1]!.toLowerCase()) ?? []), m[2]!.trim()]);
  }
  return out;
}

/** The pull request a merge message names: GitHub's "Merge pull request #N", "(#N)" or a `Pull-Request:` trailer. */
export function pullRequestOf(message: string): number | undefined {
  const m =
    /^Merge pull request #(\d+)/m.exec(message) ??
    /^Pull-Request:\s*#?(\d+)\s*$/im.exec(message) ??
    /\(#(\d+)\)\s*$/m.exec(message.split("\n")[0] ?? "");
  return m ? Number(m[1]) : undefined;
}

function scopeOrInvalid(bytes: Buffer | undefined, path: string): ScopeFile | string | undefined {
  if (!bytes) return undefined;
  try {
    return parseScopeFile(bytes, path);
  } catch (e) {
    if (e instanceof SkillregError) return e.message;
    throw e;
  }
}

type Base = Pick<AuditEvent, "time" | "commit" | "actor" | "actorVerified" | "approver" | "unproven">;

function scopeEvents(base: Base, scope: string, change: FileChange): AuditEvent[] {
  const before = scopeOrInvalid(change.before, change.path);
  const after = scopeOrInvalid(change.after, change.path);
  if (typeof after === "string") return [{ ...base, type: "invalid-file", scope, file: change.path, changes: [after] }];
  const old = typeof before === "object" ? before : undefined;
  const events: AuditEvent[] = [];
  const e = (extra: Omit<AuditEvent, keyof Base | "scope">) => events.push({ ...base, scope, ...extra });
  if (!after) {
    e({ type: "scope-removed" });
    return events;
  }
  if (!old) e({ type: "scope-created", visibility: after.visibility });
  else if (old.visibility !== after.visibility) e({ type: "visibility", visibility: after.visibility, previousVisibility: old.visibility });

  const oldMembers = old?.members ?? {};
  for (const [principal, role] of Object.entries(after.members)) {
    const previous = Object.hasOwn(oldMembers, principal) ? oldMembers[principal] : undefined;
    if (previous === undefined) e({ type: "member-added", principal, role });
    else if (previous !== role) e({ type: "role-changed", principal, role, previousRole: previous });
  }
  for (const [principal, role] of Object.entries(oldMembers)) {
    if (!Object.hasOwn(after.members, principal)) e({ type: "member-removed", principal, previousRole: role });
  }

  const skills = new Set([...Object.keys(old?.skills ?? {}), ...Object.keys(after.skills)]);
  for (const skill of [...skills].sort()) {
    const was = old?.skills[skill] ?? {};
    const now = after.skills[skill] ?? {};
    const wasVisibility = was.visibility ?? old?.visibility;
    const nowVisibility = now.visibility ?? after.visibility;
    // A skill following its scope's visibility is covered by the scope's event.
    if (old && (was.visibility !== undefined || now.visibility !== undefined) && wasVisibility !== nowVisibility) {
      e({ type: "visibility", skill, visibility: nowVisibility, ...(wasVisibility ? { previousVisibility: wasVisibility } : {}) });
    }
    for (const [flag, on, off] of [["yanked", "yank", "unyank"], ["deprecated", "deprecate", "undeprecate"]] as const) {
      const wasFlags = was[flag] ?? {};
      const nowFlags = now[flag] ?? {};
      for (const [version, reason] of Object.entries(nowFlags)) {
        if (wasFlags[version] !== reason) e({ type: on, skill, version, reason });
      }
      for (const [version, reason] of Object.entries(wasFlags)) {
        if (!Object.hasOwn(nowFlags, version)) e({ type: off, skill, version, reason });
      }
    }
  }
  return events;
}

function keyEvents(base: Base, change: FileChange): AuditEvent[] {
  let before: AllowedSigner[];
  let after: AllowedSigner[];
  try {
    before = change.before ? parseRegistrySigners(change.before.toString("utf8")) : [];
    after = change.after ? parseRegistrySigners(change.after.toString("utf8")) : [];
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    return [{ ...base, type: "invalid-file", file: change.path, changes: [e.message] }];
  }
  const byKey = (list: AllowedSigner[]) => {
    const m = new Map<string, AllowedSigner>();
    for (const s of list) m.set(`${s.key.fingerprint} ${s.principals.join(",")}`, s);
    return m;
  };
  const was = byKey(before);
  const now = byKey(after);
  const events: AuditEvent[] = [];
  const iso = (d: Date | undefined) => d?.toISOString();
  for (const [id, s] of now) {
    const principal = s.principals.join(",");
    const old = was.get(id);
    if (!old) {
      events.push({ ...base, type: s.validBefore ? "key-revoked" : "key-added", principal, fingerprint: s.key.fingerprint, ...(s.validBefore ? { validBefore: iso(s.validBefore)! } : {}) });
    } else if (iso(old.validBefore) !== iso(s.validBefore) && s.validBefore) {
      events.push({ ...base, type: "key-revoked", principal, fingerprint: s.key.fingerprint, validBefore: iso(s.validBefore)! });
    } else if (iso(old.validBefore) !== iso(s.validBefore) || iso(old.validAfter) !== iso(s.validAfter) || String(old.namespaces) !== String(s.namespaces)) {
      events.push({ ...base, type: "key-changed", principal, fingerprint: s.key.fingerprint });
    }
  }
  for (const [id, s] of was) {
    if (!now.has(id)) events.push({ ...base, type: "key-removed", principal: s.principals.join(","), fingerprint: s.key.fingerprint });
  }
  return events;
}

/** Flatten YAML to `a.b.c` -> JSON text, to list what changed in skillreg.yaml. */
function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function policyEvents(base: Base, change: FileChange): AuditEvent[] {
  const read = (b: Buffer | undefined): unknown => {
    if (!b) return {};
    try {
      return parseYaml(b.toString("utf8")) as unknown;
    } catch {
      return { "(unparsable)": true };
    }
  };
  const before = flatten(read(change.before));
  const after = flatten(read(change.after));
  const changes: string[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === b) continue;
    const listA = a ? (JSON.parse(a) as unknown) : undefined;
    const listB = b ? (JSON.parse(b) as unknown) : undefined;
    if (Array.isArray(listA) || Array.isArray(listB)) {
      const was = new Set((Array.isArray(listA) ? listA : []).map(String));
      const now = new Set((Array.isArray(listB) ? listB : []).map(String));
      const diff = [...[...now].filter((x) => !was.has(x)).map((x) => `+${x}`), ...[...was].filter((x) => !now.has(x)).map((x) => `-${x}`)];
      if (diff.length > 0) changes.push(`${key}: ${diff.join(" ")}`);
    } else {
      changes.push(a === undefined ? `${key}: ${b}` : b === undefined ? `${key}: removed (was ${a})` : `${key}: ${a} -> ${b}`);
    }
  }
  return changes.length > 0 ? [{ ...base, type: "policy-changed", file: change.path, changes }] : [];
}

function publishEvent(base: Base, change: FileChange, signers: readonly AllowedSigner[], at: Date, message: string, committer: string | undefined): AuditEvent[] {
  const ref = parsePublishPath(change.path);
  if (!ref || change.status !== "A" || !change.after) return [];
  const trailers = trailersOf(message);
  const pr = pullRequestOf(message);
  const event: AuditEvent = { ...base, type: "publish", scope: ref.scope, skill: ref.name, version: ref.version };
  try {
    const parsed = parseTagObject(change.after);
    // Verified with the keys as they stood when the release recorded the tag (this commit).
    event.signer = verifyTagSignature(parsed, signers, { at }).principal;
    event.actor = event.signer;
    event.actorVerified = true;
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    event.changes = [`tag signature not verified: ${e.message}`];
  }
  // Trailers are words in a message: a Reviewer trailer is proven only when it names the
  // commit's own verified signer, a Scan-Decision only when an admitted key signed the commit.
  const unproven = [...(base.unproven ?? [])];
  const reviewer = base.approver ?? trailers.get("reviewer")?.[0];
  if (reviewer) {
    event.reviewer = reviewer;
    if (reviewer !== base.approver && reviewer !== committer) unproven.push("reviewer");
  }
  const decision = trailers.get("scan-decision")?.[0];
  if (decision) {
    event.scanDecision = decision;
    if (committer === undefined) unproven.push("scan-decision");
  }
  if (unproven.length > 0) event.unproven = unproven;
  if (pr !== undefined) event.pullRequest = pr;
  return [event];
}

/** Every event of these main-line commits, oldest first. Pure. */
export function deriveAuditEvents(commits: readonly AuditCommit[]): AuditEvent[] {
  const events: AuditEvent[] = [];
  const times = mainLineTimes(commits);
  for (const [index, commit] of commits.entries()) {
    const signers = registrySignersOrNone(commit.signersBefore);
    const head = splitCommit(commit.raw);
    const time = times[index]!;
    const merger = who(commit.raw, signers, time.at);
    const author = commit.branchTip ? who(commit.branchTip, signers, time.at) : merger;
    const base: Base = {
      time: (time.provenAt ?? time.at).toISOString(),
      ...(time.provenAt === undefined && { unproven: ["time"] }),
      commit: commit.id,
      actor: author.actor,
      actorVerified: author.actorVerified,
      ...(commit.branchTip && merger.actorVerified ? { approver: merger.actor } : {}),
    };
    // The keys after this commit decide tag signatures: the release records the tag now.
    const signersAfterText = commit.changes.find((c) => c.path === ALLOWED_SIGNERS_FILE)?.after?.toString("utf8");
    const tagSigners = signersAfterText === undefined ? signers : registrySignersOrNone(signersAfterText);
    for (const change of [...commit.changes].sort((a, b) => a.path.localeCompare(b.path))) {
      const scope = parseScopeFilePath(change.path);
      if (change.path === ALLOWED_SIGNERS_FILE) events.push(...keyEvents(base, change));
      else if (change.path === CONFIG_FILE) events.push(...policyEvents(base, change));
      else if (scope !== undefined) events.push(...scopeEvents(base, scope, change));
      else if (change.path.startsWith(`${PUBLISH_DIR}/`)) {
        events.push(...publishEvent(base, change, tagSigners, time.provenAt ?? time.at, head.message, merger.actorVerified ? merger.actor : undefined));
      }
    }
  }
  return events;
}

/** Keep the events a filter asks for. Registry-wide events (keys, policy) only pass an empty scope filter. */
export function filterAuditEvents(events: readonly AuditEvent[], filter: AuditFilter): AuditEvent[] {
  return events.filter(
    (e) =>
      (filter.scope === undefined || e.scope === filter.scope) &&
      (filter.skill === undefined || e.skill === filter.skill) &&
      (filter.since === undefined || new Date(e.time).getTime() >= filter.since.getTime()),
  );
}

const AUDIT_PATHS = [CONFIG_FILE, ALLOWED_SIGNERS_FILE, `${SCOPES_DIR}/`, `${PUBLISH_DIR}/`];
const ZERO = /^0+$/;

interface LogEntry {
  id: string;
  parents: string[];
  changes: { path: string; status: "A" | "M" | "D"; oldOid: string; newOid: string }[];
}

/** One `git log` over the main line: commits touching the audited paths, with blob ids. */
async function logMainLine(repoDir: string, ref: string): Promise<LogEntry[]> {
  const out = (
    await runGit(
      ["log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--raw", "-z", "--no-abbrev", "--reverse", "--format=%x01%H %P", ref, "--", ...AUDIT_PATHS],
      { cwd: repoDir, raw: true },
    )
  ).bytes.toString("utf8");
  const entries: LogEntry[] = [];
  for (const record of out.split("\x01")) {
    if (record === "") continue;
    const fields = record.split("\0");
    const [id = "", ...parents] = (fields[0] ?? "").trim().split(" ");
    const changes: LogEntry["changes"] = [];
    for (let i = 1; i + 1 < fields.length; i += 2) {
      const meta = fields[i]!.replace(/^\n/, "");
      if (!meta.startsWith(":")) continue;
      const [, , oldOid = "", newOid = "", status = ""] = meta.slice(1).split(" ");
      if (status === "A" || status === "M" || status === "D") changes.push({ path: fields[i + 1]!, status, oldOid, newOid });
    }
    entries.push({ id, parents, changes });
  }
  return entries;
}

/** Read the main line of `ref` in `repoDir` (a checkout or a bare repository) as AuditCommits. */
export async function readAuditCommits(repoDir: string, ref = "HEAD"): Promise<AuditCommit[]> {
  const log = await logMainLine(repoDir, ref);
  const oids = new Set<string>();
  for (const entry of log) {
    oids.add(entry.id);
    if (entry.parents[1]) oids.add(entry.parents[1]);
    for (const c of entry.changes) for (const oid of [c.oldOid, c.newOid]) if (!ZERO.test(oid)) oids.add(oid);
  }
  // allowed_signers evolves only through the commits listed here (its path is in the log),
  // except when the log starts after it existed: then read it at the first commit's parent.
  const firstParent = log[0]?.parents[0];
  const [objects, signersAtStart] = await Promise.all([
    readObjects(repoDir, [...oids]),
    firstParent ? readFileAt(repoDir, firstParent, ALLOWED_SIGNERS_FILE) : undefined,
  ]);
  const bytes = (oid: string) => (ZERO.test(oid) ? undefined : objects.get(oid)?.bytes);
  let signers = signersAtStart?.toString("utf8") ?? "";
  const commits: AuditCommit[] = [];
  for (const entry of log) {
    const raw = bytes(entry.id);
    if (!raw) throw new SkillregError(`${repoDir}: commit ${entry.id} is missing from the repository`);
    const tip = entry.parents[1] ? bytes(entry.parents[1]) : undefined;
    const changes = entry.changes.map((c) => {
      const before = bytes(c.oldOid);
      const after = bytes(c.newOid);
      return { path: c.path, status: c.status, ...(before ? { before } : {}), ...(after ? { after } : {}) };
    });
    // Only a merge no SSH key signed can need it (trust/release-time.ts): one git merge each.
    const forgeMerge = tip !== undefined && !splitCommit(raw).signature?.startsWith("-----BEGIN SSH SIGNATURE-----");
    const cleanMerge = forgeMerge && (await isCleanMerge(repoDir, /^tree ([0-9a-f]{40})$/m.exec(raw.toString("utf8"))?.[1] ?? "", entry.parents));
    commits.push({ id: entry.id, raw, ...(tip ? { branchTip: tip } : {}), ...(cleanMerge && { cleanMerge }), signersBefore: signers, changes });
    const signersChange = changes.find((c) => c.path === ALLOWED_SIGNERS_FILE);
    if (signersChange) signers = signersChange.after?.toString("utf8") ?? "";
  }
  return commits;
}

/** The audit events of a registry repository, filtered: what `skillreg audit` and the site show. */
export async function readAuditEvents(repoDir: string, filter: AuditFilter = {}, ref = "HEAD"): Promise<AuditEvent[]> {
  return filterAuditEvents(deriveAuditEvents(await readAuditCommits(repoDir, ref)), filter);
}

/** One line of detail for tables and CSV: the fields that are not columns. */
export function auditDetails(e: AuditEvent): string {
  const parts: string[] = [];
  const add = (k: string, v: string | number | undefined) => {
    if (v !== undefined) parts.push(`${k}=${v}`);
  };
  add("principal", e.principal);
  add("role", e.previousRole && e.role ? `${e.previousRole}->${e.role}` : (e.role ?? e.previousRole));
  add("visibility", e.previousVisibility ? `${e.previousVisibility}->${e.visibility}` : e.visibility);
  add("reason", e.reason);
  add("key", e.fingerprint);
  add("valid-before", e.validBefore);
  add("signer", e.signer);
  const claim = (name: string, v: string | undefined) => (v !== undefined && e.unproven?.includes(name) ? `${v} (unproven)` : v);
  add("reviewer", claim("reviewer", e.reviewer));
  // The recorded decision in the words pull, search and the catalog use ("pass" reads "passed").
  const scanWord = e.scanDecision !== undefined && Object.hasOwn(DECISION_WORDS, e.scanDecision) ? DECISION_WORDS[e.scanDecision as keyof typeof DECISION_WORDS] : e.scanDecision;
  add("scan", claim("scan-decision", scanWord));
  add("pr", e.pullRequest === undefined ? undefined : `#${e.pullRequest}`);
  add("file", e.file);
  if (e.unproven?.includes("time")) parts.push("time unproven (no signed commit vouches for it)");
  if (e.changes) parts.push(...e.changes);
  return parts.join("; ");
}

/** What the event is about: `@scope/skill@version`, `@scope`, or the registry. */
export function auditTarget(e: AuditEvent): string {
  if (e.scope && e.skill) return `@${e.scope}/${e.skill}${e.version ? `@${e.version}` : ""}`;
  if (e.scope) return `@${e.scope}`;
  return "(registry)";
}

export const AUDIT_CSV_COLUMNS = ["time", "type", "target", "actor", "actor_verified", "approver", "details", "commit"] as const;

/** RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces); double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = [AUDIT_CSV_COLUMNS.join(",")];
  for (const e of events) {
    rows.push(
      [e.time, e.type, auditTarget(e), e.actor, String(e.actorVerified), e.approver ?? "", auditDetails(e), e.commit].map(csvField).join(","),
    );
  }
  return rows.join("\r\n") + "\r\n";
}
