import { createHash } from "node:crypto";
import type { SkillFile as ScannedFile } from "@skillreg/scanner";

/** The id git gives an object: sha1 of "<type> <size>\0" followed by the content. */
export function gitObjectId(type: "blob" | "tree" | "commit" | "tag", bytes: Uint8Array): string {
  return createHash("sha1").update(`${type} ${bytes.length}\0`).update(bytes).digest("hex");
}

/** A file as the scanner reads it; `executable` (git's 100755) when the caller knows it. */
export type ScanFile = ScannedFile & { executable?: boolean };

/**
 * The git tree id (SHA-1 object format) of these files: what a tag of a skill folder holding
 * exactly them names. Written here rather than through a git library because it must be a
 * pure function of bytes already in memory (no repository, no object store); it is checked
 * against the tree ids git itself computes (test/scanner/scan-cache.test.ts).
 * Undefined when no git tree holds exactly these files (a file read only in part, a path
 * given twice, an empty, "." or ".." or NUL-holding name): the caller then scans uncached.
 */
export function contentTreeId(files: readonly ScanFile[]): string | undefined {
  interface Dir {
    files: Map<string, { mode: string; id: Buffer }>;
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const f of files) {
    if (f.size !== undefined && f.size !== f.bytes.length) return undefined;
    const parts = f.path.split("/");
    if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\0"))) return undefined;
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { files: new Map(), dirs: new Map() }));
      dir = next;
    }
    const content = f.symlink !== undefined ? Buffer.from(f.symlink, "utf8") : f.bytes;
    const mode = f.symlink !== undefined ? "120000" : f.executable ? "100755" : "100644";
    const name = parts.at(-1)!;
    if (dir.files.has(name)) return undefined;
    dir.files.set(name, { mode, id: Buffer.from(gitObjectId("blob", content), "hex") });
  }
  const treeOf = (dir: Dir): Buffer => {
    // git orders entries by name bytes, a folder's name compared as if it ended in "/".
    const entries = [
      ...[...dir.files].map(([name, f]) => ({ name, sortName: name, mode: f.mode, id: f.id })),
      ...[...dir.dirs].map(([name, d]) => ({ name, sortName: `${name}/`, mode: "40000", id: treeOf(d) })),
    ].sort((a, b) => Buffer.compare(Buffer.from(a.sortName), Buffer.from(b.sortName)));
    return Buffer.from(gitObjectId("tree", Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), e.id]))), "hex");
  };
  return treeOf(root).toString("hex");
}
