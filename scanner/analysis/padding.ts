/**
 * Padding set aside: a script blown up past the analysis size limit with comment lines or blank
 * lines still runs only its code. The code lines, joined, are what the analysis reads.
 */

/** A line that is only a comment or only whitespace, in the languages the scanner parses. */
const PADDING_LINE = /^[ \t]*(?:(?:#|\/\/|--|;|REM\b)[^\n]*)?$/i;

/** The text without its comment-only and blank lines; the same text when nothing is removed. */
export function withoutPadding(text: string): string {
  const lines = text.split("\n");
  const code = lines.filter((l) => !PADDING_LINE.test(l));
  return code.length === lines.length ? text : code.join("\n");
}
