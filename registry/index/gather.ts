import { SkillregError } from "../core/index.js";
import { git } from "../git/index.js";
import {
  ALLOWED_SIGNERS_FILE,
  CONFIG_FILE,
  DEFAULT_BRANCH,
  MAIN_REF,
  PUBLISH_DIR,
  SCOPES_DIR,
  SEALED_DIR,
  parseSealedEnvelopePath,
  checkPublishPath,
  isLayoutPlaceholder,
  membersWith,
  parsePublishPath,
  parseScopeFile,
  parseScopeFilePath,
  skillKey,
  type ScopeFile,
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
import { judgedAt, mainLineTimes, parseTagObject, tagName } from "../trust/index.js";
import { readAuditCommits } from "../history/index.js";

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
  /** When the first-parent commit on the ref that added the publish record was released, as a signature proves it (UTC ISO). */
  publishedAt: string;
  /** Owners and maintainers of the scope just before that commit: who could sign it then. */
  publishersAtRelease: string[];
  /** A sealed version's recipient envelope (sealed/<scope>/<name>/<version>.json), when there is one. */
  envelopeText?: string;
}

/** What the index needs of the registry besides its published versions. */
export interface RegistryHead {
  /** The commit the facts were read at. */
  commit: string;
  /** Texts of the registry's configuration files at that commit ("" when absent). */
  configText: string;
  allowedSignersText: string;
  /** scopes/<scope>.yaml texts by scope name. */
  scopeTexts: Map<string, string>;
  /** Paths under publish/ that are not valid publish records (reported, never indexed). */
  strayPublishFiles: string[];
}

export interface RegistryFacts extends RegistryHead {
  /** Every published version, sorted by scope, name, then path order of the publish file. */
  versions: PublishedVersionFacts[];
}

/**
 * The registry read one batch of skills at a time (writeIndex's input): `skills` yields each
 * skill's versions, in skill order. `head.strayPublishFiles` is complete once `skills` is read.
 */
export interface RegistryStream {
  head: RegistryHead;
  skills: AsyncIterable<PublishedVersionFacts[]>;
}

export interface GatherOptions {
  /** Branch or commit to read; default main. */
  ref?: string;
  /** Read the publish records of these skills only (a pull needs one skill, not the registry). */
  only?: { scope: string; name: string }[];
}

interface Release {
  /** UTC ISO time, as signatures prove it. */
  at: string;
  /** Owners and maintainers of the scope just before the release: who could publish then. */
  publishers: string[];
}

/**
 * When each publish record was released on the ref's main line, as signatures prove it (never
 * the date a commit claims: trust/release-time.ts), and who could publish in its scope then:
 * a version is judged at its release, so a member who leaves later keeps their releases valid.
 */
async function releases(repoDir: string, ref: string): Promise<Map<string, Release>> {
  const commits = await readAuditCommits(repoDir, ref);
  const times = mainLineTimes(commits);
  const scopes = new Map<string, ScopeFile>();
  const released = new Map<string, Release>();
  for (const [index, commit] of commits.entries()) {
    for (const change of commit.changes) {
      const ref = change.status === "A" && !released.has(change.path) ? parsePublishPath(change.path) : undefined;
      if (ref === undefined) continue;
      const scope = scopes.get(ref.scope);
      released.set(change.path, { at: judgedAt(times, index).toISOString(), publishers: scope ? membersWith(scope, ["owner", "maintainer"]) : [] });
    }
    // Scope changes take effect after this commit: a release is judged by the scopes before it.
    for (const change of commit.changes) {
      const scope = parseScopeFilePath(change.path);
      if (scope === undefined) continue;
      const file = change.after ? parseScopeOrNone(change.after, change.path) : undefined;
      if (file) scopes.set(scope, file);
      else scopes.delete(scope);
    }
  }
  return released;
}

function parseScopeOrNone(bytes: Buffer, path: string): ScopeFile | undefined {
  try {
    return parseScopeFile(bytes, path);
  } catch (e) {
    // An invalid scope file grants nobody anything; the index reports it from the current files.
    if (e instanceof SkillregError) return undefined;
    throw e;
  }
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

/** A publish record as listed: its path, what it names, and its blob. */
interface ListedRecord {
  path: string;
  scope: string;
  name: string;
  version: string;
  oid: string;
}

/**
 * The registry's head read from git, its publish records listed (in path order, bytes not
 * read; a stray is a path string), and how to turn records into version facts.
 */
async function openRegistry(repoDir: string, opts: GatherOptions) {
  const ref = opts.ref ?? DEFAULT_BRANCH;
  // "main" is read as the branch: a tag named main (anyone who can push tags can make one) would win git's lookup.
  const rev = ref === DEFAULT_BRANCH ? MAIN_REF : ref;
  const commit = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: repoDir }).catch(() => "");
  if (commit === "") throw new SkillregError(`${repoDir}: no branch or commit '${ref}' to read the registry from`);

  const publishPaths = opts.only
    ? [...new Set(opts.only.map((s) => `${PUBLISH_DIR}/${s.scope}/${s.name}/`))]
    : [`${PUBLISH_DIR}/`];
  const sealedPaths = opts.only ? [...new Set(opts.only.map((s) => `${SEALED_DIR}/${s.scope}/${s.name}/`))] : [`${SEALED_DIR}/`];
  const entries = await lsTree(repoDir, commit, [CONFIG_FILE, ALLOWED_SIGNERS_FILE, `${SCOPES_DIR}/`, ...publishPaths, ...sealedPaths], true);

  // Publish records are read with their skills (readVersions); everything else now.
  const blobs = await readObjects(repoDir, entries.filter((e) => e.type === "blob" && !e.path.startsWith(`${PUBLISH_DIR}/`)).map((e) => e.oid));
  const text = (e: LsTreeEntry | undefined) => (e ? (blobs.get(e.oid)?.bytes.toString("utf8") ?? "") : "");

  const scopeTexts = new Map<string, string>();
  const listed: (ListedRecord | string)[] = [];
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
      if ("problem" in parsed || e.type !== "blob" || e.mode === MODE_SYMLINK) listed.push(e.path);
      else listed.push({ path: e.path, ...parsed, oid: e.oid });
    }
  }

  const [released, refs] = await Promise.all([
    listed.some((r) => typeof r !== "string") ? releases(repoDir, commit) : Promise.resolve(new Map<string, Release>()),
    listTags(repoDir),
  ]);
  const tagIds = new Map(refs.map((t) => [t.name, t.objectId]));

  /** The facts of these records, in their order; a record whose blob is missing is a stray. */
  const readVersions = async (records: readonly ListedRecord[], strays: string[]): Promise<PublishedVersionFacts[]> => {
    const bytes = await readObjects(repoDir, records.map((r) => r.oid));
    const found = records.flatMap((r) => {
      const tagBytes = bytes.get(r.oid)?.bytes;
      if (tagBytes === undefined) strays.push(r.path);
      return tagBytes === undefined ? [] : [{ ...r, tagBytes }];
    });
    const roots = found.map((r) => taggedTree(r.tagBytes));
    const treeFiles = await readTrees(repoDir, roots);
    return found.map((r, i): PublishedVersionFacts => {
      const tree = roots[i] ?? null;
      const files = tree ? treeFiles.get(tree) : undefined;
      const envelopeText = envelopes.get(`${r.scope}/${r.name}/${r.version}`);
      return {
        ...(envelopeText === undefined ? {} : { envelopeText }),
        scope: r.scope,
        name: r.name,
        version: r.version,
        publishFile: r.path,
        tagBytes: r.tagBytes,
        tagObjectId: gitObjectId("tag", r.tagBytes),
        refTagObjectId: tagIds.get(tagName(r.scope, r.name, r.version)) ?? null,
        tree,
        files: files ?? [],
        treeMissing: tree !== null && files === undefined,
        publishedAt: released.get(r.path)?.at ?? new Date(0).toISOString(),
        publishersAtRelease: released.get(r.path)?.publishers ?? [],
      };
    });
  };

  const head = {
    commit,
    configText: text(entries.find((e) => e.path === CONFIG_FILE)),
    allowedSignersText: text(entries.find((e) => e.path === ALLOWED_SIGNERS_FILE)),
    scopeTexts,
  };
  return { head, listed, readVersions };
}

/**
 * Read the registry at `ref` (default main) in `repoDir` (a checkout or a bare repository):
 * configuration texts, publish records with their tag objects, the refs/tags they should
 * match, each version's files from its tree, and when each version was released.
 * A handful of git processes whatever the registry's size.
 */
export async function readRegistryFacts(repoDir: string, opts: GatherOptions = {}): Promise<RegistryFacts> {
  const { head, listed, readVersions } = await openRegistry(repoDir, opts);
  const missing: string[] = [];
  const versions = await readVersions(
    listed.filter((r) => typeof r !== "string"),
    missing,
  );
  // Strays in path order, whether the path or a missing blob made them one.
  const strayPublishFiles = listed.flatMap((r) => (typeof r === "string" ? [r] : missing.includes(r.path) ? [r.path] : []));
  return { ...head, versions, strayPublishFiles };
}

/** Skills read together: a few git processes per batch, and the batch's files in memory. */
const SKILLS_PER_READ = 256;

/**
 * The registry at `ref`, as readRegistryFacts reads it, but its versions read and yielded one
 * batch of skills at a time (in skill order, `@scope/name`): what the index of a large
 * registry is written from in bounded memory (writeIndex).
 */
export async function streamRegistryFacts(repoDir: string, opts: GatherOptions & { skillsPerRead?: number } = {}): Promise<RegistryStream> {
  const perRead = opts.skillsPerRead ?? SKILLS_PER_READ;
  const { head, listed, readVersions } = await openRegistry(repoDir, opts);
  const strayPublishFiles = listed.filter((r): r is string => typeof r === "string");
  const bySkill = new Map<string, ListedRecord[]>();
  for (const r of listed) {
    if (typeof r === "string") continue;
    const key = skillKey(r.scope, r.name);
    const records = bySkill.get(key);
    if (records) records.push(r);
    else bySkill.set(key, [r]);
  }
  const keys = [...bySkill.keys()].sort();
  async function* skills(): AsyncGenerator<PublishedVersionFacts[]> {
    for (let at = 0; at < keys.length; at += perRead) {
      const versions = await readVersions(keys.slice(at, at + perRead).flatMap((k) => bySkill.get(k)!), strayPublishFiles);
      const batch = new Map<string, PublishedVersionFacts[]>();
      for (const v of versions) {
        const key = skillKey(v.scope, v.name);
        batch.set(key, [...(batch.get(key) ?? []), v]);
      }
      for (const key of [...batch.keys()].sort()) yield batch.get(key)!;
    }
  }
  return { head: { ...head, strayPublishFiles }, skills: skills() };
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
