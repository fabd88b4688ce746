/**
 * The code analysis the engine runs on every piece of code (script files and fenced blocks):
 * facts from the real grammar, decoded strings handed back for a second scan, data flow within
 * the piece, and download-then-run. Cross-file chains are joined once all files are read.
 */
import type { Segment } from "../types.js";
import { bytesToText, decodeBase32, decodeBase64, decodeHex, looksLikeText } from "./decode.js";
import { codeTables, extractFacts, UNKNOWN, type CallFact, type EmbeddedCode } from "./facts.js";
import { injectionsIn, mayInject, type InjectionHit } from "./injection.js";
import { withTree } from "./grammars.js";
import { argvCommands, lightAnalysis, makeRecipes } from "./light.js";
import { remoteControl } from "./remote-control.js";
import { decodedBlobs } from "./blobs.js";
import { savedDownloadRuns } from "./saved-download.js";
import { destructionFlow } from "./destruction.js";
import { networkCodeRuns } from "./network-code.js";
import { pinnedHosts } from "./pinned-host.js";
import { fetchedProgramRuns } from "./fetched-program.js";
import { remoteCodeLoads } from "./remote-load.js";
import { clonedCodeRuns } from "./cloned-run.js";
import { isJustfile, justRecipes } from "./task-runner.js";
import { helperDecodings } from "./helper-decoders.js";
import { recursiveDeletes } from "./recursive-delete.js";
import { shellExpansions } from "./shell-expansion.js";
import { runnerStrings } from "./runner-strings.js";
import { awkSocketShells } from "./awk-socket.js";
import { connectionCommands } from "./connection-commands.js";
import { dataFlow, downloadRuns, nameUse, ONE_ENTRY, purposeConsistent, remoteCodeRuns, reverseShell, WEAK_SOURCES, type DataFlow, type Place } from "./judge.js";
import { runsAsSkillCode } from "../skill-orders.js";
import { listedHomeDeletes } from "./listed-delete.js";

/** What the analysis reports for one segment, in segment-relative offsets. */
export interface CodeHit {
  ruleId: "SR-EXFIL-009" | "SR-SHELL-008" | "SR-DESTROY-010" | "SR-DLEXEC-008" | "SR-DLEXEC-002" | "SR-DLEXEC-005" | "SR-PERSIST-004" | "SR-PERSIST-005" | "SR-PERSIST-007" | InjectionHit["ruleId"];
  offset: number;
  length: number;
  message: string;
  /** The other end, segment-relative. */
  related?: Place;
}

/** A string folding produced that the source doesn't show: scanned again as text of `kind`. */
export interface Derived {
  text: string;
  offset: number;
  length: number;
  kind: Segment["kind"];
  /** What the text is when it was not hidden (a command line an argument vector spells). */
  note?: string;
  /** The text stands in the file as written (its pattern rules have run there): only analysed. */
  verbatim?: boolean;
}

export interface CodeAnalysis {
  hits: CodeHit[];
  derived: Derived[];
  /** Code inside the code (heredocs, `-c`, strings run by a shell), at its exact offset. */
  embedded: EmbeddedCode[];
  flow?: DataFlow;
}

const DATA_URL = /^data:([\w/+.-]*)(?:;charset=[\w-]+)?(;base64)?,([\s\S]+)$/i;

function fromBase64(s: string): string | undefined {
  const bytes = decodeBase64(s);
  return bytes === undefined ? undefined : bytesToText(bytes);
}

function safeDecodeUri(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Decoded text shorter than this says nothing a rule could use. */
const MIN_DERIVED = 6;
/** Decoded text re-scanned per segment, at most. */
const MAX_DERIVED_TOTAL = 256 * 1024;

/** What a decoded string looks like: a shell command, or the same language as its host. */
function kindOfDerived(text: string, host: Segment["kind"]): Segment["kind"] {
  if (/^\s*(?:import |from \w+ import|exec\(|eval\()/.test(text)) return "python";
  if (/^\s*(?:require\(|const |let |var |function |eval\()/.test(text)) return "javascript";
  if (/\b(?:curl|wget|bash|sh|nc|chmod|rm|echo|cat|base64)\b/.test(text)) return "shell";
  return host;
}

/**
 * Which code is worth a parse: the analysis reports only a secret read next to a send or a
 * write, a download next to something that runs code, or text built so that the source does
 * not show it. Code with none of those ingredients is left to the pattern rules; parsing
 * everything would cost more than the 5 MB/s budget allows.
 */
/** A secret's variable name (`OPENAI_API_KEY`): it only leaks through a send in the same code (scanner/analysis/judge.ts). */
const SECRET_NAME_HINT = /_key|_token|_secret|_password/;
/** A credential store or bulk read: it leaks through a send, or a file another script sends. */
const SOURCE_HINT =
  /auth-profiles|gh\/hosts\.yml|\.openclaw|\.clawdbot|\.ssh|\.aws|\.kube|\.docker|\.npmrc|\.pypirc|\.netrc|git-credentials|gcloud|\.azure|\.env\b|shadow|login data|cookies|key4\.db|logins\.json|wallet|keystore|solana|metamask|keychain|find-generic-password|auth["',\s]+token|credential["',\s]+(?:fill|get)|get-access-token|print-(?:access|identity)-token|export-credentials|aws_secret_access_key|docker-credential-|\.claude|\.codex|\.gemini|\.cursor|_history|conversation|--reveal|\bbw\s+export|\bop\s+(?:vault\s+)?export|\.pgpass|\.my\.cnf|pgcli|kaggle|huggingface|databrickscfg|\.jupyter|renviron|vault-token|\.boto|s3cfg|rclone|\.oci\/|doctl|ngrok|\.fly\/|wrangler|password-store|env::vars|\.composer|nuget\.config|\.m2\/settings|gradle\.properties|\bsops\b|key=clear|printenv|environ\s*[),]|environ\.(?:copy|items)|process\.env\s*[),}]|\benv\s*(?:[|>]|$)|env:|config["',\s]+view["',\s]+--(?:raw|flatten)/m;
const SEND_HINT = /curl|wget|http|socket|request|urlopen|fetch|axios|invoke-|iwr|irm|webclient|\bnc\b|ncat|netcat|telnet|scp|rsync|ftp|smtp|nslookup|\bdig\b|resolve|gethostbyname|\b(?:gh|glab|tea)\s+(?:issue|pr|mr|gist|release|snippet)\b/;
const SEND_OR_WRITE_HINT = new RegExp(`${SEND_HINT.source}|>|tee|write|out-file|set-content|\\bcp\\b|copy`);
const DOWNLOAD_HINT = /git\s+clone|curl|wget|bitstransfer|iwr|irm|invoke-webrequest|invoke-restmethod|urlretrieve|download|urlopen|fetch\(|requests\.get|https?\.get|axios|got\(/;
const RUN_HINT = /\bmake\b|pickle|marshal|function\(|vm\.run|runpy|import_module|\|\s*(?:sudo\s+)?\w*sh\b|bash|\bsh\b|python|node|chmod|\.\/|source|exec|eval|iex|invoke-expression|start-process|&\s*["'$]|system|popen|subprocess|child_process|spawn/;
/** Text built so the source does not show it; the last three are the accumulators of a loop that appends pieces. */
const OBFUSCATION_HINT =
  /base64|base32|\|\s*rev\b|xxd\s+-r|\btr\s+['"]?a-za-z|b64|b32|b85|a85|atob|fromcharcode|chr\(|\[char\]|fromhex|unhexlify|\[::-1\]|reversed?\(|import_module|__import__|globals\(\)|-join|-replace|-bxor|\.join\(\s*\[\s*["']|rot.?13|\s\^\s|\^=|["']\s*\+\s*["']|\.replace\(\s*["'][^"'\n]{1,8}["']\s*,\s*["']{2}|\$\(\s*(?:echo|printf)|map\(\s*chr\b|marshal\.loads|%\s*256\b|\+=\s*(?:chr\(|[a-z_]\w*\s*[;)\n])|\b([a-z_]\w*)\s*=\s*\1\s*\+|=\s*"\$\{?\w+\}?\$\{?\w+\}?"/;

/** Code handed to another interpreter (`python3 - <<'PY'`): the embedded piece is judged on its own. */
const EMBEDDED_HINT = /\b(?:python[23]?|node|perl|ruby|php|pwsh)\s+(?:-\s*)?<<|\b(?:cat|tee)\b[^\n]{0,200}<</;
/** A shell startup file or git hook named: written to, it runs again later (judged with what it carries). */
const STARTUP_HINT = /bashrc|zshrc|zprofile|zshenv|zlogin|bash_profile|bash_login|\.profile\b|\$profile\b|git\/hooks/;

/** A socket and a shell in one piece of code: the ingredients of a reverse shell. */
const SOCKET_HINT = /socket|\bnet\b|connect\(|connection\(|tcpclient|tcpsocket/;
const SHELL_HINT = /\/bin\/|\bsh\b|bash|cmd\.exe|powershell|pty/;

function worthParsing(lower: string): boolean {
  return (
    (SOCKET_HINT.test(lower) && SHELL_HINT.test(lower)) ||
    (SOURCE_HINT.test(lower) && SEND_OR_WRITE_HINT.test(lower)) ||
    (SECRET_NAME_HINT.test(lower) && SEND_HINT.test(lower)) ||
    (DOWNLOAD_HINT.test(lower) && RUN_HINT.test(lower)) ||
    OBFUSCATION_HINT.test(lower) ||
    EMBEDDED_HINT.test(lower) ||
    (STARTUP_HINT.test(lower) && SEND_OR_WRITE_HINT.test(lower))
  );
}

/**
 * Whether text that folding decoded is worth its own parse: it
 * holds at least one ingredient the analysis acts on (a secret, a send or write, a download, a
 * runner, more encoding, more embedded code). Most decoded strings are messages ("error: …
 * not found"): nothing the analysis could report, so no parse (it was most of the parsing).
 * Looser than `worthParsing`: one ingredient may complete a chain with the code around it.
 */
export function worthReparsing(lower: string): boolean {
  return SOURCE_HINT.test(lower) || SECRET_NAME_HINT.test(lower) || SEND_OR_WRITE_HINT.test(lower) || DOWNLOAD_HINT.test(lower) || RUN_HINT.test(lower) || OBFUSCATION_HINT.test(lower) || EMBEDDED_HINT.test(lower) || SOCKET_HINT.test(lower);
}

/** Whether code may send data: the far end of a chain that starts in another file. */
export function maySend(segment: Segment): boolean {
  return SEND_OR_WRITE_HINT.test(segment.lower);
}

/**
 * A string holding a download chained to something else (`wget … && bash x`, `curl … | sh`).
 * In code a SKILL.md tells the agent to run, what the code prints the agent reads and may
 * follow, so such a string is judged as the command it spells even when nothing runs it.
 */
const CARRIES_COMMANDS = /\b(?:curl|wget|iwr|irm|invoke-webrequest)\b[^\n]{0,300}(?:&&|\|\||[|;&])/i;

/** Analyse a piece of code; `force` parses it even without local chain ingredients (the far end of a cross-file chain). */
export function analyzeCode(segment: Segment, force = false): CodeAnalysis {
  // Injection sinks have their own cheap pre-check: most code has none of a chain's ingredients.
  // Only the skill's scripts: a snippet in a document teaches (often the bug itself), it does not run.
  // Code no bundled grammar reads (Ruby, Go, Makefiles…) that the skill ships: the light analysis.
  if (segment.kind === "other-code") {
    if (!runsAsSkillCode(segment)) return { hits: [], derived: [], embedded: [] };
    const recipes = makeRecipes(segment.file, segment.text) ?? justRecipes(segment.file, segment.text);
    const derived: Derived[] = argvCommands(segment.text).map((c) => ({ ...c, kind: "shell" as const, note: `The command line an argument vector runs (${JSON.stringify(c.text.length > 80 ? `${c.text.slice(0, 80)}…` : c.text)}):` }));
    if (recipes) derived.push({ text: recipes.text, offset: recipes.offset, length: recipes.length, kind: "shell", note: `In the recipes this ${isJustfile(segment.file) ? "justfile" : "Makefile"} runs:`, verbatim: !recipes.expanded });
    for (const b of decodedBlobs(segment.text)) derived.push({ ...b, kind: kindOfDerived(b.text, segment.kind) });
    // Character-code tables (`[99, 117, …].pack("c*")`): decoded as in the grammar languages, scanned as what they spell.
    if (OBFUSCATION_HINT.test(segment.lower) || /\.pack\(|\bpack\s*\(/.test(segment.text)) for (const t of codeTables(segment.text)) derived.push({ text: t.value, offset: t.offset, length: t.length, kind: kindOfDerived(t.value, segment.kind) });
    for (const h of helperDecodings(segment.text, false)) derived.push({ text: h.text, offset: h.offset, length: h.length, kind: h.whole ? segment.kind : kindOfDerived(h.text, segment.kind) });
    for (const r of runnerStrings(segment.text)) derived.push({ ...r, kind: "shell", note: "The command line AppleScript hands to the shell:" });
    return { hits: [...lightAnalysis(segment), ...remoteControl(segment.text), ...savedDownloadRuns(segment.text), ...destructionFlow(segment.text), ...listedHomeDeletes(segment.text), ...networkCodeRuns(segment.text), ...fetchedProgramRuns(segment.text), ...remoteCodeLoads(segment.text), ...clonedCodeRuns(segment.text), ...awkSocketShells(segment.text), ...connectionCommands(segment.text, segment.kind)], derived, embedded: [] };
  }
  const injectable = segment.kind === "python" && !segment.fenced && mayInject(segment.text);
  // A skill's own script handing a connection a shell (a snippet in a document is left to the pattern rules, which weigh its context).
  const remote = !runsAsSkillCode(segment) ? [] : [...remoteControl(segment.text), ...savedDownloadRuns(segment.text), ...destructionFlow(segment.text), ...listedHomeDeletes(segment.text), ...networkCodeRuns(segment.text), ...fetchedProgramRuns(segment.text), ...remoteCodeLoads(segment.text), ...clonedCodeRuns(segment.text), ...awkSocketShells(segment.text), ...connectionCommands(segment.text, segment.kind)];
  // Calls of the skill's own character-code helpers, replaced by what they return: the code read again.
  const helpers: Derived[] = segment.fenced ? [] : helperDecodings(segment.text, true).map((h) => ({ text: h.text, offset: h.offset, length: h.length, kind: segment.kind }));
  // Commands the shell builds from its own expansions (`${u//X/}`, `$c | bash`, `{curl,-s,URL}`), read expanded.
  if (segment.kind === "shell") for (const e of shellExpansions(segment.text)) helpers.push({ ...e, kind: "shell", note: "The command this line runs once the shell expands it:" });
  // PowerShell's escapes inside a string glue the next word to a letter (`` "`r`nIEX (…)" ``): read them as the whitespace they are.
  if (segment.kind === "powershell" && !segment.fenced && /`[nrt]\w/.test(segment.text)) helpers.push({ text: segment.text.replace(/`[nrt]/g, "  "), offset: 0, length: segment.text.length, kind: "powershell", note: "The script with its escape sequences read as whitespace:" });
  for (const r of runnerStrings(segment.text)) helpers.push({ ...r, kind: "shell", note: "The command line AppleScript hands to the shell:" });
  if (!force && !worthParsing(segment.lower) && !(segment.fenced && INVISIBLE_IN_CODE.test(segment.text))) {
    const blobs = decodedBlobs(segment.text).map((b) => ({ ...b, kind: kindOfDerived(b.text, segment.kind) }));
    return { hits: [...(injectable ? withTree("python", segment.text, injectionsIn) : []), ...remote], derived: [...blobs, ...helpers], embedded: [] };
  }
  // Both checks read one parse of the script: a parse is the analysis's main cost.
  let injections: CodeHit[] = [];
  const facts = extractFacts(segment.kind, segment.text, injectable ? (root) => void (injections = injectionsIn(root)) : undefined);
  if (!facts) return { hits: injections, derived: [], embedded: [] };
  const derived: Derived[] = [...helpers];
  let budget = MAX_DERIVED_TOTAL;
  const seen = new Set<string>();
  for (const literal of facts.strings) {
    // A `data:` URL is code or text the program loads (`import("data:text/javascript;base64,…")`): its content is what runs.
    const dataUrl = DATA_URL.exec(literal.value);
    const decoded = dataUrl ? (dataUrl[2] ? fromBase64(dataUrl[3]!) : safeDecodeUri(dataUrl[3]!)) : undefined;
    const s = decoded ? { ...literal, value: decoded, derived: true } : literal;
    if (!(s.derived || (segment.fenced && CARRIES_COMMANDS.test(s.value))) || s.value.length < MIN_DERIVED || budget <= 0 || !looksLikeText(s.value)) continue;
    const known = s.value.split(UNKNOWN).join("");
    if (known.trim().length < MIN_DERIVED || seen.has(s.value)) continue;
    seen.add(s.value);
    budget -= s.value.length;
    derived.push({ text: s.value, offset: s.offset, length: s.length, kind: kindOfDerived(s.value, segment.kind) });
  }

  for (const d of decodedPipelines(facts)) if (budget > 0 && !seen.has(d.text)) {
    seen.add(d.text);
    budget -= d.text.length;
    derived.push({ ...d, kind: kindOfDerived(d.text, "shell") });
  }

  for (const b of decodedBlobs(segment.text)) if (budget > 0 && !seen.has(b.text)) {
    seen.add(b.text);
    budget -= b.text.length;
    derived.push({ ...b, kind: kindOfDerived(b.text, segment.kind) });
  }

  // A command in a document split by invisible characters reads whole to the agent that types it.
  if (segment.fenced && INVISIBLE_IN_CODE.test(segment.text)) {
    const visible = segment.text.replace(INVISIBLE_IN_CODE_ALL, "");
    if (!seen.has(visible)) derived.push({ text: visible, offset: 0, length: segment.text.length, kind: segment.kind });
  }

  const hits: CodeHit[] = [...injections];
  const flow = dataFlow(facts);
  // The environment copied whole into a value (`{ ...process.env }`, `dict(os.environ)`): sent if that value is.
  BULK_ENV.lastIndex = 0;
  for (let m = BULK_ENV.exec(segment.text); m; m = BULK_ENV.exec(segment.text)) flow.sources.push({ offset: m.index, length: m[0].length, kind: "env", what: "the whole environment", carriedOnly: true });
  for (const source of flow.sources) source.names = namesHolding(segment.text, source.offset, source.length, WEAK_SOURCES.has(source.kind));
  // A host from the user's setting that the code pins to known domains before sending (pinned-host.ts).
  for (const sink of flow.sinks) { const pinned = pinnedHosts(sink, segment.text); if (pinned) sink.hosts = pinned; }
  const chain = chainIn(flow);
  if (chain) hits.push(chain);
  const holders = (offset: number, length: number) => namesHolding(segment.text, offset, length, false);
  for (const run of [...downloadRuns(facts), ...remoteCodeRuns(facts, segment.text, holders)]) {
    const host = run.urls.map((u) => u.replace(/^https?:\/\//, "").split("/")[0]).join(", ");
    hits.push({
      // A release binary run directly is the high "download, chmod +x and run" pattern, not a dropper signature.
      ruleId: run.official ? "SR-DLEXEC-002" : run.release ? "SR-DLEXEC-005" : "SR-DLEXEC-008",
      offset: run.offset,
      length: run.length,
      message: `${run.official ? "Runs an official installer" : "Downloads code and runs it"}: ${run.how}${host ? ` (from ${host})` : ""}.`,
      ...(run.from ? { related: run.from } : {}),
    });
  }
  // Written whatever the route to the path (a loop variable, a joined home folder): code that runs again later.
  // A path ending in a part folding can't know (`path.join(os.homedir(), rc)` over a loop), in code that spells
  // startup file names as values (`for (const rc of ['.bashrc', '.zshrc'])`): those are the files written.
  const startupNamed = facts.strings.find((x) => !x.derived && /^\.(?:bashrc|zshrc|profile|bash_profile|bash_login|zprofile|zshenv|zlogin)$/.test(x.value))?.value;
  for (const w of flow.writes) {
    const path = startupNamed && w.path.endsWith(UNKNOWN) && /^~\/|^\/(?:home|Users)\//.test(w.path) ? `${w.path.slice(0, -UNKNOWN.length)}${startupNamed}` : w.path;
    const ruleId = STARTUP_FILE.test(path) ? "SR-PERSIST-004" : GIT_HOOK.test(path) ? "SR-PERSIST-005" : undefined;
    if (ruleId) hits.push({ ruleId, offset: w.offset, length: w.length, message: `Writes ${path}: ${ruleId === "SR-PERSIST-004" ? "a shell startup file, run by every new shell" : "a git hook, run by git on every commit or checkout"}.` });
  }
  if (segment.kind === "shell") hits.push(...recursiveDeletes(facts));
  const shell = reverseShell(facts);
  if (shell) hits.push({ ruleId: "SR-SHELL-008", offset: shell.offset, length: shell.length, message: `Reverse shell: ${shell.how}.`, related: shell.related });
  // The text-level chains only where the parsed facts found none of the same kind.
  else hits.push(...remote.filter((r) => !hits.some((h) => h.ruleId === r.ruleId)));
  return { hits, derived, embedded: facts.embedded, flow };
}

const STARTUP_FILE = /(?:^|\/)\.(?:bashrc|zshrc|profile|bash_profile|bash_login|zprofile|zshenv|zlogin)$|(?:^|\/)\.config\/fish\/config\.fish$/;
const GIT_HOOK = /(?:^|\/)\.git\/hooks\/(?!.*\.sample$)[\w-]+$/;

/** An assignment's target at the start of a line (`const key =`, `key :=`, `$key =`, `my $key =`), and Python's `with … as f`. */
const ASSIGNED = /^\s*(?:(?:const|let|var|my|local|export|final|def)\s+)?\$?([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)*\s*(?::\s*[\w.[\]<>| ]+)?\s*:?=(?!=)/;
const ONE_SETTING = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_(?:API_?)?(?:KEY|TOKEN|SECRET|PASSWORD|PAT)$|^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*(?:Key|Token|Secret|Password)$/i;
const BULK_ENV = /\{\s*\.\.\.process\.env\s*[,}]|\bObject\.assign\(\s*\{\s*\}\s*,\s*process\.env\s*\)|\bdict\(\s*os\.environ\s*\)|\{\s*\*\*os\.environ\s*[,}]|\bos\.Environ\(\)/g;
const INVISIBLE_IN_CODE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/;
const INVISIBLE_IN_CODE_ALL = new RegExp(INVISIBLE_IN_CODE.source, "g");
const SHELL_FUNCTION = /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{/;
const WITH_AS = /\bas\s+([A-Za-z_]\w*)\s*:/;
/** How many assignments away from the read a variable is still followed. */
const MAX_HOPS = 3;
const MAX_NAMES = 16;

/**
 * The variables that hold what the code at `offset` reads: the target of the assignment on its
 * line, then (a few hops) variables assigned from an expression that uses one of them. Names,
 * not scopes: enough to see a read key passed into a send, never a reason to clear one.
 */
export function namesHolding(text: string, offset: number, length: number, entriesOnly: boolean): string[] {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  // A settings store (`entriesOnly`) followed by one entry (`jq -r .apiKey f`, `json.load(f)["key"]`,
  // `config.token = …`) holds that setting from here on, not the store.
  const entry = (rest: string) => entriesOnly && ONE_ENTRY.test(rest);
  if (entriesOnly && (/^\s*jq\b[^|\n]*\s'?\.[\w"[]/.test(text.slice(offset, offset + length)) || entry(text.slice(offset + length).replace(/^[\s)]*/, "")))) return [];
  // A shell function whose body is the read (`tok() { gh auth token; }`) prints it to every caller.
  const first = ASSIGNED.exec(prefix)?.[1] ?? SHELL_FUNCTION.exec(prefix)?.[1] ?? WITH_AS.exec(text.slice(offset, text.indexOf("\n", offset) >>> 0))?.[1];
  if (!first) return [];
  // A variable named for one setting (`GODADDY_API_KEY=$(grep … | cut …)`, `const apiKey =`) holds that setting.
  if (entriesOnly && ONE_SETTING.test(first)) return [];
  const names = new Set([first]);
  const lines = text.split("\n");
  for (let hop = 0; hop < MAX_HOPS && names.size < MAX_NAMES; hop++) {
    const uses = new RegExp(nameUse([...names]).source, "g");
    const carried = (expr: string) => {
      uses.lastIndex = 0;
      for (let m = uses.exec(expr); m; m = uses.exec(expr)) if (!entry(expr.slice(m.index + m[0].length))) return true;
      return false;
    };
    const before = names.size;
    for (const line of lines) {
      const m = ASSIGNED.exec(line);
      if (m && !names.has(m[1]!) && carried(line.slice(m[0].length))) names.add(m[1]!);
    }
    // A function that returns one of them hands it to every caller: `session()` carries it too.
    let fn: string | undefined;
    for (const line of lines) {
      fn = /^\s*(?:async\s+)?(?:def|function|func)\s+([A-Za-z_]\w*)/.exec(line)?.[1] ?? fn;
      const ret = /^\s*return\s+(.*)$/.exec(line);
      if (fn && ret && !names.has(fn) && carried(ret[1]!)) names.add(fn);
    }
    if (names.size === before) break;
  }
  return [...names];
}

/** Shell filters that decode or reorder text, as functions over it (undefined when the options are not understood). */
function filterOf(c: CallFact): ((s: string) => string | undefined) | undefined {
  const opts = c.args.filter((a): a is string => a !== undefined).join(" ");
  if (/^base64$/.test(c.name) && /(?:^|\s)(?:-d|--decode|-D)\b/.test(opts)) return (s) => fromBase64(s);
  if (c.name === "base32" && /(?:^|\s)(?:-d|--decode)\b/.test(opts)) return (s) => { const b = decodeBase32(s.trim()); return b === undefined ? undefined : bytesToText(b); };
  if (c.name === "rev") return (s) => s.split("\n").map((l) => [...l].reverse().join("")).join("\n");
  if (c.name === "xxd" && /-r/.test(opts) && /-p/.test(opts)) return (s) => { const b = decodeHex(s.replace(/\s+/g, "")); return b === undefined ? undefined : bytesToText(b); };
  if (c.name === "tr" && c.args.length === 2 && /^(?:'?)(?:A-Za-z|a-zA-Z)/.test(c.args[0] ?? "") && /^(?:N-ZA-Mn-za-m|n-za-mN-ZA-M)$/.test(c.args[1] ?? "")) return (s) => s.replace(/[A-Za-z]/g, (ch) => String.fromCharCode(((ch.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (ch <= "Z" ? 65 : 97)));
  return undefined;
}

/**
 * `echo <text> | base32 -d | sh`, `echo <reversed> | rev | bash`: a constant decoded by shell
 * filters on its way into an interpreter. Folding runs the filters; the result is scanned as
 * the command it is.
 */
function decodedPipelines(facts: ReturnType<typeof extractFacts> & object): Omit<Derived, "kind">[] {
  const out: Omit<Derived, "kind">[] = [];
  for (const stages of facts.pipelines) {
    const head = stages[0];
    if (!head || !/^(?:echo|printf)$/.test(head.name) || stages.length < 3) continue;
    const words = head.args.filter((a) => a !== undefined && !/^-[neE]+$/.test(a)) as string[];
    // printf's first word is a format: `printf '%s' x` prints x.
    let text: string | undefined = head.name === "printf" && words.length > 1 && /^%s(?:\\n)?$/.test(words[0]!) ? words.slice(1).join(" ") : words.join(" ");
    if (text.includes(UNKNOWN) || head.args.includes(undefined)) continue;
    let decoded = false;
    for (const st of stages.slice(1)) {
      const f = filterOf(st);
      if (!f) break;
      text = text === undefined ? undefined : f(text);
      decoded = true;
    }
    if (decoded && text && text.length >= MIN_DERIVED && looksLikeText(text)) out.push({ text, offset: head.offset, length: stages.at(-1)!.offset + stages.at(-1)!.length - head.offset });
  }
  return out;
}

/** A secret source and a send in one flow (one piece of code with the code it builds). */
export function chainIn(flow: DataFlow): CodeHit | undefined {
  for (const source of flow.sources) {
    const sink = flow.sinks.find((k) => !purposeConsistent(source, k, true));
    if (!sink) continue;
    return {
      ruleId: "SR-EXFIL-009",
      offset: source.offset,
      length: source.length,
      message: `Reads ${source.what} and sends data over the network (${sink.what}${sink.hosts.length ? ` to ${sink.hosts.join(", ")}` : ""}) in the same code: a complete exfiltration chain.`,
      related: { offset: sink.offset, length: sink.length },
    };
  }
  return undefined;
}

/** One file's flow, kept for joining across files. */
export interface FileFlow {
  file: string;
  flow: DataFlow;
  /** Resolves a segment-relative place to a line. */
  lineOf: (p: Place) => number;
}

export interface CrossChain {
  source: { file: string; line: number; what: string };
  write: string;
  sink: { file: string; line: number; what: string };
}

/** A file one script writes from a secret source and another script sends. */
/** Folders every program shares: staging a file there names no particular reader. */
const SHARED_DIR = /^(?:\/tmp|\/var\/tmp|\/dev\/shm|~|\$HOME|\.|\.\.|\/|\/home|\/Users|~\/\.cache|~\/\.config|~\/\.local(?:\/share)?)$/;

/** The last path segment (`a/b/c.json` -> `c.json`), as `split("/").pop()` gives it. */
const lastSegment = (s: string) => s.slice(s.lastIndexOf("/") + 1);

export function crossFileChains(flows: FileFlow[]): CrossChain[] {
  const chains: CrossChain[] = [];
  // Every write of every script is looked for in every other script's reads and strings: each
  // flow's paths by their last segment, built once when first asked for, turn that search into a
  // look-up (a script writing on hundreds of lines made it most of the cost of joining flows).
  const lastSegments = new Map<FileFlow, { reads: Set<string>; strings: Set<string> }>();
  const lastSegmentsOf = (f: FileFlow) => {
    let sets = lastSegments.get(f);
    if (!sets) lastSegments.set(f, (sets = { reads: new Set(f.flow.reads.map(lastSegment)), strings: new Set(f.flow.strings.map(lastSegment)) }));
    return sets;
  };
  for (const a of flows) {
    const source = a.flow.sources[0];
    if (!source) continue;
    for (const w of a.flow.writes) {
      const base = w.path.split("/").pop() ?? "";
      // The folder the file is staged in (`cp creds /tmp/.qc/`): another script that packs or reads that folder sends it too.
      const dir = w.path.slice(0, w.path.length - base.length).replace(/\/+$/, "");
      const stagedIn = dir.length >= 5 && !dir.includes(UNKNOWN) && !SHARED_DIR.test(dir) ? dir : undefined;
      if ((base.length < 4 || base.includes(UNKNOWN)) && !stagedIn) continue;
      // Read by a reader call, or named as a whole string (`snap = cache / ".snapshot"; snap.read_text()`):
      // a path naming the file (`w.path`, `…/base` or `base` itself) is one whose last segment is `base`.
      const named = base.length >= 4 && !base.includes(UNKNOWN);
      const inFolder = (s: string) => stagedIn !== undefined && (s === stagedIn || s === `${stagedIn}/` || s.startsWith(`${stagedIn}/`));
      for (const b of flows) {
        if (b.file === a.file || b.flow.sinks.length === 0) continue;
        const names = named ? lastSegmentsOf(b) : undefined;
        if (!names?.reads.has(base) && !(base.length >= 6 && names?.strings.has(base)) && !b.flow.reads.some(inFolder) && !b.flow.strings.some(inFolder)) continue;
        const sink = b.flow.sinks.find((k) => !purposeConsistent(source, k));
        if (!sink) continue;
        chains.push({ source: { file: a.file, line: a.lineOf(source), what: source.what }, write: w.path, sink: { file: b.file, line: b.lineOf(sink), what: sink.what } });
        break;
      }
    }
  }
  return chains;
}
