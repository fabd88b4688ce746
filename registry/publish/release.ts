import { SkillregError } from "../core/index.js";
import type { ExistingTag } from "./gate/facts-types.js";
import { git } from "../git/index.js";
import { listTags, lsTree, readBlobs } from "../git/index.js";
import { DEFAULT_BRANCH, MAIN_REF, PUBLISH_DIR, checkPublishPath, isLayoutPlaceholder } from "../core/index.js";
import { parseTagObject, parseTagName, tagName, tagObjectId, writeTagObject } from "../trust/index.js";

/**
 * The release: every `publish/**.tag` on main becomes the tag it describes, recreated byte for
 * byte with `git mktag`. A tag that exists and differs from its file is an alarm (someone moved a
 * published version), and then nothing is created: the registry stops until a person looks.
 * Idempotent: tags that exist and match are left alone.
 */

export interface PublishedTagFile {
  path: string;
  bytes: Buffer;
}

export interface ReleasePlan {
  /** Tags to create: name, object id and the bytes to give `git mktag`. */
  create: { name: string; objectId: string; bytes: Buffer }[];
  /** Tags that exist and equal their file. */
  unchanged: string[];
  /** Why the release must stop, each naming the tag. */
  alarms: string[];
}

/** Pure: what to do with the tag files on main and the tags that exist. */
export function planRelease(files: readonly PublishedTagFile[], existing: readonly ExistingTag[]): ReleasePlan {
  const plan: ReleasePlan = { create: [], unchanged: [], alarms: [] };
  const byName = new Map(existing.map((t) => [t.name, t.objectId]));
  const described = new Set<string>();
  for (const file of files) {
    if (isLayoutPlaceholder(file.path)) continue;
    const ref = checkPublishPath(file.path);
    if ("problem" in ref) {
      plan.alarms.push(`${ref.problem}`);
      continue;
    }
    const name = tagName(ref.scope, ref.name, ref.version);
    described.add(name);
    let parsedName: string;
    try {
      parsedName = parseTagObject(file.bytes).tag;
    } catch (e) {
      plan.alarms.push(`${file.path}: ${(e as Error).message}`);
      continue;
    }
    if (parsedName !== name) {
      plan.alarms.push(`${file.path}: the tag object is named '${parsedName}', not '${name}'`);
      continue;
    }
    const objectId = tagObjectId(file.bytes);
    const current = byName.get(name);
    if (current === undefined) plan.create.push({ name, objectId, bytes: file.bytes });
    else if (current === objectId) plan.unchanged.push(name);
    else plan.alarms.push(`tag ${name} has moved: refs/tags/${name} points at ${current}, but ${file.path} on ${DEFAULT_BRANCH} is tag object ${objectId}`);
  }
  for (const t of existing) {
    if (described.has(t.name)) continue;
    let isSkillTag = true;
    try {
      parseTagName(t.name);
    } catch {
      isSkillTag = false;
    }
    if (isSkillTag) plan.alarms.push(`tag ${t.name} exists but ${DEFAULT_BRANCH} has no publish file for it: its .tag file vanished or the tag was made by hand`);
  }
  return plan;
}

/** Every publish/**.tag file at `rev`. */
async function publishedTagFiles(repo: string, rev: string): Promise<PublishedTagFile[]> {
  const entries = (await lsTree(repo, rev, [`${PUBLISH_DIR}/`], true)).filter((e) => e.type === "blob");
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  return entries.map((e) => ({ path: e.path, bytes: blobs.get(e.oid)! }));
}

export interface ReleaseResult {
  created: string[];
  unchanged: string[];
  pushed: boolean;
}

/** A release that found moved or vanished tags; nothing was created. */
export class ReleaseAlarm extends SkillregError {
  constructor(readonly alarms: string[]) {
    super(`ALARM: ${alarms.join("; ")}`, { exitCode: 1 });
  }
}

/**
 * Release `rev` (default main) of the registry at `repo`. With `push`, the created tags are
 * pushed to that remote (the GitHub release job).
 */
export async function releaseRegistry(repo: string, opts: { rev?: string; push?: string } = {}): Promise<ReleaseResult> {
  const rev = opts.rev ?? MAIN_REF;
  const plan = planRelease(await publishedTagFiles(repo, rev), await listTags(repo));
  if (plan.alarms.length > 0) throw new ReleaseAlarm(plan.alarms);
  for (const t of plan.create) {
    // mktag re-checks the object and writeTagObject that its id is the file's.
    const id = await writeTagObject(repo, t.bytes);
    // The empty old value makes the update fail if the tag appeared meanwhile.
    await git(["update-ref", `refs/tags/${t.name}`, id, ""], { cwd: repo });
  }
  if (opts.push && plan.create.length > 0) {
    await git(["push", "--porcelain", opts.push, ...plan.create.map((t) => `refs/tags/${t.name}:refs/tags/${t.name}`)], { cwd: repo });
  }
  return { created: plan.create.map((t) => t.name), unchanged: plan.unchanged, pushed: Boolean(opts.push) && plan.create.length > 0 };
}
