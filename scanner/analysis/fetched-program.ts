/**
 * A program or code fetched over the network and then run, in any language a skill ships —
 * compiled ones included (C#, Java, Go, Rust, C, Perl, Ruby, PHP, Kotlin, Swift) — with the
 * download and the run split across names, files and functions:
 *
 * - what a fetch returns (bytes, text, a reply body) held in a name, written to a path
 *   (`fs::write(&dest, &bytes)`, `File.WriteAllBytes(p, b)`, `io.Copy(f, resp.Body)` on
 *   `f := os.OpenFile(dst…)`, `urlretrieve(u, p)`, `getstore($u, $p)`), or returned by a function
 *   of the skill that fetches (`helper = get(url, dest)`, `setup := fetch(name)`);
 * - that name then started as a program (`Command::new(&dest)`, `exec.Command(setup)`,
 *   `Process.Start(p)`, `subprocess.run(["sudo", helper])`, `Runtime.exec`, `ProcessBuilder`),
 *   loaded as code (`Assembly.Load(bytes)`, `eval $code`, `dlopen`, `LoadLibrary`, `ctypes.CDLL`)
 *   or deserialised as a model or object that runs code on load (`pickle.load`, `torch.load`
 *   without `weights_only=True`, `joblib.load`, `np.load(…, allow_pickle=True)`, `Marshal.load`);
 * - a class loader over a remote URL (`new URLClassLoader(new URL[]{ new URL("https://…") })`).
 *
 * Followed by names statement by statement (a few hops), like `network-code.ts`, whose
 * vocabulary stops at the scripting languages. A program is "run" only at the program's place
 * (the first word of an argument vector or command line, after `sudo`/an interpreter): a
 * download handed to `tar` or `sha256sum` as an argument is data.
 */
import { isMinified } from "./minified.js";
import { isOfficialInstaller } from "../allowlist.js";
import { urlsIn } from "../urls.js";
import { escapeRegExp } from "../escape-regexp.js";
import type { CodeHit } from "./code.js";
import { nameUse } from "./judge.js";

/** Calls that fetch over the network, in any language. */
const FETCH =
  /\burlopen\s*\(|\burlretrieve\s*\(|\brequests\.get\s*\(|\bhttpx\.get\s*\(|\b(?:session|s|client|http)\.get\s*\(\s*f?["'`]https?:|\bfetch\s*\(|\bhttps?\.Get\s*\(|\bhttp\.NewRequest\w*\s*\(|\bhttps?\.get\s*\(|\baxios(?:\.get)?\s*\(|\breqwest::(?:blocking::)?get\s*\(|\bureq::get\s*\(|\.Get(?:ByteArray|Stream|String)?Async\s*\(|\.Download(?:File|Data|String)(?:TaskAsync|Async)?\s*\(|\bInvoke-WebRequest\b|\biwr\s|\bURL\s*\([^)\n]{0,300}\)\s*\.\s*(?:openStream|openConnection|readBytes|readText)\s*\(|\bHttpClient\.new\w*|\.send\s*\([^)\n]{0,120}BodyHandlers\.of(?:File|ByteArray|InputStream|String)|\bLWP::Simple\b|\bgetstore\s*\(|\bHTTP::Tiny\b[^\n]{0,80}->(?:get|mirror)\b|\bNet::HTTP\.get\b|\bURI\.open\b|\bfile_get_contents\s*\(\s*["']https?:|\bcurl_easy_perform\s*\(|\bcurl_exec\s*\(|\bhf_hub_download\s*\(/;
/** A digest computed, and a pinned SHA-256 or SHA-512 literal to compare it with. */
const DIGEST = /\bsha(?:256|512)\b|\bSHA(?:256|512)\b|\bSha(?:256|512)\b|\bhashlib\b|\bcreateHash\b|\bGet-FileHash\b|\bMessageDigest\b|\bsha2::/;
const PINNED_DIGEST = /["'`](?:sha(?:256|512)[:-])?(?:[0-9a-f]{64}|[0-9a-f]{128})["'`]/i;
/** Perl's LWP::Simple exports `get`/`getstore`/`mirror` as bare words. */
const PERL_SIMPLE_GET = /(?<![\w:>$.])(?:get|getstore|mirror)\s*\(/;

/** Writes whose capture is the destination and whose text carries what is written. */
const WRITE_TO = [
  /\b(?:fs|std::fs)::write\s*\(\s*&?\s*(\w+)/,
  /\bFile\.WriteAll(?:Bytes|Text)(?:Async)?\s*\(\s*(\w+)/,
  /\bFile\.(?:bin)?write\s*\(\s*(\w+)/,
  /\bFiles\.(?:write|copy)\s*\([^,\n]*?,\s*(\w+)|\bFiles\.write\s*\(\s*(\w+)/,
  /\b(?:os|ioutil)\.WriteFile\s*\(\s*(\w+)/,
  /\bio\.Copy\s*\(\s*(\w+)\s*,/,
  /\b(?:std::)?io::copy\s*\([^,\n]*,\s*&mut\s+(\w+)/,
  /\burlretrieve\s*\([^,\n]+,\s*(\w+)/,
  /\b(?:getstore|mirror)\s*\([^,\n]+,\s*\$?(\w+)/,
  /\.DownloadFile(?:TaskAsync|Async)?\s*\([^,\n]+,\s*(\w+)/,
  /-OutFile\s+["']?\$(\w+)/,
  /\bshutil\.copyfileobj\s*\([^,\n]+,\s*(\w+)/,
  /\b(\w+)\.(?:write|write_all|write_bytes|Write|WriteAsync|CopyTo(?:Async)?)\s*\(/,
  /\.(?:CopyTo(?:Async)?|transferTo)\s*\(\s*(\w+)/,
  /\bfwrite\s*\([^;\n]*,\s*(\w+)\s*\)/,
];
/** A handle opened on a path: the capture is the path. */
const OPENS = /\b(?:open|io\.open|os\.Create|os\.OpenFile|File::create|File\.create|File\.Create|File\.OpenWrite|fopen|new\s+FileOutputStream|new\s+FileStream|createWriteStream|Path\.of|Paths\.get|File\.open)\s*\(\s*&?\s*\$?(\w+)/;

/** Starting a program: the capture is its argument text. */
const STARTS =
  /(?:\bsubprocess\.\w+|\bos\.(?:system|popen|exec\w*|spawn\w*|startfile)|\bexec\.Command(?:Context)?|\bsyscall\.Exec|\bCommand::new|\bProcess\.Start|\bnew\s+ProcessStartInfo|\bRuntime\.getRuntime\(\)\s*\.exec|\bnew\s+ProcessBuilder|\bStart-Process|\bexecFile(?:Sync)?|\bspawn(?:Sync)?|\b(?:child_process|childProcess|cp)\.exec\w*|(?<![\w.$])exec[vlpe]{0,3}\b|(?<![\w.$:>])system|(?<![\w.$:>])popen|\bIO\.popen|\bKernel\.(?:exec|system|spawn)|\bproc_open|\bshell_exec|\bpassthru)\s*\(?\s*((?:[^\n]{0,240}))/g;
/** Loading code or a code-carrying object: the capture is what it loads. */
const LOADS =
  /(?:\bAssembly\]?(?:\.|::)Load(?:From|File)?|\bAdd-Type\s+-(?:Path|LiteralPath)|\bLoadFromStream|\bLoadFromAssemblyPath|(?<![\w.$])eval|\bdlopen|\bLoadLibrary\w*|\bctypes\.(?:CDLL|WinDLL|cdll\.LoadLibrary)|\bcdll\.LoadLibrary|\bpickle\.loads?|\bcPickle\.loads?|\bdill\.loads?|\bcloudpickle\.loads?|\bjoblib\.load|\btorch\.load|\bnp\.load|\bnumpy\.load|\bMarshal\.load|\bYAML\.(?:unsafe_)?load|\bunserialize|\bnew\s+ObjectInputStream|\bSystem\.load(?:Library)?|\bImport-Module|(?<![\w.$])require|\bimportlib\.import_module)\b\s*\(?\s*((?:[^\n]{0,240}))/g;

/** After a runner's name, what makes it a key of that name (`"eval": score`, `{ system: prompt }`, `exec: bool`), not a call. */
const KEY_AFTER = /^["'`]?\s*:(?!:)/;

/**
 * Whether a runner pattern's match (group 1: what follows the name) is a key spelling the name
 * (molt-chess's `"eval": -evaluate_position(board)`), not a call. The caller searches on from
 * just after it, so a real call later on the same line (`"eval": eval(reply)`) is still found.
 */
export function isKeyNamed(m: RegExpExecArray): boolean {
  const rest = m[1] ?? "";
  return !m[0].slice(0, m[0].length - rest.length).includes("(") && KEY_AFTER.test(rest);
}

/** The matches of a runner or loader pattern that can be calls (keys spelling the name skipped). */
function* runnerUses(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const re = new RegExp(pattern.source, pattern.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (isKeyNamed(m)) {
      re.lastIndex = m.index + 1;
      continue;
    }
    yield m;
  }
}

/** Words before the program in an argument vector or command line that run what follows. */
const LAUNCHER = /^(?:sys\.executable|process\.execPath|sudo|doas|env|nohup|exec|sh|bash|zsh|dash|python[\d.]*|node|perl|ruby|pwsh|powershell(?:\.exe)?|cmd(?:\.exe)?|\/c|-c|-File|-u|-E|java|-jar|-javaagent:?|dotnet|mono|mono-sgen)$/i;

/** A typed or untyped assignment in any of these languages: the capture is the name, the second the value. */
const ASSIGN = /^\s*(?:(?:my|our|local|const|let|mut|var|val|final|auto|static|using|[A-Z][\w.]{0,60}(?:<[^<>\n]{0,80}>)?(?:\[\])?|[a-z_][\w:]{0,30}\s*\*|string|int|byte\[\]|char\*?)\s+){0,3}[*&$@]?([A-Za-z_]\w*)(?:\s*\[\s*\])?(?:\s*,\s*[*&$]?(?:\w+|_))?\s*(?::\s*[^=\n]{1,60})?(?::=|=)(?!=)([^\n]*)$/;

const MAX_FUNCTION = 3000;
const MAX_FUNCTIONS = 300;
/** A function's header in Python, JS, Go, Rust, Perl, Ruby, PHP, Kotlin, Swift, C, C#, Java: the capture is its name. */
const FUNCTION_HEAD =
  /^[ \t]*(?:(?:pub(?:\([\w:]+\))?|public|private|protected|internal|static|async|export|final|override|virtual|unsafe|extern|inline|suspend)\s+)*(?:(?:fn|def|func|function|sub|fun)\s+([A-Za-z_]\w*)|(?:[\w<>[\],.?*&]+\s+){1,2}([A-Za-z_]\w*)\s*\([^)\n]{0,300}\)\s*(?:throws\s[^{\n]{0,100})?\{)/gm;
const NOT_FUNCTION = /^(?:if|for|while|switch|catch|return|else|new|using|lock|foreach|sizeof|do)$/;

interface LocalFunction {
  name: string;
  body: string;
}

function localFunctions(text: string): LocalFunction[] {
  const heads = [...text.matchAll(FUNCTION_HEAD)].slice(0, MAX_FUNCTIONS).filter((m) => !NOT_FUNCTION.test(m[1] ?? m[2]!));
  return heads.map((m, i) => ({ name: m[1] ?? m[2]!, body: text.slice(m.index + m[0].length, Math.min(heads[i + 1]?.index ?? text.length, m.index + MAX_FUNCTION)) }));
}

function fetches(s: string, perlSimple: boolean): boolean {
  return FETCH.test(s) || (perlSimple && PERL_SIMPLE_GET.test(s));
}

/** The first word of an argument text that is not a launcher, with its sigils, quotes and wrappers dropped. */
function programOf(args: string): string | undefined {
  const words = args
    .replace(/\bnew\s+\w+(?:\[\])?\s*[{(]/g, " ")
    .split(/[\s,()[\]{}]+/)
    .map((w) => w.replace(/^(?:&(?:mut\s)?|\*|\$|@|f?["'`]|\{)+|["'`}]+$|\.(?:to_str|as_str|display|unwrap|path|name|FullName|getAbsolutePath|toString|toFile|to_path)\b.*$/g, "").replace(/^\$?\{?(\w+)\}?$/, "$1"))
    .filter((w) => w !== "" && w !== "ctx" && !/^(?:str|String|os\.path\.\w+|-FilePath|FileName|new)$/.test(w));
  let i = 0;
  while (i < words.length - 1 && LAUNCHER.test(words[i]!)) i++;
  return words[i];
}

/** `curl -o P`, `wget -O P`, `-OutFile P`: the saved path (a literal or a `$name`). */
const SAVED_AT = /\b(?:curl\b[^\n|;&]{0,300}?\s(?:-\w*o|--output)|wget\b[^\n|;&]{0,300}?\s-\w*O|-OutFile)[\s=]+(["']?)([^\s"';&|)]+)\1/g;

/**
 * A saved download handed to a runtime that loads it as code, in a command line: a JVM agent
 * or jar (`java -javaagent:P`, `-jar P`, `-cp P`), .NET (`dotnet P`, `mono P`), a preloaded
 * library (`LD_PRELOAD=P`, `DYLD_INSERT_LIBRARIES=P`), R, PHP, Deno. (Shells and the scripting
 * interpreters are the saved-download analysis's.)
 */
function savedThenLoaded(text: string): CodeHit | undefined {
  for (const m of text.matchAll(SAVED_AT)) {
    const line = text.slice(text.lastIndexOf("\n", m.index) + 1, text.indexOf("\n", m.index) >>> 0);
    const url = urlsIn(line)[0];
    const path = m[2]!;
    if (!url || isOfficialInstaller(url) || path === "-" || path.length < 3) continue;
    const spelled = escapeRegExp(path).replace(/^\\\$\\\{?(\w+)\\\}?$/, "\\$\\{?$1\\}?");
    const loads = new RegExp(String.raw`(?:-javaagent:|-agentpath:|\s-jar\s+|\s-(?:cp|classpath)\s+|\bdotnet\s+(?:exec\s+)?|\bmono\s+|\bLD_PRELOAD=|\bDYLD_INSERT_LIBRARIES=|\bRscript\s+|\bphp\s+|\bdeno\s+run\s+(?:-\S+\s+){0,6})["']?${spelled}(?![\w.-])`);
    const after = text.slice(m.index + m[0].length);
    const run = loads.exec(after);
    if (run) return { ruleId: "SR-DLEXEC-008", offset: m.index + m[0].length + run.index, length: run[0].length, message: `Downloads code and runs it: ${path}, saved from ${url}, is loaded by a runtime (${run[0].trim().split(/[\s:=]/)[0]}).` };
  }
  return undefined;
}

/** Downloads run as programs or loaded as code in one piece of code; at most one (one is enough to block). */
export function fetchedProgramRuns(text: string): CodeHit[] {
  const remoteLoader = urlClassLoader(text);
  if (remoteLoader) return [remoteLoader];
  const loaded = savedThenLoaded(text);
  if (loaded) return [loaded];
  const perlSimple = /\bLWP::Simple\b/.test(text);
  if (!FETCH.test(text)) return [];
  if (!STARTS.test(text) && !LOADS.test(text)) return [];
  STARTS.lastIndex = 0;
  LOADS.lastIndex = 0;
  const fetchers = localFunctions(text).filter((f) => fetches(f.body, perlSimple)).map((f) => f.name);
  const callsFetcher = fetchers.length ? new RegExp(`(?<![\\w.$]|def\\s|fn\\s|func\\s|sub\\s|function\\s)(?:${fetchers.join("|")})\\s*\\(`) : undefined;
  const isSource = (s: string) => fetches(s, perlSimple) || (callsFetcher?.test(s) ?? false);
  // Only a download from a host that is not an official installer's counts: a vendor's own installer is reviewed elsewhere.
  const urls = urlsIn(text);
  if (urls.length > 0 && urls.every(isOfficialInstaller)) return [];
  // A download checked against a pinned digest before it runs is the fix this finding asks for.
  if (PINNED_DIGEST.test(text) && DIGEST.test(text)) return [];

  const statements = text.split(/[\n;]/).map((s) => (s.length > 2000 ? s.slice(0, 2000) : s));
  const held = new Set<string>();
  for (const s of statements) {
    const a = ASSIGN.exec(s);
    if (a && isSource(a[2]!)) held.add(a[1]!);
  }
  // A few hops: assignments that carry a held name, writes of it to a path, handles opened on that path.
  for (let hop = 0; hop < 4; hop++) {
    const before = held.size;
    const uses = held.size ? nameUse([...held]) : undefined;
    const carries = (s: string) => isSource(s) || (uses?.test(s) ?? false);
    const handles = new Set<string>();
    for (const s of statements) {
      if (!carries(s)) continue;
      const a = ASSIGN.exec(s);
      if (a && (isSource(a[2]!) || (uses?.test(a[2]!) ?? false)) && !/^\s*(?:json|JSON|yaml|toml)\b/.test(a[2]!)) held.add(a[1]!);
      for (const w of WRITE_TO) {
        const m = w.exec(s);
        const dest = m?.slice(1).find((g) => g !== undefined);
        if (dest && !held.has(dest)) handles.add(dest);
      }
      const withAs = /\bopen\s*\(\s*(\w+)[^)\n]*\)\s+as\s+(\w+)/.exec(s);
      if (withAs && uses?.test(withAs[1]!)) held.add(withAs[2]!);
    }
    for (const h of handles) held.add(h);
    // `f, _ := os.OpenFile(dst, …)`, `with open(p, "wb") as f`, `var fs = File.Create(p)`: writing the handle fills the path.
    for (const s of statements) {
      const a = ASSIGN.exec(s);
      const opened = a ? OPENS.exec(a[2]!) : null;
      if (a && opened && handles.has(a[1]!)) held.add(opened[1]!);
      const withAs = /\bopen\s*\(\s*(\w+)[^)\n]*\)\s+as\s+(\w+)/.exec(s);
      if (withAs && handles.has(withAs[2]!)) held.add(withAs[1]!);
    }
    if (held.size === before) break;
  }
  // A minified bundle reuses one- and two-letter names in every scope: `e` holding a reply in one
  // function says nothing about `eval(e)` in another (network-code.ts follows those only from a
  // fetch a few statements before the runner, which is where a minified dropper has it).
  if (isMinified(text)) for (const n of [...held]) if (n.replace(/^\$/, "").length <= 2) held.delete(n);
  if (!held.size && !callsFetcher) return [];
  const uses = held.size ? nameUse([...held]) : undefined;

  for (const m of runnerUses(STARTS, text)) {
    const args = m[1]!;
    const program = programOf(args);
    if (!program) continue;
    const direct = fetches(args.slice(0, 120), perlSimple) && /^\s*\(?\s*(?:await\s+)?[\w.:]+\s*\(/.test(args);
    if (held.has(program) || direct || (callsFetcher?.test(`${program}(`) && callsFetcher.test(args))) {
      return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: Math.min(m[0].length, 160), message: `Downloads a program and runs it: ${program} holds what a network fetch returned (followed through names, writes and the skill's own functions) and is started as a program.` }];
    }
  }
  for (const m of runnerUses(LOADS, text)) {
    const args = m[1]!;
    const word = m[0].slice(0, m[0].length - args.length).trim();
    // A model loaded with `weights_only=True`, an array without pickles: data, not code.
    if (/torch\.load/.test(word) && /weights_only\s*=\s*True/.test(args)) continue;
    if (/np\.load|numpy\.load/.test(word) && !/allow_pickle\s*=\s*True/.test(args)) continue;
    // The first argument, its string literals blanked: `require('form-data')` names a package, not the name `data`.
    const operand = args.replace(/(["'`])(?:(?!\1)[^\\\n]|\\.)*\1/g, '""').split(/[,)]/)[0]!;
    if ((uses?.test(operand) ?? false) || ((callsFetcher?.test(operand) ?? false) || fetches(operand, perlSimple))) {
      return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: Math.min(m[0].length, 160), message: `Downloads code and runs it: what a network fetch returned is loaded with ${word.replace(/\s*\($/, "")}, which runs it.` }];
    }
  }
  return [];
}

/**
 * `new URLClassLoader(new URL[]{ jar })` with jar a remote URL, and a class loaded from it; also
 * without `new` (Kotlin `URLClassLoader(arrayOf(URL(…)))`, Groovy) and through `newInstance`.
 */
function urlClassLoader(text: string): CodeHit | undefined {
  const loader = /\b(?:new\s+)?URLClassLoader(?:\s*\.\s*newInstance)?\s*\(([^\n]{0,300})/.exec(text);
  if (!loader || !/\b(?:loadClass|forName|ServiceLoader\.load|newInstance)\b/.test(text)) return undefined;
  const remote = new Set<string>();
  for (const m of text.matchAll(/\b(\w+)\s*(?::\s*URL\s*)?=\s*(?:(?:new\s+)?URL\s*\(|URI\.create\s*\()\s*"(https?:\/\/[^"\n]+)"/g)) if (!isOfficialInstaller(m[2]!)) remote.add(m[1]!);
  const args = loader[1]!;
  const literal = /"(https?:\/\/[^"\n]+)"/.exec(args);
  if ((literal && !isOfficialInstaller(literal[1]!)) || (remote.size && nameUse([...remote]).test(args))) {
    return { ruleId: "SR-DLEXEC-008", offset: loader.index, length: loader[0].length, message: "Downloads code and runs it: a class loader over a remote URL loads and runs classes whatever that server sends." };
  }
  return undefined;
}

/**
 * Where code in any language starts the file at a path `spelled` matches (a regular expression
 * over the path as written, without quotes): named at the program's place directly or through a
 * name assigned a literal holding it (`runtime = os.path.expanduser("~/.cache/x/run")` then
 * `subprocess.run(["sudo", runtime])`). The offset of the start, or undefined.
 */
export function startsPathIn(text: string, spelled: string): number | undefined {
  const whole = new RegExp(`^(?:${spelled})$`);
  const quoted = new RegExp(`["'\`](?:${spelled})["'\`]`);
  const names = new Set<string>();
  for (const s of text.split(/[\n;]/)) {
    const a = ASSIGN.exec(s.length > 2000 ? s.slice(0, 2000) : s);
    if (a && quoted.test(a[2]!)) names.add(a[1]!);
  }
  for (const m of runnerUses(STARTS, text)) {
    const program = programOf(m[1]!);
    if (program && (names.has(program) || whole.test(program))) return m.index;
  }
  return undefined;
}
