import { registrySignersOrNone } from "./allowed-signers.js";
import { commitSigner, splitCommit } from "./commit-signature.js";

/**
 * Time from signatures, not from commit dates. A commit's date is whatever its author typed
 * (GIT_COMMITTER_DATE), so on its own it proves nothing: a commit dated before a key's
 * revocation could otherwise revive the key. On the main line (first parents, oldest first):
 *
 * - time never runs backwards: a commit is no earlier than any commit before it (so a commit
 *   made on top of a revocation is judged after the revocation, whatever date it claims);
 * - a commit's time is proven only by a signature that verifies with a key allowed_signers
 *   admitted before the commit, valid at that (clamped) time;
 * - what an unsigned commit records is proven by the next signed commit on the main line (the
 *   signer vouches for the history below it), and by nothing when none follows: then it is
 *   judged at its claimed time, and reported as unproven;
 * - a merge no admitted key signed (GitHub's merge button signs with GitHub's own key) whose
 *   tree is exactly git's merge of its two parents holds nothing but what its parents hold:
 *   when the merged head is signed by a key admitted before the merge and valid at its time,
 *   that signature proves what the merge records, at the merge's time. It proves that merge
 *   only: the head's signer never saw the main line it was merged onto.
 */

export interface TimedCommit {
  id: string;
  /** The raw commit object, signature header included. */
  raw: Buffer;
  /** allowed_signers text at the commit's first parent: the keys admitted before it. */
  signersBefore: string;
  /** For a merge: the raw commit object of the merged branch's tip. */
  branchTip?: Buffer;
  /** A two-parent merge whose tree is git's merge of its parents (git's isCleanMerge). */
  cleanMerge?: boolean;
}

export interface CommitTime {
  /** The commit's claimed time, raised to the latest claim before it on the main line. */
  at: Date;
  /** The principal whose signature proves this commit, judged at `at`. */
  signer?: string;
  /** The earliest time a signature proves for what this commit records (its own `at` when signed). */
  provenAt?: Date;
  /** The signed commit that proves it (this one, or a later one). */
  provenBy?: string;
  /** For a clean merge no admitted key signed: the principal whose signed head it merged, which proves it. */
  mergedHeadSigner?: string;
}

/** The time of every main-line commit (oldest first), as far as signatures prove it. Pure. */
export function mainLineTimes(commits: readonly TimedCommit[]): CommitTime[] {
  const times: CommitTime[] = [];
  let floor = 0;
  for (const commit of commits) {
    floor = Math.max(floor, splitCommit(commit.raw).committedAt.getTime());
    const at = new Date(floor);
    const signers = registrySignersOrNone(commit.signersBefore);
    const signed = commitSigner(commit.raw, signers, at);
    const head = !signed.verified && commit.cleanMerge && commit.branchTip ? commitSigner(commit.branchTip, signers, at) : undefined;
    times.push({ at, ...(signed.verified && { signer: signed.principal }), ...(head?.verified && { mergedHeadSigner: head.principal }) });
  }
  let proof: { at: Date; by: string } | undefined;
  for (let i = times.length - 1; i >= 0; i--) {
    const t = times[i]!;
    if (t.signer !== undefined) proof = { at: t.at, by: commits[i]!.id };
    if (t.mergedHeadSigner !== undefined) {
      t.provenAt = t.at;
      t.provenBy = commits[i]!.id;
    } else if (proof) {
      t.provenAt = proof.at;
      t.provenBy = proof.by;
    }
  }
  return times;
}

/**
 * The moment to judge what a commit records by: its proven time, or when nothing signed
 * proves it, its claimed time (never earlier than the history before it). A registry whose
 * merges no admitted key signs (a forge's merge button) still has ordered, monotone times.
 */
export function judgedAt(times: readonly CommitTime[], index: number): Date {
  const t = times[index];
  return t?.provenAt ?? t?.at ?? new Date(0);
}
