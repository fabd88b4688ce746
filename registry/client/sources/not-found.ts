import { SkillregError, likelyTypo, skillKey } from "../../core/index.js";

/**
 * The error for a skill the registry does not list. A likely typo of a listed skill (a third
 * of its letters or fewer differ, as the CLI judges a mistyped command) is named; else the
 * search that finds skills by name. `listed` is what this reader may see (a public catalog
 * lists no private skill), read only now that the skill is missing.
 */
export async function skillNotFound(scope: string, name: string, registry: string, listed: () => Promise<string[]>): Promise<SkillregError> {
  const wanted = skillKey(scope, name);
  const known = await listed().catch(() => []);
  const best = likelyTypo(wanted, known);
  if (best !== undefined) {
    return new SkillregError(`${wanted} is not in the registry ${registry}; did you mean ${best}?`);
  }
  return new SkillregError(`${wanted} is not in the registry ${registry}; 'skillreg search ${name} --registry ${registry}' finds skills by name`);
}
