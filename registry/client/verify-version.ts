import { DEFAULT_LIMITS, checkRelativePath, type SkillLimits } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import type { FetchedTag } from "./fetch-tag.js";
import { MODE_EXECUTABLE, MODE_FILE, MODE_SUBMODULE, MODE_SYMLINK, MODE_TREE, gitObjectId, parseTreeObject } from "../git/index.js";
import type { IndexConfig, IndexVersion } from "../index/index.js";
import { signersFromIndexConfig, verifyReleaseTag, type VerifiedReleaseTag } from "../index/index.js";
import { skillSha256 } from "../core/index.js";

/**
 * The four checks between fetching a version and writing a byte of it, in the design's order:
 *   1. the tag object's id equals the index's,
 *   2. its signature verifies with an allowed signer who publishes in the scope,
 *   3. the tree it names equals the index's,
 *   4. the files' sha256 equals the index's,
 * with every tree entry checked on the way (no symlinks, submodules, `..`, absolute paths,
 * control characters, oversized files). Each failure names what differed.
 */

export interface VerifiedFile {
  path: string;
  executable: boolean;
  bytes: Buffer;
}

export interface VerifiedVersion {
  files: VerifiedFile[];
  signer: { principal: string; fingerprint: string };
  /** The signed tag's message (a sealed version's binds its plaintext hash). */
  tagMessage: string;
}

export interface VerifyInput {
  skill: string;
  scope: string;
  entry: IndexVersion;
  config: IndexConfig;
  limits?: SkillLimits;
}

const MAX_DEPTH = 32;

function fail(skill: string, message: string): never {
  throw new SkillregError(`${skill}: ${message}; nothing was installed`);
}

export async function verifyFetchedVersion(fetched: FetchedTag, input: VerifyInput): Promise<VerifiedVersion> {
  const { skill, entry, config } = input;
  const limits = input.limits ?? DEFAULT_LIMITS;
  const at = `${skill}@${entry.version}`;

  // 1. The tag object is the one the index recorded, for this skill and version.
  const expectedTag = `${skill}@${entry.version}`;
  if (entry.tag !== expectedTag) fail(at, `the index names tag ${entry.tag} for this version; expected ${expectedTag}`);
  if (fetched.refObjectId !== entry.tagObject) {
    fail(at, `tag object id differs: the repository's tag ${entry.tag} is ${fetched.refObjectId}, the index says ${entry.tagObject}`);
  }
  const tagObject = await fetched.read(entry.tagObject);
  if (tagObject.type !== "tag" || gitObjectId("tag", tagObject.bytes) !== entry.tagObject) {
    fail(at, `tag object id differs: the object received for ${entry.tagObject} is not that tag`);
  }

  // 2. Signed by an allowed signer who publishes in the scope, judged at the release time.
  let release: VerifiedReleaseTag;
  try {
    const scope = Object.hasOwn(config.scopes, input.scope) ? config.scopes[input.scope] : undefined;
    if (!scope) throw new SkillregError(`the index's config.json has no scope ${input.scope}, so no signer is allowed for it`);
    release = verifyReleaseTag(tagObject.bytes, entry.tag, signersFromIndexConfig(config), {
      at: new Date(entry.publishedAt),
      publishers: scope.publishers,
    });
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    fail(at, `signature check failed: ${e.message}`);
  }
  const { parsed, signer } = release;

  // 3. The tag names the tree the index recorded.
  if (parsed.type !== "tree" || parsed.object !== entry.tree) {
    fail(at, `tree differs: the signed tag names ${parsed.type} ${parsed.object}, the index says tree ${entry.tree}`);
  }

  // 4. Every file, checked as it is read; then the content hash.
  const files: VerifiedFile[] = [];
  let total = 0;
  const walk = async (treeId: string, prefix: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) fail(at, `tree nests deeper than ${MAX_DEPTH} folders at ${prefix}`);
    const tree = await fetched.read(treeId);
    if (tree.type !== "tree" || gitObjectId("tree", tree.bytes) !== treeId) fail(at, `object ${treeId} is not the tree it claims to be`);
    const seen = new Set<string>();
    for (const e of parseTreeObject(tree.bytes)) {
      const path = prefix + e.name;
      const shown = JSON.stringify(path);
      const bad = checkRelativePath(path);
      if (bad) fail(at, `unsafe file in the skill: ${bad.message}`);
      if (e.name.includes("/") || seen.has(e.name)) fail(at, `tree entry ${shown} is malformed (a slash in a name, or a name twice)`);
      seen.add(e.name);
      if (e.mode === MODE_TREE) {
        await walk(e.oid, `${path}/`, depth + 1);
        continue;
      }
      if (e.mode === MODE_SYMLINK) fail(at, `${shown} is a symbolic link; skills may hold regular files only`);
      if (e.mode === MODE_SUBMODULE) fail(at, `${shown} is a submodule; skills may hold regular files only`);
      if (e.mode !== MODE_FILE && e.mode !== MODE_EXECUTABLE) fail(at, `${shown} has git mode ${e.mode}; skills may hold regular files only`);
      if (files.length + 1 > limits.maxFiles) fail(at, `more than ${limits.maxFiles} files`);
      const blob = await fetched.read(e.oid);
      if (blob.type !== "blob" || gitObjectId("blob", blob.bytes) !== e.oid) fail(at, `object ${e.oid} (${shown}) is not the file it claims to be`);
      if (blob.bytes.length > limits.maxFileBytes) fail(at, `${shown} is ${blob.bytes.length} bytes, over the ${limits.maxFileBytes}-byte limit per file`);
      total += blob.bytes.length;
      if (total > limits.maxSkillBytes) fail(at, `the files add up to more than ${limits.maxSkillBytes} bytes, the limit per skill`);
      files.push({ path, executable: e.mode === MODE_EXECUTABLE, bytes: blob.bytes });
    }
  };
  await walk(entry.tree, "", 0);
  const sha256 = skillSha256(files);
  if (sha256 !== entry.sha256) fail(at, `sha256 differs: the files hash to ${sha256}, the index says ${entry.sha256}`);
  return { files, signer, tagMessage: parsed.message };
}
