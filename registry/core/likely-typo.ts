import { closest, distance } from "fastest-levenshtein";

/**
 * The candidate `typed` is most likely a typo of, when a third of its letters or fewer differ
 * (at least one); else undefined. One judgement for mistyped commands, options and skill names.
 */
export function likelyTypo(typed: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(typed, [...candidates]);
  return distance(typed, best) <= Math.max(1, Math.floor(typed.length / 3)) ? best : undefined;
}
