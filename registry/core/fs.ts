import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replace a file in one step: the data goes to a new temporary file beside it (same file
 * system), which is then renamed over it, so neither a reader nor a crash ever sees half a
 * file. The temporary name is random and created exclusively, so nothing that was lying
 * there (with other permissions) is reused; it is removed again when writing fails.
 * `mode` is the new file's permission bits (narrowed by the umask, as for any new file).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data, { flag: "wx", mode: options.mode });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
