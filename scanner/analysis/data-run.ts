/**
 * A file the skill ships as data that one of its scripts reads and runs as code: rows of a CSV
 * evaluated by the shell, the bytes after a GIF's trailer handed to `sh -c`, base64 in an SVG's
 * `<metadata>` given to `new Function`, a JSON list of commands run with `shell=True`, bits
 * spelled by the trailing tabs and spaces of a LICENSE and `eval()`ed, a `.sql.xz` "fixture"
 * decompressed into `sh -c`. The data file is where the payload lives, so it is read as the
 * code it becomes:
 * - a text file is scanned in the language of the sink that runs it (its whitespace code decoded
 *   and scanned too);
 * - a binary has its readable runs carved out and scanned the same way;
 * - a binary that holds no readable text (compressed, encrypted) and whose name claims data is
 *   code nobody can review, disguised as data (SR-DECODE-016).
 * Which file a script reads is found by its name in the script (or a glob of its folder and
 * extension); whether what is read reaches a sink is followed name by name, line by line.
 */
import type { FileKind } from "../types.js";
import { bytesToText, decodeBase64, looksLikeText } from "./decode.js";

const MAX_SCRIPT = 256 * 1024;
const MAX_LINE = 2000;
const MAX_HOPS = 4;

/** Sinks that run text as code, with the language they run. Shell sinks take a command line. */
const SINKS: [RegExp, FileKind | "script"][] = [
  [/\bsh\s+-c\b|\bbash\s+-c\b|\bzsh\s+-c\b|["'](?:\/bin\/)?(?:ba|z)?sh["']\s*,\s*\[?\s*["']-c["']|\bshell\s*=\s*True\b|\bos\.(?:system|popen)\s*\(|\bexecSync\s*\(|(?<![\w.$])exec\s*\(\s*[a-z_$][\w$.]*\s*[,)]|\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\bInvoke-Expression\b|(?<![\w-])iex\b|\bsystem\s*\(|\bspawn\s*\(\s*["'](?:ba)?sh["']/, "shell"],
  [/(?<![\w.$])eval\s*[("]|(?<![\w.$])exec\s*\(|\bnew\s+Function\s*\(|\bvm\.run\w*\s*\(|(?<![\w.$])(?:source|\.)\s+(?:<\(|["'$])|\bcompile\s*\(/, "script"],
];

/** A name given a value: `x = …`, `x=$(…)`, `const x = …`, `$x = …`, `for x in …` (the loop variable takes each file). */
const ASSIGN = /^\s*(?:(?:const|let|var|local|my|export|readonly)\s+)?\$?([A-Za-z_]\w*)\s*(?::\s*[\w.[\]<>| ]{1,40})?\s*(?:=(?![=>~]))|^\s*for\s+(?:\(\s*)?(?:const|let|var)?\s*\$?([A-Za-z_]\w*)\s+(?:in|of)\b/;
const DATA_NAME = /\.(?:csv|tsv|json|ya?ml|toml|xml|svg|png|jpe?g|gif|bmp|ico|webp|pdf|po|pot|mo|sql|txt|dat|db|sqlite|log|ttf|otf|woff2?|mp3|wav|ogg|mp4|bin|xz|gz|bz2|zst|lz4|7z)$|(?:^|\/)(?:LICEN[SC]E|COPYING|NOTICE|AUTHORS|CHANGELOG)(?:\.\w+)?$/i;
const SCRIPT_NAME = /\.(?:sh|bash|zsh|py|js|mjs|cjs|ts|rb|pl|php|ps1|lua)(?:\.(?:xz|gz|bz2|zst|lz4))?$/i;

export interface DataFile {
  path: string;
  binary: boolean;
  bytes: Uint8Array;
}

export interface DataRun {
  /** The data file. */
  file: string;
  /** The language the sink runs it as. */
  kind: FileKind;
  /** The script that runs it. */
  script: string;
}

/** A name's use (`x`, `$x`, `${x}`), compiled once per name. */
const useCache = new Map<string, RegExp>();
function useOf(name: string): RegExp {
  let re = useCache.get(name);
  if (!re) {
    if (useCache.size > 4096) useCache.clear();
    re = new RegExp(`(?<![\\w.])\\$?\\{?${escape(name)}\\b`);
    useCache.set(name, re);
  }
  return re;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a line of the script names the file: its base name, or its folder with a glob of its extension. */
function namesFile(line: string, path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.length >= 3 && new RegExp(`(?<![\\w.-])${escape(base)}(?![\\w-])`).test(line)) return true;
  // `join(__dirname, 'assets', 'spinner.gif')` is named by its base; `fixtures/*.xz` by folder and extension.
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")).split("/").pop()! : "";
  const ext = base.includes(".") ? base.slice(base.lastIndexOf(".")) : "";
  return dir.length >= 2 && ext.length >= 2 && line.includes(dir) && new RegExp(`\\*${escape(ext)}\\b`).test(line);
}

function sinkKind(line: string, scriptKind: FileKind): FileKind | undefined {
  for (const [re, kind] of SINKS) if (re.test(line)) return kind === "script" ? (scriptKind === "shell" ? "shell" : scriptKind) : kind;
  return undefined;
}

/** The data files a script reads and runs as code, each with the language it runs them as. */
export function dataRunsIn(script: { path: string; kind: FileKind; text: string }, files: readonly DataFile[]): DataRun[] {
  if (script.text.length > MAX_SCRIPT) return [];
  const candidates = files.filter((f) => f.path !== script.path && DATA_NAME.test(f.path) && !/(?:^|\/)SKILL\.md$/.test(f.path));
  if (candidates.length === 0) return [];
  const lines = script.text.split("\n");
  if (!lines.some((l) => l.length <= MAX_LINE && sinkKind(l, script.kind))) return [];
  const runs: DataRun[] = [];
  for (const file of candidates) {
    const seeds = lines.map((l, i) => (l.length <= MAX_LINE && namesFile(l, file.path) ? i : -1)).filter((i) => i >= 0);
    if (seeds.length === 0) continue;
    const names = new Set<string>();
    for (const i of seeds) {
      const a = ASSIGN.exec(lines[i]!);
      const n = a?.[1] ?? a?.[2];
      if (n) names.add(n);
    }
    // Names given values from those names, a few hops (`gif` → `hints`, `settings` → `enc`, `f` → `body`).
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      let grew = false;
      for (const l of lines) {
        if (l.length > MAX_LINE) continue;
        const a = ASSIGN.exec(l);
        const n = a?.[1] ?? a?.[2];
        if (!n || names.has(n)) continue;
        if ([...names].some((x) => useOf(x).test(l.slice(a!.index + a![0].length)))) { names.add(n); grew = true; }
      }
      if (!grew) break;
    }
    const mentionsRead = (l: string) => seeds.some((i) => lines[i] === l) || [...names].some((x) => useOf(x).test(l));
    for (const l of lines) {
      if (l.length > MAX_LINE) continue;
      const kind = sinkKind(l, script.kind);
      if (!kind || !mentionsRead(l)) continue;
      // The assignment that reads the file is not its run, unless the line also runs it (`eval "$(awk … file)"`).
      const a = ASSIGN.exec(l);
      if (a && !/\beval\b|\bexec\b|Function|\|\s*(?:ba|z)?sh\b|sh\s+-c/.test(l)) continue;
      runs.push({ file: file.path, kind, script: script.path });
      break;
    }
  }
  return runs;
}

/** Readable runs of a binary (a script appended after an image's trailer): printable ASCII, tabs and newlines, 16 or more. */
export function carvedText(bytes: Uint8Array): string {
  const parts: string[] = [];
  let start = -1;
  const limit = Math.min(bytes.length, 4 * 1024 * 1024);
  for (let i = 0; i <= limit; i++) {
    const b = i < limit ? bytes[i]! : 0;
    const printable = (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
    if (printable && start < 0) start = i;
    if (!printable && start >= 0) {
      if (i - start >= 16) parts.push(new TextDecoder().decode(bytes.subarray(start, i)));
      start = -1;
    }
  }
  return parts.join("\n");
}

/**
 * Bits spelled by trailing whitespace (tab = 1, space = 0, or the reverse), eight to a byte, as
 * a LICENSE or README carries them to a script that decodes and runs them. Undefined when the
 * lines carry too little, or neither reading is text.
 */
export function whitespaceCode(text: string): string | undefined {
  const tails = text.split("\n").map((l) => /[ \t]*\r?$/.exec(l)![0].replace(/\r$/, ""));
  const bits = tails.join("");
  if (bits.length < 64 || !bits.includes("\t") || !bits.includes(" ") || tails.filter((t) => t.length >= 8).length < 4) return undefined;
  for (const one of ["\t", " "]) {
    let out = "";
    for (let i = 0; i + 8 <= bits.length; i += 8) out += String.fromCharCode(parseInt([...bits.slice(i, i + 8)].map((c) => (c === one ? "1" : "0")).join(""), 2));
    const printable = [...out].filter((c) => /[\x20-\x7e\n\t]/.test(c)).length;
    if (out.length >= 8 && printable / out.length > 0.9) return out;
  }
  return undefined;
}

/** Whether a file's name claims data (`.sql.xz`, `.png`, `LICENSE`) rather than code (`setup.sh.xz`). */
export function namedAsData(path: string): boolean {
  return DATA_NAME.test(path) && !SCRIPT_NAME.test(path);
}

const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

/** Text a data file carries in base64 (an SVG's `<metadata>`, a PNG text chunk copied as text): what a script decodes before it runs it. */
export function base64Texts(text: string): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, 512 * 1024).matchAll(BASE64_RUN)) {
    const bytes = decodeBase64(m[0]);
    const decoded = bytes === undefined ? undefined : bytesToText(bytes);
    if (decoded && looksLikeText(decoded)) out.push(decoded);
    if (out.length >= 8) break;
  }
  return out;
}
