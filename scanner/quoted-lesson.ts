/**
 * A lesson in SKILL.md itself that shows attack text as `>` blockquotes ("Example 1: instructions
 * hidden in a README comment" followed by the quoted comment). `teaching.ts` covers documents
 * SKILL.md points to; this covers the same shape in SKILL.md, where the agent reads every line,
 * so it goes no lower than review: a blockquote is free for an attacker, and only a person can
 * tell a lesson from a wrapped order. It applies when
 *
 * - every finding that weighs sits in a blockquote of SKILL.md that holds only code spans or
 *   quoted strings (a quote with words of its own, a "> [!IMPORTANT]" note, gives orders);
 * - the skill ships nothing but prose (no script or config that could run the text);
 * - no line outside the quotes orders a run or addresses the agent ("you must run").
 *
 * Its critical findings then go to high; the rest keep their severity.
 */
import { isImperative, isProhibitionOrDocumentary } from "./prose/facts.js";
import { ADDRESSES_AGENT, ordersARun, proseLines } from "./teaching.js";
import type { FileKind, Finding } from "./types.js";
import { weighs } from "./weighs.js";

const PROSE_KINDS = new Set<FileKind>(["markdown", "text", "skill-body", "frontmatter"]);
const BLOCKQUOTE = /^\s{0,3}>/;

/** "Do what Example 1 says", "Follow the quoted note": an order to carry out the quotes. */
function ordersCarryingOut(line: string): boolean {
  return /\b(?:follow|perform|apply|carry\s+out|complete|obey)\b|\bdo\b(?!\s+not\b)/i.test(line.replace(/`[^`]*`/g, "")) && isImperative(line) && !isProhibitionOrDocumentary(line);
}

/**
 * Whether the blockquote holding line `index` shows only specimens: every line of it is code
 * spans or a quoted string and nothing else. A quote with words of its own ("> [!IMPORTANT] Run,
 * exactly as written:") speaks to the agent, whatever it wraps.
 */
function onlySpecimens(lines: string[], index: number): boolean {
  let start = index;
  while (start > 0 && BLOCKQUOTE.test(lines[start - 1]!)) start--;
  let end = index + 1;
  while (end < lines.length && BLOCKQUOTE.test(lines[end]!)) end++;
  return lines.slice(start, end).every((l) => !/\p{L}/u.test(l.replace(BLOCKQUOTE, "").replace(/`[^`]*`|"[^"]*"|“[^”]*”/g, "")));
}

export function reviewQuotedLesson(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const critical = findings.filter((f) => f.severity === "critical" && f.file === "SKILL.md");
  if (critical.length === 0 || files.some((f) => !PROSE_KINDS.has(f.kind))) return findings;
  const lines = textOf("SKILL.md")?.split("\n");
  if (!lines) return findings;
  const quoted = (f: Finding) => f.file === "SKILL.md" && BLOCKQUOTE.test(lines[f.line - 1] ?? "") && onlySpecimens(lines, f.line - 1);
  if (!findings.filter(weighs).every(quoted)) return findings;
  const outside = proseLines(lines.filter((l) => !BLOCKQUOTE.test(l)).join("\n"));
  if (outside.some((l) => ordersARun(l) || ordersCarryingOut(l) || ADDRESSES_AGENT.test(l))) return findings;
  return findings.map((f) => (critical.includes(f) ? { ...f, severity: "high", demoted: "attack text quoted in a lesson (a blockquote of SKILL.md, no script): reviewed, not blocked" } : f));
}
