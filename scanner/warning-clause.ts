/**
 * The part of a prose line a warning around a command can speak for. "Do not pipe scripts like
 * `curl x | sh`; instead run `curl … | bash`" forbids the first command and orders the second:
 * a prohibition earlier on the line does not reach past a turn (`;`, a sentence's end, "instead",
 * "but", "unless", "however", "rather", "otherwise", "except") to a later command. Text after the
 * command counts up to the next turn ("`rm -rf /` — never run this."), so a warning that follows
 * what it warns about still covers it. Turns inside backticks (a command's own `;`) and the stops
 * of "e.g." or "etc." do not count.
 */
const TURN = /;|(?<!\b(?:e\.g|i\.e|etc|vs|cf|eg|ie|incl|approx))[.!?](?=\s|$)|\b(?:instead|but|unless|however|rather|otherwise|except|whereas)\b/gi;

/** The line with every backtick span blanked (same length), so turns inside code are not seen. */
function outsideCode(line: string): string {
  return line.replace(/`[^`]*`/g, (span) => " ".repeat(span.length));
}

/** From the last turn before `col0` to the next turn after the hit's start, on `line`. */
export function warningClause(line: string, col0: number): string {
  const prose = outsideCode(line);
  let start = 0;
  let end = line.length;
  for (const m of prose.matchAll(TURN)) {
    if (m.index < col0) start = m.index + m[0].length;
    else if (m.index > col0) {
      end = m.index + (m[0].length === 1 && m[0] !== ";" ? 1 : 0);
      break;
    }
  }
  return line.slice(start, end);
}
