import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SkillregError } from "../errors.js";
import { CONFIG_FILE, SCOPES_DIR, SCOPE_FILE_SUFFIX, isLayoutPlaceholder, parseScopeFilePath } from "../layout.js";
import { checkYamlWithSchema, formatProblem, parseYamlWithSchema, type SchemaProblem } from "../schema.js";
import {
  DEFAULT_LIMITS,
  registryConfigSchema,
  scopeFileSchema,
  type RegistryConfig,
  type RegistryConfigFile,
  type ScopeFile,
  type ScopeFileData,
  type Scopes,
} from "./schema.js";

/** Config files are small; a larger one is a mistake or an attack on the YAML parser. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Bytes or text of a config file as read from disk or from a git revision. */
export type FileContent = string | Uint8Array;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeConfigText(content: FileContent, file: string): string {
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  if (size > MAX_CONFIG_BYTES) {
    throw new SkillregError(`${file}: is ${size} bytes; configuration files may be at most ${MAX_CONFIG_BYTES} bytes`);
  }
  if (typeof content === "string") return content;
  try {
    return utf8.decode(content);
  } catch {
    throw new SkillregError(`${file}: is not valid UTF-8 text; save it as UTF-8`);
  }
}

function fail(problems: SchemaProblem[]): never {
  throw new SkillregError(problems.map(formatProblem).join("; "));
}

/** Parse and validate skillreg.yaml text; `file` names it in errors. Fills in the defaults. */
export function parseRegistryConfig(content: FileContent, file: string = CONFIG_FILE): RegistryConfig {
  const text = decodeConfigText(content, file);
  if (text.trim() === "") fail([{ file, message: "is empty; it needs at least 'name' and 'admins'" }]);
  const data = parseYamlWithSchema<RegistryConfigFile>(text, registryConfigSchema, file);
  return {
    ...data,
    limits: { ...DEFAULT_LIMITS, ...data.limits },
    policy: { securityReviewers: data.policy?.securityReviewers ?? [], rules: data.policy?.rules ?? {} },
  };
}

/**
 * Parse and validate one scope file. `file` is its path (`scopes/acme.yaml`, or a path on
 * disk ending so): the `scope` field must equal the file's name, and a scope needs an owner.
 */
export function parseScopeFile(content: FileContent, file: string): ScopeFile {
  const text = decodeConfigText(content, file);
  const fileName = file.split(/[\\/]/).pop() ?? file;
  if (!fileName.endsWith(SCOPE_FILE_SUFFIX)) {
    fail([{ file, message: `scope files are named ${SCOPES_DIR}/<scope>${SCOPE_FILE_SUFFIX}` }]);
  }
  if (text.trim() === "") fail([{ file, message: "is empty; it needs at least 'scope' and 'members'" }]);
  const { value, problems, lineAt } = checkYamlWithSchema(text, scopeFileSchema, file);
  if (problems.length > 0) fail(problems);
  const data = value as ScopeFileData;
  const expected = fileName.slice(0, -SCOPE_FILE_SUFFIX.length);
  if (data.scope !== expected) {
    problems.push({
      file,
      line: lineAt("/scope"),
      message: `scope: is '${data.scope}' but the file is named for '${expected}'; they must be the same`,
    });
  }
  if (!Object.values(data.members).includes("owner")) {
    problems.push({ file, line: lineAt("/members"), message: "members: a scope needs at least one owner" });
  }
  if (problems.length > 0) fail(problems);
  return { ...data, visibility: data.visibility ?? "private", skills: data.skills ?? {} };
}

/** A file under scopes/ as listed from a work tree or a git revision. */
export interface ScopeEntry {
  /** Path relative to the registry root, e.g. `scopes/acme.yaml`. */
  path: string;
  content: FileContent;
}

/**
 * Parse every scope file of a registry, pure. The layout placeholder is skipped; anything
 * else that is not `scopes/<scope>.yaml` is an error rather than silently ignored, so a
 * misnamed file cannot hide members. Reports the problems of all files at once.
 * `root` prefixes paths in messages (the registry folder on disk).
 */
export function parseScopes(entries: Iterable<ScopeEntry>, root?: string): Scopes {
  const scopes = new Map<string, ScopeFile>();
  const messages: string[] = [];
  for (const entry of entries) {
    const label = root === undefined ? entry.path : join(root, entry.path);
    if (isLayoutPlaceholder(entry.path)) continue;
    const scope = parseScopeFilePath(entry.path);
    if (scope === undefined) {
      messages.push(`${label}: not a scope file; scope files are ${SCOPES_DIR}/<scope>${SCOPE_FILE_SUFFIX}`);
      continue;
    }
    try {
      scopes.set(scope, parseScopeFile(entry.content, label));
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      messages.push(e.message);
    }
  }
  if (messages.length > 0) throw new SkillregError(messages.join("; "));
  return new Map([...scopes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function readConfigFile(path: string): Promise<Buffer> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new SkillregError(`${path}: is not a regular file`);
    return await readFile(path);
  } catch (e) {
    if (e instanceof SkillregError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SkillregError(`${path}: not found; is this a registry? (create one with 'skillreg init')`);
    }
    throw new SkillregError(`${path}: cannot be read: ${(e as Error).message}`);
  }
}

/** Read and validate `<registryDir>/skillreg.yaml`. */
export async function loadRegistryConfig(registryDir: string): Promise<RegistryConfig> {
  const path = join(registryDir, CONFIG_FILE);
  return parseRegistryConfig(await readConfigFile(path), path);
}

/** Read and validate every `<registryDir>/scopes/*.yaml`. A registry without scopes/ has none. */
export async function loadScopes(registryDir: string): Promise<Scopes> {
  const dir = join(registryDir, SCOPES_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new SkillregError(`${dir}: cannot be read: ${(e as Error).message}`);
  }
  const entries: ScopeEntry[] = [];
  for (const name of names) {
    const path = `${SCOPES_DIR}/${name}`;
    // Dotfiles are not read: parseScopes skips the layout placeholder and refuses any other.
    // Everything else must be a regular file.
    entries.push({ path, content: name.startsWith(".") ? "" : await readConfigFile(join(registryDir, path)) });
  }
  return parseScopes(entries, registryDir);
}
