import { SEVERITIES, type Decision, type Finding, type Severity } from "./types.js";

/**
 * The one vocabulary for a version's scan decision, shown by the catalog's badges and
 * banners and by the CLI: the machine values (`blocked|review|flagged|pass`, the scanner's
 * contract, kept in the index) are never shown to people in another wording.
 */
export const DECISION_WORDS: Record<Decision, string> = {
  blocked: "blocked",
  review: "needs review",
  flagged: "flagged",
  pass: "passed",
};

/** What each decision means for someone about to install the version (one sentence each). */
export const DECISION_MEANING: Record<Decision, string> = {
  blocked: "The scan found a known malicious pattern (critical); it cannot be installed.",
  review:
    "The scan found dangerous operations (high severity); the registry's security reviewers let it be published, but you must read the findings and install it with --accept-risk.",
  flagged: "The scan found potentially risky patterns (medium severity); read them before you install.",
  pass: "The security scan found nothing above low severity.",
};

/** The option an install of a version with this decision needs, if any. */
export const acceptRiskNeeded = (decision: Decision): boolean => decision === "review";
export type { Decision } from "./types.js";

const DECISION_OF: Record<Severity, Decision> = { critical: "blocked", high: "review", medium: "flagged", low: "pass" };

/**
 * Whether a finding weighs in the decision. An author's suppression only silences medium and
 * low findings: a suppressed high still needs a human (review), and criticals are never
 * suppressed. The finding stays listed with its reason either way.
 */
export function countsTowardDecision(f: Pick<Finding, "severity" | "suppressed">): boolean {
  return !f.suppressed || f.severity === "critical" || f.severity === "high";
}

/** The strongest finding that counts decides: critical blocks, high needs review, medium flags. */
export function decisionOf(findings: readonly Pick<Finding, "severity" | "suppressed">[]): Decision {
  let best: number = SEVERITIES.length;
  for (const f of findings) if (countsTowardDecision(f)) best = Math.min(best, SEVERITIES.indexOf(f.severity));
  return best < SEVERITIES.length ? DECISION_OF[SEVERITIES[best]!] : "pass";
}
