/**
 * A deny list: addresses or paths a guard refuses, held in a collection that the code only ever
 * tests membership in (`blocked = ['127.0.0.1', '169.254.169.254']` then `if host in blocked:
 * return False`; `DENY.includes(path)`; `$deny -contains $h`). An SSRF guard naming the cloud
 * metadata address asks nothing of it; the list is what the code compares against.
 *
 * What counts is what the code does with the collection, never its name or a comment (an
 * attacker can call any list `blocked` for free):
 * - the finding's text is a string literal of a collection literal assigned to a name, on a line
 *   that is nothing else (no call, no second statement);
 * - every other use of that name in the file is a membership test (`x in name`, `x not in name`,
 *   `name.includes(x)`, `name.has(x)`, `name -contains x`, `x -in $name`): never a loop over it, an
 *   index into it, an argument of a call or a second name for it;
 * - no other string of the file spells the same literal (the address fetched elsewhere keeps
 *   its finding).
 *
 * Such findings go to medium (still shown): the source and its co-occurrence escalation, never a
 * proven chain or a hardcoded secret.
 */
import { escapeRegExp } from "./escape-regexp.js";
import type { FileKind, Finding } from "./types.js";

const CODE_KINDS = new Set<FileKind>(["python", "javascript", "powershell"]);
/** Findings whose evidence is a fact wherever it sits: a proven chain, a hardcoded secret. */
const NEVER_LOWERED = /^SR-(?:EXFIL-009|EXFIL-010|DLEXEC-008|DLEXEC-009|SECRET-\d+|MANIFEST-\d+)$/;
/** `name = [ '…', … ]`, `const NAME = new Set([…])`, `$deny = @('…')`: a collection literal and nothing else on the line. */
const COLLECTION_LINE = /^\s*(?:(?:const|let|var)\s+)?(\$?[A-Za-z_]\w*)\s*(?::[^=\n]{1,40})?=\s*(?:new\s+Set\s*\(\s*|(?:frozenset|set|tuple)\s*\(\s*|@\(\s*)?[[({]?\s*(?:r?["'][^"'\n]*["']\s*,?\s*)+[\])}]?\s*\)?\s*;?\s*(?:#[^\n]*|\/\/[^\n]*)?$/;

/** Whether every use of `name` in `lines` (other than line `at`) is a membership test, and there is at least one. */
function onlyMembership(lines: string[], at: number, name: string): boolean {
  const bare = escapeRegExp(name.replace(/^\$/, ""));
  const use = new RegExp(`(?<![\\w.])\\$?${bare}\\b`, "g");
  const test = new RegExp(
    `(?:\\b(?:not\\s+)?in\\s+|-(?:not)?in\\s+)\\$?${bare}\\b(?!\\s*[.[(])|(?<![\\w.])\\$?${bare}\\s*(?:\\.(?:includes|has|indexOf)\\s*\\(|-(?:not)?contains\\b)`,
    "g",
  );
  let tests = 0;
  for (const [i, raw] of lines.entries()) {
    if (i === at) continue;
    // A word inside a string ("Invalid or blocked URL") is text, not a use of the name.
    const line = raw.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
    // `for h in blocked`, `[x for x in blocked]`, `foreach ($h in $blocked)`: a walk over it, not a test.
    if (new RegExp(`\\b(?:for|foreach)\\b[^\\n]*\\bin\\s+\\$?${bare}\\b`, "i").test(line)) return false;
    const uses = line.match(use)?.length ?? 0;
    const members = line.match(test)?.length ?? 0;
    if (uses !== members) return false;
    tests += members;
  }
  return tests > 0;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteMembershipLists(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const verdicts = new Map<string, boolean>();
  const denyListed = (f: Finding): boolean => {
    const key = `${f.file}\0${f.line}`;
    if (verdicts.has(key)) return verdicts.get(key)!;
    const file = files.find((x) => x.path === f.file);
    const text = file && CODE_KINDS.has(file.kind) ? textOf(f.file) : undefined;
    let verdict = false;
    if (text !== undefined) {
      const lines = text.split("\n");
      const line = lines[f.line - 1] ?? "";
      const m = COLLECTION_LINE.exec(line);
      if (m && onlyMembership(lines, f.line - 1, m[1]!)) {
        // The literal found appears nowhere else in the file (an address the code also fetches keeps its finding).
        const found = [...line.matchAll(/["']([^"'\n]+)["']/g)].find((x) => x.index < f.column && f.column <= x.index + x[0].length);
        verdict = found !== undefined && text.split(found[1]!).length === 2;
      }
    }
    verdicts.set(key, verdict);
    return verdict;
  };
  return findings.map((f) => {
    if ((f.severity !== "critical" && f.severity !== "high") || f.suppressed || NEVER_LOWERED.test(f.ruleId) || !denyListed(f)) return f;
    return { ...f, severity: "medium", demoted: f.demoted ?? "a deny list: a collection of literals the code only tests membership in, never reads, fetches or loops over" };
  });
}
