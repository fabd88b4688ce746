import { spawn } from "node:child_process";
import { SkillregError } from "../core/index.js";
import { gitEnv, runGit } from "./cli.js";

/**
 * Git objects as bytes: reading many of them through one `git cat-file --batch` process
 * (a registry of 10,000 skills must not spawn git per file), and parsing tree objects
 * ourselves so that hostile entries (symlinks, submodules, `..`, slashes, control
 * characters) are seen exactly as stored, never normalised away by a library. Also the
 * other plumbing every reader of a registry repeats: tree listings, files at a revision, tags.
 */

export type ObjectType = "blob" | "tree" | "commit" | "tag";

export interface GitObject {
  type: ObjectType;
  bytes: Buffer;
}

// The id git gives an object lives in core (the scan cache keys by tree ids it computes).
export { gitObjectId } from "../core/index.js";

export interface TreeEntry {
  /** Octal mode as git writes it: 100644, 100755, 40000, 120000 (symlink), 160000 (submodule). */
  mode: string;
  /** The raw name bytes decoded as UTF-8 (invalid sequences become U+FFFD, which path checks refuse). */
  name: string;
  oid: string;
}

export const MODE_FILE = "100644";
export const MODE_EXECUTABLE = "100755";
export const MODE_TREE = "40000";
export const MODE_SYMLINK = "120000";
export const MODE_SUBMODULE = "160000";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Parse a raw tree object: repeated `<mode> <name>\0<20-byte id>`. Throws on malformed bytes. */
export function parseTreeObject(bytes: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < bytes.length) {
    const space = bytes.indexOf(0x20, i);
    const nul = space < 0 ? -1 : bytes.indexOf(0x00, space);
    if (space < 0 || nul < 0 || nul + 21 > bytes.length) throw new SkillregError("malformed tree object");
    const mode = Buffer.from(bytes.subarray(i, space)).toString("latin1");
    let name: string;
    try {
      name = strictUtf8.decode(bytes.subarray(space + 1, nul));
    } catch {
      name = "\uFFFD";
    }
    const oid = Buffer.from(bytes.subarray(nul + 1, nul + 21)).toString("hex");
    if (!/^[0-7]{5,6}$/.test(mode)) throw new SkillregError(`malformed tree object: mode ${JSON.stringify(mode)}`);
    entries.push({ mode, name, oid });
    i = nul + 21;
  }
  return entries;
}

/**
 * Read many objects with one `git cat-file --batch`: all ids are written at once and the
 * answers parsed from the stream in order. Missing objects are left out of the result.
 */
export function readObjects(gitDir: string, oids: readonly string[]): Promise<Map<string, GitObject>> {
  const result = new Map<string, GitObject>();
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: gitDir, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let buffer: Buffer = Buffer.alloc(0);
    let next = 0;
    let stderr = "";
    const parse = () => {
      for (;;) {
        const nl = buffer.indexOf(0x0a);
        if (nl < 0) return;
        const header = buffer.subarray(0, nl).toString("latin1");
        const expected = unique[next];
        if (header.endsWith(" missing")) {
          buffer = buffer.subarray(nl + 1);
          next++;
          continue;
        }
        const [oid, type, sizeText] = header.split(" ");
        const size = Number(sizeText);
        if (buffer.length < nl + 1 + size + 1) return;
        if (oid !== expected || expected === undefined) {
          child.kill();
          reject(new SkillregError(`git cat-file answered ${oid} when ${expected} was asked`));
          return;
        }
        result.set(expected, { type: type as ObjectType, bytes: Buffer.from(buffer.subarray(nl + 1, nl + 1 + size)) });
        buffer = buffer.subarray(nl + 1 + size + 1);
        next++;
      }
    };
    child.stdout.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      parse();
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || next !== unique.length) {
        reject(new SkillregError(`git cat-file --batch failed in ${gitDir}: ${stderr.trim() || `exit ${code}`}`));
      } else resolve(result);
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(unique.join("\n") + "\n");
  });
}

/** Blobs named by a tree listing, by id: they must all exist, so a missing one is an error. */
export async function readBlobs(gitDir: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const objects = await readObjects(gitDir, oids);
  const blobs = new Map<string, Buffer>();
  for (const oid of oids) {
    const object = objects.get(oid);
    if (object === undefined) throw new SkillregError(`git object ${oid} is missing`);
    blobs.set(oid, object.bytes);
  }
  return blobs;
}

export interface LsTreeEntry {
  mode: string;
  /** blob, tree or commit (a submodule). */
  type: string;
  oid: string;
  /** Blob size in bytes; 0 for trees and submodules. */
  size: number;
  /** Path from the root of the tree, as stored. */
  path: string;
}

/** `git ls-tree -z -l --full-tree` of `paths` at `rev` (recursively into folders with `recursive`). */
export async function lsTree(gitDir: string, rev: string, paths: readonly string[], recursive: boolean): Promise<LsTreeEntry[]> {
  const args = ["ls-tree", "-z", "-l", "--full-tree", ...(recursive ? ["-r"] : []), rev, "--", ...paths];
  const out = (await runGit(args, { cwd: gitDir, raw: true })).bytes.toString("utf8");
  return out
    .split("\0")
    .filter((line) => line !== "")
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode = "", type = "", oid = "", size = ""] = line.slice(0, tab).split(/ +/);
      return { mode, type, oid, size: size === "-" ? 0 : Number(size), path: line.slice(tab + 1) };
    });
}

/** The file at `path` in revision `rev`, or undefined when there is no such file. */
export async function readFileAt(gitDir: string, rev: string, path: string): Promise<Buffer | undefined> {
  const r = await runGit(["cat-file", "blob", `${rev}:${path}`], { cwd: gitDir, raw: true, okCodes: [128] });
  return r.code === 0 ? r.bytes : undefined;
}

export interface TagRef {
  /** Name under refs/tags/. */
  name: string;
  /** What the ref points at (the tag object for an annotated tag). */
  objectId: string;
  objectType: string;
}

/** Every tag ref in the repository. */
export async function listTags(gitDir: string, patterns: readonly string[] = ["refs/tags/"]): Promise<TagRef[]> {
  if (patterns.length === 0) return [];
  const out = await runGit(["for-each-ref", "--format=%(refname)%00%(objectname)%00%(objecttype)", "--", ...patterns], { cwd: gitDir });
  return out.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [ref = "", objectId = "", objectType = ""] = line.split("\0");
      return { name: ref.slice("refs/tags/".length), objectId, objectType };
    });
}
