import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { constants, existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { configDir, homeDir } from "./config.js";
import { SkillregError } from "../core/index.js";
import type { IndexConfig, IndexSkill, IndexVersion } from "../index/index.js";
import { skillKey } from "../core/index.js";
import { LOCK_FILE, processAlive, readLock, withLockfileLock, writeLock, type LockEntry, type LockFile } from "./lock.js";
import { resolveVersion } from "./resolve.js";
import { readSkillFiles, comparePaths } from "../core/index.js";
import { sha256Hex } from "../core/index.js";
import type { RegistrySource } from "./sources/index.js";
import type { RootPin } from "../trust/index.js";
import { verifyFetchedVersion, type VerifiedFile, type VerifiedVersion } from "./verify-version.js";

/**
 * Installing verified versions into agents' skills folders, and the lock that records them.
 * A skill folder appears whole or not at all: files are written into a fresh temporary folder
 * beside the target (same file system), then renamed into place. Nothing is ever written
 * through a symlink, and nothing outside the skills folder.
 */

/** Prefix of our temporary and retired folders inside a skills folder (agents skip dot-folders). */
const TEMP_PREFIX = ".skillreg-";

export interface InstallTarget {
  /** The project root, or $HOME with --global. Lock paths are relative to it. */
  root: string;
  lockPath: string;
}

/**
 * Where installs go: the project (the nearest folder up from cwd holding skillreg.lock or
 * .skillreg.yaml, else cwd) or, with `global`, $HOME with its lock in the config folder.
 */
export function installTarget(cwd: string, env: NodeJS.ProcessEnv, global: boolean): InstallTarget {
  if (global) return { root: homeDir(env), lockPath: join(configDir(env), LOCK_FILE) };
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, LOCK_FILE)) || existsSync(join(dir, ".skillreg.yaml"))) return { root: dir, lockPath: join(dir, LOCK_FILE) };
    if (dirname(dir) === dir) break;
  }
  return { root: cwd, lockPath: join(cwd, LOCK_FILE) };
}

/** sha256 of each file by path, as the lock records them. */
function fileHashes(files: readonly { path: string; bytes: Uint8Array }[]): Record<string, string> {
  return Object.fromEntries([...files].sort((a, b) => comparePaths(a.path, b.path)).map((f) => [f.path, sha256Hex(f.bytes)]));
}

/** Refuse a path under `root` that passes through a symlink (we never write through one). */
async function checkNoSymlinks(root: string, rel: string): Promise<void> {
  let current = root;
  for (const part of rel.split("/").filter(Boolean)) {
    current = join(current, part);
    const st = await lstat(current).catch(() => undefined);
    if (!st) return;
    if (st.isSymbolicLink()) throw new SkillregError(`${current} is a symbolic link; skillreg never installs through one (replace it with a folder)`);
    if (!st.isDirectory()) throw new SkillregError(`${current} is not a folder`);
  }
}

/** Remove temporary folders left by installs that died (their process is gone). */
async function sweepTemporaries(skillsDir: string): Promise<void> {
  const names = await readdir(skillsDir).catch(() => [] as string[]);
  for (const n of names) {
    const m = new RegExp(`^\\${TEMP_PREFIX}(?:tmp|old)-(\\d+)-`).exec(n);
    if (m && !processAlive(Number(m[1]))) await rm(join(skillsDir, n), { recursive: true, force: true });
  }
}

function pauseForTests(): Promise<void> {
  // Test hook, documented in test/pull/crash.test.ts: hold a finished temporary folder so a
  // test can SIGKILL the process at the one moment an install is half done.
  const ms = Number(process.env.SKILLREG_TEST_PAUSE_BEFORE_RENAME ?? "0");
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/**
 * Write `files` as `<root>/<folder>/<name>/`, atomically replacing what was there.
 * Returns the installed path relative to root (posix).
 */
export async function writeSkillFolder(root: string, folder: string, name: string, files: readonly VerifiedFile[]): Promise<string> {
  await checkNoSymlinks(root, folder);
  const skillsDir = join(root, folder);
  await mkdir(skillsDir, { recursive: true });
  await checkNoSymlinks(root, folder);
  await sweepTemporaries(skillsDir);
  const target = join(skillsDir, name);
  const existing = await lstat(target).catch(() => undefined);
  if (existing && (existing.isSymbolicLink() || !existing.isDirectory())) {
    throw new SkillregError(`${target} exists and is not a folder (a symbolic link or a file); remove it and pull again`);
  }
  const tmp = join(skillsDir, `${TEMP_PREFIX}tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  await mkdir(tmp, { mode: 0o755 });
  try {
    for (const f of files) {
      const full = join(tmp, ...f.path.split("/"));
      if (!full.startsWith(tmp + sep)) throw new SkillregError(`refusing to write ${f.path} outside the skill folder`);
      await mkdir(join(full, ".."), { recursive: true });
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      const handle = await open(full, flags, f.executable ? 0o755 : 0o644);
      try {
        await handle.writeFile(f.bytes);
      } finally {
        await handle.close();
      }
    }
    await pauseForTests();
    if (existing) {
      const retired = join(skillsDir, `${TEMP_PREFIX}old-${process.pid}-${randomBytes(6).toString("hex")}`);
      await rename(target, retired);
      await rename(tmp, target);
      await rm(retired, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return relative(root, target).split(sep).join("/");
}

/** The skills folders (relative to root) a locked skill is installed in: its paths without the skill's own folder. */
export function lockedFolders(entry: LockEntry): string[] {
  return entry.paths.map((path) => path.split("/").slice(0, -1).join("/"));
}

/** Remove an installed skill folder (renamed away first, so it never exists half-deleted). */
export async function removeSkillFolder(root: string, path: string): Promise<void> {
  const folder = path.split("/").slice(0, -1).join("/");
  await checkNoSymlinks(root, folder);
  const target = join(root, path);
  const st = await lstat(target).catch(() => undefined);
  if (!st) return;
  if (st.isSymbolicLink()) throw new SkillregError(`${target} is a symbolic link, not what skillreg installed; remove it yourself`);
  const retired = join(root, folder, `${TEMP_PREFIX}old-${process.pid}-${randomBytes(6).toString("hex")}`);
  await rename(target, retired);
  await rm(retired, { recursive: true, force: true });
}

/** One skill ready to install: resolved, fetched and verified. */
export interface VerifiedInstall {
  key: string;
  name: string;
  registry: string;
  range: string;
  entry: IndexVersion;
  verified: VerifiedVersion;
  /** Skills folders (relative to root) to install into. */
  folders: string[];
  /** The trust root the index entry was verified from, when the registry signs its index. */
  root?: RootPin;
}

function lockEntryFor(item: VerifiedInstall, paths: string[]): LockEntry {
  return {
    registry: item.registry,
    range: item.range,
    version: item.entry.version,
    tag: item.entry.tag,
    tagObject: item.entry.tagObject,
    tree: item.entry.tree,
    sha256: item.entry.sha256,
    signer: item.verified.signer,
    paths: [...paths].sort(),
    files: fileHashes(item.verified.files),
    ...(item.root ? { root: item.root } : {}),
  };
}

/**
 * Write every skill and record them in the lock, holding the lockfile's lock so concurrent
 * pulls into one project each add their entries. Returns the new lock.
 */
export async function commitInstalls(
  target: InstallTarget,
  items: readonly VerifiedInstall[],
  removals: readonly string[] = [],
): Promise<LockFile> {
  await mkdir(dirname(target.lockPath), { recursive: true });
  return withLockfileLock(target.lockPath, async () => {
    const lock = await readLock(target.lockPath);
    for (const item of items) {
      for (const folder of item.folders) {
        const path = `${folder}/${item.name}`;
        const holder = Object.entries(lock.skills).find(([k, e]) => k !== item.key && !removals.includes(k) && e.paths.includes(path));
        if (holder) throw new SkillregError(`${path} already holds ${holder[0]}; remove it first ('skillreg remove ${holder[0]}') to install ${item.key} there`);
      }
    }
    for (const item of items) {
      const paths: string[] = [];
      for (const folder of item.folders) paths.push(await writeSkillFolder(target.root, folder, item.name, item.verified.files));
      const previous = Object.hasOwn(lock.skills, item.key) ? lock.skills[item.key] : undefined;
      // Folders the skill was installed in before but is not now (another agent) are removed.
      for (const old of previous?.paths ?? []) if (!paths.includes(old)) await removeSkillFolder(target.root, old);
      lock.skills[item.key] = lockEntryFor(item, paths);
    }
    for (const key of removals) {
      const entry = Object.hasOwn(lock.skills, key) ? lock.skills[key] : undefined;
      if (!entry) continue;
      for (const p of entry.paths) await removeSkillFolder(target.root, p);
      delete lock.skills[key];
    }
    await writeLock(target.lockPath, lock);
    return lock;
  });
}

/** A version chosen from a registry, not yet fetched. */
export interface PlannedVersion {
  key: string;
  scope: string;
  name: string;
  registry: string;
  range: string;
  skill: IndexSkill;
  entry: IndexVersion;
  config: IndexConfig;
}

export async function planVersion(
  source: RegistrySource,
  spec: { scope: string; name: string; range: string },
  opts: { locked?: string; prerelease?: boolean; exact?: string } = {},
): Promise<PlannedVersion> {
  const key = skillKey(spec.scope, spec.name);
  const [skill, config] = await Promise.all([source.skill(spec.scope, spec.name), source.config()]);
  const entry = resolveVersion(key, skill.versions, opts.exact ?? spec.range, {
    ...(opts.locked !== undefined ? { locked: opts.locked } : {}),
    ...(opts.prerelease !== undefined ? { prerelease: opts.prerelease } : {}),
  });
  return { key, scope: spec.scope, name: spec.name, registry: source.id, range: spec.range, skill, entry, config };
}

/** Fetch the planned tag and run the four checks; nothing is written. */
export async function fetchAndVerify(source: RegistrySource, plan: PlannedVersion): Promise<VerifiedVersion> {
  const fetched = await source.fetchTag(plan.entry.tag);
  try {
    return await verifyFetchedVersion(fetched, { skill: plan.key, scope: plan.scope, entry: plan.entry, config: plan.config });
  } finally {
    await fetched.dispose();
  }
}

export interface InstalledDifference {
  skill: string;
  path: string;
  /** Files (inside the skill) that differ from the lock. */
  changed: string[];
  added: string[];
  missing: string[];
  /** Why the folder could not be compared at all (missing folder, symlinks, unreadable files). */
  problems: string[];
}

/** Compare what is installed with what the lock says was installed. */
export async function verifyInstalled(root: string, lock: LockFile): Promise<InstalledDifference[]> {
  const out: InstalledDifference[] = [];
  for (const skill of Object.keys(lock.skills).sort()) {
    const entry = lock.skills[skill]!;
    for (const path of entry.paths) {
      const diff: InstalledDifference = { skill, path, changed: [], added: [], missing: [], problems: [] };
      const dir = join(root, path);
      const st = await lstat(dir).catch(() => undefined);
      if (!st) {
        diff.missing = Object.keys(entry.files).sort();
        diff.problems.push("the skill folder is missing");
      } else if (!st.isDirectory()) {
        diff.problems.push("the skill folder is not a folder (a symbolic link or a file)");
      } else {
        const read = await readSkillFiles(dir, { maxFileBytes: Number.MAX_SAFE_INTEGER, maxSkillBytes: Number.MAX_SAFE_INTEGER, maxFiles: 100_000 });
        for (const p of read.problems) diff.problems.push(`${relative(dir, p.file) || "."}: ${p.message}`);
        const actual = fileHashes(read.files);
        for (const [p, hash] of Object.entries(entry.files)) {
          if (!Object.hasOwn(actual, p)) diff.missing.push(p);
          else if (actual[p] !== hash) diff.changed.push(p);
        }
        for (const p of Object.keys(actual)) if (!Object.hasOwn(entry.files, p)) diff.added.push(p);
      }
      if (diff.changed.length || diff.added.length || diff.missing.length || diff.problems.length) out.push(diff);
    }
  }
  return out;
}
