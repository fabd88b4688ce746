/**
 * A project's own agent file (AGENTS.md, CLAUDE.md, .cursorrules, ...) written with plain
 * notes: build and test commands, conventions. That is what a generator of those files is for,
 * so its memory-file write (SR-AGENT-004) goes to medium, still shown, when every write is:
 *
 * - to a path inside the project: not home, not absolute (`~/.claude/CLAUDE.md` is the user's
 *   agent, every project's);
 * - of text the prose reader finds nothing planted in (the text the script writes is read as
 *   the agent will read it);
 * - asked for or fully visible: SKILL.md names the file, or the script spells every word it
 *   writes (one `echo`/`printf` line, a `{ … }` group of them, or a heredoc with a quoted
 *   delimiter, expanding nothing) in a skill that reaches no network and ships nothing the
 *   scanner cannot read;
 *
 * and nothing else in the skill is medium or above (guardrails notes aside). Each condition
 * rests on the skill's own files, none on wording an attacker adds beside the write.
 */
import type { CapabilityUse, FileKind, Finding } from "./types.js";
import { plantedFindings, writtenText } from "./rules/agent-config-payload.js";
import { MEMORY_FILE } from "./rules/agent-tampering.js";
import { weighs } from "./weighs.js";

const RULE = "SR-AGENT-004";
const AGENT_FILE = new RegExp(MEMORY_FILE);
/** A write whose target is under the home folder or the root: every project, not this one. */
const OUTSIDE_PROJECT = /~|\$HOME|\$\{HOME\}|homedir|home\(\)|USERPROFILE|APPDATA|expanduser|(?:^|[\s"'=(])\/(?!dev\/null)/;
/** A redirect into a relative path of the project (group 1). */
const PROJECT_REDIRECT = /(?:^|[\s}])>>?\s*["']?((?![~/$])(?!.*\.\.)[\w./-]+)["']?\s*$/;
/** One line that writes fixed text: `echo "…"`, `printf '…'`, behind an optional file test. */
const FIXED_ECHO = /^\s*(?:\[\s+-[ef]\s+[\w./-]+\s+\]\s*&&\s*)?(?:echo|printf)\s+(?:-[neE]+\s+)?(?:"(?:[^"\\$`]|\\.)*"|'[^']*')\s*$/;
const OPAQUE = new Set<FileKind>(["binary", "other-code"]);

/** Whether the shell write on `lineIndex` redirects only fixed text (an echo, a group of echoes, a quoted heredoc). */
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
export function demoteProjectAgentFile(findings: Finding[], capabilities: CapabilityUse[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const writes = findings.filter((f) => f.ruleId === RULE && f.severity === "high" && !f.suppressed);
  if (writes.length === 0) return findings;
  if (findings.some((f) => !writes.includes(f) && weighs(f))) return findings;
  const skillMd = textOf("SKILL.md") ?? "";
  const offline = !capabilities.some((u) => u.capability === "network") && !files.some((f) => OPAQUE.has(f.kind));
  const plain = writes.every((f) => {
    const text = textOf(f.file);
    const target = AGENT_FILE.exec(f.evidence)?.[0];
    if (text === undefined || target === undefined || OUTSIDE_PROJECT.test(f.evidence) || plantedFindings(writtenText(text)).length > 0) return false;
    const shell = files.find((x) => x.path === f.file)?.kind === "shell";
    return skillMd.includes(target) || (offline && shell && writesFixedText(text.split("\n"), f.line - 1));
  });
  if (!plain) return findings;
  const reason = "the project's own agent file, written with plain notes (named in SKILL.md, or spelled out in full by an offline script) the prose reader finds nothing in";
  return findings.map((f) => (writes.includes(f) ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
