import { decideGate, type GateDecision } from "./decide.js";
import { gatherFacts } from "./facts.js";
import type { GateFacts } from "./facts-types.js";
import type { SealIdentity } from "../../seal/index.js";
import type { ScanCache } from "../../core/index.js";

/**
 * The gate over base..head of the registry at `repo`: facts read once, then judged. `gateKey`
 * (the registry's gate key, SKILLREG_GATE_KEY) opens sealed versions so they are scanned too.
 * `scans`: the caller's scan cache (core scanCacheFor(env)), so a version pushed, checked and
 * merged is scanned once.
 */
export async function runGate(
  repo: string,
  base: string,
  head: string,
  now: Date = new Date(),
  gateKey?: SealIdentity,
  scans?: ScanCache,
): Promise<{ facts: GateFacts; decision: GateDecision }> {
  const facts = await gatherFacts(repo, base, head, gateKey);
  return { facts, decision: decideGate(facts, now, scans) };
}
