import type { LlmConfig, ReviewerAnswer } from "@skillreg/scanner";
import { loadScanner, skillPath } from "../../core/index.js";
import { headSkillFiles, type GateDecision } from "./decide.js";
import type { GateFacts } from "./facts-types.js";

/**
 * The semantic reviewer in the publish gate (issue 10): when an LLM endpoint is configured
 * (SKILLREG_LLM_URL and SKILLREG_LLM_KEY, as for `skillreg scan --llm`; in the workflows from
 * repository secrets), the gate asks it about each version the change publishes. Its findings
 * only join the static scan's (decideGate); an endpoint that fails, times out or is set up
 * wrong leaves the static decision alone and the gate says so: it never blocks and never clears.
 */

/** A configured reviewer, or why the configuration cannot be used. */
export type SemanticReviewer = { config: LlmConfig } | { problem: string };

/** The reviewer the environment configures; undefined when none is (the default). */
export async function semanticReviewerFromEnv(env: NodeJS.ProcessEnv): Promise<SemanticReviewer | undefined> {
  const { llmConfigFromEnv, LlmConfigError } = await loadScanner();
  try {
    const config = llmConfigFromEnv(env);
    return config && { config };
  } catch (e) {
    // A half-set secret must not stop every pull request: the gate reports it instead.
    if (e instanceof LlmConfigError) return { problem: e.message };
    throw e;
  }
}

/**
 * The reviewer's answer for each skill `firstPass` scanned, by `@scope/name`. Sealed versions
 * are never sent: their plaintext is for the scope's members, not an outside endpoint.
 */
export async function askSemanticReviewer(facts: GateFacts, firstPass: GateDecision, reviewer: SemanticReviewer): Promise<Map<string, ReviewerAnswer>> {
  const { askReviewer } = await loadScanner();
  const bySkill = new Map(facts.skills.map((s) => [`@${s.scope}/${s.name}`, s]));
  const asked = firstPass.skills.flatMap((verdict) => {
    const skill = bySkill.get(verdict.id);
    if (verdict.scan === undefined || verdict.sealed || skill === undefined) return [];
    const input = { path: skillPath(skill.scope, skill.name), files: headSkillFiles(skill) };
    const answer: Promise<ReviewerAnswer> = "problem" in reviewer ? Promise.resolve({ unavailable: reviewer.problem }) : askReviewer(input, verdict.scan, reviewer.config);
    return [answer.then((a) => [verdict.id, a] as const)];
  });
  return new Map(await Promise.all(asked));
}
