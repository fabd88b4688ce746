/**
 * An agent's deny list naming secret paths: Claude Code's `permissions.deny` with
 * `"Read(~/.ssh/**)"`, Gemini's or Cursor's blocked paths. Each entry keeps the agent away from
 * the store; nothing reads it. A finding on a line inside a JSON array keyed `deny` (or
 * `denied…`, `blocked…`, `exclude…`) of an agent settings file goes to medium. The same path in
 * an `allow` list, or outside the array, keeps its severity.
 */
import type { Finding } from "./types.js";

/** Agent settings files, by path. */
const AGENT_SETTINGS = /(?:^|\/)\.(?:claude|gemini|cursor|codex|vscode|windsurf|continue)\/[\w.-]*settings[\w.-]*\.json$|(?:^|\/)(?:claude|gemini)[\w.-]*settings[\w.-]*\.json$/i;
/** The key that opens a deny array. */
const DENY_KEY = /"(?:deny|denied\w*|block(?:ed)?\w*|exclude\w*|disallow\w*)"\s*:\s*\[/gi;
/** An entry of such a list: one quoted string with a comma at most. */
const ENTRY = /^\s*"(?:[^"\\\n]|\\.)*"\s*,?\s*$/;

/** 1-based line ranges of the deny arrays of a JSON text. */
function denyRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(DENY_KEY)) {
    const close = text.indexOf("]", m.index + m[0].length);
    if (close < 0) continue;
    const from = text.slice(0, m.index).split("\n").length;
    ranges.push([from, text.slice(0, close).split("\n").length]);
  }
  return ranges;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteAgentDenyList(findings: Finding[], textOf: (path: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    if (f.category !== "credential-access" || (f.severity !== "critical" && f.severity !== "high") || !AGENT_SETTINGS.test(f.file)) return f;
    const text = textOf(f.file);
    const line = text?.split("\n")[f.line - 1];
    if (!text || line === undefined || !ENTRY.test(line)) return f;
    if (!denyRanges(text).some(([a, b]) => f.line > a && f.line < b)) return f;
    return { ...f, severity: "medium", demoted: f.demoted ?? "an entry of the agent's deny list: it keeps the agent away from the store" };
  });
}
