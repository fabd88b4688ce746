import type { Decision, Finding } from "@skillreg/scanner";
import { decisionOf } from "@skillreg/scanner/words";
import { scanner } from "../scanner.js";
import { SkillregError } from "../errors.js";
import type { RegistryConfig } from "./schema.js";

/**
 * Check skillreg.yaml's `policy.rules` against the scanner's rules: an unknown rule id or a
 * severity the scanner refuses is a one-line error naming `file`, before anything is scanned.
 */
export function checkScanPolicy(config: RegistryConfig, file: string): void {
  try {
    scanner().resolvePolicy({ rules: config.policy.rules });
  } catch (e) {
    if (e instanceof scanner().ScanPolicyError) throw new SkillregError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * The findings a registry acts on: every unsuppressed one, and every high or critical one
 * whatever an author's inline `skillreg-ignore` says. A suppression is shown to the reviewer
 * with its reason, but never lowers a high finding below `review` (DESIGN, the publish gate),
 * so the gate, the index and pull all need a person for it. Decided here, independently of
 * how the scanner itself treats suppressions.
 */
export function bindingFindings<F extends Pick<Finding, "severity" | "suppressed">>(findings: readonly F[]): F[] {
  return findings.filter((f) => f.suppressed === undefined || f.severity === "high" || f.severity === "critical");
}

/** The scan decision the registry acts on (gate, merge, index, pull): see bindingFindings. */
export function registryScanDecision(findings: readonly Pick<Finding, "severity" | "suppressed">[]): Decision {
  return decisionOf(bindingFindings(findings).map(({ severity }) => ({ severity })));
}
