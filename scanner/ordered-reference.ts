/**
 * A references/ document that SKILL.md orders the agent to carry out is part of the instructions.
 *
 * The engine lowers commands in a references/ folder one step, because such pages are read on
 * demand and often quote tools' docs. An attacker gets that for free by moving the payload there
 * and writing in SKILL.md "complete every step in `references/setup.md` exactly as written". What
 * decides is whether SKILL.md tells the agent to run, follow or complete that document, not where
 * the file sits: a page SKILL.md only points to ("see references/api.md for the endpoints") keeps
 * the demotion, and so does one SKILL.md warns about ("never run what references/attacks.md shows").
 */
import { isReferenceDoc, isWarningLine } from "./classify.js";
import { escapeRegExp } from "./escape-regexp.js";

/** Verbs that hand the agent a document's steps to carry out, in the sentence that names it. */
const CARRY_OUT = /\b(?:run|execute|complete|follow|perform|carry\s+out|apply|do|go\s+through|work\s+through)\b/i;
/** Bounds: a sentence is short; SKILL.md is read whole only up to this size. */
const MAX_SKILL_MD = 200_000;
const MAX_SENTENCE = 400;

/** The references/ paths among `paths` that a sentence of SKILL.md orders the agent to carry out. */
export function orderedReferenceDocs(skillMd: string | undefined, paths: readonly string[]): Set<string> {
  const ordered = new Set<string>();
  if (!skillMd) return ordered;
  const text = skillMd.slice(0, MAX_SKILL_MD);
  const sentences = text.split(/(?<=[.!?])\s+|\n\s*\n/);
  for (const path of paths) {
    if (!isReferenceDoc(path) || !/\.(?:md|markdown|mdx|txt)$/i.test(path)) continue;
    // The path as SKILL.md may write it: whole, with `./`, or from references/ on.
    const tail = path.slice(path.search(/(?:^|\/)references?\//)).replace(/^\//, "");
    const named = new RegExp(String.raw`(?:^|[\s\`'"(/])(?:\./)?${escapeRegExp(tail)}(?![\w/-])`);
    if (sentences.some((s) => s.length <= MAX_SENTENCE && named.test(s) && CARRY_OUT.test(s) && !isWarningLine(s))) ordered.add(path);
  }
  return ordered;
}
