/**
 * The task a scan pool's worker thread runs (scanner/pool.ts): one skill through `scanSkill`,
 * in a thread that loaded the scanner (its parsers and rules) once for all the skills it gets.
 */
import { scanSkill } from "./engine.js";
import type { ScanInput, ScanPolicy, SkillScan } from "./types.js";

export interface ScanTask {
  input: ScanInput;
  policy: ScanPolicy;
}

export default function scanTask({ input, policy }: ScanTask): SkillScan {
  return scanSkill(input, policy);
}
