import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * One JSON file of a cache folder (the scan cache, the site build's tag verdicts): local data
 * anyone on the machine or a CI cache may have touched, so reading it never follows a link,
 * never reads past `maxBytes`, and a file that is absent, unreadable or not JSON is simply
 * not there (the caller checks its schema and does the work again). Writing is best effort:
 * a cache that cannot be written (read-only, full disk) only costs the next run the work.
 */
export function readCacheJson(file: string, maxBytes: number): unknown {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    return JSON.parse(readFileSync(fd, "utf8"));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Folders writeCacheJson made in this process. A first site build writes one scan entry per
 * version into 256 folders: asking for the folder before each write was a system call per
 * entry (about 1% of deciding a 4,000-skill index, under load).
 */
const madeFolders = new Set<string>();

/** Write `value` to `file` whole (a temporary file renamed over it), or nothing when the folder cannot be written. */
export function writeCacheJson(file: string, value: unknown): void {
  try {
    const folder = dirname(file);
    if (!madeFolders.has(folder)) mkdirSync(folder, { recursive: true });
    madeFolders.add(folder);
    const tmp = `${file}.${process.pid}.tmp`;
    const text = JSON.stringify(value);
    try {
      writeFileSync(tmp, text);
    } catch (e) {
      // A folder removed since this process made it (a cache cleared between builds) is made again.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      mkdirSync(folder, { recursive: true });
      writeFileSync(tmp, text);
    }
    renameSync(tmp, file);
  } catch {
    // Best effort, as above.
  }
}
