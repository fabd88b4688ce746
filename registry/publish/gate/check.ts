import { decideGate, type GateDecision } from "./decide.js";
import { gatherFacts } from "./facts.js";
import type { GateFacts } from "./facts-types.js";
import { askSemanticReviewer, type SemanticReviewer } from "./semantic.js";
import type { SealIdentity } from "../../seal/index.js";
import { openScanCache, type ScanCache } from "../../core/index.js";

/**
 * The gate over base..head of the registry at `repo`: facts read once, then judged. `gateKey`
 * (the registry's gate key, SKILLREG_GATE_KEY) opens sealed versions so they are scanned too.
 * `scans`: the caller's scan cache (core scanCacheFor(env)), so a version pushed, checked and
 * merged is scanned once. `reviewer` (gate/semantic.ts): the semantic reviewer, when configured,
 * is shown each version with its static scan, then the change is judged again with its answers.
 */
export async function runGate(
  repo: string,
  base: string,
  head: string,
  now: Date = new Date(),
  gateKey?: SealIdentity,
  scans: ScanCache = openScanCache(undefined),
  reviewer?: SemanticReviewer,
): Promise<{ facts: GateFacts; decision: GateDecision }> {
  const facts = await gatherFacts(repo, base, head, gateKey);
  const staticOnly = decideGate(facts, now, scans);
  if (reviewer === undefined) return { facts, decision: staticOnly };
  // The second judgement finds every scan in `scans`: only the reviewer's answers are new.
  return { facts, decision: decideGate(facts, now, scans, await askSemanticReviewer(facts, staticOnly, reviewer)) };
}
