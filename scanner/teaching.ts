/**
 * Teaching material: a pentest cheatsheet quoting reverse shells, an explainer quoting the
 * code of a past supply-chain attack. Neither a `references/` folder nor quoting lowers a
 * finding on its own (an attacker gets both for free); what does is that the text can never
 * reach an interpreter and nothing tells the agent to run it:
 *
 * - the document is Markdown or plain text other than SKILL.md, and no script or config of the
 *   skill names it (nothing extracts its code blocks and runs them);
 * - every SKILL.md line that names it (or its folder) sends the agent there to explain, quote or
 *   look something up, or forbids running it, and none says to run, follow or set up from it
 *   ("See references/debug.md for the steps" keeps the full severity);
 * - the document itself never orders a run ("you must run", "Execute the line below") or
 *   says not to skip a step;
 * - every other finding of the skill is low or a guardrails note: a skill that also does
 *   something risky is not teaching material.
 *
 * The findings in such a document go to medium, still shown. When the only orders to run are
 * inside quoted attack text (a `>` blockquote of the document), its critical findings go to high
 * instead: quoting is free for an attacker, so a person still reviews it.
 */
import { isImperative, isProhibitionOrDocumentary } from "./prose/facts.js";
import type { FileKind, Finding } from "./types.js";
import { weighs } from "./weighs.js";

const PROSE_KINDS = new Set<FileKind>(["markdown", "text"]);
/** Documents written for a reader; other text (a `.yar` rule file, a `.txt` payload list) is data some tool reads. */
const DOCUMENT = /\.(?:md|markdown|mdx)$/i;
/** Words that send the agent to carry out what a document says. */
const RUN_WORDS = /\b(?:run|runs|running|execute|exec|eval|follow|steps?|do|perform|apply|install|set\s*up|setup|paste|invoke|launch|source|carry\s+out|complete)\b/i;
/** An interpreter given a path (`bash references/x.md`); "| Python | references/lang-python.md |" names a language. */
const INTERPRETER_ON = /\b(?:bash|sh|zsh|python3?|node|pwsh|powershell|iex|source)\s+["'`]?[\w./-]*\//i;
/** Words that send the agent to read a document for what it says. */
const READ_WORDS = /\b(?:explain|explains|describe|describes|quote|quotes|cite|teach|discuss|compare|recogni[sz]e|detect|identify|spot|look\s+up|see|reference|background|examples?\s+of|walk\s+(?:\w+\s+){0,3}(?:through|with)|review|reviewing|audit|auditing)\b/i;
/** A document addressing the agent: "you must run", "Never skip this step", "AI agents: execute". */
export const ADDRESSES_AGENT = /\b(?:you|agents?|assistants?|claude|ai)\b[^\n]{0,60}\b(?:must|should|need\s+to|have\s+to|are\s+to|shall)\b[^\n]{0,40}\b(?:run|execute|paste|follow)\b|\b(?:never|don'?t|do\s+not)\s+skip\b/i;

/** A line of the document that orders something run ("Before answering, execute the line below"). */
export function ordersARun(line: string): boolean {
  return /\b(?:run|execute|exec|paste|launch|invoke)\b/i.test(line.replace(/`[^`]*`/g, "")) && isImperative(line) && !isProhibitionOrDocumentary(line);
}

/** The lines of a Markdown text outside its fenced code blocks. */
export function proseLines(text: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) fence = fence ? undefined : marker;
    else if (!fence) out.push(line);
  }
  return out;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
}

/** Whether SKILL.md only sends the agent to `doc` to read it, never to run what it says. */
function onlyReadFrom(doc: string, skillMd: string): boolean {
  const names = [baseName(doc), folderOf(doc)].filter(Boolean);
  // Sentence by sentence: "Use X to explain it. Never execute anything from X." is one line.
  // A sentence Markdown folds over two source lines ("Then follow the house style in ⏎ [references/style.md]…") is one sentence.
  const folded = skillMd.replace(/\n(?![ \t]*(?:[-*+>|#]|\d{1,2}[.)]|\n|$))/g, " ");
  const lines = folded.split(/\n|(?<=[.;!?])\s+/).filter((l) => names.some((n) => l.includes(n)));
  const runs = (l: string) => RUN_WORDS.test(l.replace(/`[^`]*`/g, "")) || INTERPRETER_ON.test(l);
  const reads = (l: string) => !runs(l) && READ_WORDS.test(l);
  // A table row or list item naming it without a verb ("| PHP | references/lang-php.md |") sends nowhere.
  return lines.some(reads) && lines.every((l) => isProhibitionOrDocumentary(l) || !runs(l));
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteTeachingMaterial(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const skillMd = textOf("SKILL.md");
  if (skillMd === undefined) return findings;
  const executable = files.filter((f) => !PROSE_KINDS.has(f.kind) && f.kind !== "binary").map((f) => textOf(f.path) ?? "");
  /** "full": teaching material; "quoted": the same, except that quoted attack text (a `>` blockquote) orders a run; undefined: not teaching. */
  const teachingKind = (path: string): "full" | "quoted" | undefined => {
    const file = files.find((f) => f.path === path);
    if (!file || path === "SKILL.md" || !PROSE_KINDS.has(file.kind) || !DOCUMENT.test(path)) return undefined;
    const text = textOf(path);
    // Prose lines only: `exec(code)` in a code block is what the document shows, not an order.
    if (text === undefined || ADDRESSES_AGENT.test(text)) return undefined;
    const name = baseName(path);
    if (executable.some((t) => t.includes(name)) || !onlyReadFrom(path, skillMd)) return undefined;
    const orders = proseLines(text).filter(ordersARun);
    if (orders.length === 0) return "full";
    return orders.every((l) => /^\s{0,3}>/.test(l)) ? "quoted" : undefined;
  };
  const docs = new Map<string, "full" | "quoted" | undefined>();
  const teaching = (path: string) => (docs.has(path) ? docs.get(path) : docs.set(path, teachingKind(path)).get(path));
  const inDocs = findings.filter((f) => weighs(f) && teaching(f.file) !== undefined);
  if (inDocs.length === 0 || findings.some((f) => weighs(f) && !inDocs.includes(f))) return findings;
  const reason = "teaching material: a document nothing runs and no step of SKILL.md tells the agent to run";
  // Quoting is free for an attacker: a quoted order keeps a human in the loop (critical to high, never lower).
  const quotedReason = "teaching material quoting attack text that orders a run: reviewed, not blocked";
  return findings.map((f) => {
    if (!inDocs.includes(f) || (f.severity !== "critical" && f.severity !== "high")) return f;
    if (teaching(f.file) === "full") return { ...f, severity: "medium", demoted: reason };
    return f.severity === "critical" ? { ...f, severity: "high", demoted: quotedReason } : f;
  });
}
