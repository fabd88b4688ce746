import { ScanPolicyError, resolvePolicy } from "@skillreg/scanner";
import { SkillregError } from "../errors.js";
import type { RegistryConfig } from "./schema.js";

/**
 * Check skillreg.yaml's `policy.rules` against the scanner's rules: an unknown rule id or a
 * severity the scanner refuses is a one-line error naming `file`, before anything is scanned.
 */
export function checkScanPolicy(config: RegistryConfig, file: string): void {
  try {
    resolvePolicy({ rules: config.policy.rules });
  } catch (e) {
    if (e instanceof ScanPolicyError) throw new SkillregError(`${file}: ${e.message}`);
    throw e;
  }
}
