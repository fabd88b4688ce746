/**
 * Code fetched over the network and then loaded or started, in the languages the grammar
 * analyses do not read and the vocabularies of `fetched-program.ts` and `network-code.ts` do not
 * spell: R (`source(url)`, `download.file` then `source`), Julia (`Downloads.download` then
 * `include`), Ruby (`instance_eval(URI.open(u).read)`), PHP (`eval('?>' . file_get_contents(…))`,
 * `include 'http://…'`), PowerShell (`. ([scriptblock]::Create($wc.DownloadString($u)))`),
 * VBScript (`ServerXMLHTTP` into `ADODB.Stream.SaveToFile`, then `WScript.Shell.Run`), Lua
 * (`load`, `dofile`), and Bun/Deno/Node scripts that write a download and `import()` it or hand
 * it to `new Function`.
 *
 * The class is one: *what a fetch returns reaches a sink that runs it as code*. It is read by
 * meaning in three forms, statement by statement (lines), with names followed a few hops:
 * 1. a sink whose argument holds the fetch itself (`source("https://…")`, `eval(URI.open(…).read)`);
 * 2. a name holding fetched text, or a path a download was written to, later given to a sink;
 * 3. one statement (a `node -e` string, a promise chain) that fetches and then runs by
 *    `eval`/`new Function`.
 * A text-level reader on purpose (no grammar): these languages have no bundled parser here, and
 * the forms above are lines a reviewer reads the same way.
 */
import { isOfficialInstaller } from "../allowlist.js";
import { escapeRegExp } from "../escape-regexp.js";
import { urlsIn } from "../urls.js";
import type { CodeHit } from "./code.js";
import { isMinified } from "./minified.js";

const MAX_TEXT = 256 * 1024;
const MAX_LINE = 2000;
const MAX_HOPS = 4;
const MAX_NAMES = 64;

/** A path whose content is data (a config or table), loaded as data even by `require`. */
const DATA_PATH = /\.(?:json|jsonc|ya?ml|toml|ini|csv|tsv|txt|md|xml)["'`]?$/i;

/** A cheap pre-check: the words some fetch of any language needs. */
const FETCH_WORDS = /https?:|download|urlopen|webclient|xmlhttp|winhttp|uri\.open|open-uri|file_get_contents|curl|fetch\s*\(|http\.(?:get|request)|httr|getURL|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b|start-bitstransfer/i;

/** Calls and objects that fetch over the network, in any language (by meaning: they return what a server sends). */
const FETCH =
  /\bfetch\s*\(|\burlopen\s*\(|\burlretrieve\s*\(|\brequests\.(?:get|post)\s*\(|\bhttpx\.(?:get|post)\s*\(|\bhttps?\.(?:get|request)\s*\(|\brequire\s*\(\s*["']https?["']\s*\)\s*\.\s*(?:get|request)\s*\(|\baxios(?:\.get)?\s*\(|\bgot(?:\.get)?\s*\(\s*["'`]https?:|\bdownload\.file\s*\(|\bcurl_download\s*\(|\bcurl_fetch_memory\s*\(|\bgetURL\s*\(|\bhttr2?::(?:GET|request)\s*\(|(?<![\w.])GET\s*\(\s*["']https?:|\breadLines\s*\(\s*(?:url\s*\(|["']https?:)|\burl\s*\(\s*["']https?:|\bDownloads\.download\s*\(|(?<![\w.])download\s*\(\s*["']https?:|\bHTTP\.(?:get|request)\s*\(|\bURI\.open\s*\(|\bURI\.parse\s*\([^)\n]{0,200}\)\s*\.read\b|\bNet::HTTP\.get\w*\s*\(|\bHTTParty\.get\s*\(|\bFaraday\.get\s*\(|(?<![\w.])open\s*\(\s*["']https?:|\bfile_get_contents\s*\(\s*(?:["']https?:|base64_decode|str_rot13|hex2bin|gzinflate|urldecode|strrev|implode|\$\w*(?:url|uri|src|remote|endpoint|host))|\bcurl_exec\s*\(|\bNet\.WebClient\b|\bWebClient\s*\(|\.Download(?:String|Data|File)\s*\(|\bInvoke-WebRequest\b|\bInvoke-RestMethod\b|(?<![\w-])(?:iwr|irm)\s|\bStart-BitsTransfer\b|\b(?:MSXML2\.|Microsoft\.)?(?:Server)?XMLHTTP\b|\bWinHttp\.WinHttpRequest\b|\.ResponseBody\b|\.responseText\b|\bhttp\.request\s*\(/i;

/** Fetches that write what they fetch to a path named among their arguments. */
const FETCH_TO_FILE = /\bdownload\.file\s*\(|\bcurl_download\s*\(|\burlretrieve\s*\(|\.DownloadFile\s*\(|\bDownloads\.download\s*\([^)\n]*,|-OutFile\b|\bStart-BitsTransfer\b/i;

/**
 * Sinks that run text or a file as code: eval families, source/include/require/import of a
 * path, script blocks, VBScript `Execute`, Lua `load`. A method of another object (`model.eval()`,
 * `re.compile`, `json.load`, `regex.exec`) is not one, except the `*_eval` family and `vm.run*`.
 */
const CODE_SINK =
  /(?<![\w.$])(?:eval|exec|execfile|compile|load|loadstring|dofile|loadfile|include|include_string|include_once|require|require_once|source|Execute|ExecuteGlobal|create_function)\s*\(|(?:^|[;{]|\bthen\b|\bdo\b|&&|\|\|)[ \t]*(?:eval|load|dofile|include|include_once|require|require_once|source|Execute|ExecuteGlobal)[ \t]+(?=["'$@(]|[\w./$]+[ \t]*(?:[;)]|$))(?![\w.]*\s*[=:])|(?<![\w.$])import\s*\(|(?:^|[\s.(])(?:instance_eval|class_eval|module_eval|instance_exec)\b|\bsys\.source\s*\(|\brunpy\.run_path\s*\(|\bvm\.run\w*\s*\(|\bnew\s+vm\.Script\s*\(|\bnew\s+Function\s*\(|(?<![\w.$])Function\s*\(|\[scriptblock\]::Create\s*\(|\bInvoke-Expression\b|(?<![\w-])iex\b|\bInvoke-Command\b|\bMeta\.parse\s*\(|\bparse\s*\(\s*text\s*=|\.then\s*\(\s*eval\s*\)|^\s*\.\s+["'$(]|\|\s*source\b/m;

/** Sinks that start a file as a program: only a written path runs there (text handed to `git` is data). */
const PROGRAM_SINK =
  /\.(?:Run|Exec)\b|\bShellExecute\w*|\bStart-Process\b|\bsubprocess\.\w+\s*\(|\bos\.(?:system|startfile|exec\w*|spawn\w*)\s*\(|(?<![\w.$])(?:spawn|spawnSync|execFile|execFileSync|execSync|system|shell_exec|passthru|proc_open|popen)\s*\(|\bchild_process\.\w+\s*\(|\bBun\.spawn\w*\s*\(|\bDeno\.(?:run|Command)\b|\bexec\.Command\s*\(|\bProcess\.Start\s*\(|\bProcessBuilder\s*\(|\bRuntime\.getRuntime\(\)\s*\.exec\s*\(|(?<![\w.$])run\s*\(\s*`|^\s*&\s*["'$(]/m;

/** A write of data to a path, in any language: the destination becomes what the fetched bytes are. */
const WRITE = /\b(?:write|writeFile|writeFileSync|writeTextFile|writeTextFileSync|write_all|write_bytes|write_text|WriteAllBytes|WriteAllText|SaveToFile|file_put_contents|writeLines|writeBin|Out-File|Set-Content|fwrite|fputs|copyfileobj|pipe)\b/i;
/** The receiver of a write method (`stream.Write x`): the stream is what holds the bytes. Module names write, they do not hold. */
const WRITE_RECEIVER = /(?<![\w.$])\$?([a-z_]\w*)\s*\.\s*(?:write|Write|WriteText)\b/g;
const NOT_HOLDER = new Set(["fs", "os", "io", "ioutil", "path", "shutil", "std", "fsp", "promises", "sys", "stdout", "stderr", "console", "process", "res", "response", "out", "self", "this", "file"]);

/** An assignment in these languages: `x = …`, `x <- …`, `$x = …`, `Set x = …`, `set -l x (…)`, `let x = …`. */
const ASSIGN = /^\s*(?:(?:const|let|var|my|our|local|Set|Dim|val|final|auto|global)\s+)?[$@]?([A-Za-z_]\w*)\s*(?::\s*[\w.<>[\]| ]{1,40})?\s*(?:<<-|<-|:=|=(?![=>~]))|^\s*set\s+(?:-\w+\s+)*([A-Za-z_]\w*)\s+\(/;
const KEYWORDS = new Set(["if", "then", "else", "end", "do", "for", "while", "return", "true", "false", "null", "nil", "None", "new", "await", "async", "function", "const", "let", "var", "and", "or", "not", "in", "of", "the", "GET", "POST", "http", "https", "url", "text", "read", "body", "content", "data", "r", "e", "d", "s", "_"]);

interface Taint {
  /** Names (without sigils) that hold what was fetched or where it was written. */
  names: Set<string>;
  /** Path literals a download was written to. */
  paths: Set<string>;
  /** The statement each name came from (for the finding's other end). */
  from: Map<string, number>;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0 && starts.length < 20000; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Each name's use, compiled once: the names are followed over every line a few times. */
const useCache = new Map<string, RegExp>();
function useOf(name: string): RegExp {
  let re = useCache.get(name);
  if (!re) {
    if (useCache.size > 4096) useCache.clear();
    re = new RegExp(`(?<![\\w.])[$@]?${escapeRegExp(name)}\\b`);
    useCache.set(name, re);
  }
  return re;
}

function mentions(line: string, taint: Taint): string | undefined {
  // A name inside a string is text (`require('form-data')`, "Failed to load posts"), not the name.
  const bare = line.replace(/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`/g, '""');
  for (const n of taint.names) if (bare.includes(n) && useOf(n).test(bare)) return n;
  for (const p of taint.paths) if (line.includes(p)) return p;
  return undefined;
}

/** The names and path literals a statement hands on: identifiers that are not calls or members, and quoted strings. */
function operands(line: string): { names: string[]; literals: string[] } {
  const literals = [...line.matchAll(/["']([^"'\n]{3,200})["']/g)].map((m) => m[1]!).filter((s) => /[/\\.]/.test(s) && !/^https?:/i.test(s));
  const bare = line.replace(/["'][^"'\n]*["']/g, " ");
  const names = [...bare.matchAll(/(?<![\w.$])[$@]?([A-Za-z_]\w*)\b(?!\s*[(.:]|::)/g)].map((m) => m[1]!).filter((n) => n.length > 1 && !KEYWORDS.has(n));
  return { names, literals };
}

function hostsIn(s: string): string[] {
  return urlsIn(s);
}

function hit(offset: number, length: number, how: string, urls: string[], related?: { offset: number; length: number }): CodeHit {
  const official = urls.length > 0 && urls.every(isOfficialInstaller);
  const hosts = [...new Set(urls.map((u) => u.replace(/^\w+:\/\//, "").split(/[/?#]/)[0]))].join(", ");
  return {
    ruleId: official ? "SR-DLEXEC-002" : "SR-DLEXEC-008",
    offset,
    length,
    message: `${official ? "Runs an official installer" : "Downloads code and runs it"}: ${how}${hosts ? ` (from ${hosts})` : ""}.`,
    ...(related ? { related } : {}),
  };
}

/**
 * The argument text after a sink's match: to the parenthesis that closes the call when the sink
 * opens one (`require('https')` ends there, whatever the statement goes on to do), else to the
 * end of the statement (bounded).
 */
function argumentAfter(line: string, at: number): string {
  const text = line.slice(at, at + 400);
  const open = text.indexOf("(");
  if (open < 0 || open > 40) return text.split(";")[0]!;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(0, i + 1);
  }
  return text;
}

/** A loader that fetches an address itself (R's `source`, `sys.source`): handed a name, it runs what the address serves. */
const FETCHING_LOADER = /(?<![.\w$:])(?:source|sys\.source)\s*\(\s*([A-Za-z_.][\w.]*)\s*[,)]/;

/**
 * `u <- paste0("https://", "host.dev", "/x.R")` then `source(u)`: a name assigned an address (a
 * literal, or pieces joined with paste/paste0/sprintf/`+`) handed to a loader that fetches.
 */
function fetchingLoaderOfName(lines: string[]): { line: number; at: number; length: number; url: string } | undefined {
  const urls = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE) continue;
    const a = ASSIGN.exec(line);
    const name = a?.[1] ?? a?.[2];
    if (name && /["']https?:\/\//i.test(line)) {
      // The quoted pieces in order: a joined address reads as the whole address.
      const joined = [...line.matchAll(/["']([^"'\n]*)["']/g)].map((m) => m[1]!).join("");
      const url = /https?:\/\/[^\s"']+/i.exec(joined)?.[0];
      if (url) urls.set(name, url);
      continue;
    }
    const m = urls.size ? FETCHING_LOADER.exec(line) : null;
    if (m && urls.has(m[1]!)) return { line: i, at: m.index, length: m[0].length, url: urls.get(m[1]!)! };
  }
  return undefined;
}

/** Fetched code loaded or started, in any language, by the three forms above. */
export function remoteCodeLoads(text: string): CodeHit[] {
  if (text.length > MAX_TEXT || !FETCH_WORDS.test(text) || isMinified(text)) return [];
  const starts = lineStarts(text);
  const lines = starts.map((s, i) => text.slice(s, (starts[i + 1] ?? text.length + 1) - 1));
  // A function the file defines itself (`async function load(u)`) is not the language's loader.
  const own = new Set([...text.matchAll(/\b(?:function|def|fn|func|sub|fun)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*(?:=|<-)\s*(?:async\s+)?(?:function\b|\([^()\n]{0,200}\)\s*=>)/g)].map((m) => m[1] ?? m[2]!));
  const isOwn = (sink: string) => own.has(/[A-Za-z_]\w*/.exec(sink.replace(/^[|.\s]+/, ""))?.[0] ?? "");
  const hits: CodeHit[] = [];
  const taint: Taint = { names: new Set(), paths: new Set(), from: new Map() };
  const urlsOfTaint: string[] = [];
  const place = (i: number, at = 0, len?: number) => ({ offset: starts[i]! + at, length: len ?? Math.max(1, lines[i]!.trim().length) });

  // Forms 1 and 3: one statement that fetches and runs.
  const sinks = new RegExp(CODE_SINK.source, "gm");
  for (let i = 0; i < lines.length && !hits.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE || !CODE_SINK.test(line)) continue;
    const fetchAt = line.search(FETCH);
    for (const sink of line.matchAll(sinks)) {
      if (isOwn(sink[0])) continue;
      const arg = argumentAfter(line, sink.index);
      const loader = /^(?:import|require)\b/.test(sink[0].trim());
      // `source("https://…")`, `include 'http://…'`, `eval(URI.open(u).read)`: the sink's own argument fetches.
      const sinkHoldsFetch = FETCH.test(arg.slice(sink[0].length)) || (!loader && /["'`]https?:\/\//.test(arg));
      // `…get(u, r => …).then(s => new Function(s)(…))`: the fetch first, the run later in the statement.
      const fetchThenRun = fetchAt >= 0 && fetchAt < sink.index && !loader && /eval|Function|scriptblock|Execute|\bsource\b|\bload\s*\(|\bloadstring\b/.test(sink[0]);
      if (sinkHoldsFetch || fetchThenRun) {
        hits.push(hit(starts[i]! + sink.index, Math.min(line.length - sink.index, 200), "a fetch's reply is run as code in the same statement", hostsIn(line)));
        break;
      }
    }
  }
  if (hits.length) return hits.slice(0, 1);
  const held = fetchingLoaderOfName(lines);
  if (held) return [hit(starts[held.line]! + held.at, held.length, "a loader that fetches an address is handed a name holding one", [held.url])];

  // Form 2: names holding fetched text, paths a download was written to, followed a few hops.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE || !FETCH.test(line)) continue;
    const a = ASSIGN.exec(line);
    const name = a?.[1] ?? a?.[2];
    if (name) { taint.names.add(name); taint.from.set(name, i); }
    if (FETCH_TO_FILE.test(line)) for (const x of [...operands(line).literals]) { taint.paths.add(x); taint.from.set(x, i); }
    if (FETCH_TO_FILE.test(line)) for (const x of operands(line.slice(line.search(FETCH_TO_FILE))).names) { taint.names.add(x); taint.from.set(x, i); }
    urlsOfTaint.push(...hostsIn(line));
  }
  if (taint.names.size === 0 && taint.paths.size === 0) return [];
  for (let hop = 0; hop < MAX_HOPS && taint.names.size < MAX_NAMES; hop++) {
    let grew = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length > MAX_LINE) continue;
      const via = mentions(line, taint);
      if (!via) continue;
      if (hop === 0) urlsOfTaint.push(...hostsIn(line));
      const a = ASSIGN.exec(line);
      const name = a?.[1] ?? a?.[2];
      if (name && !taint.names.has(name) && !CODE_SINK.test(line)) { taint.names.add(name); taint.from.set(name, taint.from.get(via) ?? i); grew = true; }
      if (WRITE.test(line)) {
        for (const m of line.matchAll(WRITE_RECEIVER)) if (!NOT_HOLDER.has(m[1]!) && !taint.names.has(m[1]!)) { taint.names.add(m[1]!); taint.from.set(m[1]!, taint.from.get(via) ?? i); grew = true; }
        const ops = operands(line);
        for (const p of ops.literals) if (!taint.paths.has(p)) { taint.paths.add(p); taint.from.set(p, taint.from.get(via) ?? i); grew = true; }
        for (const n of ops.names) if (!taint.names.has(n) && !NOT_HOLDER.has(n)) { taint.names.add(n); taint.from.set(n, taint.from.get(via) ?? i); grew = true; }
      }
    }
    if (!grew) break;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE) continue;
    const found = CODE_SINK.exec(line);
    const code = found && !isOwn(found[0]) ? found : null;
    const program = code ? undefined : PROGRAM_SINK.exec(line);
    const sink = code ?? program;
    if (!sink) continue;
    // The fetch's own assignment is not its use (`x = fetch(…)` then `eval(x)` on another line).
    const arg = argumentAfter(line, sink.index + (sink[0].startsWith("|") ? 0 : sink[0].length));
    const via = mentions(code ? arg.slice(0, 300) : arg.slice(0, 120), taint);
    if (!via || taint.from.get(via) === i) continue;
    // Data saved and loaded as data (`require('./cfg.json')`) runs nothing.
    if (DATA_PATH.test(via) || (taint.paths.has(via) === false && DATA_PATH.test(arg.slice(0, 200).split(/[)\s,]/)[0] ?? ""))) continue;
    // A program sink starts only a path something was written to, never fetched text handed to a tool as an argument.
    if (program && !taint.paths.has(via) && !isWrittenHolder(via, lines, taint)) continue;
    const fromLine = taint.from.get(via);
    hits.push(hit(starts[i]! + sink.index, Math.min(line.length - sink.index, 200), `${JSON.stringify(via)} holds what a fetch returned (or where it was saved) and is ${code ? "loaded as code" : "started as a program"}`, urlsOfTaint, fromLine === undefined ? undefined : place(fromLine)));
    break;
  }
  return hits;
}

/** A name that holds a written download's path: it was assigned on a line that writes, or written to. */
function isWrittenHolder(name: string, lines: string[], taint: Taint): boolean {
  const from = taint.from.get(name);
  if (from === undefined) return false;
  const re = useOf(name);
  return lines.some((l) => l.length <= MAX_LINE && WRITE.test(l) && re.test(l)) || FETCH_TO_FILE.test(lines[from] ?? "");
}
