import type { Decision } from "@skillreg/scanner";
import { SkillregError, scanCacheFor } from "../core/index.js";
import { runGate, semanticReviewerFromEnv } from "../publish/index.js";
import { parseTrusted, type GateDecision } from "../publish/index.js";
import { runGit } from "../git/index.js";
import { gateKeyFromEnv } from "../seal/index.js";
import { getPullRequest, githubClientFromEnv, listReviews, type GithubRepo, type Review } from "./github.js";

/**
 * The required check `skillreg registry review-gate`: on GitHub, CODEOWNERS makes a maintainer
 * review every pull request, and this check adds what CODEOWNERS cannot say: a pull request the
 * scanner sent to review (high findings) needs the approval of a security reviewer
 * (policy.securityReviewers, GitHub logins), on its current head, from someone other than its
 * author.
 */

export interface ReviewGateInput {
  gate: GateDecision;
  author: string;
  headSha: string;
  reviews: readonly Review[];
  securityReviewers: readonly string[];
}

export interface ReviewGateResult {
  ok: boolean;
  decision: Decision;
  message: string;
  /** Security reviewers whose approval of the head counts. */
  approvedBy: string[];
}

/** Each reviewer's latest verdict: comments do not change an approval or a change request. */
export function latestVerdicts(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (r.state !== "APPROVED" && r.state !== "CHANGES_REQUESTED" && r.state !== "DISMISSED") continue;
    latest.set(r.login.toLowerCase(), r);
  }
  return latest;
}

export function decideReviewGate(input: ReviewGateInput): ReviewGateResult {
  const { gate } = input;
  const decision = gate.decision;
  if (!gate.ok) {
    return { ok: false, decision, approvedBy: [], message: `the publish gate blocks this pull request: ${gate.blocks.map((b) => b.message).join("; ")}` };
  }
  if (decision !== "review") {
    return { ok: true, decision, approvedBy: [], message: `no security review needed (scan decision: ${decision})` };
  }
  const reviewers = new Set(input.securityReviewers.map((r) => r.toLowerCase()));
  // The pull request's author and everyone whose signed commit or tag is in it made the change.
  const authors = new Set([input.author, ...gate.actors].map((a) => a.toLowerCase()));
  const approvedBy: string[] = [];
  const stale: string[] = [];
  for (const [login, review] of latestVerdicts(input.reviews)) {
    if (!reviewers.has(login) || authors.has(login) || review.state !== "APPROVED") continue;
    if (review.commitId === input.headSha) approvedBy.push(review.login);
    else stale.push(review.login);
  }
  if (approvedBy.length > 0) {
    return { ok: true, decision, approvedBy, message: `security review: approved by ${approvedBy.join(", ")}` };
  }
  const who = input.securityReviewers.join(", ") || "none configured in skillreg.yaml policy.securityReviewers";
  const staleNote = stale.length > 0 ? ` (${stale.join(", ")} approved an earlier commit; approve the current head ${input.headSha.slice(0, 12)})` : "";
  return {
    ok: false,
    decision,
    approvedBy,
    message: `the scanner found high-severity issues: a security reviewer who authored none of it must approve (${who})${staleNote}`,
  };
}

/** Make sure `sha` is in the local repository, fetching it (or the pull request's head) from origin if not. */
async function ensureCommit(repo: string, sha: string, pr: number): Promise<void> {
  const has = async () => (await runGit(["cat-file", "-e", `${sha}^{commit}`], { cwd: repo, okCodes: [1, 128] })).code === 0;
  if (await has()) return;
  await runGit(["fetch", "--quiet", "--no-tags", "origin", `+refs/pull/${pr}/head:refs/remotes/origin/pr/${pr}`], { cwd: repo, okCodes: [1, 128] });
  if (!(await has())) await runGit(["fetch", "--quiet", "--no-tags", "origin", sha], { cwd: repo, okCodes: [1, 128] });
  if (!(await has())) throw new SkillregError(`commit ${sha} of pull request #${pr} is not in ${repo} and could not be fetched from origin`);
}

export async function runReviewGate(opts: { registry: string; repo: GithubRepo; pr: number; env: NodeJS.ProcessEnv; progress: (step: string) => void }): Promise<ReviewGateResult> {
  const octokit = githubClientFromEnv(opts.env, "the review gate");
  opts.progress(`reading pull request #${opts.pr} of ${opts.repo.owner}/${opts.repo.repo}`);
  const pr = await getPullRequest(octokit, opts.repo, opts.pr);
  await ensureCommit(opts.registry, pr.baseSha, opts.pr);
  await ensureCommit(opts.registry, pr.headSha, opts.pr);
  opts.progress(`running the publish gate on ${pr.baseSha.slice(0, 12)}..${pr.headSha.slice(0, 12)}`);
  const { facts, decision: gate } = await runGate(
    opts.registry,
    pr.baseSha,
    pr.headSha,
    new Date(),
    await gateKeyFromEnv(opts.env),
    scanCacheFor(opts.env),
    // The check workflow's reviewer, asked again: a high finding it adds needs a security reviewer here too.
    await semanticReviewerFromEnv(opts.env),
  );
  let securityReviewers: string[] = [];
  try {
    securityReviewers = parseTrusted(facts.trusted).config.policy.securityReviewers;
  } catch {
    // The gate already blocks on an invalid base; decideReviewGate reports it.
  }
  opts.progress(`reading the reviews of #${opts.pr}`);
  const reviews = await listReviews(octokit, opts.repo, opts.pr);
  return decideReviewGate({ gate, author: pr.author, headSha: pr.headSha, reviews, securityReviewers });
}
