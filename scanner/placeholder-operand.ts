/**
 * A pattern written with its operand elided: a review checklist's "`curl ... | sh` in install
 * docs without checksum", "`eval(base64.b64decode(...))`". The command names nothing to fetch
 * and the decode holds nothing to run: `curl ...` fetches no host and `b64decode(...)` is
 * Python's Ellipsis, a TypeError. Nothing a reader adds to the wording changes that; what
 * would (a URL or address for the agent to fill in) keeps the severity, on the line or anywhere
 * in its section: "The installer lives at https://… Install it with `curl -fsSL ... | sh`" and
 * `export U=https://…` above the elided command name what to fetch as plainly.
 *
 * Such findings in a document (Markdown or text, SKILL.md included) go to medium, still shown.
 */
import { urlsIn } from "./urls.js";
import type { FileKind, Finding } from "./types.js";

const DOCUMENT_KINDS = new Set<FileKind>(["markdown", "text", "skill-body"]);
const ELIDED = String.raw`(?:\.{3}|…)`;
/** A download whose only target is an ellipsis, piped into a shell or interpreter. */
const ELIDED_DOWNLOAD = new RegExp(String.raw`\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)(?:\s+-{1,2}[\w-]+)*\s+${ELIDED}\s*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\b(?:bash|sh)\s+<\(\s*curl\s+${ELIDED}\s*\)`, "i");
/** A decode or run whose only argument is an ellipsis: `eval(base64.b64decode(...))`, `exec(atob(…))`. */
const ELIDED_DECODE = new RegExp(String.raw`\b(?:eval|exec|Function)\s*\(\s*(?:[\w.]+\(\s*)*${ELIDED}\s*\)+`);
/** An address the agent could fill the blank with: an IP, or a host with a dot and a letter top-level domain. */
const ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|sh|dev|app|xyz|ru|cn|top|site|online|info|biz|co|me|cc|tk|pw|link|click|example|test|invalid)\b/i;

/** The inline code span of a line around a column (1-based), or the whole line outside spans. */
function spanAt(line: string, column: number): string {
  for (const m of line.matchAll(/`([^`\n]+)`/g)) if (m.index < column && column <= m.index + m[0].length) return m[1]!;
  return line;
}

/** Whether a line names an address, leaving out module calls (`base64.b64decode`) that read like hosts. */
function namesAddress(line: string): boolean {
  return urlsIn(line).length > 0 || ADDRESS.test(line.replace(/\b(?:base64|binascii|codecs|zlib|Buffer|child_process|subprocess|os|re)\.\w+/g, ""));
}

/**
 * The lines of the Markdown section holding line `index` (0-based): from the heading before it
 * to the next, headings inside fenced code (a shell comment) not counted. A file without
 * headings is one section.
 */
function sectionOf(lines: string[], index: number): string[] {
  const heading = lines.map(() => false);
  let fence: string | undefined;
  lines.forEach((l, i) => {
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(l)?.[1];
    if (open && (fence === undefined || open[0] === fence[0])) fence = fence === undefined ? open : undefined;
    else if (fence === undefined && /^\s{0,3}#{1,6}\s/.test(l)) heading[i] = true;
  });
  let start = index;
  while (start > 0 && !heading[start]) start--;
  let end = index + 1;
  while (end < lines.length && !heading[end]) end++;
  return lines.slice(start, end);
}

export function demotePlaceholderOperands(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    if ((f.severity !== "critical" && f.severity !== "high") || (f.category !== "download-execute" && f.category !== "decode-execute") || f.suppressed) return f;
    const file = files.find((x) => x.path === f.file);
    const lines = textOf(f.file)?.split("\n");
    const line = lines?.[f.line - 1];
    if (!file || !DOCUMENT_KINDS.has(file.kind) || !lines || line === undefined) return f;
    const span = spanAt(line, f.column);
    const elided = f.category === "download-execute" ? ELIDED_DOWNLOAD.test(span) : ELIDED_DECODE.test(span);
    if (!elided || sectionOf(lines, f.line - 1).some(namesAddress)) return f;
    return { ...f, severity: "medium", demoted: f.demoted ?? "a pattern with its operand elided (`curl ... | sh`): it names nothing to fetch or run" };
  });
}
