import type { SchemaProblem } from "../schema.js";

/**
 * One thing wrong with a skill: the file (as the caller named the skill's folder, joined
 * with the path inside it), the 1-based line when there is one, words that say what to
 * do, and `code`, a stable rule id ("name-format") that tests, JSON output and policy use.
 */
export interface Problem extends SchemaProblem {
  code: string;
}

// C0 and C1 control characters (terminal escapes), DEL, and the bidirectional overrides
// that reorder text on screen ("Trojan Source").
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

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
