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

/**
 * Verbs that hand the agent a document's steps to carry out, a few words before the path they
 * name ("complete every step in `references/setup.md`"); after it they describe the page
 * ("references/REFERENCE.md — Complete kubectl command reference").
 */
const CARRY_OUT = String.raw`\b(?:run|execute|complete|follow|perform|carry\s+out|apply|do|go\s+through|work\s+through)\b(?:\s+[^\s]+){0,8}?`;
/** Bounds: a sentence is short; SKILL.md is read whole only up to this size. */
const MAX_SKILL_MD = 200_000;
const MAX_SENTENCE = 400;

/** The references/ paths among `paths` that a sentence of SKILL.md orders the agent to carry out. */
export function orderedReferenceDocs(skillMd: string | undefined, paths: readonly string[]): Set<string> {
  const ordered = new Set<string>();
  if (!skillMd) return ordered;
  const text = skillMd.slice(0, MAX_SKILL_MD);
  // A sentence, or one line (a list item is its own statement).
  const sentences = text.split(/(?<=[.!?])\s+|\n/);
  for (const path of paths) {
    if (!isReferenceDoc(path) || !/\.(?:md|markdown|mdx|txt)$/i.test(path)) continue;
    // The path as SKILL.md may write it: whole, with `./`, or from references/ on.
    const tail = path.slice(path.search(/(?:^|\/)references?\//)).replace(/^\//, "");
    const ordering = new RegExp(String.raw`${CARRY_OUT}\s*[\[\`'"(]?(?:\./)?${escapeRegExp(tail)}(?![\w/-])`, "i");
    if (sentences.some((s) => s.length <= MAX_SENTENCE && ordering.test(s) && !isWarningLine(s))) ordered.add(path);
  }
  return ordered;
}
