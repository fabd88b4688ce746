import { constants, type Dirent, type Stats } from "node:fs";
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_LIMITS, type RegistryConfig } from "../config/schema.js";
import { SkillregError } from "../errors.js";
import { printable, printableProblem, type Problem } from "./problem.js";

/** Registry limits on one skill; skillreg.yaml `limits` may override each. */
export type SkillLimits = RegistryConfig["limits"];

// One set of defaults for skillreg.yaml and for callers without a registry.
export { DEFAULT_LIMITS };

/** A regular file of a skill. `path` is posix and relative to the skill folder. */
export interface SkillFile {
  path: string;
  size: number;
  /** Permission bits (e.g. 0o644). */
  mode: number;
  /** Whether the owner may execute it: what git records as 100755. */
  executable: boolean;
  bytes: Uint8Array;
}

export interface SkillFiles {
  /** Sorted by path in UTF-8 byte order (the order skillSha256 and git use). */
  files: SkillFile[];
  problems: Problem[];
  /** Symbolic links (refused as problems, never followed) with their targets, for the scanner to judge. */
  links: { path: string; target: string }[];
  /** Regular files refused for their size, for the scanner to read in part. */
  oversized: { path: string; size: number }[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
// Names and paths must be plain text: control characters (C0, DEL, C1, line and paragraph
// separators) hide in terminals, diffs and Markdown.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Code points HFS+ ignores when it compares names (git's is_hfs_dotgit list), and the bidi
// isolates: a name holding one is another spelling of the same name on macOS, and invisible.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
// Characters Windows does not allow in a name (':' also opens an NTFS alternate data stream).
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
// Windows device names, with any extension: opening one opens the device, not a file.
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;
// NTFS 8.3 short names of .git (git~1, the name `dir /x` shows): the same folder on Windows.
const SHORT_DOT_GIT = /^git~\d+$/i;
// Files git reads from any folder of a work tree: installed into a consumer's repository, a
// skill's copy would change how that repository's files are checked in, ignored or fetched.
const GIT_CONTROL_FILES = new Set([".gitattributes", ".gitignore", ".gitmodules"]);

/**
 * One path policy for every way a skill's files arrive (folder walk at push, Git tree at the
 * gate and at pull, lock files): Windows and macOS name a file by more spellings than Linux
 * does, so a name is refused when any file system could read it as something else.
 */
function checkSegment(s: string, shown: string): { code: string; message: string } | undefined {
  if (s === "..") return { code: "path-dotdot", message: `path ${shown} has a '..' segment that points outside the skill; keep every file inside the skill folder` };
  if (s === "" || s === ".") return { code: "path-not-normal", message: `path ${shown} has an empty or '.' segment; write it as a plain relative path (a/b.txt)` };
  const invisible = s.match(INVISIBLE);
  if (invisible) {
    const code = `U+${invisible[0]!.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return { code: "path-invisible-character", message: `path ${shown} holds an invisible character (${code}) that macOS ignores in names, so it can pass for another name; rename the file` };
  }
  // Git refuses .git in any letter case (case-insensitive file systems), and so do we, with
  // the spellings Windows reads as .git too: trailing dots and spaces dropped, the 8.3 name.
  if (s.replace(/[. ]+$/, "").toLowerCase() === ".git" || SHORT_DOT_GIT.test(s)) {
    return { code: "git-folder", message: `path ${shown} is inside a '.git' folder (or a name Windows or macOS reads as .git); a skill must not carry a Git repository, remove it` };
  }
  if (/[. ]$/.test(s)) return { code: "path-trailing-dot", message: `path ${shown} has a name ending in a dot or a space, which Windows drops (so it names another file); rename it` };
  if (WINDOWS_FORBIDDEN.test(s)) return { code: "path-windows-character", message: `path ${shown} has a name with one of < > : " | ? *, which Windows does not allow; rename it` };
  if (WINDOWS_DEVICE.test(s)) return { code: "path-windows-device", message: `path ${shown} has a Windows device name (CON, NUL, COM1, ...), which names a device there, not a file; rename it` };
  if (GIT_CONTROL_FILES.has(s.toLowerCase())) {
    return { code: "git-file", message: `path ${shown} is a Git control file; git would apply it in the repository the skill is installed into, so a skill may not ship one, remove it` };
  }
  if (Buffer.byteLength(s) > 255) return { code: "path-too-long", message: `path ${shown} has a name longer than 255 bytes; shorten it` };
  return undefined;
}

/**
 * Whether `p` is acceptable as a path inside a skill (from a folder walk, a Git tree or an
 * archive). Returns the rule broken, or undefined when the path is fine. Pure, so the gate and
 * pull check tree entries with exactly the rules push used.
 */
export function checkRelativePath(p: string): { code: string; message: string } | undefined {
  const shown = `'${printable(p)}'`;
  if (p === "") return { code: "path-empty", message: "empty path; every file needs a name" };
  if (CONTROL.test(p)) return { code: "path-control-character", message: `path ${shown} contains a control character; rename the file` };
  if (p.includes("\\")) return { code: "path-backslash", message: `path ${shown} contains a backslash; use '/' between folders and rename files that contain '\\'` };
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return { code: "path-absolute", message: `path ${shown} is absolute; paths in a skill are relative to its folder` };
  for (const s of p.split("/")) {
    const bad = checkSegment(s, shown);
    if (bad) return bad;
  }
  return undefined;
}

/** Compare two paths by their UTF-8 bytes, as sha256sum manifests and git trees sort. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Read every file of the skill in `dir` without trusting it: symlinks are reported and never
 * followed, special files are never opened, names are checked, and reading stops at the
 * limits (a huge file is never read into memory). Problems are collected, never thrown,
 * except when `dir` itself cannot be read.
 */
export async function readSkillFiles(dir: string, limits: SkillLimits = DEFAULT_LIMITS): Promise<SkillFiles> {
  const files: SkillFile[] = [];
  const problems: Problem[] = [];
  const links: SkillFiles["links"] = [];
  const oversized: SkillFiles["oversized"] = [];
  const problem = (rel: string, code: string, message: string) =>
    problems.push(printableProblem({ file: rel === "" ? dir : join(dir, rel), code, message }));
  let totalBytes = 0;
  let folders = 0;
  let stopped = false;

  const root = await statRoot(dir);
  if (root.isSymbolicLink()) {
    problem("", "symlink", "is a symbolic link; the registry never follows links, name the folder it points to instead");
    return { files, problems, links, oversized };
  }
  if (!root.isDirectory()) throw new SkillregError(`${dir}: not a folder; a skill is a folder holding SKILL.md`);

  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(rel === "" ? dir : join(dir, rel), { withFileTypes: true, encoding: "buffer" });
    } catch (e) {
      if (rel === "") throw new SkillregError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? "error"}); check its permissions`);
      problem(rel, "unreadable", `cannot read this folder (${(e as NodeJS.ErrnoException).code ?? "error"}); fix its permissions or remove it`);
      return;
    }
    const named = entries.map((e) => ({ raw: e.name, name: decodeName(e.name) }));
    named.sort((a, b) => Buffer.compare(a.raw, b.raw));
    for (const { raw, name } of named) {
      if (stopped) return;
      const shownRel = rel === "" ? (name ?? raw.toString("latin1")) : `${rel}/${name ?? raw.toString("latin1")}`;
      if (name === undefined) {
        problem(shownRel, "path-encoding", `file name '${printable(shownRel)}' is not valid UTF-8; rename it`);
        continue;
      }
      const path = rel === "" ? name : `${rel}/${name}`;
      const bad = checkRelativePath(path);
      if (bad) {
        problem(path, bad.code, bad.message);
        continue;
      }
      const abs = join(dir, path);
      let st: Stats;
      try {
        st = await lstat(abs);
      } catch (e) {
        problem(path, "unreadable", `cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"}); fix its permissions or remove it`);
        continue;
      }
      if (st.isSymbolicLink()) {
        problem(path, "symlink", "is a symbolic link; the registry never follows links, replace it with the file itself");
        const target = await readlink(abs).catch(() => undefined);
        if (target !== undefined) links.push({ path, target });
      } else if (st.isDirectory()) {
        folders += 1;
        if (folders > limits.maxFiles) {
          problem("", "too-many-folders", `has more than ${limits.maxFiles} folders; the registry limit is ${limits.maxFiles} (limits.maxFiles in skillreg.yaml)`);
          stopped = true;
          return;
        }
        await walk(path);
      } else if (!st.isFile()) {
        problem(path, "special-file", `is a ${kindOf(st)}, not a regular file; a skill may hold only regular files and folders, remove it`);
      } else if (files.length + 1 > limits.maxFiles) {
        problem("", "too-many-files", `has more than ${limits.maxFiles} files; the registry limit is ${limits.maxFiles} a skill (limits.maxFiles in skillreg.yaml), remove files it does not need`);
        stopped = true;
      } else if (st.size > limits.maxFileBytes) {
        oversized.push({ path, size: st.size });
        problem(path, "file-too-large", `is ${formatBytes(st.size)}, over the registry limit of ${formatBytes(limits.maxFileBytes)} a file (limits.maxFileBytes in skillreg.yaml); shrink it or leave it out of the skill`);
      } else if (totalBytes + st.size > limits.maxSkillBytes) {
        problem("", "skill-too-large", `holds more than ${formatBytes(limits.maxSkillBytes)}, the registry limit a skill (limits.maxSkillBytes in skillreg.yaml); remove large files`);
        stopped = true;
      } else {
        const bytes = await readCapped(abs, limits.maxFileBytes).catch(() => undefined);
        if (bytes === undefined) {
          problem(path, "file-changed", "changed while it was read (it is no longer a regular file within the size limit); run the command again");
          continue;
        }
        totalBytes += bytes.length;
        files.push({ path, size: bytes.length, mode: st.mode & 0o7777, executable: (st.mode & 0o100) !== 0, bytes });
      }
    }
  };

  await walk("");
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, problems, links, oversized };
}

async function statRoot(dir: string): Promise<Stats> {
  try {
    return await lstat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SkillregError(code === "ENOENT" ? `${dir}: no such folder` : `${dir}: cannot read it (${code ?? "error"})`);
  }
}

function decodeName(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

/**
 * Open a file for reading, refusing to follow a symlink swapped in after lstat (O_NOFOLLOW)
 * and never blocking on a FIFO (O_NONBLOCK); undefined when it cannot be opened so.
 */
function openNoFollow(abs: string) {
  return open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
}

/**
 * Read a regular file of at most `max` bytes, whole. Undefined when it is no longer a
 * regular file within the limit.
 */
async function readCapped(abs: string, max: number): Promise<Uint8Array | undefined> {
  const handle = await openNoFollow(abs);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > max) return undefined;
    // One byte of room beyond the size tells a file that grew since stat from one that did not.
    const buf = Buffer.alloc(st.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > st.size) return undefined;
    }
    return buf.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * The first `max` bytes of a file over the registry's size limit, for the scanner: refusing
 * to read such a file must not let it pass unscanned. Empty when it can no longer be read.
 */
export async function readFileHead(abs: string, max: number): Promise<Uint8Array> {
  const handle = await openNoFollow(abs);
  if (!handle) return new Uint8Array(0);
  try {
    const buf = Buffer.alloc(Math.min(max, (await handle.stat()).size));
    let at = 0;
    for (let n = 1; n > 0 && at < buf.length; at += n) n = (await handle.read(buf, at, buf.length - at, at)).bytesRead;
    return buf.subarray(0, at);
  } finally {
    await handle.close();
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return "named pipe (FIFO)";
  if (st.isSocket()) return "socket";
  if (st.isBlockDevice()) return "block device";
  if (st.isCharacterDevice()) return "character device";
  return "special file";
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
