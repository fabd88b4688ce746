import { parseDocument } from "yaml";
import { parseScopeFile } from "../core/index.js";
import { scopeFileSchema, type RegistryConfig, type Role, type ScopeFile, type ScopeFileData, type Scopes, type Visibility } from "../core/index.js";
import { parsePublicKeyFile, withAllowedSigner } from "./bootstrap.js";
import { SkillregError } from "../core/index.js";
import { ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, CONFIG_FILE, GITHUB_DIR, parseScopeFilePath, scopeFilePath } from "../core/index.js";
import { checkYamlWithSchema } from "../core/index.js";
import { isAdmin, membersWith, roleOf } from "../core/index.js";
import { parseRegistrySigners } from "../trust/index.js";

/**
 * Access changes, decided without I/O: what a change does to a scope file or to
 * allowed_signers (text in, text out, comments kept), and who may make and approve it.
 * The CLI applies these rules before it pushes anything (so a refusal costs nothing), and the
 * gate applies the same rules to whatever a branch contains (so a hand-made branch gets no
 * further):
 *
 *   scopes/<scope>.yaml  changed by an owner of the scope (or an admin), approved by another
 *                        owner of the scope or an admin; only admins create or delete scopes;
 *                        the last owner cannot be removed; a maintainer cannot grant owner.
 *   .github/CODEOWNERS   generated from scopes/: the gate blocks any other content, so its
 *                        change needs no authority of its own.
 *   everything else      (skillreg.yaml, allowed_signers, .github/...) admins only.
 */

export type ControlPathOwner = { kind: "scope"; scope: string } | { kind: "generated" } | { kind: "admin" };

/** Who decides a change to a registry file outside skills/ and publish/. */
export function controlPathOwner(path: string): ControlPathOwner {
  const scope = parseScopeFilePath(path);
  if (scope !== undefined) return { kind: "scope", scope };
  if (path === CODEOWNERS_FILE) return { kind: "generated" };
  return { kind: "admin" };
}

function owners(file: ScopeFile | undefined): string[] {
  return file ? membersWith(file, ["owner"]) : [];
}

function describeRole(role: Role | undefined): string {
  return role ? `a ${role}` : "not a member";
}

/**
 * Why `actor` may not turn `before` into `after` (undefined: the scope is created or
 * deleted). The actor's role is read from `authority` (default `before`): the gate passes the
 * base side's file, so a role granted earlier in the same change gives no authority. Empty
 * when allowed. Pure.
 */
export function scopeChangeRefusals(
  scope: string,
  before: ScopeFile | undefined,
  after: ScopeFile | undefined,
  actor: string,
  config: RegistryConfig,
  authority: ScopeFile | undefined = before,
): string[] {
  const refusals: string[] = [];
  const admin = isAdmin(config, actor);
  const role = authority && Object.hasOwn(authority.members, actor) ? authority.members[actor] : undefined;
  const manager = admin || role === "owner";
  if (!before && after && !admin) refusals.push(`only a registry admin may create scope @${scope}; ${actor} is not one`);
  if (before && !after) {
    if (!admin) refusals.push(`only a registry admin may delete scope @${scope}; ${actor} is not one`);
    return refusals;
  }
  if (!after) return refusals;

  const left = owners(after);
  if (before && left.length === 0) {
    refusals.push(`@${scope} would have no owner: ${owners(before).join(", ")} cannot be removed as the last owner; add another owner first`);
  }
  const memberChanges = new Set([...Object.keys(before?.members ?? {}), ...Object.keys(after.members)]);
  const changed = [...memberChanges].filter((p) => before?.members[p] !== after.members[p]);
  const newOwners = changed.filter((p) => after.members[p] === "owner");
  if (before && changed.length > 0 && !manager) {
    refusals.push(
      newOwners.length > 0
        ? `only an owner of @${scope} may grant the owner role (to ${newOwners.join(", ")}); ${actor} is ${describeRole(role)}`
        : `only owners of @${scope} manage its members; ${actor} is ${describeRole(role)}`,
    );
  }
  if (before && !manager) {
    const skills = new Set([...Object.keys(before.skills), ...Object.keys(after.skills)]);
    const visibilityChanged = before.visibility !== after.visibility || [...skills].some((s) => before.skills[s]?.visibility !== after.skills[s]?.visibility);
    const flagsChanged = [...skills].some(
      (s) =>
        JSON.stringify(before.skills[s]?.yanked ?? {}) !== JSON.stringify(after.skills[s]?.yanked ?? {}) ||
        JSON.stringify(before.skills[s]?.deprecated ?? {}) !== JSON.stringify(after.skills[s]?.deprecated ?? {}),
    );
    if (visibilityChanged) refusals.push(`only owners of @${scope} change its visibility; ${actor} is ${describeRole(role)}`);
    if (flagsChanged) refusals.push(`only owners of @${scope} yank or deprecate its versions; ${actor} is ${describeRole(role)}`);
  }
  return refusals;
}

/**
 * The yanks of `before` that `after` no longer holds, as `@scope/name@version`. A yank is never
 * undone (nothing is ever deleted): clients that saw it name its loss as a rewrite of the
 * registry ("dropped yank", registry/client/checkpoint.ts), so whoever asks, the gate refuses
 * it. Rewording a reason keeps the yank. Pure.
 */
export function droppedYanks(scope: string, before: ScopeFile | undefined, after: ScopeFile | undefined): string[] {
  const dropped: string[] = [];
  for (const [name, skill] of Object.entries(before?.skills ?? {})) {
    const kept = after !== undefined && Object.hasOwn(after.skills, name) ? after.skills[name]?.yanked : undefined;
    for (const version of Object.keys(skill.yanked ?? {})) if (kept === undefined || !Object.hasOwn(kept, version)) dropped.push(`@${scope}/${name}@${version}`);
  }
  return dropped;
}

/** Why `actor` may not change these admin-owned files (allowed_signers, skillreg.yaml, .github/). Pure. */
export function adminChangeRefusals(paths: readonly string[], actor: string, config: RegistryConfig): string[] {
  if (paths.length === 0 || isAdmin(config, actor)) return [];
  return [
    `the change touches ${paths.join(", ")}; ${CONFIG_FILE}, ${ALLOWED_SIGNERS_FILE}, ${GITHUB_DIR}/ and other root files need a registry admin, and ${actor} is not one`,
  ];
}

/**
 * Why `approver` may not approve (merge) a change to these scopes' files: an owner of the
 * scope or an admin must; a new scope needs an admin. Pure, on the base side's scopes.
 */
export function approverRefusals(scopes: readonly string[], approver: string, trusted: { config: RegistryConfig; scopes: Scopes }): string[] {
  if (isAdmin(trusted.config, approver)) return [];
  return scopes
    .filter((scope) => roleOf(trusted.scopes, scope, approver) !== "owner")
    .map((scope) =>
      trusted.scopes.has(scope)
        ? `${approver} is not an owner of @${scope} or a registry admin, so cannot approve changes to ${scopeFilePath(scope)}`
        : `only a registry admin may approve creating scope @${scope}`,
    );
}

/**
 * A scope file's text as the rules see it: schema-valid is enough (a file with no owner left
 * must still be judged, to say "the last owner cannot be removed"). Undefined when absent or
 * not even schema-valid: that is the gate's config-invalid, reported there.
 */
export function scopeForRules(text: string | undefined, path: string): ScopeFile | undefined {
  if (text === undefined) return undefined;
  const { value, problems } = checkYamlWithSchema(text, scopeFileSchema, path);
  if (problems.length > 0) return undefined;
  const data = value as ScopeFileData;
  return { ...data, visibility: data.visibility ?? "private", skills: data.skills ?? {} };
}

// ---- Edits: scope file text in, scope file text out, comments and order kept. ----

export type ScopeEdit =
  | { kind: "grant"; principal: string; role: Role }
  | { kind: "revoke"; principal: string }
  | { kind: "visibility"; skill?: string; visibility: Visibility }
  | { kind: "flag"; flag: "yanked" | "deprecated"; skill: string; version: string; reason: string };

/** Apply one edit to a scope file's text. Throws a one-line SkillregError when it changes nothing or cannot apply. */
export function editScopeText(text: string, path: string, edit: ScopeEdit): string {
  const current = parseScopeFile(text, path);
  const doc = parseDocument(text);
  const scope = `@${current.scope}`;
  switch (edit.kind) {
    case "grant": {
      const was = Object.hasOwn(current.members, edit.principal) ? current.members[edit.principal] : undefined;
      if (was === edit.role) throw new SkillregError(`${edit.principal} is already ${edit.role === "owner" ? "an" : "a"} ${edit.role} of ${scope}`);
      doc.setIn(["members", edit.principal], edit.role);
      break;
    }
    case "revoke":
      if (!Object.hasOwn(current.members, edit.principal)) throw new SkillregError(`${edit.principal} is not a member of ${scope}`);
      doc.deleteIn(["members", edit.principal]);
      break;
    case "visibility": {
      if (edit.skill === undefined) {
        if (current.visibility === edit.visibility) throw new SkillregError(`${scope} is already ${edit.visibility}`);
        doc.set("visibility", edit.visibility);
      } else {
        if (current.skills[edit.skill]?.visibility === edit.visibility) throw new SkillregError(`${scope}/${edit.skill} is already ${edit.visibility}`);
        doc.setIn(["skills", edit.skill, "visibility"], edit.visibility);
      }
      break;
    }
    case "flag": {
      if (current.skills[edit.skill]?.[edit.flag]?.[edit.version] !== undefined) {
        throw new SkillregError(`${scope}/${edit.skill}@${edit.version} is already ${edit.flag}`);
      }
      doc.setIn(["skills", edit.skill, edit.flag, edit.version], edit.reason);
      break;
    }
  }
  return doc.toString();
}

/** What a scope edit is called, for branch names, commit titles and pull requests. */
function describeEdit(scope: string, edit: ScopeEdit): { branch: string; title: string } {
  const b = (...parts: string[]) => `access/${scope}/${parts.map(branchPart).join("-")}`;
  switch (edit.kind) {
    case "grant":
      return { branch: b("grant", edit.principal, edit.role), title: `Grant ${edit.role} of @${scope} to ${edit.principal}` };
    case "revoke":
      return { branch: b("revoke", edit.principal), title: `Remove ${edit.principal} from @${scope}` };
    case "visibility":
      return {
        branch: b("visibility", edit.skill ?? scope, edit.visibility),
        title: `Make @${scope}${edit.skill ? `/${edit.skill}` : ""} ${edit.visibility}`,
      };
    case "flag": {
      const verb = edit.flag === "yanked" ? "yank" : "deprecate";
      return { branch: b(verb, edit.skill, edit.version), title: `${verb === "yank" ? "Yank" : "Deprecate"} @${scope}/${edit.skill}@${edit.version}` };
    }
  }
}

/** Branch-name-safe form of a principal or label. */
export function branchPart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").replace(/\.{2,}/g, ".") || "x";
}

export interface PlannedChange {
  branch: string;
  title: string;
  body: string;
  /** The pull request's body on GitHub, when it differs from the commit message body. */
  pullRequestBody?: string;
  /** Files written as they are (a folder listed in `replaceFolders` is emptied first). */
  files: { path: string; content: string | Uint8Array; executable?: boolean }[];
  replaceFolders?: string[];
  /**
   * Files that depend on what was staged (a publish signs the skill's tree): called with a
   * function that returns the tree id of a staged folder.
   */
  derived?(treeOf: (folder: string) => Promise<string>): Promise<{ path: string; content: string | Uint8Array }[]>;
  /** What the proposer should know before the change lands (printed, and in the JSON result). */
  warnings?: string[];
}

/**
 * The whole decision for a scope edit by `actor`, before anything is pushed: the new file,
 * checked against the same rules the gate applies. Refusals are exit 1 (the rules ran and
 * said no); a scope that does not exist or an edit that changes nothing is exit 2. Pure.
 */
export function planScopeEdit(config: RegistryConfig, scopeText: string | undefined, scope: string, edit: ScopeEdit, actor: string): PlannedChange {
  const path = scopeFilePath(scope);
  if (scopeText === undefined) throw new SkillregError(`scope @${scope} does not exist in the registry (no ${path})`);
  const next = editScopeText(scopeText, path, edit);
  const refusals = scopeChangeRefusals(scope, scopeForRules(scopeText, path), scopeForRules(next, path), actor, config);
  if (refusals.length > 0) throw new SkillregError(`refused: ${refusals.join("; ")}`, { exitCode: 1 });
  parseScopeFile(next, path);
  const { branch, title } = describeEdit(scope, edit);
  const reason = edit.kind === "flag" ? `\n\nReason: ${edit.reason}` : "";
  return { branch, title, body: `Requested by ${actor}.${reason}`, files: [{ path, content: next }] };
}

/** The decision for `keys revoke` by `actor`: admins only, lines kept with valid-before. Pure. */
export function planKeyRevocation(
  config: RegistryConfig,
  allowedSigners: string,
  principal: string,
  fingerprint: string | undefined,
  actor: string,
  at: Date,
): PlannedChange & { revoked: string[] } {
  const refusals = adminChangeRefusals([ALLOWED_SIGNERS_FILE], actor, config);
  if (refusals.length > 0) throw new SkillregError(`refused: ${refusals.join("; ")}`, { exitCode: 1 });
  const { text, revoked } = revokeKeyText(allowedSigners, principal, fingerprint, at);
  return {
    branch: `access/keys/revoke-${branchPart(principal)}${fingerprint ? `-${branchPart(fingerprint.replace(/^SHA256:/, "").slice(0, 12))}` : ""}`,
    title: `Revoke ${revoked.length === 1 ? "key" : "keys"} of ${principal}`,
    body: `Requested by ${actor}. ${revoked.join(", ")} valid only before ${at.toISOString()}: versions released earlier stay valid, later signatures fail.`,
    files: [{ path: ALLOWED_SIGNERS_FILE, content: text }],
    revoked,
  };
}

/** `YYYYMMDDHHMMSSZ`, the allowed_signers time format, in UTC. */
export function signerTime(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/**
 * Revoke a principal's keys (or the one with `fingerprint`) by adding `valid-before` to their
 * lines instead of deleting them: signatures are judged at the moment the release recorded
 * them, so tags released before `at` stay valid and anything released later fails. Deleting
 * the line would instead invalidate every tag the key ever signed. Pure.
 */
export function revokeKeyText(text: string, principal: string, fingerprint: string | undefined, at: Date): { text: string; revoked: string[] } {
  const entries = parseRegistrySigners(text, ALLOWED_SIGNERS_FILE).filter(
    (e) => e.principals.includes(principal) && (fingerprint === undefined || e.key.fingerprint === fingerprint),
  );
  if (entries.length === 0) {
    throw new SkillregError(`${ALLOWED_SIGNERS_FILE} has no key${fingerprint ? ` ${fingerprint}` : ""} for ${principal}`);
  }
  const open = entries.filter((e) => e.validBefore === undefined || e.validBefore >= at);
  if (open.length === 0) throw new SkillregError(`every matching key of ${principal} is already revoked (valid-before is set)`);
  const lines = text.split("\n");
  // OpenSSH's valid-before is inclusive (a signature at that second still verifies): end the
  // key's validity the second before the revocation.
  const until = new Date(Math.floor(at.getTime() / 1000) * 1000 - 1000);
  const stamp = `valid-before="${signerTime(until)}"`;
  for (const entry of open) {
    const raw = lines[entry.line - 1]!;
    const keyAt = raw.indexOf(` ${entry.key.line.split(" ")[0]} `);
    const head = raw.slice(0, keyAt);
    // An existing later valid-before is replaced; otherwise the option is added.
    const withStamp = /valid-before="[^"]*"/i.test(head)
      ? head.replace(/valid-before="[^"]*"/i, stamp)
      : /^\S+\s+\S/.test(head.trim()) ? `${head},${stamp}` : `${head} ${stamp}`;
    lines[entry.line - 1] = withStamp + raw.slice(keyAt);
  }
  const next = lines.join("\n");
  const check = parseRegistrySigners(next, ALLOWED_SIGNERS_FILE);
  for (const entry of open) {
    const after = check.find((e) => e.line === entry.line);
    if (after?.validBefore?.getTime() !== until.getTime()) {
      throw new SkillregError(`${ALLOWED_SIGNERS_FILE}:${entry.line}: could not add ${stamp} to this line; edit it by hand`);
    }
  }
  return { text: next, revoked: open.map((e) => e.key.fingerprint) };
}

/** The decision for `keys add --key` (the pull-request path): admins only, one key one signer. Pure. */
export function planKeyAddition(config: RegistryConfig, allowedSigners: string, principal: string, keyText: string, keyFile: string, actor: string): PlannedChange & { fingerprint: string } {
  const refusals = adminChangeRefusals([ALLOWED_SIGNERS_FILE], actor, config);
  if (refusals.length > 0) throw new SkillregError(`refused: ${refusals.join("; ")}`, { exitCode: 1 });
  const key = parsePublicKeyFile(keyText, keyFile);
  return {
    branch: `access/keys/add-${branchPart(principal)}-${branchPart(key.fingerprint.replace(/^SHA256:/, "").slice(0, 12))}`,
    title: `Add a signing key for ${principal}`,
    body: `Requested by ${actor}. Key ${key.fingerprint} may sign as ${principal} (namespace git).`,
    files: [{ path: ALLOWED_SIGNERS_FILE, content: withAllowedSigner(allowedSigners, principal, key) }],
    fingerprint: key.fingerprint,
  };
}
