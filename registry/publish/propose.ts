import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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
import { readFileAt } from "../git/index.js";
import { cloneMain, pushNewBranch } from "../git/index.js";
import { ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, SCOPES_DIR, publishTagPath, scopeFilePath } from "../core/index.js";
import { principalOfKey } from "./publish.js";
import { loadSigner } from "../trust/index.js";

/**
 * Propose a change to a registry's control files the way publishing proposes a version: on a
 * fresh clone of main, as the principal of the signing key, one commit signed with that key
 * on a new branch, pushed; a GitHub registry also gets a pull request. Nothing reaches main
 * here: `skillreg registry merge` (or GitHub's checks and CODEOWNERS review) decides.
 */

export interface RegistryState {
  config: RegistryConfig;
  scopes: Scopes;
  allowedSigners: string;
  /** Text of a file on main, or undefined when absent. */
  read(path: string): Promise<string | undefined>;
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
  plan(state: RegistryState, actor: string): Promise<PlannedChange> | PlannedChange;
}

export interface ProposeResult {
  branch: string;
  commit: string;
  actor: string;
  files: string[];
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
  const signer = await loadSigner(resolve(opts.cwd, opts.keyPath), opts.env);
  const workDir = await mkdtemp(join(tmpdir(), "skillreg-change-"));
  try {
    opts.progress(`fetching the registry from ${opts.registry}`);
    await cloneMain(opts.registry, opts.cwd, workDir);
    const read = async (path: string) => (await readFileAt(workDir, "HEAD", path))?.toString("utf8");
    const allowedSigners = (await read(ALLOWED_SIGNERS_FILE)) ?? "";
    const state: RegistryState = { config: await loadRegistryConfig(workDir), scopes: await loadScopes(workDir), allowedSigners, read };
    const actor = principalOfKey(allowedSigners, signer, () => true, now);
    const plan = await opts.plan(state, actor);

    for (const file of plan.files) {
      await mkdir(dirname(join(workDir, file.path)), { recursive: true });
      await writeFile(join(workDir, file.path), file.content);
    }
    const paths = plan.files.map((f) => f.path);
    // CODEOWNERS follows scopes/: regenerate it whenever a scope file changes (the gate checks it).
    if (paths.some((p) => p.startsWith(`${SCOPES_DIR}/`))) {
      const codeowners = generateCodeowners(state.config, await loadScopes(workDir));
      await writeFile(join(workDir, CODEOWNERS_FILE), codeowners);
      paths.push(CODEOWNERS_FILE);
    }
    await git(["add", "--", ...paths], { cwd: workDir });

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

    opts.progress(`pushing ${plan.branch}`);
    await pushNewBranch(workDir, commit, plan.branch, `branch ${plan.branch} already exists in the registry: the same change is pending there (merge or delete it first)`);
    const result: ProposeResult = { branch: plan.branch, commit, actor, files: paths };
    const pullRequest = await openPullRequestOnGithub(opts.registry, opts.env, opts.progress, { head: plan.branch, title: plan.title, body: plan.body });
    if (pullRequest) result.pullRequest = pullRequest;
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
