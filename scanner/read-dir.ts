/**
 * A standalone reader for the scanner's CLI and benches: a skill folder into ScanInput without
 * trusting it. Symbolic links are recorded with their target and never followed; special files
 * are never opened; a file over the read cap keeps its first `maxFileBytes` and its real size,
 * so the scanner reports the unscanned rest instead of dropping the file.
 */
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { ScanInput, SkillFile } from "./types.js";

export interface ReadLimits {
  /** Bytes read of one file; the rest is reported as unscanned. */
  maxFileBytes: number;
  /** Files read of one skill; further files are reported. */
  maxFiles: number;
  /** Bytes read of one skill in all. */
  maxSkillBytes: number;
}

export const READ_LIMITS: ReadLimits = { maxFileBytes: 64 * 1024 * 1024, maxFiles: 5000, maxSkillBytes: 256 * 1024 * 1024 };

/** Folders that are version-control metadata, not part of a skill. */
const SKIP_DIRS = new Set([".git", ".hg", ".svn"]);

async function readHead(abs: string, max: number): Promise<Uint8Array> {
  const fh = await open(abs, "r");
  try {
    const st = await fh.stat();
    const buf = Buffer.alloc(Math.min(st.size, max));
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await fh.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}

/** Every file and link of the skill folder `dir`, sorted by path; `unread` says what was left out. */
export async function readSkillDir(dir: string, limits: ReadLimits = READ_LIMITS): Promise<ScanInput & { unread: { file: string; reason: string }[] }> {
  const files: SkillFile[] = [];
  const unread: { file: string; reason: string }[] = [];
  let total = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(rel === "" ? dir : join(dir, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      const abs = join(dir, path);
      if (files.length >= limits.maxFiles || total >= limits.maxSkillBytes) {
        unread.push({ file: path, reason: "over the reader's file or byte limit for one skill" });
        continue;
      }
      const st = await lstat(abs);
      if (st.isSymbolicLink()) files.push({ path, bytes: new Uint8Array(0), symlink: await readlink(abs) });
      else if (st.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(path);
      } else if (st.isFile()) {
        const bytes = await readHead(abs, Math.min(limits.maxFileBytes, limits.maxSkillBytes - total));
        total += bytes.length;
        files.push(bytes.length < st.size ? { path, bytes, size: st.size } : { path, bytes });
      } else unread.push({ file: path, reason: "not a regular file, folder or link" });
    }
  };
  await walk("");
  return { path: dir, files, unread };
}
