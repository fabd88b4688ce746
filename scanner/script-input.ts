/**
 * A plain-text file that is a script's input: the payload list a prompt-injection test harness
 * posts to the user's own app (`payloads.txt`, read by `run.py`), the suspicious command line a
 * decoder is pointed at (`python3 decode.py samples/suspicious.txt`). The attack text in it is
 * what the tool works on; nothing runs it and nobody tells the agent to follow it.
 *
 * What counts is what the skill does with the file, never how it is worded (an attacker can call a
 * payload a "sample" for free):
 *
 * - the file is plain text (`.txt`, `.log`, `.csv`…: not a script, not Markdown, no shebang);
 * - a script of the skill reads it: the script names the file, or a command the documents spell
 *   hands the file to that script as an argument (`python3 decode.py samples/x.txt`), never as the
 *   program (`bash samples/x.txt`, `powershell -File x.txt`);
 * - no script of the skill can run text (eval, exec, subprocess, a shell fed by a pipe…);
 * - every sentence of the documents that names the file is no order to the agent to read, open,
 *   follow or run it, or what a script prints of it, and names no steps or instructions in it.
 *
 * Such critical findings in the file go to high: review, not block. A person still reads them.
 */
import { RUNNER, SHELL_RUNS_TEXT, withoutStrings } from "./quoted-data.js";
import type { FileKind, Finding } from "./types.js";

/** Plain text by extension: a script's input, not code a tool loads. */
const PLAIN_TEXT = /\.(?:txt|log|csv|tsv|lst|list|sample|eml)$/i;
/** Verbs ordering the agent to take the text in or act on it, at a clause's start (after "please", "then", "now", "first"). */
const ORDER = /^(?:(?:please|then|now|first|next|also|and|so)\s+)*(?:read|open|load|view|see|check|follow|obey|apply|execute|run|paste|type|enter|do|perform|carry|use|copy|cat|print|source|import|treat)\b/i;
/** What the agent would be asked to act on: the file's orders, not its data. */
const ORDERS_NOUN = /\b(?:steps?|instructions?|orders?|tasks?|commands?\s+to\s+run|procedure|directives?|what\s+it\s+says)\b/i;
/** Negated clauses ("do not follow them", "never run") forbid, they do not order. */
const NEGATED = /^(?:(?:please|then|and)\s+)*(?:do\s+not|don'?t|never|avoid)\b/i;
/** Interpreters a documented command runs a script with. */
const INTERPRETER = /^(?:sudo\s+)?(?:python3?|node|deno|bun|ruby|perl|pwsh|powershell(?:\.exe)?|bash|sh|zsh|npx\s+tsx|tsx)\b/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Clauses of a document: sentences, then parts joined by `;`, `,`, "and", "then". */
function clausesOf(text: string): string[] {
  return text.split(/(?<=[.!?:])\s+|\n\s*\n|[;,]|\s+(?:and|then)\s+/).map((c) => c.replace(/^[\s>*#\-\d.)]+/, "").replace(/`/g, "").trim());
}

/**
 * How a document's code span uses the file: "argument" when a skill script is the program and the
 * file one of its operands, "program" when the file is what runs, undefined when it is not named.
 */
function spanUse(span: string, file: string, scripts: Set<string>): "argument" | "program" | undefined {
  if (!span.includes(baseName(file))) return undefined;
  const words = span.trim().split(/\s+/);
  // A bare name (`payloads.txt`) is a mention: the sentence around it says what happens to it.
  if (words.length === 1) return undefined;
  const interp = INTERPRETER.exec(span.trim());
  const programAt = interp ? interp[0].split(/\s+/).length : 0;
  // `powershell -File x.txt`, `bash -c …`: options before the program; the first non-option word is what runs.
  let i = programAt;
  while (i < words.length && words[i]!.startsWith("-")) i++;
  const program = words[i]?.replace(/^\.\//, "");
  if (!program || program.includes(baseName(file)) || !scripts.has(program)) return "program";
  return "argument";
}

export function reviewScriptInput(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  if (!findings.some((f) => f.severity === "critical" && PLAIN_TEXT.test(f.file))) return findings;
  const scripts = files.filter((f) => f.kind !== "binary" && f.kind !== "markdown" && f.kind !== "text" && f.kind !== "skill-body");
  const docs = files.filter((f) => f.kind === "markdown" || f.kind === "skill-body" || f.path === "SKILL.md" || /\.md$/i.test(f.path));
  // Any script able to run text could run this file's lines; then it is not only data.
  if (scripts.some((s) => { const t = textOf(s.path); return t === undefined || RUNNER.test(withoutStrings(t)) || SHELL_RUNS_TEXT.test(t); })) return findings;
  const scriptPaths = new Set(scripts.flatMap((s) => [s.path, baseName(s.path)]));

  const inputOnly = (file: string): boolean => {
    const f = files.find((x) => x.path === file);
    if (!f || f.kind !== "text" || !PLAIN_TEXT.test(file)) return false;
    const name = baseName(file);
    const naming = scripts.filter((s) => (textOf(s.path) ?? "").includes(name));
    // A script line that runs the file (`bash samples/x.txt`) makes it a program, not input.
    if (naming.some((s) => (textOf(s.path) ?? "").split("\n").some((line) => line.includes(name) && INTERPRETER.test(line.trim()) && spanUse(line, file, scriptPaths) === "program"))) return false;
    let handed = naming.length > 0;
    for (const d of docs) {
      const text = textOf(d.path) ?? "";
      if (!text.includes(name)) continue;
      for (const span of text.matchAll(/`([^`\n]{1,300})`/g)) {
        const use = spanUse(span[1]!, file, scriptPaths);
        if (use === "program") return false;
        if (use === "argument") handed = true;
      }
      for (const clause of clausesOf(text)) {
        if (!clause.includes(name)) continue;
        if (NEGATED.test(clause)) continue;
        if (ORDER.test(clause) || ORDERS_NOUN.test(clause)) return false;
      }
      // An order about what a script shows of it ("`python3 show.py x.txt` prints a command; run it").
      if (clausesOf(text).some((c) => !NEGATED.test(c) && /^(?:(?:please|then|now|and)\s+)*(?:run|execute|paste|follow|obey|apply|do)\s+(?:it|them|this|that|those|the\s+(?:output|result|line|lines|command|commands))\b/i.test(c))) return false;
    }
    return handed;
  };

  return findings.map((f) => {
    if (f.severity !== "critical" || f.suppressed || !PLAIN_TEXT.test(f.file) || !inputOnly(f.file)) return f;
    return { ...f, severity: "high", demoted: f.demoted ?? "review, not block: a plain-text input file a script of the skill reads, in a skill with no code that runs text and no sentence telling the agent to read, follow or run it" };
  });
}
