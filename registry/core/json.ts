import { SkillregError } from "./errors.js";
import { describeAjvError, validatorFor } from "./schema.js";

/**
 * Canonical JSON for files people diff and machines compare byte for byte (the index, the
 * lock): object keys sorted at every level, arrays kept in their order.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * JSON text checked against its schema before anything reads a field of it. The messages
 * are the caller's, so each file names itself and says what to do about it.
 */
export function parseJsonWithSchema<T>(
  text: string,
  schema: object,
  say: { notJson: (reason: string) => string; mismatch: (problems: string[]) => string },
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SkillregError(say.notJson((e as Error).message));
  }
  const validate = validatorFor(schema);
  if (!validate(value)) throw new SkillregError(say.mismatch((validate.errors ?? []).map(describeAjvError)));
  return value as T;
}
