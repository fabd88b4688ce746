/**
 * Facts for code no bundled grammar reads (Ruby, Go, PHP, Perl, Makefiles…): string literals,
 * path joins and Make variables folded, then the same questions as for parsed code — a secret
 * store's path and a send to a named host in one file, or a reply fetched over the network and
 * handed to something that runs it. Coarser than the parsed analysis (no calls or arguments,
 * names followed line by line), so it only reports what needs both ends spelled out.
 * (Hand-written: tree-sitter grammars for these languages are not among the WASM grammars the
 * scanner ships, and loading more would cost start-up time on every scan.)
 */
import { isOfficialInstaller, isPurposeHost } from "../allowlist.js";
import { hostOf, urlsIn } from "../urls.js";
import type { Segment } from "../types.js";
import { bytesToText, decodeBase64, decodeHex, looksLikeText } from "./decode.js";
import { namesHolding, type CodeHit } from "./code.js";
import { nameUse, sensitiveStore, WEAK_SOURCES } from "./judge.js";
import { wholeReadSent } from "./light-flow.js";

/** Quoted literals on one line (double, single or back quotes), escapes kept as written. */
const LITERAL = /"((?:[^"\\\n]|\\.){0,400})"|'((?:[^'\\\n]|\\.){0,400})'|`([^`\n]{0,400})`/g;
/** A path join over literals and names (`File.join(Dir.home, ".gem", "credentials")`, `filepath.Join(home, ".aws", "credentials")`). */
const JOIN = /\b(?:File\.join|File\.expand_path|filepath\.Join|path\.Join|Path\.Combine|path\.join|os\.path\.join|join)\s*\(([^()\n]{1,300})\)/g;
/** Names that stand for the home folder. */
const HOME = /^(?:Dir\.home|home|homeDir|homedir|HOME|ENV\[["']HOME["']\]|os\.Getenv\("HOME"\)|\$HOME|\$\(HOME\)|\$\{HOME\}|\$ENV\{HOME\}|getenv\(["']HOME["']\)|Environment\.GetFolderPath\([^)]*UserProfile\))$/;
/** Calls that send over the network in these languages (and shell tools inside them). */
const SEND = /\bNet::HTTP\b|\bHTTParty\b|\bFaraday\b|\bRestClient\b|\bhttp\.(?:Post|PostForm|NewRequest|Get|Do)\b|\bhttpClient\.(?:Post|Do)\b|\bcurl\b|\bwget\b|\bInvoke-(?:WebRequest|RestMethod)\b|\bLWP::|\bHTTP::Tiny\b|\bcurl_exec\b|\bfile_get_contents\s*\(\s*["']https?:|\breqwest::|\bURLSession\b|\bHttpClient\b|\bsocket\b|\bIO::Socket\b|\bhttp\.(?:Client|DefaultClient)\b|\bTcpStream::connect\b|\bnet\.Dial\b|\bTCPSocket\.(?:new|open)\b|\bhttr2?::\w+|\bhttp\.(?:post|put|patch)\s*\(|\bRCurl::\w+|\bcurl::curl_\w+|\bHttpClient\(\)\.(?:post|put)\w*|\b(?:postUrl|openUrl)\s*\(|\b(?:ureq|isahc|surf|attohttpc|minreq|ehttp)::\w+|\bHTTPoison\.\w+|\bHTTP\.(?:post|put|request)\b|\bHTTP::Client\.(?:post|put|exec)\b|\bnewHttpClient\b|\bHttpRequest\.newBuilder\b|\bsocket\.http\b/;
/** Calls that fetch a reply over the network. */
const FETCH = /\bNet::HTTP\.get\b|\bURI\.open\b|\bopen-uri\b|\bHTTParty\.get\b|\bhttp\.Get\b|\bfile_get_contents\s*\(\s*["']https?:|\bLWP::Simple::get\b|\bHTTP::Tiny->new->get\b|\breqwest::(?:blocking::)?get\b|\b(?:curl|wget)\b[^\n]*?(?:\bhttps?:\/\/|\s["']?\$[({]?\w+)|\bnew\s+URL\s*\(\s*["']https?:[^)\n]*\)\s*\.(?:text|getText\(\))|["']https?:[^"'\n]+["']\.toURL\(\)\.(?:text|getText\(\))/g;
/** Calls that run text as code or as a shell command. */
const RUNS = /\b(?:eval|instance_eval|class_eval|module_eval|exec\.Command|system|exec|popen|IO\.popen|Open3\.\w+|shell_exec|passthru|proc_open)(?:\s*\(|\s+)([^\n]*)/g;
/** Groovy's `["sh", "-c", x].execute()` / `"cmd".execute()`: the receiver is the command run. */
const GROOVY_EXECUTE = /(?:^|[\s=(])((?:\[[^\]\n]{1,300}\]|"[^"\n]{1,300}"|'[^'\n]{1,300}'|\w+))\.execute\(\)/gm;
/** A path under the home folder written without quotes (Makefiles, shell inside other code). */
const BARE_PATH = /(?:^|[\s@=(])((?:~|\$HOME|\$\{HOME\})\/[\w./-]+)/g;
/** The environment walked or dumped whole (not handed to a child process: `cmd.Env = os.Environ()`). */
const BULK_ENV = /\brange\s+os\.Environ\(\)|\bENV\.(?:to_h|to_hash|each|each_pair|map|select|filter|inspect)\b|\b(?:keys|values|each)\s*\(?\s*%ENV\b|\bjoin\s*\([^()\n]*%ENV\b|\bgetenv\(\s*\)|\bEnvironment\.GetEnvironmentVariables\(\)|\bSystem\.getenv\(\s*\)|\bSys\.getenv\(\s*\)|\bPlatform\.environment\b(?!\s*\[)|\b(?:std::)?env::vars(?:_os)?\s*\(\s*\)|\bSystem\.get_env\(\s*\)|\benvPairs\s*\(\s*\)|\b[\w.]+\s*\(\s*ENV\s*[,)]|\bin\s+ENV\b/;
/** `cat <files> | … | curl … @-` (or `-T -`): the files are the request body. */
const WHOLE_FILE_PIPED = /\bcat\s+([^|\n;&]{1,300})\|[^\n]*?\b(?:curl|wget)\b[^\n]*?(?:@-|-T\s*-|--upload-file\s+-|--post-file=\/dev\/stdin)[^\n]*/g;

function foldJoin(args: string): string {
  return args
    .split(",")
    .map((a) => a.trim())
    .map((a) => {
      const lit = /^["'`](.*)["'`]$/.exec(a);
      if (lit) return lit[1]!;
      return HOME.test(a) ? "~" : "…";
    })
    .join("/");
}

/** Make's `NAME := value` (also `=`, `?=`, `+=`), substituted into `$(NAME)` a few times over. */
function expandMake(text: string): string {
  // Make's own default for SHELL, and the interpreter names a Makefile takes from the environment: `… | $(SHELL)` pipes into a shell.
  const vars = new Map<string, string>([["HOME", "~"], ["SHELL", "/bin/sh"], ["BASH", "bash"], ["PYTHON", "python3"], ["PERL", "perl"], ["NODE", "node"]]);
  for (const m of text.matchAll(/^([A-Za-z_][\w-]*)\s*[:?+]?=\s*(.*)$/gm)) vars.set(m[1]!, m[2]!.trim());
  let out = text;
  for (let i = 0; i < 3; i++) out = out.replace(/\$[({]([A-Za-z_][\w-]*)[)}]/g, (all, name: string) => vars.get(name) ?? all);
  // Make's own functions over constants: `$(wildcard a b)` names those files, `$(shell echo X | base64 -d)` is X decoded.
  out = out.replace(/\$\(wildcard\s+([^()\n]{1,300})\)/g, (_all, files: string) => files.trim());
  out = out.replace(/\$\(shell\s+(?:echo|printf\s+['"]?%s['"]?)\s+['"]?([A-Za-z0-9+/=]{8,})['"]?\s*\|\s*base64\s+(?:-d|--decode|-D)\s*\)/g, (all, b64: string) => {
    const decoded = decodeBase64(b64);
    const text = decoded === undefined ? undefined : bytesToText(decoded);
    return text !== undefined && looksLikeText(text) && !/[\n()]/.test(text) ? text : all;
  });
  return out;
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const PRIVATE_IPV4 = /^(?:127\.|0\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|255\.)/;
/** `strings.Join([]string{…}, sep)`: the pieces, then the separator. */
const GO_JOIN = /\bstrings\.Join\s*\(\s*\[\]string\s*\{([^{}\n]{1,400})\}\s*,\s*"([^"\n]{0,8})"\s*\)/g;
/** `join('.', 198, 51, …)` (Perl), `[…].join(".")` (Ruby, JavaScript): the separator, then the pieces, or the reverse. */
const SEP_FIRST_JOIN = /\bjoin\s*\(\s*["']([^"'\n]{0,8})["']\s*,\s*([^()\n]{1,400})\)/g;
const LIST_JOIN = /\[([^[\]\n]{1,400})\]\.join\s*\(\s*["']([^"'\n]{0,8})["']\s*\)/g;

/** The pieces of a literal list when every one is a quoted string or a number. */
function literalPieces(list: string): string[] | undefined {
  const pieces = list.split(",").map((p) => p.trim()).filter((p) => p.length > 0);
  const values = pieces.map((p) => /^"([^"]*)"$|^'([^']*)'$|^(\d+)$/.exec(p)).map((m) => (m ? (m[1] ?? m[2] ?? m[3]!) : undefined));
  return values.length > 1 && values.every((v): v is string => v !== undefined) ? values : undefined;
}

/** Joins over literal pieces, folded. */
function foldedJoins(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(GO_JOIN)) { const p = literalPieces(m[1]!); if (p) out.push(p.join(m[2]!)); }
  for (const m of text.matchAll(SEP_FIRST_JOIN)) { const p = literalPieces(m[2]!); if (p) out.push(p.join(m[1]!)); }
  for (const m of text.matchAll(LIST_JOIN)) { const p = literalPieces(m[1]!); if (p) out.push(p.join(m[2]!)); }
  return out;
}

const HEX_PACKED = /\bpack\s*\(\s*["']H\*["']\s*,\s*["']([0-9a-fA-F]{8,128})["']|\[\s*["']([0-9a-fA-F]{8,128})["']\s*\]\.pack\(\s*["']H\*["']|\bhex\.DecodeString\(\s*"([0-9a-fA-F]{8,128})"/g;

export interface LightFacts {
  paths: { value: string; offset: number }[];
  hosts: string[];
}

function lightFacts(text: string): LightFacts {
  const paths: { value: string; offset: number }[] = [];
  LITERAL.lastIndex = 0;
  for (let m = LITERAL.exec(text); m; m = LITERAL.exec(text)) paths.push({ value: m[1] ?? m[2] ?? m[3] ?? "", offset: m.index });
  JOIN.lastIndex = 0;
  for (let m = JOIN.exec(text); m; m = JOIN.exec(text)) paths.push({ value: foldJoin(m[1]!), offset: m.index });
  BARE_PATH.lastIndex = 0;
  for (let m = BARE_PATH.exec(text); m; m = BARE_PATH.exec(text)) paths.push({ value: m[1]!.replace(/^\$\{?HOME\}?/, "~"), offset: m.index });
  const hosts = new Set<string>();
  for (const u of urlsIn(text)) {
    const h = hostOf(u);
    if (h) hosts.add(h);
  }
  // An address a socket is opened to (`TcpStream::connect(("192.0.2.61", 80))`): a public IPv4 literal.
  for (const p of paths) {
    const address = p.value.replace(/:\d{1,5}$/, "");
    if (IPV4.test(address) && !PRIVATE_IPV4.test(address)) hosts.add(address);
  }
  // An address packed from hex (`pack('H*', '3139382e…')`, `["3139…"].pack("H*")`, `hex.DecodeString("…")`).
  for (const m of text.matchAll(HEX_PACKED)) {
    const hex = m[1] ?? m[2] ?? m[3]!;
    const decoded = decodeHex(hex) ?? "";
    const address = decoded.replace(/:\d{1,5}$/, "");
    if ((IPV4.test(address) && !PRIVATE_IPV4.test(address)) || /^[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,}$/i.test(address)) hosts.add(address.toLowerCase());
  }
  // Hosts spelled in pieces (`strings.Join([]string{"http:/", "", "198.51.100.23"}, "/")`, `join('.', 198, 51, 100, 61)`).
  for (const joined of foldedJoins(text).map((j) => j.replace(/^(https?:)\/{2,}/i, "$1//"))) {
    const h = hostOf(joined) ?? (IPV4.test(joined) ? joined : undefined);
    if (h) hosts.add(h);
    else paths.push({ value: joined, offset: 0 });
  }
  return { paths, hosts: [...hosts] };
}

/**
 * A call handed a command as an argument vector of literals (`exec.Command("kubectl", "delete", …)`,
 * `system("rm", "-rf", …)`, `ProcessBuilder("git", "clean", …)`): the command line it runs.
 */
const ARGV_CALL = /\(\s*"([\w.+-]{1,40})"\s*,\s*((?:"(?:[^"\\\n]|\\.){0,200}"\s*,\s*){0,20}"(?:[^"\\\n]|\\.){0,200}")\s*\)/g;

/** The command lines argument-vector calls run, as shell text to scan (offsets of the call). */
export function argvCommands(text: string): { text: string; offset: number; length: number }[] {
  const out: { text: string; offset: number; length: number }[] = [];
  ARGV_CALL.lastIndex = 0;
  for (let m = ARGV_CALL.exec(text); m && out.length < 64; m = ARGV_CALL.exec(text)) {
    const args = [...m[2]!.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((a) => a[1]!);
    out.push({ text: [m[1]!, ...args].join(" "), offset: m.index, length: m[0].length });
  }
  return out;
}

/**
 * A Makefile's recipe lines (tab-indented, Make variables substituted, `@`/`-` prefixes and
 * `$(MAKE)` read as make) as one shell script, placed on the first recipe line: make hands each
 * to a shell, and one target's steps often fetch what another's run.
 */
export function makeRecipes(file: string, text: string): { text: string; offset: number; length: number; expanded: boolean } | undefined {
  if (!/(?:^|\/)(?:GNU)?makefile(?:\.[\w-]+)?$|\.mk$/i.test(file)) return undefined;
  const first = text.search(/^\t/m);
  if (first < 0) return undefined;
  const lines = [...expandMake(text).matchAll(/^\t[@+-]*(.*)$/gm)].map((m) => m[1]!.replace(/\$[({]MAKE[)}]/g, "make").replace(/\$\$/g, "$"));
  const end = text.indexOf("\n", first);
  // `expanded`: variables or functions were substituted, so the recipes say more than the file's own lines.
  return lines.length ? { text: lines.join("\n"), offset: first, length: (end < 0 ? text.length : end) - first, expanded: /\$[({]/.test(text) } : undefined;
}

/** What the light analysis reports for a segment of code no grammar reads. */
/** A command runner's call (not eval): it runs a command line, and what it returns is that command's output. */
const COMMAND_RUNNER = /^(?:exec\.Command|system|popen|IO\.popen|Open3\.\w+|shell_exec|passthru|proc_open)\b/;
/** A fetch spelled as the start of a quoted command line (`cmd = string.format("curl -fsS … %s", …)`), not run where it is written. */
function isCommandString(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /["']\s*$/.test(text.slice(lineStart, at)) && !/`|\$\(/.test(text.slice(lineStart, at));
}

/**
 * The call that runs what the fetch `f` downloads: one on the fetch's own line, or a later one
 * handed a name holding the reply. When the fetch is a command line in a string (`cmd =
 * "curl …"`), a command runner handed that string (`io.popen(cmd)`) runs the download itself:
 * its output is the reply, so what runs the reply is a later runner handed a name assigned from
 * that call (`body = p:read(…)`; `system(body)`), never the command string itself.
 */
function runnerOfReply(text: string, f: RegExpExecArray, runners: RegExpExecArray[]): RegExpExecArray | undefined {
  const names = namesHolding(text, f.index, f[0].length, false);
  // A runner handed an argument vector (`vim.fn.system({ 'curl', … })`) starts the fetch itself; it does not run the reply.
  const onLine = (r: RegExpExecArray) => r.index <= f.index && r.index + r[0].length > f.index && !/^[\w.:]*\(\s*[[{]/.test(r[0]);
  const uses = (r: RegExpExecArray, held: string[], after: number) => r.index > after && held.length > 0 && nameUse(held).test(r[1]!);
  if (!isCommandString(text, f.index)) return runners.find((r) => onLine(r) || uses(r, names, f.index));
  const direct = names[0] === undefined ? undefined : new RegExp(`^\\(?\\s*${nameUse([names[0]]).source}\\s*[),]`);
  const launch = runners.find((r) => r.index > f.index && direct !== undefined && COMMAND_RUNNER.test(r[0]) && direct.test(r[0].slice(r[0].split(/[\s(]/)[0]!.length)));
  if (!launch) return runners.find((r) => onLine(r) || uses(r, names, f.index));
  // Statements, not lines (`local p = io.popen(cmd); local body = p:read("*a")`): `;` as a line break keeps every offset.
  const reply = namesHolding(text.replace(/;/g, "\n"), launch.index, launch[0].length, false);
  return runners.find((r) => r !== launch && (onLine(r) || uses(r, reply, launch.index)));
}

export function lightAnalysis(segment: Segment): CodeHit[] {
  const isMake = /(?:^|\/)(?:GNU)?makefile(?:\.[\w-]+)?$|\.mk$/i.test(segment.file);
  const text = isMake ? expandMake(segment.text) : segment.text;
  // Offsets stay exact where the text was not rewritten; in an expanded Makefile they are approximate.
  const place = (offset: number) => (text === segment.text ? offset : Math.min(offset, segment.text.length - 1));
  const hits: CodeHit[] = [];
  const facts = lightFacts(text);
  const sendAt = SEND.exec(text);
  if (sendAt) {
    for (const p of facts.paths) {
      const store = sensitiveStore(p.value);
      // A settings store is one entry's use, unless a recursive glob gathers every copy of it (`**/.env*`) or its whole text reaches the send.
      if (!store || (WEAK_SOURCES.has(store.kind) && !p.value.includes("**") && !wholeReadSent(text, p.offset, SEND))) continue;
      // A private address is the user's own network (a cluster's API server, a NAS), not a drop host.
      const foreign = facts.hosts.filter((h) => !isPurposeHost(store.kind, h) && !PRIVATE_IPV4.test(h));
      if (foreign.length === 0) continue;
      hits.push({ ruleId: "SR-EXFIL-009", offset: place(p.offset), length: 1, message: `Reads ${store.what} and sends data over the network (to ${foreign.join(", ")}) in the same code: a complete exfiltration chain.`, related: { offset: place(sendAt.index), length: sendAt[0].length } });
      break;
    }
  }
  // The whole environment walked (`range os.Environ()`, `ENV.each`, `keys %ENV`) in code that sends to an outside address.
  const env = sendAt && !hits.length ? BULK_ENV.exec(text) : null;
  if (env) {
    const foreign = facts.hosts.filter((h) => !PRIVATE_IPV4.test(h) && !/^localhost$|\.local$/i.test(h));
    if (foreign.length) hits.push({ ruleId: "SR-EXFIL-009", offset: place(env.index), length: 1, message: `Reads the whole environment and sends data over the network (to ${foreign.join(", ")}) in the same code: a complete exfiltration chain.`, related: { offset: place(sendAt!.index), length: sendAt![0].length } });
  }
    // A settings store carried whole: `cat .env … | curl --data-binary @- <host>` (stdin is the request body).
  if (!hits.length) {
    for (const m of text.matchAll(WHOLE_FILE_PIPED)) {
      const store = m[1]!.split(/\s+/).map((p) => sensitiveStore(p)).find((x) => x !== undefined);
      const host = urlsIn(m[0]).map((u) => hostOf(u)).find((h): h is string => h !== undefined && !PRIVATE_IPV4.test(h) && !/^localhost$|\.local$/i.test(h));
      if (!store || !host || isPurposeHost(store.kind, host)) continue;
      hits.push({ ruleId: "SR-EXFIL-009", offset: place(m.index), length: 1, message: `Reads ${store.what} and sends them whole over the network (to ${host}) in one pipeline: a complete exfiltration chain.` });
      break;
    }
  }
  FETCH.lastIndex = 0;
  let runners: RegExpExecArray[] | undefined;
  for (let f = FETCH.exec(text); f; f = FETCH.exec(text)) {
    const line = text.slice(f.index, text.indexOf("\n", f.index) >>> 0);
    runners ??= [...text.matchAll(RUNS), ...text.matchAll(GROOVY_EXECUTE)];
    const run = runnerOfReply(text, f, runners);
    const piped = /\|\s*(?:sudo\s+)?(?:\/(?:usr\/)?bin\/)?(?:ba|z)?sh\b/.test(line);
    // An official installer piped into a shell is the pattern rule's (SR-DLEXEC-002, medium); only its own URLs count.
    const pipedUrls = piped ? urlsIn(line.slice(0, line.search(/\|\s*(?:sudo\s+)?(?:\/(?:usr\/)?bin\/)?(?:ba|z)?sh\b/))) : [];
    const officialPipe = piped && pipedUrls.length > 0 && pipedUrls.every(isOfficialInstaller) && urlsIn(line).every(isOfficialInstaller);
    if (!run && (!piped || officialPipe)) continue;
    const at = run?.index ?? f.index;
    hits.push({ ruleId: "SR-DLEXEC-008", offset: place(at), length: 1, message: `Downloads code and runs it: fetches with ${f[0].split(/[\s(]/)[0]} and runs the reply${run ? ` with ${run[0].split("(")[0]}` : " in a shell"}.`, related: { offset: place(f.index), length: f[0].length } });
    break;
  }
  return hits;
}
