/**
 * Shell command lines another runtime hands to its shell runner as a string: AppleScript's
 * `do shell script "…"` and JXA's `doShellScript("…")` (through `osascript -e`, a `.applescript`
 * file or a script the skill ships). The string is the command the shell runs, so it is read
 * as a shell script: the data flow (a keychain read piped into a send) is in there.
 *
 * The grammar languages' runners (`os.system`, `execSync`, `bash -c`) are folded by facts.ts;
 * AppleScript has no bundled grammar, hence this small reader with bounded, unnested patterns.
 */
export interface RunnerString {
  text: string;
  offset: number;
  length: number;
}

const APPLESCRIPT = /\bdo\s+shell\s+script\s+(?:\\?")((?:[^"\\\n]|\\[^"\n]|\\\\"){1,4000})(?:\\?")/g;
const JXA = /\bdoShellScript\(\s*(["'`])((?:(?!\1)[^\\\n]|\\.){1,4000})\1/g;
const HINT = /do\s+shell\s+script|doShellScript/;

/** AppleScript and JavaScript string escapes undone (`\"` and `\\`). */
function unescape(s: string): string {
  return s.replace(/\\(["'`\\])/g, "$1");
}

export function runnerStrings(text: string): RunnerString[] {
  if (!HINT.test(text)) return [];
  const out: RunnerString[] = [];
  for (const re of [APPLESCRIPT, JXA]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < 64; m = re.exec(text)) {
      const body = re === JXA ? m[2]! : m[1]!;
      out.push({ text: unescape(body), offset: m.index, length: m[0].length });
    }
  }
  return out;
}
