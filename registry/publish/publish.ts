import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import semver from "semver";
import { scanSkill } from "@skillreg/scanner";
import type { SkillScan } from "@skillreg/scanner";
import { identityEnv, writeSignedCommit } from "../trust/index.js";
import { loadRegistryConfig, loadScopes } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import { openPullRequestOnGithub } from "../forge/index.js";
import { git } from "../git/index.js";
import { lsTree, readFileAt } from "../git/index.js";
import { cloneMain, pushNewBranch } from "../git/index.js";
import { ALLOWED_SIGNERS_FILE, PUBLISH_DIR, TAG_FILE_SUFFIX, publishTagPath, skillKey, skillPath } from "../core/index.js";
import { canPublish } from "../core/index.js";
import { parseRegistrySigners, principalsForKey } from "../trust/index.js";
import { loadSigner, type Signer } from "../trust/index.js";
import { parsePublicKey } from "../trust/index.js";
import { loadSkill, type LoadedSkill } from "../core/index.js";
import { buildTagPayload, signTag, tagName, tagObjectId, taggerFor } from "../trust/index.js";

/**
 * `skillreg push`: propose a new version of a skill to a registry as a branch
 * `publish/<scope>/<name>/<version>` holding the skill's files and its signed tag object.
 * A GitHub remote also gets a pull request. Nothing reaches main here: the gate and a
 * reviewer decide that (registry check / merge, or GitHub's checks and reviews).
 */

export interface PushOptions {
  skillDir: string;
  scope: string;
  /** A path to a registry repository or a git URL. */
  registry: string;
  keyPath: string;
  env: NodeJS.ProcessEnv;
  progress: (step: string) => void;
  /** Renders the scan for a pull request body (the scanner's Markdown reporter). */
  renderScan: (scan: SkillScan) => string;
  now?: Date;
}

export interface PushResult {
  skill: string;
  version: string;
  tag: string;
  tagObjectId: string;
  treeId: string;
  commit: string;
  branch: string;
  publisher: string;
  scan: SkillScan;
  pullRequest?: { number: number; url: string };
}

/** A scan that blocks publishing; the caller shows the report. */
export class BlockedByScanner extends SkillregError {
  constructor(readonly scan: SkillScan) {
    super(`the scanner blocks ${scan.path}: critical findings; fix them before pushing`, { exitCode: 1 });
  }
}

export function publishBranch(scope: string, name: string, version: string): string {
  return `${PUBLISH_DIR}/${scope}/${name}/${version}`;
}

/** The principal allowed_signers names for the signer's key, preferring one that `pick` accepts. */
export function principalOfKey(allowedSignersText: string, signer: Signer, pick: (p: string) => boolean, at: Date): string {
  const signers = parseRegistrySigners(allowedSignersText, ALLOWED_SIGNERS_FILE);
  const blob = parsePublicKey(signer.publicKey, "signing key").blob;
  const principals = principalsForKey(signers, blob, { namespace: "git", at }).filter((p) => !/[*?!]/.test(p));
  if (principals.length === 0) {
    throw new SkillregError(`key ${signer.fingerprint} not in allowed_signers; ask an admin to run skillreg keys add`);
  }
  return principals.find(pick) ?? principals[0]!;
}

async function writeSkillFolder(workDir: string, folder: string, skill: LoadedSkill): Promise<void> {
  await rm(join(workDir, folder), { recursive: true, force: true });
  for (const f of skill.files) {
    const target = join(workDir, folder, ...f.path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.bytes);
    await chmod(target, f.executable ? 0o755 : 0o644);
  }
}

export async function pushSkill(opts: PushOptions, cwd: string): Promise<PushResult> {
  const { scope, progress, env } = opts;
  const now = opts.now ?? new Date();

  progress(`validating ${opts.skillDir}`);
  const skill = await loadSkill(resolve(cwd, opts.skillDir), { requireVersion: true });
  const signer = await loadSigner(resolve(cwd, opts.keyPath), env);
  const id = skillKey(scope, skill.name);
  const tag = tagName(scope, skill.name, skill.version);
  const branch = publishBranch(scope, skill.name, skill.version);

  const workDir = await mkdtemp(join(tmpdir(), "skillreg-push-"));
  try {
    progress(`fetching the registry from ${opts.registry}`);
    await cloneMain(opts.registry, cwd, workDir);
    const config = await loadRegistryConfig(workDir);
    const scopes = await loadScopes(workDir);

    progress(`scanning ${id}@${skill.version}`);
    const scan = scanSkill({ path: opts.skillDir, files: skill.files }, { rules: config.policy.rules });
    if (scan.decision === "blocked") throw new BlockedByScanner(scan);

    if (!scopes.has(scope)) throw new SkillregError(`scope @${scope} does not exist in the registry; an admin creates it with 'skillreg scope add'`);
    const publisher = principalOfKey(await readRegistryFile(workDir, ALLOWED_SIGNERS_FILE), signer, (p) => canPublish(scopes, scope, p), now);
    if (!canPublish(scopes, scope, publisher)) {
      throw new SkillregError(`${publisher} is not a maintainer or owner of @${scope}; ask an owner of @${scope} to add you`);
    }

    progress(`checking that ${tag} is new`);
    const published = await publishedVersions(workDir, scope, skill.name);
    if (published.includes(skill.version)) {
      throw new SkillregError(`${tag} is already published; versions never change: bump metadata.version in SKILL.md`);
    }
    const latest = semver.rsort(published)[0];
    if (latest !== undefined && !semver.gt(skill.version, latest)) {
      throw new SkillregError(`${id}@${skill.version} is not greater than the latest published version ${latest}; bump metadata.version`);
    }

    progress(`placing the skill in ${skillPath(scope, skill.name)}/`);
    const folder = skillPath(scope, skill.name);
    await writeSkillFolder(workDir, folder, skill);
    await git(["add", "--all", "--force", "--", folder], { cwd: workDir });
    const treeId = await git(["write-tree", `--prefix=${folder}/`], { cwd: workDir });

    progress(`signing ${tag} (tree ${treeId.slice(0, 12)}) as ${publisher}`);
    const payload = buildTagPayload({ object: treeId, type: "tree", tag, tagger: taggerFor(publisher, now), message: `Publish ${tag}\n` });
    const tagBytes = await signTag(payload, signer);
    const tagFile = publishTagPath(scope, skill.name, skill.version);
    await mkdir(dirname(join(workDir, tagFile)), { recursive: true });
    await writeFile(join(workDir, tagFile), tagBytes);
    await git(["add", "--", tagFile], { cwd: workDir });

    progress(`committing on ${branch}`);
    const commit = await writeSignedCommit(
      workDir,
      { tree: await git(["write-tree"], { cwd: workDir }), parents: [await git(["rev-parse", "HEAD"], { cwd: workDir })], message: `Publish ${tag}\n\nSkill: ${tag}\nPublisher: ${publisher}\nScan-Decision: ${scan.decision}\n`, env: identityEnv(publisher, now) },
      signer,
    );

    progress(`pushing ${branch}`);
    await pushNewBranch(workDir, commit, branch, `branch ${branch} already exists in the registry; a change for ${tag} is pending there`);
    const result: PushResult = { skill: id, version: skill.version, tag, tagObjectId: tagObjectId(tagBytes), treeId, commit, branch, publisher, scan };
    const pullRequest = await openPullRequestOnGithub(opts.registry, env, progress, { head: branch, title: `Publish ${tag}`, body: opts.renderScan(scan) });
    if (pullRequest) result.pullRequest = pullRequest;
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readRegistryFile(workDir: string, path: string): Promise<string> {
  const bytes = await readFileAt(workDir, "HEAD", path);
  if (bytes === undefined) throw new SkillregError(`the registry has no ${path}; is it a skillreg registry? (skillreg init)`);
  return bytes.toString("utf8");
}

/** Versions with a .tag file on main or a tag ref in the registry. */
async function publishedVersions(workDir: string, scope: string, name: string): Promise<string[]> {
  const folder = `${PUBLISH_DIR}/${scope}/${name}/`;
  const files = await lsTree(workDir, "HEAD", [folder], false);
  const fromFiles = files.map((f) => f.path.slice(folder.length)).filter((f) => f.endsWith(TAG_FILE_SUFFIX)).map((f) => f.slice(0, -TAG_FILE_SUFFIX.length));
  const prefix = `${skillKey(scope, name)}@`;
  const fromTags = (await git(["ls-remote", "--tags", "--refs", "origin"], { cwd: workDir }))
    .split("\n")
    .map((l) => l.split("\t")[1] ?? "")
    .filter((ref) => ref.startsWith(`refs/tags/${prefix}`))
    .map((ref) => ref.slice(`refs/tags/${prefix}`.length));
  return [...new Set([...fromFiles, ...fromTags])].filter((v) => semver.valid(v) === v);
}
