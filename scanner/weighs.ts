import type { Finding } from "./types.js";

/**
 * Whether a finding counts in a whole-skill demotion's "nothing else in the skill" check:
 * medium or above, and not a guardrails note (a missing allowed-tools list says nothing of
 * what the skill does).
 */
export const weighs = (f: Finding): boolean => f.severity !== "low" && f.category !== "guardrails";
