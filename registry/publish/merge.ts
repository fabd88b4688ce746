import { approverRefusals } from "./access.js";
import { SkillregError, scanCacheFor } from "../core/index.js";
import { identityEnv, writeSignedCommit } from "../trust/index.js";
import { runGate } from "./gate/check.js";
import { semanticReviewerFromEnv } from "./gate/semantic.js";
import { readFile } from "node:fs/promises";
import { gateKeyFromEnv, sealIdentityFromText, type SealIdentity } from "../seal/index.js";
import { parseTrusted, type GateDecision, type Trusted } from "./gate/decide.js";
import { git, runGit } from "../git/index.js";
import { DEFAULT_BRANCH, MAIN_REF, PUBLISH_DIR, skillPath } from "../core/index.js";
import { principalOfKey } from "./propose.js";
import { releaseRegistry, type ReleaseResult } from "./release.js";
import { canPublish, isAdmin } from "../core/index.js";
import { loadSigner } from "../trust/index.js";

/**
 * The local forge's merge: what GitHub's required checks and CODEOWNERS review do there, done
 * here with keys. The gate must pass, a second person who may review every touched part signs
 * the merge commit, and the release tags what was merged.
 */

/** A gate that blocked; the caller prints every reason. */
export class GateBlocked extends SkillregError {
  constructor(readonly decision: GateDecision) {
    super(`the publish gate blocks this change (${decision.blocks.length} reason${decision.blocks.length === 1 ? "" : "s"}): ${decision.blocks.map((b) => b.message).join("; ")}`, { exitCode: 1 });
  }
}

/** Pure: why `reviewer` may not approve and merge the change the gate judged; empty when they may. */
export function reviewRefusals(gate: GateDecision, reviewer: string, trusted: Trusted): string[] {
  const refusals: string[] = [];
  if (gate.actors.includes(reviewer)) {
    refusals.push(`${reviewer} made this change and cannot also review it (they signed its tag or a commit of it); someone who authored none of it must merge it`);
  }
  for (const scope of gate.touchedScopes) {
    if (!canPublish(trusted.scopes, scope, reviewer)) refusals.push(`${reviewer} is not a maintainer or owner of @${scope}, so cannot review changes to it`);
  }
  refusals.push(...approverRefusals(gate.scopeFiles, reviewer, trusted));
  // A member change regenerates CODEOWNERS, which GitHub's CODEOWNERS gives to the admins
  // alone (.github/): the local merge asks for the same approver GitHub would.
  if (gate.generatedPaths.length > 0 && !isAdmin(trusted.config, reviewer)) {
    refusals.push(`the change regenerates ${gate.generatedPaths.join(", ")} (a member change), which only a registry admin may approve, as CODEOWNERS says on GitHub; ${reviewer} is not one`);
  }
  if (gate.adminPaths.length > 0 && !isAdmin(trusted.config, reviewer)) {
    refusals.push(`the change touches ${gate.adminPaths.join(", ")}, which only a registry admin may review; ${reviewer} is not one`);
  }
  if (gate.decision === "review" && !trusted.config.policy.securityReviewers.includes(reviewer)) {
    const who = trusted.config.policy.securityReviewers;
    refusals.push(`the scanner asks for a security review (high findings), and ${reviewer} is not a security reviewer (${who.join(", ") || "none are configured in skillreg.yaml policy.securityReviewers"})`);
  }
  return refusals;
}

export interface MergeOptions {
  registry: string;
  branch: string;
  keyPath: string;
  env: NodeJS.ProcessEnv;
  progress: (step: string) => void;
  /** Shown the change once the gate lets it through, before anything is signed or merged. */
  onReview?: (review: MergeReview) => void;
  now?: Date;
}

/** What a reviewer sees before the merge: the files the change touches and the gate's verdict. */
export interface MergeReview {
  /** `git diff --stat` of main...branch. */
  diffStat: string;
  gate: GateDecision;
}

export interface MergeResult {
  commit: string;
  reviewer: string;
  gate: GateDecision;
  release: ReleaseResult;
}

function mergeMessage(branch: string, gate: GateDecision, reviewer: string): string {
  const trailers = [
    ...gate.skills.filter((s) => s.tag).map((s) => `Skill: ${s.tag}`),
    ...gate.publishers.map((p) => `Publisher: ${p}`),
    `Reviewer: ${reviewer}`,
    `Scan-Decision: ${gate.decision}`,
  ];
  return `Merge ${branch}\n\n${trailers.join("\n")}\n`;
}

/** The reviewer's key as an identity for sealed versions, when it is an unencrypted ed25519 key. */
async function reviewerIdentity(keyPath: string): Promise<SealIdentity | undefined> {
  try {
    return sealIdentityFromText(await readFile(keyPath, "utf8"), keyPath);
  } catch {
    // An agent-held or encrypted key still signs the merge; the gate then says the version is sealed.
    return undefined;
  }
}

export async function mergeBranch(opts: MergeOptions): Promise<MergeResult> {
  const { registry: repo, branch, progress } = opts;
  const now = opts.now ?? new Date();
  if (branch.startsWith("-") || branch === DEFAULT_BRANCH) throw new SkillregError(`cannot merge '${branch}': name a ${PUBLISH_DIR}/... branch`);
  const headRef = `refs/heads/${branch}`;
  const head = (await runGit(["rev-parse", "--verify", "--quiet", headRef], { cwd: repo, okCodes: [1] })).stdout;
  if (!head) throw new SkillregError(`no branch '${branch}' in ${repo}; push it first (skillreg push)`);
  const main = await git(["rev-parse", "--verify", MAIN_REF], { cwd: repo });

  progress(`running the publish gate on ${DEFAULT_BRANCH}..${branch}`);
  // Sealed versions open with the gate key when this runs in CI, else with the reviewer's own key.
  const opener = (await gateKeyFromEnv(opts.env)) ?? (await reviewerIdentity(opts.keyPath));
  // The local forge's gate, as the check workflow's: the semantic reviewer too, when one is configured.
  const { facts, decision: gate } = await runGate(repo, main, head, now, opener, scanCacheFor(opts.env), await semanticReviewerFromEnv(opts.env));
  if (!gate.ok) throw new GateBlocked(gate);
  opts.onReview?.({ diffStat: await git(["diff", "--stat", `${main}...${head}`], { cwd: repo }), gate });

  const signer = await loadSigner(opts.keyPath, opts.env);
  const trusted = parseTrusted(facts.trusted);
  const reviewer = principalOfKey(facts.trusted.allowedSigners ?? "", signer, (p) => gate.touchedScopes.every((s) => canPublish(trusted.scopes, s, p)), now);
  progress(`checking that ${reviewer} may review it`);
  const refusals = reviewRefusals(gate, reviewer, trusted);
  if (refusals.length > 0) throw new SkillregError(`merge refused: ${refusals.join("; ")}`, { exitCode: 1 });

  progress(`merging ${branch} into ${DEFAULT_BRANCH}, signed by ${reviewer}`);
  const merged = await runGit(["merge-tree", "--write-tree", "--no-messages", main, head], { cwd: repo, okCodes: [1] });
  if (merged.code !== 0) throw new SkillregError(`${branch} conflicts with ${DEFAULT_BRANCH}; push the change again on top of ${DEFAULT_BRANCH}`);
  const tree = merged.stdout.split("\n")[0]!;
  // The gate judged the branch's trees; main must end up with exactly those, as the tags say.
  const tagged = gate.skills.filter((s) => s.treeId !== undefined);
  const mergedTrees = tagged.length > 0 ? (await git(["rev-parse", ...tagged.map((s) => `${tree}:${skillPath(s.scope, s.name)}`)], { cwd: repo })).split("\n") : [];
  for (const [i, s] of tagged.entries()) {
    if (mergedTrees[i] !== s.treeId) throw new SkillregError(`merging ${branch} would leave ${skillPath(s.scope, s.name)}/ different from the tree its tag names; push the change again on top of ${DEFAULT_BRANCH}`);
  }
  const commit = await writeSignedCommit(
    repo,
    {
      tree,
      parents: [main, head],
      message: mergeMessage(branch, gate, reviewer),
      env: identityEnv(reviewer, now),
    },
    signer,
  );
  await moveMain(repo, main, commit);

  progress(`releasing the merged tags`);
  const release = await releaseRegistry(repo);
  return { commit, reviewer, gate, release };
}

/**
 * Advance main from `from` to `to`. In a registry with a work tree on main, the index and the
 * files follow (refusing if they hold local changes), so the checkout stays clean.
 */
async function moveMain(repo: string, from: string, to: string): Promise<void> {
  const bare = (await git(["rev-parse", "--is-bare-repository"], { cwd: repo })) === "true";
  const current = (await runGit(["symbolic-ref", "--quiet", "HEAD"], { cwd: repo, okCodes: [1] })).stdout;
  if (!bare && current === MAIN_REF) {
    const dirty = await git(["status", "--porcelain", "--untracked-files=no"], { cwd: repo });
    if (dirty !== "") throw new SkillregError(`${repo} has uncommitted changes on ${DEFAULT_BRANCH}; commit or remove them before merging`);
    await git(["read-tree", "-m", "-u", from, to], { cwd: repo });
  }
  await git(["update-ref", "-m", "skillreg registry merge", MAIN_REF, to, from], { cwd: repo });
}
