import lockfile from "proper-lockfile";
import { readFile } from "node:fs/promises";
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { SkillregError } from "../core/index.js";
import { writeFileAtomic } from "../core/index.js";
import { oidSchema, sha256Schema, signerSchema } from "../index/index.js";
import { parseJsonWithSchema, sortKeys } from "../core/index.js";
import { NAME_MAX_LENGTH, NAME_PATTERN, checkRelativePath } from "../core/index.js";
import { AGENTS } from "./agents.js";
import { ROOT_FINGERPRINT_PATTERN } from "../trust/index.js";

/**
 * skillreg.lock: what is installed, exactly enough to reproduce it byte for byte and to
 * prove it later. JSON with sorted keys so it diffs well; never a credential in it.
 */

export const LOCKFILE_VERSION = 1;

/** A pinned trust root: the fingerprint of one root file of the registry's chain, and its version. */
export const rootPinSchema = {
  type: "object",
  additionalProperties: false,
  required: ["fingerprint", "version"],
  properties: { fingerprint: { type: "string", pattern: ROOT_FINGERPRINT_PATTERN }, version: { type: "integer", minimum: 1 } },
} as const satisfies JSONSchema;

export const lockEntrySchema = {
  type: "object",
  additionalProperties: false,
  required: ["registry", "range", "version", "tag", "tagObject", "tree", "sha256", "signer", "paths", "files"],
  properties: {
    /** The registry the skill came from: an index URL, a Git URL or a local path (no credentials). */
    registry: { type: "string", minLength: 1 },
    range: { type: "string", minLength: 1 },
    version: { type: "string", minLength: 1 },
    tag: { type: "string", minLength: 1 },
    tagObject: oidSchema,
    tree: oidSchema,
    sha256: sha256Schema,
    signer: signerSchema,
    /**
     * The folder name it is installed under when not its own (`pull --as`): the installed
     * SKILL.md's frontmatter `name` is this alias, every other byte is the signed one.
     */
    as: { type: "string", pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH },
    /** Where it is installed, relative to the project root (or $HOME for --global), posix. */
    paths: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    /** The trust root the registry's index was verified from (absent: the index was not signed). */
    root: rootPinSchema,
    /** sha256 of each signed file, by path inside the skill: what `verify` compares (after swapping an alias back). */
    files: { type: "object", additionalProperties: sha256Schema },
  },
} as const satisfies JSONSchema;
export type LockEntry = FromSchema<typeof lockEntrySchema>;

export const lockFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["lockfileVersion", "skills"],
  properties: {
    lockfileVersion: { const: LOCKFILE_VERSION },
    /** By "@scope/name". */
    skills: { type: "object", propertyNames: { pattern: "^@[a-z0-9-]+/[a-z0-9-]+$" }, additionalProperties: lockEntrySchema },
  },
} as const satisfies JSONSchema;
export type LockFile = FromSchema<typeof lockFileSchema>;

/** Every folder an agent reads skills from, in a project or a home folder: the only places install writes. */
const SKILLS_FOLDERS = new Set(AGENTS.flatMap((a) => [a.project, a.user]));

function emptyLock(): LockFile {
  return { lockfileVersion: LOCKFILE_VERSION, skills: {} };
}

/** Parse lock text; a broken lock is an error naming the file, never silently replaced. */
export function parseLock(text: string, file: string): LockFile {
  const lock = parseJsonWithSchema<LockFile>(text, lockFileSchema, {
    notJson: (reason) => `${file}: not valid JSON (${reason}); fix it or remove it and pull again`,
    mismatch: (problems) => `${file}: ${problems.slice(0, 3).join("; ")}`,
  });
  // Paths come from a file anyone can edit in a pull request: each must stay inside the
  // project and name the skill's own folder, or install would write where it pleases.
  // A folder holds one skill: an edited `as`/`paths` naming another entry's folder would make
  // `remove` delete that skill and `update` report both as installed.
  const holder = new Map<string, string>();
  for (const [key, entry] of Object.entries(lock.skills)) {
    const name = entry.as ?? key.slice(key.indexOf("/") + 1);
    for (const path of entry.paths) {
      const other = holder.get(path);
      if (other !== undefined && other !== key) {
        throw new SkillregError(`${file}: ${other} and ${key} both record ${JSON.stringify(path)}; a folder holds one skill: pull one of them again with --as`);
      }
      holder.set(path, key);
      const bad = checkRelativePath(path);
      if (bad || !path.endsWith(`/${name}`)) {
        throw new SkillregError(`${file}: ${key}: install path ${JSON.stringify(path)} is not a relative folder ending in /${name}`);
      }
      // Only an agent's skills folder: else a lock could make install replace src/<name> or any
      // other folder of the project that happens to share the skill's name.
      if (!SKILLS_FOLDERS.has(path.slice(0, -name.length - 1))) {
        throw new SkillregError(`${file}: ${key}: install path ${JSON.stringify(path)} is not in an agent's skills folder (${[...SKILLS_FOLDERS].join(", ")})`);
      }
    }
  }
  return lock;
}

/** Stable text: sorted keys at every level, two-space indent, trailing newline. */
export function formatLock(lock: LockFile): string {
  return JSON.stringify(sortKeys(lock), null, 2) + "\n";
}

export async function readLock(path: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyLock();
    throw e;
  }
  return parseLock(text, path);
}

export async function writeLock(path: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(path, formatLock(lock), { mode: 0o644 });
}

export interface LockfileLockOptions {
  /** Give up after about this long (default 60 s). */
  timeoutMs?: number;
}

/** Whether a process with this id is still running (EPERM: it is, but not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Run `fn` holding a lock on skillreg.lock (proper-lockfile: an atomic `<lock>.lock` folder whose
 * mtime the holder refreshes), so that two pulls into one project take turns instead of one
 * overwriting the other. A lock whose holder died stops being refreshed and is taken over
 * after a few seconds.
 */
export async function withLockfileLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockfileLockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(lockPath, {
      realpath: false, // skillreg.lock may not exist yet
      stale: 5_000,
      retries: { retries: Math.ceil(timeoutMs / 250), minTimeout: 25, maxTimeout: 250, factor: 1.5 },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ELOCKED") throw e;
    throw new SkillregError(`${lockPath} is locked by another skillreg; wait for it to finish or remove ${lockPath}.lock`);
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}
