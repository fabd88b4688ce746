/**
 * A project's agent file written from fixed text: `{ echo "# Working in this repository"; [ -f
 * package.json ] && echo "- Test \`npm test\`."; } > AGENTS.md`. That is the skill shipping an
 * AGENTS.md template: every word that lands in the file is in the script, where every rule and
 * the prose reader already scan it. What the demotion rests on is the script, not its wording:
 *
 * - the write is a shell redirect to a relative path inside the project (no `..`, no home or
 *   absolute path: `~/.claude/CLAUDE.md` is the user's agent, not the project's);
 * - what is redirected is one `echo`/`printf` line or a `{ … }` group of them (each optionally
 *   behind a `[ -f file ] &&` test), or a heredoc with a quoted delimiter, and none of that text
 *   expands anything (`$`, a command substitution or an unescaped backquote);
 * - no file of the skill reaches the network, every file is one the scanner reads, and no other
 *   finding is medium or above (guardrails notes aside).
 *
 * Such findings go to medium, still shown.
 */
import type { CapabilityUse, FileKind, Finding } from "./types.js";

const RULE = "SR-AGENT-004";
/** A redirect into a relative path of the project (group 1). */
const PROJECT_REDIRECT = /(?:^|[\s}])>>?\s*["']?((?![~/$])(?!.*\.\.)[\w./-]+)["']?\s*$/;
/** One line that writes fixed text: `echo "…"`, `printf '…'`, behind an optional file test. */
const FIXED_ECHO = /^\s*(?:\[\s+-[ef]\s+[\w./-]+\s+\]\s*&&\s*)?(?:echo|printf)\s+(?:-[neE]+\s+)?(?:"(?:[^"\\$`]|\\.)*"|'[^']*')\s*$/;
const OPAQUE = new Set<FileKind>(["binary", "other-code"]);

/** Whether the write on `lineIndex` redirects only fixed text (an echo, a group of echoes, a quoted heredoc). */
function writesFixedText(lines: string[], lineIndex: number): boolean {
  const line = lines[lineIndex]!;
  const redirect = PROJECT_REDIRECT.exec(line);
  if (!redirect) return false;
  const head = line.slice(0, redirect.index + 1).trimEnd();
  if (FIXED_ECHO.test(head)) return true;
  const heredoc = /^\s*cat\s*<<-?\s*(['"])(\w+)\1\s*>>?/.exec(line);
  if (heredoc) {
    const end = lines.findIndex((l, i) => i > lineIndex && l.trim() === heredoc[2]);
    return end > lineIndex;
  }
  if (head.trim() !== "}") return false;
  // The `{ … }` group that ends here: every line inside is a fixed echo.
  let start = lineIndex - 1;
  while (start >= 0 && lines[start]!.trim() !== "{") start--;
  return start >= 0 && lineIndex - start > 1 && lines.slice(start + 1, lineIndex).every((l) => FIXED_ECHO.test(l));
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteFixedAgentFile(findings: Finding[], capabilities: CapabilityUse[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const writes = findings.filter((f) => f.ruleId === RULE && f.severity === "high" && !f.suppressed);
  if (writes.length === 0) return findings;
  if (capabilities.some((u) => u.capability === "network") || files.some((f) => OPAQUE.has(f.kind))) return findings;
  if (findings.some((f) => !writes.includes(f) && f.severity !== "low" && f.category !== "guardrails")) return findings;
  const fixed = writes.every((f) => {
    const file = files.find((x) => x.path === f.file);
    const text = textOf(f.file);
    return file?.kind === "shell" && text !== undefined && writesFixedText(text.split("\n"), f.line - 1);
  });
  if (!fixed) return findings;
  const reason = "the project's agent file written from fixed text the script spells out (scanned here), with no way out in the skill";
  return findings.map((f) => (writes.includes(f) ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
