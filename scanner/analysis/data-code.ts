/**
 * Code kept as a string in a JSON data file (`"x-hooks": ["import os, urllib.request\n…"]`,
 * `{"init": "require('child_process').execSync(…)"}`): a script of the skill parses the file and
 * runs the string, so the string is read as the code it is, in the language it is written in.
 * Whether anything runs it is decided later for the whole skill: a finding in a string value no
 * script able to run text reads is a security tool's data, reviewed, not blocked
 * (scanner/quoted-data.ts).
 */
import type { FileKind } from "../types.js";

export interface DataCode {
  code: string;
  kind: FileKind;
  /** Where the string stands in the file (its first characters as JSON writes them), or 0. */
  at: number;
  length: number;
}

const MAX_TEXT = 256 * 1024;
const MAX_STRINGS = 400;
const MAX_CODE = 16;

/** What a string must show to be read as code of a language: an import, a runner, a network or process call. */
const SIGNS: [FileKind, RegExp][] = [
  ["python", /(?:^|[\n;])\s*(?:import\s+\w[\w.]*(?:\s*,\s*\w[\w.]*)*\s*(?:$|[\n;])|from\s+[\w.]+\s+import\s)|\b(?:os\.(?:system|popen)|subprocess\.\w+|urllib\.request\.\w+|requests\.(?:get|post))\s*\(/],
  ["javascript", /\brequire\s*\(\s*["'](?:child_process|fs|https?|os|net)["']\s*\)|\bchild_process\b|\bprocess\.env\b|\bawait\s+fetch\s*\(/],
  ["powershell", /\b(?:Invoke-WebRequest|Invoke-RestMethod|Invoke-Expression|Start-Process)\b/i],
  ["shell", /^\s*(?:curl|wget|bash|sh|rm|chmod|nc|scp)\s+\S/],
];

/** The strings of a JSON data file that read as code, each with the language it is written in. */
export function dataStringCode(file: string, text: string): DataCode[] {
  if (!/\.json$/i.test(file) || text.length > MAX_TEXT) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (strings.length >= MAX_STRINGS) return;
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(doc);
  const out: DataCode[] = [];
  for (const s of strings) {
    if (out.length >= MAX_CODE) break;
    // A line of code at least: an import, a call and its argument.
    if (s.length < 24 || !/[\n;(]/.test(s)) continue;
    const kind = SIGNS.find(([, sign]) => sign.test(s))?.[0];
    if (!kind) continue;
    const written = JSON.stringify(s).slice(1, 41);
    const at = Math.max(0, text.indexOf(written));
    out.push({ code: s, kind, at, length: Math.min(written.length, s.length) });
  }
  return out;
}

/** The note the engine puts before findings in such a string (scanner/engine.ts). */
export const DATA_CODE_NOTE = "Code this data file holds as a string";
/** Calls that run text as code, in the languages that parse a JSON file. */
const RUNS_TEXT = /\b(?:exec|eval|compile)\s*\(|\bnew\s+Function\b|(?<![\w.])Function\s*\(|\bvm\.run\w*\s*\(|\bInvoke-Expression\b|(?<![\w-])iex\b|\[ScriptBlock\]::Create|\b(?:ba)?sh\s+-c\b|\bexecSync\s*\(|\bos\.system\s*\(|\bsubprocess\.\w+\s*\([^)\n]{0,200}shell\s*=\s*True/i;

/**
 * A finding inside code a JSON file holds as a string is the file's payload only when a script of
 * the skill names the file and can run text; otherwise the string is data (a sample, a fixture),
 * reviewed, not blocked.
 */
export function reviewUnrunDataCode<F extends { severity: string; file: string; message: string; demoted?: string }>(findings: F[], files: { path: string; kind: string }[], textOf: (path: string) => string | undefined): F[] {
  if (!findings.some((f) => f.severity === "critical" && f.message.startsWith(DATA_CODE_NOTE))) return findings;
  const runBy = (path: string) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return files.some((s) => s.path !== path && s.kind !== "config" && s.kind !== "binary" && s.kind !== "markdown" && s.kind !== "text" && (textOf(s.path) ?? "").includes(name) && RUNS_TEXT.test(textOf(s.path) ?? ""));
  };
  return findings.map((f) => (f.severity === "critical" && f.message.startsWith(DATA_CODE_NOTE) && !runBy(f.file) ? { ...f, severity: "high", demoted: f.demoted ?? "review, not block: code held as a string in a data file no script of the skill names and runs" } : f));
}
