import { NAME_MAX_LENGTH, NAME_PATTERN, SEMVER_PATTERN } from "./config/schema.js";

/**
 * Where things live in a registry repository (DESIGN.md, "A registry repository").
 * Paths are POSIX and relative to the repository root, as git names them.
 */
export const CONFIG_FILE = "skillreg.yaml";
export const SCOPES_DIR = "scopes";
export const SKILLS_DIR = "skills";
export const PUBLISH_DIR = "publish";
export const SEALED_DIR = "sealed";
export const ALLOWED_SIGNERS_FILE = "allowed_signers";
export const GITHUB_DIR = ".github";
export const CODEOWNERS_FILE = ".github/CODEOWNERS";
export const WORKFLOWS_DIR = ".github/workflows";
export const DEFAULT_BRANCH = "main";
/** The full ref of the default branch, the registry's main. */
export const MAIN_REF = `refs/heads/${DEFAULT_BRANCH}`;
export const SCOPE_FILE_SUFFIX = ".yaml";
export const TAG_FILE_SUFFIX = ".tag";

const nameRe = new RegExp(NAME_PATTERN);
const semverRe = new RegExp(SEMVER_PATTERN);

/** True when `s` follows the skill-name rule that skill, scope and registry names share. */
export function isValidName(s: string): boolean {
  return s.length <= NAME_MAX_LENGTH && nameRe.test(s);
}

/** True for a strict semantic version (what a publish path and a tag name may carry). */
export function isValidVersion(s: string): boolean {
  return s.length <= 256 && semverRe.test(s);
}

/** `@scope/name`: how a skill is named to people, in the lock and in tag names (parse with resolve.ts parseSkillSpec). */
export function skillKey(scope: string, name: string): string {
  return `@${scope}/${name}`;
}

/** `skills/<scope>/<name>`: the skill's files at its latest published version. */
export function skillPath(scope: string, name: string): string {
  return `${SKILLS_DIR}/${scope}/${name}`;
}

/** `publish/<scope>/<name>/<version>.tag`: the signed tag object of one version. */
export function publishTagPath(scope: string, name: string, version: string): string {
  return `${PUBLISH_DIR}/${scope}/${name}/${version}${TAG_FILE_SUFFIX}`;
}

/**
 * `sealed/<scope>/<name>/<version>.json`: the recipient envelope of a sealed version. It sits
 * outside the signed tree so granting read access re-wraps it without touching the version.
 */
export function sealedEnvelopePath(scope: string, name: string, version: string): string {
  return `${SEALED_DIR}/${scope}/${name}/${version}.json`;
}

/** `sealed/<scope>/<name>/<version>.json` -> its parts; undefined for anything else. */
export function parseSealedEnvelopePath(p: string): SkillVersionRef | undefined {
  const parts = p.split("/");
  if (parts.length !== 4 || parts[0] !== SEALED_DIR || !parts[3]!.endsWith(".json")) return undefined;
  const [, scope = "", name = "", file = ""] = parts;
  const version = file.slice(0, -".json".length);
  return isValidName(scope) && isValidName(name) && isValidVersion(version) ? { scope, name, version } : undefined;
}

/** `scopes/<scope>.yaml`. */
export function scopeFilePath(scope: string): string {
  return `${SCOPES_DIR}/${scope}${SCOPE_FILE_SUFFIX}`;
}

export interface SkillVersionRef {
  scope: string;
  name: string;
  version: string;
}

/**
 * Split a path under publish/ into scope, name and version, or say why it is not one.
 * Fails closed: anything but exactly `publish/<valid scope>/<valid name>/<semver>.tag` is a
 * problem, so a hostile path never reaches code that builds paths or tag names from it.
 */
export function checkPublishPath(p: string): SkillVersionRef | { problem: string } {
  const parts = p.split("/");
  const expected = `expected ${PUBLISH_DIR}/<scope>/<name>/<version>${TAG_FILE_SUFFIX}`;
  if (parts.length !== 4 || parts[0] !== PUBLISH_DIR) return { problem: `${p}: not a publish path; ${expected}` };
  const [, scope = "", name = "", file = ""] = parts;
  if (!file.endsWith(TAG_FILE_SUFFIX)) return { problem: `${p}: not a publish path; ${expected}` };
  const version = file.slice(0, -TAG_FILE_SUFFIX.length);
  if (!isValidName(scope)) return { problem: `${p}: '${scope}' is not a valid scope name` };
  if (!isValidName(name)) return { problem: `${p}: '${name}' is not a valid skill name` };
  if (!isValidVersion(version)) return { problem: `${p}: '${version}' is not a semantic version like 1.2.3` };
  return { scope, name, version };
}

/** Empty files that keep the layout's folders in git (git keeps no empty folders). */
export const LAYOUT_PLACEHOLDERS = [SCOPES_DIR, SKILLS_DIR, PUBLISH_DIR].map((dir) => `${dir}/.gitkeep`);

/** True for a layout placeholder: it describes no scope, skill or tag. */
export function isLayoutPlaceholder(p: string): boolean {
  return LAYOUT_PLACEHOLDERS.includes(p);
}

/** `publish/<scope>/<name>/<version>.tag` -> its parts; undefined for anything else. */
export function parsePublishPath(p: string): SkillVersionRef | undefined {
  const r = checkPublishPath(p);
  return "problem" in r ? undefined : r;
}

/**
 * The skill a path under skills/ belongs to (`skills/<scope>/<name>/...`), with the path
 * inside the skill; undefined when the path is not inside a skill folder.
 */
export function parseSkillFilePath(p: string): { scope: string; name: string; file: string } | undefined {
  const parts = p.split("/");
  if (parts.length < 4 || parts[0] !== SKILLS_DIR) return undefined;
  const [, scope = "", name = ""] = parts;
  return { scope, name, file: parts.slice(3).join("/") };
}

/** The scope a scope file path names (`scopes/acme.yaml` -> `acme`), or undefined. */
export function parseScopeFilePath(p: string): string | undefined {
  const prefix = `${SCOPES_DIR}/`;
  if (!p.startsWith(prefix) || !p.endsWith(SCOPE_FILE_SUFFIX)) return undefined;
  const scope = p.slice(prefix.length, -SCOPE_FILE_SUFFIX.length);
  return scope === "" || scope.includes("/") ? undefined : scope;
}
