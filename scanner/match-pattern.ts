/**
 * Detector code: a script that looks for attack text in what it reads (`$text -match
 * 'DownloadString|IEX'`, `re.search(r"curl .*\| *sh", line)`, `grep -E 'nc -e'`). The
 * attack words are the pattern a match operator compares against, a string nothing hands to
 * an interpreter. Only the literal operand of a match operator counts, and the rule must no
 * longer match once those literals are blanked: `-replace` (whose replacement is output), a
 * pattern held in a variable, or the same words elsewhere on the line keep their severity. A
 * double-quoted operand of a shell or PowerShell match is no literal when it expands a command
 * (`grep -E "$(curl … | sh)"`, `-match "$(IEX …)"`): the shell runs it to build the pattern.
 */

/** Match operators of a shell or PowerShell, whose double-quoted operands expand commands. */
const SHELL_BEFORE_PATTERN = [
  // PowerShell comparison operators and Select-String.
  /-[ci]?(?:not)?(?:match|like|contains)\s*\(?\s*$/i,
  /\bSelect-String\s+(?:-\w+\s+)*?(?:-Pattern\s+)?$/i,
  // grep and ripgrep patterns.
  /\b(?:grep|egrep|fgrep|rg)\s+(?:-[\w-]+(?:=\S+)?\s+)*$/,
];

/**
 * A command a double-quoted shell or PowerShell string runs while it is built: `$(…)` not
 * escaped (`\$(` in sh, `` `$( `` in PowerShell), or a sh backtick substitution. A PowerShell
 * escape pair (`` `t`n ``) holds at most one character between backticks, a command more.
 */
const EXPANDS_COMMAND = /(?<![\\`])\$\(|`[^`"]{2,}`/;

/** What may stand right before a pattern literal: a comparison that only tests text. */
const BEFORE_PATTERN = [
  ...SHELL_BEFORE_PATTERN,
  // Python's re module.
  /\bre\.(?:search|match|fullmatch|findall|finditer|compile|split)\(\s*(?:[rbRB]{1,2})?$/,
  // JavaScript string tests and regular expressions.
  /\.(?:includes|startsWith|endsWith|indexOf|match|matchAll|search)\(\s*$/,
  /\bnew\s+RegExp\(\s*$/,
];

/** What may follow a pattern literal: a regular expression literal's test (`/iex/i.test(s)`) or Python's `in`. */
const AFTER_PATTERN = /^[a-z]*\s*\.(?:test|exec)\(|^\s+(?:not\s+)?in\s+[\w.[\]()]+\s*(?:[:)]|\bor\b|\band\b|$)/;

/** The quoted or regex literals of a line with their content's bounds. */
function literals(line: string): { start: number; end: number; open: string }[] {
  const out: { start: number; end: number; open: string }[] = [];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch !== "'" && ch !== '"' && ch !== "/") continue;
    // A `/` opens a regex literal only where an operand may start (`(`, `=`, `,`, line start).
    if (ch === "/" && !/(?:^|[(,=:!&|?{};]\s*)$/.test(line.slice(0, i))) continue;
    let j = i + 1;
    while (j < line.length && line[j] !== ch) j += line[j] === "\\" && ch !== "'" ? 2 : 1;
    if (j >= line.length) break;
    out.push({ start: i + 1, end: j, open: ch });
    i = j;
  }
  return out;
}

/** The literals of a line that a match operator compares against (content bounds). */
function matchPatternSpans(line: string): { start: number; end: number }[] {
  return literals(line).filter((lit) => {
    const before = line.slice(0, lit.start - 1);
    const after = line.slice(lit.end + 1);
    if (lit.open === "/") return AFTER_PATTERN.test(after);
    if (lit.open === '"' && EXPANDS_COMMAND.test(line.slice(lit.start, lit.end)) && SHELL_BEFORE_PATTERN.some((re) => re.test(before))) return false;
    return BEFORE_PATTERN.some((re) => re.test(before)) || AFTER_PATTERN.test(after);
  });
}

/**
 * The line with its match patterns blanked, when a hit at `col0` starts inside one; undefined
 * otherwise. The caller runs the rule again on it: only a hit that then disappears was data.
 */
export function withoutMatchPatterns(line: string, col0: number): string | undefined {
  const spans = matchPatternSpans(line);
  if (!spans.some((s) => s.start <= col0 && col0 < s.end)) return undefined;
  let out = line;
  for (const s of spans) out = out.slice(0, s.start) + " ".repeat(s.end - s.start) + out.slice(s.end);
  return out;
}
