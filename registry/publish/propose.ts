import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { planScopeEdit, type PlannedChange, type ScopeEdit } from "./access.js";
import { generateCodeowners } from "./codeowners.js";
import { identityEnv, writeSignedCommit } from "../trust/index.js";
import { loadRegistryConfig, loadScopes } from "../core/index.js";
import type { RegistryConfig, Scopes } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import { openPullRequestOnGithub, type PullRequestRef } from "../forge/index.js";
import { git } from "../git/index.js";
import { lsTree, readFileAt } from "../git/index.js";
import { cloneMain, pushNewBranch } from "../git/index.js";
import semver from "semver";
import { ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, PUBLISH_DIR, SCOPES_DIR, TAG_FILE_SUFFIX, publishTagPath, scopeFilePath, skillKey } from "../core/index.js";
import { loadSigner, parseRegistrySigners, parsePublicKey, principalsForKey, type Signer } from "../trust/index.js";

/**
 * The one propose pipeline: `push` (a new version) and every access change (grant, revoke,
 * visibility, yank, deprecate, keys) go through it. On a fresh clone of main, as the principal
 * of the signing key, the plan decides the files; they are written, one commit signed with
 * that key goes on a new branch, which is pushed; a GitHub registry also gets a pull request.
 * Nothing reaches main here: `skillreg registry merge` (or GitHub's checks and CODEOWNERS
 * review) decides.
 */

export interface RegistryState {
  /** The fresh clone of main the change is made in. */
  dir: string;
  /** The proposer's private key file (absolute): it signs the change, and may open sealed versions. */
  keyPath: string;
  config: RegistryConfig;
  scopes: Scopes;
  allowedSigners: string;
  /** Text of a file on main, or undefined when absent. */
  read(path: string): Promise<string | undefined>;
  /** Versions of a skill with a .tag record on main or a tag in the registry. */
  publishedVersions(scope: string, name: string): Promise<string[]>;
}

export interface ProposeOptions {
  /** A registry path or Git URL. */
  registry: string;
  keyPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  progress: (step: string) => void;
  now?: Date;
  /** Decide the change from main's state as `actor`; throws a SkillregError to refuse. */
  plan(state: RegistryState, actor: string, signer: Signer): Promise<PlannedChange> | PlannedChange;
  /** Of several principals for the key, prefer one this accepts (a publisher of the scope). */
  preferActor?: (principal: string, state: RegistryState) => boolean;
  /** Decide, write and sign the commit in the temporary clone, but push nothing. */
  dryRun?: boolean;
  /** The message an already existing branch gets. */
  branchExists?: (branch: string) => string;
}

export interface ProposeResult {
  branch: string;
  commit: string;
  actor: string;
  files: string[];
  /** The plan's warnings. */
  warnings: string[];
  pullRequest?: PullRequestRef;
}

/**
 * The plan for one scope-file edit (grant, revoke, visibility, yank, deprecate) on main as
 * `actor`: the rules of planScopeEdit, and a yank or deprecation must name a published version.
 */
export async function planScopeChange(state: RegistryState, scope: string, edit: ScopeEdit, actor: string): Promise<PlannedChange> {
  if (edit.kind === "flag" && (await state.read(publishTagPath(scope, edit.skill, edit.version))) === undefined) {
    throw new SkillregError(`@${scope}/${edit.skill}@${edit.version} is not published in this registry (no ${publishTagPath(scope, edit.skill, edit.version)})`);
  }
  return planScopeEdit(state.config, await state.read(scopeFilePath(scope)), scope, edit, actor);
}

export async function proposeChange(opts: ProposeOptions): Promise<ProposeResult> {
  const now = opts.now ?? new Date();
  const keyPath = resolve(opts.cwd, opts.keyPath);
  const signer = await loadSigner(keyPath, opts.env);
  const workDir = await mkdtemp(join(tmpdir(), "skillreg-change-"));
  try {
    opts.progress(`fetching the registry from ${opts.registry}`);
    await cloneMain(opts.registry, opts.cwd, workDir);
    const read = async (path: string) => (await readFileAt(workDir, "HEAD", path))?.toString("utf8");
    const allowedSigners = (await read(ALLOWED_SIGNERS_FILE)) ?? "";
    const state: RegistryState = {
      dir: workDir,
      keyPath,
      config: await loadRegistryConfig(workDir),
      scopes: await loadScopes(workDir),
      allowedSigners,
      read,
      publishedVersions: (scope, name) => publishedVersions(workDir, scope, name),
    };
    const actor = principalOfKey(allowedSigners, signer, (p) => opts.preferActor?.(p, state) ?? true, now);
    const plan = await opts.plan(state, actor, signer);

    for (const folder of plan.replaceFolders ?? []) await rm(join(workDir, folder), { recursive: true, force: true });
    const write = async (files: readonly { path: string; content: string | Uint8Array; executable?: boolean }[]) => {
      for (const file of files) {
        const target = join(workDir, ...file.path.split("/"));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.content);
        await chmod(target, file.executable ? 0o755 : 0o644);
      }
    };
    await write(plan.files);
    const paths = [...new Set([...(plan.replaceFolders ?? []), ...plan.files.map((f) => f.path)])];
    // CODEOWNERS follows scopes/: regenerate it whenever a scope file changes (the gate checks it).
    if (paths.some((p) => p.startsWith(`${SCOPES_DIR}/`))) {
      const codeowners = generateCodeowners(state.config, await loadScopes(workDir));
      await writeFile(join(workDir, CODEOWNERS_FILE), codeowners);
      paths.push(CODEOWNERS_FILE);
    }
    await git(["add", "--all", "--force", "--", ...paths], { cwd: workDir });
    if (plan.derived) {
      const derived = await plan.derived((folder) => git(["write-tree", `--prefix=${folder}/`], { cwd: workDir }));
      await write(derived);
      await git(["add", "--", ...derived.map((f) => f.path)], { cwd: workDir });
      paths.push(...derived.map((f) => f.path));
    }

    opts.progress(`committing on ${plan.branch}, signed by ${actor}`);
    const commit = await writeSignedCommit(
      workDir,
      {
        tree: await git(["write-tree"], { cwd: workDir }),
        parents: [await git(["rev-parse", "HEAD"], { cwd: workDir })],
        message: `${plan.title}\n\n${plan.body}\n`,
        env: identityEnv(actor, now),
      },
      signer,
    );

    const warnings = plan.warnings ?? [];
    if (opts.dryRun) return { branch: plan.branch, commit, actor, files: paths, warnings };
    opts.progress(`pushing ${plan.branch}`);
    await pushNewBranch(
      workDir,
      commit,
      plan.branch,
      opts.branchExists?.(plan.branch) ?? `branch ${plan.branch} already exists in the registry: the same change is pending there (merge or delete it first)`,
    );
    const result: ProposeResult = { branch: plan.branch, commit, actor, files: paths, warnings };
    const pullRequest = await openPullRequestOnGithub(opts.registry, opts.env, opts.progress, { head: plan.branch, title: plan.title, body: plan.pullRequestBody ?? plan.body });
    if (pullRequest) result.pullRequest = pullRequest;
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The one key-to-principal resolver for proposals and merges: the principal allowed_signers
 * names for the signer's key at `at`, preferring one that `pick` accepts.
 */
export function principalOfKey(allowedSignersText: string, signer: Signer, pick: (p: string) => boolean, at: Date): string {
  const signers = parseRegistrySigners(allowedSignersText, ALLOWED_SIGNERS_FILE);
  const blob = parsePublicKey(signer.publicKey, "signing key").blob;
  const principals = principalsForKey(signers, blob, { namespace: "git", at }).filter((p) => !/[*?!]/.test(p));
  if (principals.length === 0) {
    throw new SkillregError(`key ${signer.fingerprint} not in allowed_signers; ask an admin to run skillreg keys add`);
  }
  return principals.find(pick) ?? principals[0]!;
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
