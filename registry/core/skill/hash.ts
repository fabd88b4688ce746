import { createHash } from "node:crypto";
import { SkillregError } from "../errors.js";
import { checkRelativePath, comparePaths } from "./files.js";

/**
 * The skill's content hash (the index's "sha256"): sha256 of the manifest `sha256sum` would
 * print for the files, one `<hex>  <path>\n` line per file sorted by the UTF-8 bytes of the
 * path. Anyone can recompute it inside the skill folder with
 * `find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum`.
 * Paths that sha256sum would escape (or that no skill may hold) are refused, so the manifest
 * has exactly one reading.
 */
export function skillSha256(files: readonly { path: string; bytes: Uint8Array }[]): string {
  return skillSha256OfHashes(files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes) })));
}

/** The same content hash from each file's sha256 (as skillreg.lock records them), no bytes needed. */
export function skillSha256OfHashes(files: readonly { path: string; sha256: string }[]): string {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  const manifest = createHash("sha256");
  let previous: string | undefined;
  for (const f of sorted) {
    const bad = checkRelativePath(f.path);
    if (bad) throw new SkillregError(`cannot hash the skill: ${bad.message}`);
    if (f.path === previous) throw new SkillregError(`cannot hash the skill: path ${JSON.stringify(f.path)} appears twice`);
    previous = f.path;
    manifest.update(`${f.sha256}  ${f.path}\n`, "utf8");
  }
  return manifest.digest("hex");
}

/** The sha256 of one file's bytes, in hex: a manifest line's first field. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
