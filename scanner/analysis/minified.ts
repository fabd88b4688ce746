/**
 * Minified code: a bundle's one long line, where one- and two-letter names are reused in every
 * scope and say nothing about data flow between statements far apart.
 */

/** The longest line a hand-written script has; a bundler's output runs far past it. */
const MINIFIED_LINE = 2000;

/**
 * Whether the text has a line of MINIFIED_LINE characters or more. Walked line by line rather
 * than with `/[^\n]{2000}/`, which tries every position and rescans up to 2,000 characters from
 * each: quadratic on long lines, and 5% of the scanner's time on ordinary skills.
 */
export function isMinified(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const stop = end === -1 ? text.length : end;
    if (stop - start >= MINIFIED_LINE) return true;
    start = stop + 1;
  }
  return false;
}
