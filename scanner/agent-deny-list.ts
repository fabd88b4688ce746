/**
 * An agent's deny list naming secret paths: Claude Code's `permissions.deny` with
 * `"Read(~/.ssh/**)"`, Gemini's or Cursor's blocked paths. Each entry keeps the agent away from
 * the store; nothing reads it. A finding on a line of a JSON file (agent settings, or a snippet
 * the skill tells the user to merge into them: `settings.json`, `settings.snippet.json`) whose
 * every word is an entry of an array keyed `deny` (or `denied…`, `blocked…`, `exclude…`) goes to
 * medium: one entry a line, several, or the whole array on its key's line. The same path in an
 * `allow` list, beside another key on the line, or outside the array keeps its severity.
 */
import type { Finding } from "./types.js";

/** JSON files: settings of an agent, or a snippet of them kept anywhere in the skill. */
const JSON_FILE = /\.jsonc?$/i;
/** The key that opens a deny array. */
const DENY_KEY = /"(?:deny|denied\w*|block(?:ed)?\w*|exclude\w*|disallow\w*)"\s*:\s*\[/gi;
/** What a line may hold inside the array: quoted strings and commas only. */
const ENTRIES = /^\s*(?:"(?:[^"\\\n]|\\.)*"\s*(?:,\s*)?)*$/;
/** Before the key on its line: braces and object keys opening objects (`{"permissions": {`). */
const OPENING = /^[\s{,]*(?:"[\w.-]{1,60}"\s*:\s*\{[\s{]*)*$/;
/** After the array's close on its line: closing brackets and braces, a comma. */
const CLOSING = /^\][\s\]}]*,?\s*$/;

/** Whether every word of the line that starts at `start` is structure or an entry of a deny array. */
function onlyDenyEntries(text: string, start: number): boolean {
  const end = text.indexOf("\n", start) < 0 ? text.length : text.indexOf("\n", start);
  for (const m of text.matchAll(DENY_KEY)) {
    const open = m.index + m[0].length;
    const close = text.indexOf("]", open);
    if (close < 0 || close < start || m.index > end) continue;
    const head = m.index >= start ? text.slice(start, m.index) : "";
    const tail = close < end ? text.slice(close, end) : "";
    if (m.index >= start && !OPENING.test(head)) continue;
    if (close < end && !CLOSING.test(tail)) continue;
    if (ENTRIES.test(text.slice(Math.max(start, open), Math.min(end, close)))) return true;
  }
  return false;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteAgentDenyList(findings: Finding[], textOf: (path: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    if (f.category !== "credential-access" || (f.severity !== "critical" && f.severity !== "high") || !JSON_FILE.test(f.file)) return f;
    const text = textOf(f.file);
    if (!text || f.line < 1) return f;
    const lines = text.split("\n", f.line);
    if (lines.length < f.line) return f;
    const start = lines.slice(0, -1).reduce((n, l) => n + l.length + 1, 0);
    if (!onlyDenyEntries(text, start)) return f;
    return { ...f, severity: "medium", demoted: f.demoted ?? "an entry of the agent's deny list: it keeps the agent away from the store" };
  });
}
