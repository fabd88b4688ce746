import type { Octokit } from "@octokit/rest";
import { SkillregError } from "../core/index.js";
import { githubRepoOf } from "./github-sync.js";
import { DEFAULT_BRANCH } from "../core/index.js";
import { githubClient, githubTokenFromEnv } from "./github-tokens.js";

/**
 * The GitHub side of publishing: pull requests and their reviews, through @octokit/rest.
 * The git side (branches, pushes) is the same as for a plain remote.
 */

export interface GithubRepo {
  owner: string;
  repo: string;
}

/** An authenticated client for the token in GITHUB_TOKEN / GH_TOKEN (API root from GITHUB_API_URL). */
export function githubClientFromEnv(env: NodeJS.ProcessEnv, why: string): Octokit {
  const token = githubTokenFromEnv(env);
  if (!token) throw new SkillregError(`${why} needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN)`);
  return githubClient(token, env);
}

function requestFailed(what: string, e: unknown): SkillregError {
  const status = (e as { status?: number }).status;
  const detail = (e as { response?: { data?: { message?: string; errors?: { message?: string }[] } } }).response?.data;
  const why = [detail?.message, ...(detail?.errors ?? []).map((x) => x.message)].filter(Boolean).join(": ") || (e as Error).message;
  return new SkillregError(`GitHub refused to ${what}${status ? ` (HTTP ${status})` : ""}: ${why}`);
}

export interface PullRequestRef {
  number: number;
  url: string;
}

/** Open a pull request from `head` into `base`. */
export async function openPullRequest(
  octokit: Octokit,
  repo: GithubRepo,
  pr: { head: string; base: string; title: string; body: string },
): Promise<PullRequestRef> {
  try {
    const res = await octokit.rest.pulls.create({ ...repo, ...pr, maintainer_can_modify: false });
    return { number: res.data.number, url: res.data.html_url };
  } catch (e) {
    throw requestFailed(`open a pull request from ${pr.head}`, e);
  }
}

export interface PullRequestInfo {
  number: number;
  author: string;
  baseSha: string;
  headSha: string;
  baseRef: string;
}

export async function getPullRequest(octokit: Octokit, repo: GithubRepo, number: number): Promise<PullRequestInfo> {
  try {
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
    return { number, author: data.user?.login ?? "", baseSha: data.base.sha, headSha: data.head.sha, baseRef: data.base.ref };
  } catch (e) {
    throw requestFailed(`read pull request #${number}`, e);
  }
}

export interface Review {
  login: string;
  state: string;
  /** The commit the review was made on: an approval of an older commit does not count. */
  commitId: string;
  submittedAt: string;
}

/** Every review of a pull request, oldest first (all pages). */
export async function listReviews(octokit: Octokit, repo: GithubRepo, number: number): Promise<Review[]> {
  try {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: number, per_page: 100 });
    return reviews.map((r) => ({ login: r.user?.login ?? "", state: r.state, commitId: r.commit_id ?? "", submittedAt: r.submitted_at ?? "" }));
  } catch (e) {
    throw requestFailed(`list the reviews of pull request #${number}`, e);
  }
}

/** owner/name from a git URL (https or ssh form) or an `owner/name` argument. */
export function parseGithubRepo(text: string): GithubRepo | undefined {
  const fromUrl = githubRepoOf(text);
  if (fromUrl) return fromUrl;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text);
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}

/** Open the pull request of a pushed branch into main when `registry` is a GitHub URL; undefined otherwise. */
export async function openPullRequestOnGithub(
  registry: string,
  env: NodeJS.ProcessEnv,
  progress: (step: string) => void,
  pr: { head: string; title: string; body: string },
): Promise<PullRequestRef | undefined> {
  const github = githubRepoOf(registry);
  if (!github) return undefined;
  progress(`opening a pull request on ${github.owner}/${github.repo}`);
  return openPullRequest(githubClientFromEnv(env, "opening a pull request"), github, { ...pr, base: DEFAULT_BRANCH });
}
