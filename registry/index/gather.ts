import { SkillregError } from "../core/index.js";
import { git, runGit } from "../git/index.js";
import {
  ALLOWED_SIGNERS_FILE,
  CONFIG_FILE,
  DEFAULT_BRANCH,
  PUBLISH_DIR,
  SCOPES_DIR,
  SEALED_DIR,
  parseSealedEnvelopePath,
  checkPublishPath,
  isLayoutPlaceholder,
  parseScopeFilePath,
} from "../core/index.js";
import {
  MODE_SUBMODULE,
  MODE_SYMLINK,
  MODE_TREE,
  gitObjectId,
  listTags,
  lsTree,
  parseTreeObject,
  readObjects,
  type LsTreeEntry,
} from "../git/index.js";
import { parseTagObject, tagName } from "../trust/index.js";

/**
 * Everything the index is built from, read from git once as plain values (DESIGN: "git facts
 * are read once into plain values, pure functions decide"). Files come from git objects, never
 * the work tree, so a checkout, a bare repository and a fresh clone give the same facts.
 */

export interface TreeFile {
  /** POSIX path relative to the skill folder. */
  path: string;
  /** Git mode: 100644, 100755, 120000 (symlink), 160000 (submodule; bytes empty). */
  mode: string;
  oid: string;
  bytes: Uint8Array;
}

export interface PublishedVersionFacts {
  scope: string;
  name: string;
  version: string;
  /** publish/<scope>/<name>/<version>.tag */
  publishFile: string;
  /** The publish record's bytes: the raw tag object. */
  tagBytes: Uint8Array;
  /** Id of that tag object (sha1 of the object built from tagBytes). */
  tagObjectId: string;
  /** What refs/tags/@scope/name@version points at in the repository, or null when absent. */
  refTagObjectId: string | null;
  /** The tree the tag object names, or null when the tag object has no `object` line. */
  tree: string | null;
  /** The tree's files, recursively; empty when the tree is missing from the repository. */
  files: TreeFile[];
  treeMissing: boolean;
  /** Commit time (UTC ISO) of the first-parent commit on the ref that added the publish record. */
  publishedAt: string;
  /** A sealed version's recipient envelope (sealed/<scope>/<name>/<version>.json), when there is one. */
  envelopeText?: string;
}

export interface RegistryFacts {
  /** The commit the facts were read at. */
  commit: string;
  /** Texts of the registry's configuration files at that commit ("" when absent). */
  configText: string;
  allowedSignersText: string;
  /** scopes/<scope>.yaml texts by scope name. */
  scopeTexts: Map<string, string>;
  /** Every published version, sorted by scope, name, then path order of the publish file. */
  versions: PublishedVersionFacts[];
  /** Paths under publish/ that are not valid publish records (reported, never indexed). */
  strayPublishFiles: string[];
}

export interface GatherOptions {
  /** Branch or commit to read; default main. */
  ref?: string;
  /** Read the publish records of these skills only (a pull needs one skill, not the registry). */
  only?: { scope: string; name: string }[];
}

/** When each publish record was added on the ref's first-parent line: path -> UTC ISO time. */
async function publishTimes(repoDir: string, ref: string, paths: string[]): Promise<Map<string, string>> {
  const out = (
    await runGit(
      ["log", "--first-parent", "--diff-merges=first-parent", "--diff-filter=A", "--name-only", "-z", "--format=%x01%cI", ref, "--", ...paths],
      { cwd: repoDir, raw: true },
    )
  ).bytes.toString("utf8");
  const times = new Map<string, string>();
  // Newest first: later (older) commits overwrite, so each path keeps its first addition.
  for (const chunk of out.split("\x01")) {
    if (chunk === "") continue;
    const [date = "", ...rest] = chunk.split("\0");
    const iso = new Date(date).toISOString();
    for (const p of rest) {
      const path = p.replace(/^\n/, "");
      if (path !== "") times.set(path, iso);
    }
  }
  return times;
}

/** The tree a publish record's tag object names, or null when it is malformed or tags no tree. */
function taggedTree(tagBytes: Buffer): string | null {
  try {
    const parsed = parseTagObject(tagBytes);
    return parsed.type === "tree" ? parsed.object : null;
  } catch (e) {
    // The index builder reports the defect when it verifies the tag; gather only reads facts.
    if (e instanceof SkillregError) return null;
    throw e;
  }
}

/**
 * Read the registry at `ref` (default main) in `repoDir` (a checkout or a bare repository):
 * configuration texts, publish records with their tag objects, the refs/tags they should
 * match, each version's files from its tree, and when each version was released.
 * A handful of git processes whatever the registry's size.
 */
export async function readRegistryFacts(repoDir: string, opts: GatherOptions = {}): Promise<RegistryFacts> {
  const ref = opts.ref ?? DEFAULT_BRANCH;
  const commit = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repoDir }).catch(() => "");
  if (commit === "") throw new SkillregError(`${repoDir}: no branch or commit '${ref}' to read the registry from`);

  const publishPaths = opts.only
    ? [...new Set(opts.only.map((s) => `${PUBLISH_DIR}/${s.scope}/${s.name}/`))]
    : [`${PUBLISH_DIR}/`];
  const sealedPaths = opts.only ? [...new Set(opts.only.map((s) => `${SEALED_DIR}/${s.scope}/${s.name}/`))] : [`${SEALED_DIR}/`];
  const entries = await lsTree(repoDir, commit, [CONFIG_FILE, ALLOWED_SIGNERS_FILE, `${SCOPES_DIR}/`, ...publishPaths, ...sealedPaths], true);

  const blobs = await readObjects(repoDir, entries.filter((e) => e.type === "blob").map((e) => e.oid));
  const text = (e: LsTreeEntry | undefined) => (e ? (blobs.get(e.oid)?.bytes.toString("utf8") ?? "") : "");

  const scopeTexts = new Map<string, string>();
  const strayPublishFiles: string[] = [];
  const records: { path: string; scope: string; name: string; version: string; bytes: Buffer }[] = [];
  const envelopes = new Map<string, string>();
  for (const e of entries) {
    const sealed = parseSealedEnvelopePath(e.path);
    if (sealed && e.type === "blob" && e.mode !== MODE_SYMLINK) {
      envelopes.set(`${sealed.scope}/${sealed.name}/${sealed.version}`, text(e));
      continue;
    }
    if (e.path.startsWith(`${SCOPES_DIR}/`)) {
      const scope = parseScopeFilePath(e.path);
      if (scope !== undefined) scopeTexts.set(scope, text(e));
    } else if (e.path.startsWith(`${PUBLISH_DIR}/`) && !isLayoutPlaceholder(e.path)) {
      const parsed = checkPublishPath(e.path);
      const bytes = blobs.get(e.oid)?.bytes;
      if ("problem" in parsed || e.type !== "blob" || e.mode === MODE_SYMLINK || !bytes) strayPublishFiles.push(e.path);
      else records.push({ path: e.path, ...parsed, bytes });
    }
  }

  const [times, refs] = await Promise.all([
    records.length ? publishTimes(repoDir, commit, publishPaths) : Promise.resolve(new Map<string, string>()),
    listTags(repoDir),
  ]);
  const tagIds = new Map(refs.map((t) => [t.name, t.objectId]));

  const roots = records.map((r) => taggedTree(r.bytes));
  const treeFiles = await readTrees(repoDir, roots);

  const versions = records.map((r, i): PublishedVersionFacts => {
    const tree = roots[i] ?? null;
    const files = tree ? treeFiles.get(tree) : undefined;
    const envelopeText = envelopes.get(`${r.scope}/${r.name}/${r.version}`);
    return {
      ...(envelopeText === undefined ? {} : { envelopeText }),
      scope: r.scope,
      name: r.name,
      version: r.version,
      publishFile: r.path,
      tagBytes: r.bytes,
      tagObjectId: gitObjectId("tag", r.bytes),
      refTagObjectId: tagIds.get(tagName(r.scope, r.name, r.version)) ?? null,
      tree,
      files: files ?? [],
      treeMissing: tree !== null && files === undefined,
      publishedAt: times.get(r.path) ?? new Date(0).toISOString(),
    };
  });

  return {
    commit,
    configText: text(entries.find((e) => e.path === CONFIG_FILE)),
    allowedSignersText: text(entries.find((e) => e.path === ALLOWED_SIGNERS_FILE)),
    scopeTexts,
    versions,
    strayPublishFiles,
  };
}

/**
 * Every file of each root tree, read level by level with one cat-file per level and one for
 * all blobs. Trees shared between versions (unchanged skills) are read once. A root tree
 * missing from the repository is left out of the result.
 */
async function readTrees(repoDir: string, roots: (string | null)[]): Promise<Map<string, TreeFile[]>> {
  const wanted = [...new Set(roots.filter((r): r is string => r !== null))];
  const trees = new Map<string, { mode: string; name: string; oid: string }[]>();
  let level = wanted;
  while (level.length > 0) {
    const objects = await readObjects(repoDir, level);
    const nextLevel: string[] = [];
    for (const [oid, obj] of objects) {
      if (obj.type !== "tree") continue;
      const entries = parseTreeObject(obj.bytes);
      trees.set(oid, entries);
      for (const e of entries) if (e.mode === MODE_TREE && !trees.has(e.oid)) nextLevel.push(e.oid);
    }
    level = [...new Set(nextLevel)];
  }

  const flat = new Map<string, { path: string; mode: string; oid: string }[]>();
  const flatten = (oid: string, prefix: string, out: { path: string; mode: string; oid: string }[], depth: number) => {
    if (depth > 64) return;
    for (const e of trees.get(oid) ?? []) {
      const path = prefix + e.name;
      if (e.mode === MODE_TREE) flatten(e.oid, `${path}/`, out, depth + 1);
      else out.push({ path, mode: e.mode, oid: e.oid });
    }
  };
  for (const root of wanted) {
    if (!trees.has(root)) continue;
    const out: { path: string; mode: string; oid: string }[] = [];
    flatten(root, "", out, 0);
    flat.set(root, out);
  }

  const blobOids = [...flat.values()].flat().filter((f) => f.mode !== MODE_SUBMODULE).map((f) => f.oid);
  const blobs = await readObjects(repoDir, blobOids);
  const result = new Map<string, TreeFile[]>();
  for (const [root, files] of flat) {
    result.set(
      root,
      files.map((f) => ({ ...f, bytes: blobs.get(f.oid)?.bytes ?? new Uint8Array() })),
    );
  }
  return result;
}
