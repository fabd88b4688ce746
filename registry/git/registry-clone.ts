import { resolve } from "node:path";
import { SkillregError } from "../core/index.js";
import { DEFAULT_BRANCH } from "../core/index.js";
import { git, runGit } from "./cli.js";
import { isGitUrl } from "./open-repo.js";

/**
 * How a change is proposed to a registry (a new version, an access change): made on a fresh
 * clone of main, then pushed as a new branch that the gate and a reviewer judge.
 */

/** Clone main of `registry` (a path or a Git URL) into the empty folder `into`, checked out detached. */
export async function cloneMain(registry: string, cwd: string, into: string): Promise<void> {
  const remote = isGitUrl(registry) ? registry : resolve(cwd, registry);
  await git(["clone", "--quiet", "--no-checkout", "--branch", DEFAULT_BRANCH, "--", remote, into], { cwd });
  await git(["checkout", "--quiet", "--detach", `origin/${DEFAULT_BRANCH}`], { cwd: into });
}

/** Push `commit` to origin as the new branch `branch`; when the branch exists the error is `whenExists`. */
export async function pushNewBranch(workDir: string, commit: string, branch: string, whenExists: string): Promise<void> {
  const pushed = await runGit(["push", "--porcelain", "origin", `${commit}:refs/heads/${branch}`], { cwd: workDir, okCodes: [1] });
  if (pushed.code === 0) return;
  const exists = /rejected|fetch first|non-fast-forward|already exists/.test(pushed.stdout + pushed.stderr);
  throw new SkillregError(exists ? whenExists : `could not push ${branch}: ${pushed.stderr.trim().split("\n").pop() ?? ""}`);
}
