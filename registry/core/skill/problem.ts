import type { SchemaProblem } from "../schema.js";

/**
 * One thing wrong with a skill: the file (as the caller named the skill's folder, joined
 * with the path inside it), the 1-based line when there is one, words that say what to
 * do, and `code`, a stable rule id ("name-format") that tests, JSON output and policy use.
 */
export interface Problem extends SchemaProblem {
  code: string;
}

// C0 and C1 control characters (terminal escapes), DEL, line and paragraph separators, the
// bidirectional overrides that reorder text on screen ("Trojan Source"), and the zero-width
// characters that make two names look alike.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/**
 * `s` with every character that could move the cursor, recolour the terminal or reorder
 * text replaced by a visible escape (\x1b, \u202e). Skill content is hostile, and problems
 * quote it (file names, field names, values) into terminals and CI logs.
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/** The problem with its file and message made safe to print. */
export function printableProblem(p: Problem): Problem {
  return { ...p, file: printable(p.file), message: printable(p.message) };
}
