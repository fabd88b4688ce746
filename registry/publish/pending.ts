import { MAIN_REF, PUBLISH_DIR, type ScanCache } from "../core/index.js";
import { git, openRepo } from "../git/index.js";
import { runGate } from "./gate/check.js";
import type { GateDecision } from "./gate/decide.js";

/**
 * `skillreg registry pending`: the review queue. Every publish/... and access/... branch not
 * yet merged into main, each judged by the same gate `registry merge` runs, so a reviewer
 * sees what is waiting and what the gate says before choosing one.
 */

export interface PendingChange {
  branch: string;
  /** Tip of the branch. */
  head: string;
  /** What the change publishes (`@scope/name@version`), if anything. */
  tags: string[];
  publishers: string[];
  /** The gate's scan decision over the skills it publishes. */
  decision: GateDecision["decision"];
  /** The gate would let it be merged (a reviewer is still needed). */
  ok: boolean;
  /** Why the gate blocks it, one line each. */
  blocks: string[];
}

export async function pendingChanges(registry: string, cwd: string, now: Date = new Date(), scans?: ScanCache): Promise<PendingChange[]> {
  const repo = await openRepo(registry, cwd);
  try {
    const main = await git(["rev-parse", "--verify", MAIN_REF], { cwd: repo.dir });
    const refs = await git(["for-each-ref", "--no-merged", main, "--format=%(refname:strip=2) %(objectname)", `refs/heads/${PUBLISH_DIR}/`, "refs/heads/access/"], { cwd: repo.dir });
    const pending: PendingChange[] = [];
    for (const line of refs.split("\n").filter(Boolean).sort()) {
      const [branch = "", head = ""] = line.split(" ");
      const base = await git(["merge-base", main, head], { cwd: repo.dir });
      const { decision } = await runGate(repo.dir, base, head, now, undefined, scans);
      pending.push({
        branch,
        head,
        tags: decision.skills.flatMap((s) => (s.tag ? [s.tag] : [])),
        publishers: decision.publishers,
        decision: decision.decision,
        ok: decision.ok,
        blocks: decision.blocks.map((b) => b.message),
      });
    }
    return pending;
  } finally {
    repo.close();
  }
}
