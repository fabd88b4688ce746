import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { LOCK_FILE, configDir, findProjectRoot, homeDir } from "./config.js";
import { SkillregError } from "../core/index.js";
import type { IndexConfig, IndexSkill, IndexVersion } from "../index/index.js";
import { skillKey } from "../core/index.js";
import { processAlive, readLock, withLockfileLock, writeLock, type LockEntry, type LockFile } from "./lock.js";
import { resolveVersion } from "./resolve.js";
import { readSkillFiles, comparePaths, renameSkillMd } from "../core/index.js";
import { NAME_MAX_LENGTH, sha256Hex } from "../core/index.js";
import type { FetchedTag } from "./fetch-tag.js";
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
  const root = findProjectRoot(cwd);
  return { root, lockPath: join(root, LOCK_FILE) };
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
  /** The folder name to install under instead of `name` (`pull --as`). */
  as?: string;
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
    ...(item.as !== undefined ? { as: item.as } : {}),
  };
}

/** The folder a skill is installed in inside a skills folder: its alias, else its name. */
export function installFolderName(item: { name: string; as?: string }): string {
  return item.as ?? item.name;
}

/**
 * The files to write for a skill: the signed ones, with SKILL.md's frontmatter `name` swapped
 * for the alias when there is one (the only byte change an install ever makes).
 */
function filesToWrite(item: VerifiedInstall): VerifiedFile[] {
  if (item.as === undefined) return item.verified.files;
  return item.verified.files.map((f) => {
    if (f.path !== "SKILL.md") return f;
    const renamed = renameSkillMd(f.bytes, item.name, item.as!);
    if ("problem" in renamed) throw new SkillregError(`${item.key}@${item.entry.version} cannot be installed as ${item.as}: ${renamed.problem}; nothing was installed`);
    return { ...f, bytes: renamed.bytes };
  });
}

/**
 * A folder name to offer when `name` is taken by a skill of another scope: `<scope>-<name>`,
 * cut to the name length limit, else `<name>-<n>`; never one in `taken`.
 */
export function suggestAlias(scope: string, name: string, taken: (alias: string) => boolean): string {
  const candidates = [`${scope}-${name}`.slice(0, NAME_MAX_LENGTH).replace(/-+$/, ""), ...Array.from({ length: 98 }, (_, i) => `${name.slice(0, NAME_MAX_LENGTH - 3)}-${i + 2}`)];
  return candidates.find((c) => c !== name && !taken(c)) ?? `${name.slice(0, NAME_MAX_LENGTH - 4)}-100`;
}

/** A locked skill to take out: all of it, or only some of its installed folders (one agent's). */
export interface Removal {
  key: string;
  /** Installed paths to remove; absent: every path and the lock entry. */
  paths?: string[];
}

/** A folder SkillReg did not make, moved out of the way by --force. */
export interface BackedUp {
  /** Where it was, relative to the project root. */
  from: string;
  /** Where it is now, absolute. */
  to: string;
}

export interface CommitResult {
  lock: LockFile;
  backups: BackedUp[];
}

/** Where --force moves folders SkillReg did not make: beside the lock, one folder per run. */
function backupDir(target: InstallTarget): string {
  return join(dirname(target.lockPath), ".skillreg-backup", `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`);
}

/**
 * The install folders of `items` that exist but are not recorded in the lock as that skill's
 * (a hand-written folder, say): refused with one line unless `force` (then the caller moves
 * them into a backup folder). A folder the lock records for another skill is always refused.
 * Also what a --dry-run checks, so it says what the real run would.
 */
export async function foreignFolders(
  target: InstallTarget,
  lock: LockFile,
  items: readonly { key: string; name: string; as?: string; folders: readonly string[] }[],
  opts: { removedKeys?: readonly string[]; force: boolean },
): Promise<string[]> {
  const removedKeys = opts.removedKeys ?? [];
  const foreign: string[] = [];
  for (const item of items) {
    const own = Object.hasOwn(lock.skills, item.key) ? lock.skills[item.key]!.paths : [];
    for (const folder of item.folders) {
      const path = `${folder}/${installFolderName(item)}`;
      const holder = Object.entries(lock.skills).find(([k, e]) => k !== item.key && !removedKeys.includes(k) && e.paths.includes(path));
      if (holder) throw new SkillregError(`${path} already holds ${holder[0]}; install ${item.key} under another folder name with --as, or remove ${holder[0]} first`);
      if (!own.includes(path) && (await lstat(join(target.root, path)).catch(() => undefined))) foreign.push(path);
    }
  }
  if (foreign.length > 0 && !opts.force) {
    throw new SkillregError(
      `${foreign.join(", ")} ${foreign.length === 1 ? "exists and was" : "exist and were"} not installed by skillreg (not in skillreg.lock); nothing was changed: move ${foreign.length === 1 ? "it" : "them"} away, or pass --force to move ${foreign.length === 1 ? "it" : "them"} into a backup folder`,
    );
  }
  return foreign;
}

/**
 * Write every skill and record them in the lock, holding the lockfile's lock so concurrent
 * pulls into one project each add their entries. A folder the lock does not record as this
 * skill's is never replaced: that is refused before anything is written, or with `force`
 * moved into a backup folder first. Returns the new lock and what was backed up.
 */
export async function commitInstalls(
  target: InstallTarget,
  items: readonly VerifiedInstall[],
  removals: readonly Removal[] = [],
  opts: { force?: boolean } = {},
): Promise<CommitResult> {
  await mkdir(dirname(target.lockPath), { recursive: true });
  return withLockfileLock(target.lockPath, async () => {
    const lock = await readLock(target.lockPath);
    const removedKeys = removals.filter((r) => r.paths === undefined).map((r) => r.key);
    const foreign = await foreignFolders(target, lock, items, { removedKeys, force: opts.force === true });
    const toWrite = new Map(items.map((item) => [item, filesToWrite(item)]));
    const backups: BackedUp[] = [];
    if (foreign.length > 0) {
      const dir = backupDir(target);
      for (const path of foreign) {
        await checkNoSymlinks(target.root, path.split("/").slice(0, -1).join("/"));
        const to = join(dir, ...path.split("/"));
        await mkdir(dirname(to), { recursive: true });
        await rename(join(target.root, path), to);
        backups.push({ from: path, to });
      }
    }
    for (const item of items) {
      const paths: string[] = [];
      for (const folder of item.folders) paths.push(await writeSkillFolder(target.root, folder, installFolderName(item), toWrite.get(item)!));
      const previous = Object.hasOwn(lock.skills, item.key) ? lock.skills[item.key] : undefined;
      // Folders the skill was installed in before but is not now are removed (they are the lock's).
      for (const old of previous?.paths ?? []) if (!paths.includes(old)) await removeSkillFolder(target.root, old);
      lock.skills[item.key] = lockEntryFor(item, paths);
    }
    for (const removal of removals) {
      const entry = Object.hasOwn(lock.skills, removal.key) ? lock.skills[removal.key] : undefined;
      if (!entry) continue;
      const gone = removal.paths ?? entry.paths;
      for (const p of gone) await removeSkillFolder(target.root, p);
      const kept = entry.paths.filter((p) => !gone.includes(p));
      if (kept.length === 0) delete lock.skills[removal.key];
      else lock.skills[removal.key] = { ...entry, paths: kept };
    }
    await writeLock(target.lockPath, lock);
    return { lock, backups };
  });
}

/** A version chosen from a registry, not yet fetched. */
export interface PlannedVersion {
  key: string;
  scope: string;
  name: string;
  /** The folder name to install under instead of `name` (`pull --as`, or the lock's). */
  as?: string;
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

/** Fetch the planned tag (unless it was fetched already) and run the four checks; nothing is written. */
export async function fetchAndVerify(source: RegistrySource, plan: PlannedVersion, prefetched?: FetchedTag): Promise<VerifiedVersion> {
  const fetched = prefetched ?? (await source.fetchTag(plan.entry.tag));
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

/**
 * Installed files as they were signed: an aliased SKILL.md with the alias swapped back for
 * the skill's name (exactly the one change install made). A SKILL.md that does not name the
 * alias (even one put back to the signed bytes) is left out, so it shows as changed.
 */
function signedFiles<F extends { path: string; bytes: Uint8Array }>(files: readonly F[], alias: string | undefined, key: string): { files: F[]; unswappable: string[] } {
  if (alias === undefined) return { files: [...files], unswappable: [] };
  const out: F[] = [];
  const unswappable: string[] = [];
  for (const file of files) {
    const back = file.path === "SKILL.md" ? renameSkillMd(file.bytes, alias, key.slice(key.indexOf("/") + 1)) : { bytes: file.bytes };
    if ("problem" in back) unswappable.push(file.path);
    else out.push({ ...file, bytes: back.bytes });
  }
  return { files: out, unswappable };
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
        const signed = signedFiles(read.files, entry.as, skill);
        const actual = fileHashes(signed.files);
        for (const [p, hash] of Object.entries(entry.files)) {
          if (signed.unswappable.includes(p)) diff.changed.push(p);
          else if (!Object.hasOwn(actual, p)) diff.missing.push(p);
          else if (actual[p] !== hash) diff.changed.push(p);
        }
        for (const p of [...Object.keys(actual), ...signed.unswappable]) if (!Object.hasOwn(entry.files, p)) diff.added.push(p);
      }
      if (diff.changed.length || diff.added.length || diff.missing.length || diff.problems.length) out.push(diff);
    }
  }
  return out;
}
