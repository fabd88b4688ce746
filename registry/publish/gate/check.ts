import { decideGate, type GateDecision } from "./decide.js";
import { gatherFacts } from "./facts.js";
import type { GateFacts } from "./facts-types.js";

/** The gate over base..head of the registry at `repo`: facts read once, then judged. */
export async function runGate(repo: string, base: string, head: string, now: Date = new Date()): Promise<{ facts: GateFacts; decision: GateDecision }> {
  const facts = await gatherFacts(repo, base, head);
  return { facts, decision: decideGate(facts, now) };
}
