/**
 * Code that arrives over the network and is run, in any language a skill ships, read over the
 * text with names followed statement by statement (as `remote-control.ts` does) because the
 * routes are where parsed facts say least:
 *
 * - data from any network source (an HTTP reply, a DNS TXT record, a function of the skill that
 *   fetches, a loop over either) reaching anything that runs text as code or as a command line: `eval`, `new
 *   Function`, a constructor looked up by a built name (`globalThis[['Fun','ction'].join('')]`),
 *   `[ScriptBlock]::Create`, `Invoke-Expression`, a call operator on a built name (`& $x $code`);
 * - a package runner or installer pointed at an archive or repository on a host that is not a
 *   package registry or code host (`npx -y https://…/x.tgz`, `pip install http://203.0.113.5/…`,
 *   `deno run https://…`), in a command line or an argument vector, through the names and
 *   wrapper functions that carry it: installing or running a package runs its code;
 * - a module imported from such a host (`await import("https://deno.land.x-mirror.example/…")`);
 * - a file a skill function downloads to its path argument (`download(url, to)`) and the path
 *   then started; an archive downloaded, unpacked into a folder and a script under it run; a
 *   download saved at a path that is then loaded as code (`spec_from_file_location`, `require`,
 *   `Import-Module`, a dot-source).
 *
 * Three ingredients must meet (a network source, a route by name, a runner), which a client that
 * only reads its replies does not have.
 */
import { isMinified } from "./minified.js";
import { isOfficialInstaller } from "../allowlist.js";
import { hostOf, isAddress } from "../urls.js";
import { escapeRegExp } from "../escape-regexp.js";
import type { CodeHit } from "./code.js";
import { nameUse } from "./judge.js";
import { ASSIGNMENT, carriedNames } from "./remote-control.js";

/** A statement that fetches over the network (HTTP, DNS TXT records) and yields what it got. */
const NET_SOURCE =
  /\burlopen\s*\(|\brequests\.(?:get|post)\s*\(|\bhttpx\.(?:get|post)\s*\(|\bfetch\s*\(|\baxios(?:\.get)?\s*\(|\bgot\s*\(|\bhttps?\.get\s*\(|\bhttp\.Get\s*\(|\bInvoke-(?:WebRequest|RestMethod)\b|\b(?:iwr|irm)\s|\.Download(?:String|Data)\s*\(|\bNet::HTTP\.get\b|\bURI\.open\b|\bResolve-DnsName\b[^\n]*\bTXT\b|\bresolveTxt\s*\(|\bresolver\.(?:resolve|query)\s*\([^)\n]*["']TXT["']|\bdns\.resolver\.(?:resolve|query)\s*\([^)\n]*["']TXT["']|\bLookupTXT\s*\(|\bnslookup\s+-(?:q|type|querytype)=txt\b|\bdig\b[^\n|;]*\bTXT\b|\$\(\s*(?:curl|wget)\b|`\s*(?:curl|wget)\b/i;

/**
 * Runners of text as code; the capture (a lookahead, so the next runner on the statement is
 * still found when this one is passed over) is what they are handed: the next 240 characters,
 * not the rest of a minified bundle's one long line.
 */
const RUNS_CODE = /(?:\bnew\s+Function\s*\(|(?<![.\w$])Function\s*\(|(?<![.\w$])eval\s*\(|(?<![.\w$-])eval\s+(?=["'$])|\bos\.(?:system|popen)\s*\(|\bsubprocess\.\w+\s*\((?=[^\n]*shell\s*=\s*True)|\bexecSync\s*\(|\bchild_process\.exec\s*\(|\bexec\.Command(?:Context)?\s*\(\s*(?:ctx\s*,\s*)?"(?:\/bin\/)?(?:ba)?sh"\s*,\s*"-c"|\b(?:ba)?sh\s+-c\s+(?=["'$])|\bvm\.(?:runIn\w*|compileFunction)\s*\(|\bnew\s+vm\.Script\s*\(|\[ScriptBlock\]::Create\s*\(|\bInvoke-Expression\b|(?<![\w-])iex\b|\bexec\s*\(|\bcompile\s*\(|\binstance_eval\b|\bmarshal\.loads\s*\()(?=([^\n]{0,240}))/gi;

/** `F = globalThis[…]`, `$x = (… -join '')`: a callee whose name the source does not spell. */
const BUILT_CALLEE = /^\s*(?:(?:const|let|var)\s+)?\$?([A-Za-z_]\w*)\s*=\s*(?:\(?\s*)?(?:(?:globalThis|global|window|self|this)\s*\[|[^\n]*(?:-join\b|\[char\]|\$env:\w+\s*\[|\.Substring\s*\(|-replace\b|\[::-1\]|\.reverse\(\)))/i;

const MAX_FUNCTION = 2000;
const MAX_FUNCTIONS = 400;
/** A function's header: JS, Python, PowerShell, Go, Ruby; the capture is its name, the second its parameters. */
const FUNCTION_HEAD = /^[ \t]*(?:export\s+)?(?:async\s+)?(?:function\s+([A-Za-z_$][\w$-]*)\s*\(([^)\n]{0,300})\)|def\s+([A-Za-z_]\w*)\s*\(([^)\n]{0,300})\)|func\s+([A-Za-z_]\w*)\s*\(([^)\n]{0,300})\)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\s*)?\(([^)\n]{0,300})\)\s*(?:=>)?)/gm;

interface LocalFunction {
  name: string;
  params: string[];
  body: string;
}

/** The skill's own functions with their bodies (up to the next function header, bounded). */
function localFunctions(text: string): LocalFunction[] {
  // The first functions only: a generated file of thousands would cost more than what its helpers could hide.
  const heads = [...text.matchAll(FUNCTION_HEAD)].slice(0, MAX_FUNCTIONS);
  return heads.map((m, i) => {
    const name = m[1] ?? m[3] ?? m[5] ?? m[7]!;
    const params = (m[2] ?? m[4] ?? m[6] ?? m[8] ?? "").split(",").map((p) => p.replace(/^[\s*$]+|[\s:=].*$/g, "").trim()).filter(Boolean);
    const end = Math.min(heads[i + 1]?.index ?? text.length, m.index + MAX_FUNCTION);
    return { name, params, body: text.slice(m.index + m[0].length, end) };
  });
}

function callOf(names: string[]): RegExp | undefined {
  const unique = [...new Set(names)].map((n) => n.replace(/\$/g, "\\$"));
  return unique.length ? new RegExp(`(?<![\\w.$])(?:${unique.join("|")})\\s*\\(`) : undefined;
}

/** Names a loop walks over a carried collection with (`for (const r of records)`, `for u in urls:`, `foreach ($l in $lines)`, `.forEach((r) =>`). */
function loopNames(statements: string[], carried: RegExp): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    const m = /\bfor\s*\(?\s*(?:const|let|var)?\s*\$?(\w+)\s+(?:of|in)\s+([^\n]*)|\bforeach\s*\(\s*\$(\w+)\s+in\s+([^\n]*)|\.(?:forEach|map|flatMap)\s*\(\s*(?:async\s*)?\(?\s*(\w+)[^\n]*/i.exec(s);
    if (!m) continue;
    const name = m[1] ?? m[3] ?? m[5];
    const over = m[2] ?? m[4] ?? s.slice(0, m.index);
    if (name && carried.test(over)) out.add(name);
  }
  return out;
}

/** What the network delivers in this code: names holding it (assigned from a fetch, a fetching function, a loop over either). */
function networkNames(statements: string[], fetchers: RegExp | undefined): Set<string> {
  const isSource = (s: string) => NET_SOURCE.test(s) || (fetchers?.test(s) ?? false);
  let names = new Set(statements.filter(isSource).map((s) => ASSIGNMENT.exec(s)?.[1]).filter((n): n is string => n !== undefined));
  for (let round = 0; round < 2 && names.size; round++) {
    names = carriedNames(statements, names);
    const more = loopNames(statements, nameUse([...names]));
    const before = names.size;
    for (const n of more) names.add(n);
    if (names.size === before) break;
  }
  return names;
}

/** How many statements before a runner a fetch must be, in minified code, for a short name to carry its reply. */
const NEAR_FETCH = 12;

/**
 * One piece of code as the readers below share it: split into statements once, its functions
 * and the names holding what the network delivers found once, on first use (three readers
 * want the functions, two the names; each was a pass over the whole text).
 */
class Code {
  readonly statements: string[];
  private functionList?: LocalFunction[];
  private fetcherCall?: { re: RegExp | undefined };
  private fetchedNames?: Set<string>;

  constructor(readonly text: string) {
    this.statements = text.split(/[\n;]/);
  }

  get functions(): LocalFunction[] {
    return (this.functionList ??= localFunctions(this.text));
  }

  /** Calls of the skill's own functions that fetch over the network. */
  get fetchers(): RegExp | undefined {
    return (this.fetcherCall ??= { re: callOf(this.functions.filter((f) => NET_SOURCE.test(f.body)).map((f) => f.name)) }).re;
  }

  get fetched(): ReadonlySet<string> {
    // No fetch in the whole text and no fetching function: no statement (a piece of the text) fetches.
    return (this.fetchedNames ??= this.fetchers === undefined && !NET_SOURCE.test(this.text) ? new Set() : networkNames(this.statements, this.fetchers));
  }
}

/** Whether what a runner is handed fetches only official installers (scanner/allowlist.ts) itself, not through a name or a function of the skill. */
function officialFetchOnly(handed: string, carried: RegExp, fetchers: RegExp | undefined): boolean {
  if (carried.test(handed) || (fetchers?.test(handed) ?? false)) return false;
  const urls = handed.match(/https?:\/\/[^\s"'`)]+/g) ?? [];
  return urls.length > 0 && urls.every(isOfficialInstaller);
}

/** Data from the network run as code, in one piece of code. */
function fetchedCodeRuns(code: Code): CodeHit[] {
  const { statements, fetchers, fetched } = code;
  if (fetched.size === 0) return [];
  const carried = nameUse([...fetched]);
  const direct = (s: string) => NET_SOURCE.test(s) || (fetchers?.test(s) ?? false) || carried.test(s);
  const built = statements.map((s) => BUILT_CALLEE.exec(s)?.[1]).filter((n): n is string => n !== undefined && !fetched.has(n));
  const builtCall = built.length ? new RegExp(`(?:(?<![\\w.$])(?:${built.join("|")})\\s*\\(|&\\s*\\$(?:${built.join("|")})\\b|^\\s*\\.\\s+\\$(?:${built.join("|")})\\b)([^\\n]*)`, "m") : undefined;
  // A minified bundle reuses one- and two-letter names in every scope: `v` holding a reply in one
  // function says nothing about `v` in a template compiler thousands of statements later. There a
  // short name is followed only from a fetch a few statements before the runner.
  const minified = isMinified(code.text);
  const shortOnly = (handed: string) => {
    const used = [...fetched].filter((n) => nameUse([n]).test(handed));
    return used.length > 0 && used.every((n) => n.replace(/^\$/, "").length <= 2) && !NET_SOURCE.test(handed) && !(fetchers?.test(handed) ?? false);
  };
  let offset = 0;
  for (const [i, s] of statements.entries()) {
    const at = offset;
    offset += s.length + 1;
    RUNS_CODE.lastIndex = 0;
    for (let m = RUNS_CODE.exec(s); m; m = RUNS_CODE.exec(s)) {
      if (!direct(m[1] ?? "")) continue;
      // A vendor's reviewed installer fetched right there (`sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/…)"`) is the pattern rules' allowlisted install.
      if (s.length - m.index - m[0].length <= 240 && officialFetchOnly(m[1] ?? "", carried, fetchers)) continue;
      if (minified && shortOnly(m[1] ?? "") && !statements.slice(Math.max(0, i - NEAR_FETCH), i + 1).some((x) => NET_SOURCE.test(x) || (fetchers?.test(x) ?? false))) continue;
      // The pattern is case-insensitive for PowerShell's sake, but JavaScript's `function (…)` declares, it runs nothing: only `Function(…)` builds code.
      if (/^function/.test(m[0])) continue;
      // `re.compile(pattern)`, `regex.exec(body)`, `/<a>/.exec(html)`: a pattern method, not a runner.
      if (/^(?:compile|exec)/i.test(m[0]) && /[\w$)\]/]\s*\.\s*$/.test(s.slice(0, m.index))) continue;
      return [{ ruleId: "SR-DLEXEC-008", offset: at + m.index, length: m[0].length, message: `Downloads code and runs it: what a network fetch returns is run with ${m[0].trim().split(/[\s(]/)[0]}${m[0].startsWith("new") ? " Function" : ""}.` }];
    }
    const call = builtCall?.exec(s);
    if (call && direct((call[1] ?? "").slice(0, 240))) return [{ ruleId: "SR-DLEXEC-008", offset: at + call.index, length: call[0].length, message: "Downloads code and runs it: what a network fetch returns is handed to a runner whose name is built so the source does not spell it." }];
  }
  return [];
}

/** Hosts that serve packages and modules as registries and code hosts do (versioned, attributable). */
const REGISTRY_HOSTS = /^(?:registry\.npmjs\.org|registry\.yarnpkg\.com|npm\.pkg\.github\.com|pypi\.org|files\.pythonhosted\.org|deno\.land|jsr\.io|esm\.sh|esm\.run|cdn\.jsdelivr\.net|unpkg\.com|cdn\.skypack\.dev|ga\.jspm\.io|github\.com|codeload\.github\.com|raw\.githubusercontent\.com|objects\.githubusercontent\.com|gitlab\.com|bitbucket\.org|download\.pytorch\.org|crates\.io|static\.crates\.io|rubygems\.org|proxy\.golang\.org)$/;
const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[\w.-]+\.(?:local|internal|lan|corp|test|localhost))$/;

/** Why code from `url` is foreign to the package ecosystem, or undefined when it is a registry, a code host or local. */
function foreignSource(url: string, strict: boolean): string | undefined {
  const host = hostOf(url.replace(/^git\+/, ""));
  if (!host || LOCAL_HOST.test(host) || /[$%{]/.test(host)) return undefined;
  if (isAddress(host)) return `a bare address (${host})`;
  if (REGISTRY_HOSTS.test(host) || /\.(?:github|gitlab)\.io$/.test(host)) return undefined;
  if (/^http:/i.test(url)) return `plain http (${host})`;
  return strict ? host : undefined;
}

/** A runner that executes a package (`npx`, `deno run`…) and an installer that runs its build (`pip install`): the words of a command line or an argument vector. */
const RUNS_PACKAGE = /\b(?:npx|bunx|pnpx|uvx)\b|\b(?:pnpm|yarn)\W+dlx\b|\bnpm\W+exec\b|\bpipx\W+run\b|\bdeno\W+(?:run|install)\b/;
const INSTALLS_PACKAGE = /\b(?:pip3?|uv\W+pip|npm|pnpm|yarn|bun|gem)\W+(?:install|add|i)\b|\bmsiexec(?:\.exe)?\W+\/(?:i|package)\b|\bcpanm\b|\bcpan\W+-i\b|\bcargo\W+install\b|\bcomposer\W+(?:require|install)\b/i;
const URL_LITERAL = /(?:git\+)?https?:\/\/[^\s"'`<>)\]},]+/g;

/** Names whose value folds to URL literals: a string, a template, pieces joined or added, a list of them. */
function urlNames(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text.matchAll(/^\s*(?:(?:const|let|var|export)\s+)?\$?([A-Za-z_]\w*)\s*:?=\s*([\s\S]{0,600}?)(?:;?\s*$)/gm)) {
    const value = m[2]!;
    // `['https://', 'host', '.example', '/x.tgz'].join('')`, `"https://" + host`: the literal pieces in order.
    const pieces = [...value.matchAll(/["'`]([^"'`\n]*)["'`]/g)].map((p) => p[1]!);
    const joined = /\.join\s*\(\s*["'`]{2}\s*\)|["'`]\s*\+\s*["'`]/.test(value) ? [pieces.join("")] : [];
    const urls = [...joined, ...pieces].flatMap((p) => p.match(URL_LITERAL) ?? []);
    if (urls.length) out.set(m[1]!, [...new Set(urls)]);
  }
  // A list written over several lines: `PREBUILT = [` … `]`.
  for (const m of text.matchAll(/^\s*(?:(?:const|let|var)\s+)?([A-Za-z_]\w*)\s*=\s*[[(]([^\])]{0,4000})[\])]/gm)) {
    const urls = m[2]!.match(URL_LITERAL);
    if (urls) out.set(m[1]!, urls);
  }
  return out;
}

/** A package runner or installer handed code from a foreign host. */
function foreignPackageRuns(code: Code): CodeHit[] {
  const { text, statements } = code;
  if (!RUNS_PACKAGE.test(text) && !INSTALLS_PACKAGE.test(text)) return [];
  const values = urlNames(text);
  // Names holding those URLs, also through loops (`for url in PREBUILT:`).
  const holders = new Map(values);
  if (holders.size) {
    for (const s of statements) {
      const loop = /\bfor\s*\(?\s*(?:const|let|var)?\s*\$?(\w+)\s+(?:of|in)\s+([^\n]*)|\bforeach\s*\(\s*\$(\w+)\s+in\s+([^\n]*)/.exec(s);
      if (!loop) continue;
      const over = loop[2] ?? loop[4]!;
      const source = [...holders.keys()].find((k) => nameUse([k]).test(over));
      if (source) holders.set(loop[1] ?? loop[3]!, holders.get(source)!);
    }
  }
  // Wrapper functions whose body runs the package tool: their calls are runs too.
  const wrappers = code.functions.filter((f) => RUNS_PACKAGE.test(f.body) || INSTALLS_PACKAGE.test(f.body));
  const urlsOf = (token: string): string[] => (/^(?:git\+)?https?:\/\//.test(token) ? [token] : (holders.get(token.replace(/^\$\{?|\}$/g, "")) ?? []));
  let offset = 0;
  for (const s of statements) {
    const at = offset;
    offset += s.length + 1;
    const run = RUNS_PACKAGE.exec(s);
    const install = run ? undefined : INSTALLS_PACKAGE.exec(s);
    const wrapper = run || install ? undefined : wrappers.find((f) => new RegExp(`(?<![\\w.$]|def\\s|function\\s)${escapeRegExp(f.name)}\\s*\\(`).test(s));
    if (!run && !install && !wrapper) continue;
    const strict = run ? true : wrapper ? RUNS_PACKAGE.test(wrapper.body) : false;
    const from = run ? run.index + run[0].length : install ? install.index + install[0].length : s.search(new RegExp(`${escapeRegExp(wrapper!.name)}\\s*\\(`)) + wrapper!.name.length;
    // The words after the runner, up to the end of its command (a pipe, `&&`, a closing parenthesis of a call).
    const words = s.slice(from).split(/\s*(?:\|\||&&|\|(?!\|))\s*/)[0]!.split(/[\s,[\](){}"'`]+/).filter(Boolean);
    // A runner's package is its first word that is not an option (`--from X`, `-p X` name it); an installer's are all of them.
    const specs: string[] = [];
    const indexes: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (/^--(?:from|package)$|^-p$/.test(w)) specs.push(words[++i] ?? "");
      else if (/^--(?:index-url|extra-index-url|registry|find-links|mirror|source|index)$|^-[if]$/.test(w)) indexes.push(words[++i] ?? "");
      else if (/^--(?:trusted-host|target|prefix|constraint|requirement|cwd|config|import-map)$|^-[rct]$/.test(w)) i++;
      // Options, and the keys of an object that spells the vector (`command: 'npx', args: [...]` of an MCP server entry).
      else if (w.startsWith("-") || w.endsWith(":") || /^(?:ctx|sys\.executable|stdio|inherit|check|shell)/.test(w)) continue;
      else specs.push(w);
      if (strict && specs.length) break;
    }
    for (const url of specs.flatMap(urlsOf)) {
      const why = foreignSource(url, strict);
      if (!why) continue;
      const what = strict ? "runs a package" : "installs a package (its build and install scripts run)";
      return [{ ruleId: "SR-DLEXEC-008", offset: at, length: s.length, message: `Downloads code and runs it: ${what} from ${why}, not a package registry.` }];
    }
    // An index at a bare public address or over plain http: every package named is whatever that server sends (a named https mirror is SR-SUPPLY-002's).
    for (const url of indexes.flatMap((w) => urlsOf(w.replace(/^--[\w-]+=/, "")))) {
      const why = strict ? undefined : foreignSource(url, false);
      if (why) return [{ ruleId: "SR-DLEXEC-008", offset: at, length: s.length, message: `Downloads code and runs it: installs packages from an index at ${why}, whose build and install scripts run.` }];
    }
  }
  return [];
}

/** `import("https://…")`, `import x from "https://…"`: a module loaded from a host that is not a module registry. */
const REMOTE_IMPORT = /\bimport\s*\(\s*[`"'](https?:\/\/[^`"'\s]+)|\bimport\s+[^;\n]{0,300}?\bfrom\s+["'](https?:\/\/[^"'\s]+)|^\s*import\s+["'](https?:\/\/[^"'\s]+)/gm;

function foreignImports(text: string): CodeHit[] {
  for (const m of text.matchAll(REMOTE_IMPORT)) {
    const why = foreignSource(m[1] ?? m[2] ?? m[3]!, true);
    if (why) return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: m[0].length, message: `Downloads code and runs it: imports a module from ${why}, not a module registry.` }];
  }
  return [];
}

/** Writes of a download to a path parameter: `createWriteStream(to)`, `open(dest, "wb")`, `-OutFile $path`, `urlretrieve(u, to)`, `os.Create(dst)`. */
const WRITES_PARAM = /\b(?:createWriteStream|writeFile(?:Sync)?|os\.Create|os\.WriteFile|urlretrieve\s*\([^,]+,)\s*\(?\s*(\w+)|\bopen\s*\(\s*(\w+)\s*,\s*["']wb|-OutFile\s+\$(\w+)|\.DownloadFile\s*\([^,]+,\s*\$?(\w+)/g;
/** Starting a program by the path held in a name: `spawn(p`, `execFile(p`, `subprocess.run([p`, `& $p`, `Start-Process $p`, `exec.Command(p`. */
const STARTS_NAME = /\b(?:spawn(?:Sync)?|execFile(?:Sync)?|execa|subprocess\.\w+|os\.exec\w*|exec\.Command|Start-Process|Process\.Start)\s*\(?\s*\[?\s*(?:-FilePath\s+)?\$?(\w+)|^\s*&\s*\$(\w+)/gm;

/** A skill function that downloads to its path argument, called with a path the code then starts. */
function downloaderRuns(code: Code): CodeHit[] {
  const text = code.text;
  const downloaders = code.functions.flatMap((f) => {
    if (!NET_SOURCE.test(f.body) && !/\burlretrieve\b|\.DownloadFile\b/.test(f.body)) return [];
    const written = [...f.body.matchAll(WRITES_PARAM)].map((w) => w[1] ?? w[2] ?? w[3] ?? w[4]!).filter((n) => f.params.includes(n));
    return written.map((p) => ({ name: f.name, index: f.params.indexOf(p) }));
  });
  if (!downloaders.length) return [];
  const paths = new Set<string>();
  for (const d of downloaders) {
    for (const call of text.matchAll(new RegExp(`(?<![\\w.$]|function\\s|def\\s)${escapeRegExp(d.name)}\\s*\\(([^\\n]*)\\)`, "g"))) {
      // The arguments at top-level commas, once strings and templates (which hold commas of their own) are blanked.
      const flat = call[1]!.replace(/`[^`]*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "S");
      const args: string[] = [];
      let depth = 0;
      let cur = "";
      for (const ch of flat) {
        if ("([{".includes(ch)) depth++;
        if (")]}".includes(ch)) depth--;
        if (ch === "," && depth === 0) {
          args.push(cur.trim());
          cur = "";
        } else cur += ch;
      }
      args.push(cur.trim());
      const arg = /^\$?([A-Za-z_]\w*)$/.exec(args[d.index] ?? "")?.[1];
      if (arg) paths.add(arg);
    }
  }
  for (const m of text.matchAll(STARTS_NAME)) {
    const name = m[1] ?? m[2]!;
    if (paths.has(name)) return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: m[0].length, message: `Downloads code and runs it: ${name} is filled by a download function of the skill and then started.` }];
  }
  return [];
}

/** An archive saved from the network (`-O f`, `-o f`, `-OutFile f`), unpacked into a folder, and a file under that folder run. */
const SAVED = /\b(?:wget\b[^\n|;&]{0,300}?\s-\w*O\s*|curl\b[^\n|;&]{0,300}?\s(?:-\w*o|--output)\s*|Invoke-WebRequest\b[^\n|;&]{0,300}?-OutFile\s+)(["']?)([^\s"';&|]+)\1/g;
const UNPACK = /\b(?:tar\s+[^\n|;&]{0,300}?-?[xz]\w*f?\s+(["']?)([^\s"';&|]+)\1(?:[^\n|;&]{0,300}?\s-C\s*(["']?)([^\s"';&|]+)\3)?|unzip\s+(?:-\w+\s+)*(["']?)([^\s"';&|]+)\5(?:\s+-d\s+(["']?)([^\s"';&|]+)\7)?|Expand-Archive\s+(?:-Path\s+)?(["']?)([^\s"';&|]+)\9\s+(?:-DestinationPath\s+)?(["']?)([^\s"';&|]+)\11)/g;

const PIPED_UNPACK = /\b(?:curl|wget)\b[^\n|]{0,300}?https?:\/\/[^\n|]{0,300}\|\s*(?:sudo\s+)?(?:bsd)?tar\s+[^\n|;&]{0,300}?-?x\w*(?:[^\n|;&]{0,300}?\s-C\s*(["']?)([^\s"';&|]+)\1)?/g;

function unpackedRuns(text: string): CodeHit[] {
  // Saved path -> the URL it came from (the download's line).
  const saved = new Map<string, string>();
  for (const m of text.matchAll(SAVED)) {
    const url = text.slice(m.index, text.indexOf("\n", m.index) >>> 0).match(URL_LITERAL)?.[0];
    if (url) saved.set(m[2]!, url);
  }
  const from = new Map<string, string>();
  // `curl -fsSL URL | tar -xz -C D`: unpacked as it arrives.
  for (const m of text.matchAll(PIPED_UNPACK)) {
    const url = m[0].match(URL_LITERAL)?.[0];
    if (url && !isOfficialInstaller(url)) from.set(m[2] ?? ".", url);
  }
  if (!saved.size && !from.size) return [];
  for (const m of text.matchAll(UNPACK)) {
    const archive = m[2] ?? m[6] ?? m[10]!;
    const url = saved.get(archive);
    // A vendor's own installer archive (on the reviewed list) is how that tool is installed.
    if (!url || isOfficialInstaller(url)) continue;
    from.set(m[4] ?? m[8] ?? m[12] ?? ".", url);
  }
  for (const [folder, url] of from) {
    const prefix = folder === "." ? "\\.?/?" : `${escapeRegExp(folder).replace(/\/$/, "")}/`;
    const run = new RegExp(`(?:^|[;&|(]|\\bthen|\\bdo|\\bsudo|\\b(?:ba|z)?sh|\\bsource|\\bpython3?|\\bnode|\\bpwsh|&)\\s*["']?${prefix}[\\w./-]*(?:\\.sh|\\.py|\\.ps1|install\\w*|setup\\w*)\\b`, "m");
    const m = run.exec(text);
    // A project's GitHub release is the high "download a release and run it" pattern, not a dropper.
    const release = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/releases\/download\//.test(url);
    if (m) return [{ ruleId: release ? "SR-DLEXEC-005" : "SR-DLEXEC-008", offset: m.index, length: m[0].length, message: `Downloads code and runs it: an archive saved from ${hostOf(url) ?? url} is unpacked into ${folder} and a script from it is run.` }];
  }
  return [];
}

/** Writes of a download to a path: the download call's own destination, or a write of what a fetch returned. */
const SAVE_TO = /\burlretrieve\s*\(\s*[^,\n]+,\s*([^),\n]+)|\.DownloadFile\s*\(\s*[^,\n]+,\s*([^),\n]+)|-OutFile\s+(\S+)|\bcurl\b[^\n|;&]{0,300}?\s(?:-o|--output)\s+(\S+)|\bwget\b[^\n|;&]{0,300}?\s-\w*O\s+(\S+)|\b(?:writeFileSync|writeFile)\s*\(\s*([^,\n]+),([^\n]+)|\bopen\s*\(\s*([^,\n]+),\s*["']wb?["']\s*\)\s*\.write\s*\(([^\n]+)|\bSet-Content\s+(?:-Path\s+)?(\S+)\s+(?:-Value\s+)?([^\n]+)/g;
/** Loading a file as code: the capture is the path handed over. */
const LOADS_FILE = /\bspec_from_file_location\s*\(\s*[^,\n]+,\s*([^),\n]+)|\brunpy\.run_path\s*\(\s*([^),\n]+)|\bSourceFileLoader\s*\(\s*[^,\n]+,\s*([^),\n]+)|\bexec\s*\(\s*open\s*\(\s*([^),\n]+)|\bImport-Module\s+(?:-Name\s+)?(\S+)|^\s*\.\s+(["'$]\S+)|\brequire\s*\(\s*([^()\n]+)\)|\bimport\s*\(\s*(?:pathToFileURL\s*\(\s*)?([^()\n]+)\)|^\s*(?:load|require_relative|source)\s+(\S+)/gm;

/** A path as written: a quoted literal's value, or the name that holds it (with `$`, braces and quotes dropped). */
function pathToken(raw: string): string {
  return raw.trim().replace(/^["'`]|["'`]$/g, "").replace(/^\$\{?|\}$/g, "").replace(/\.href$/, "");
}

/** A download saved at a path and that path then loaded as code (a module imported, a script dot-sourced or required). */
function savedCodeLoads(code: Code): CodeHit[] {
  const { text, statements, fetched } = code;
  const carried = fetched.size ? nameUse([...fetched]) : undefined;
  const saved = new Set<string>();
  for (const m of text.matchAll(SAVE_TO)) {
    const direct = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    const written = m[6] ?? m[8] ?? m[10];
    const value = m[7] ?? m[9] ?? m[11] ?? "";
    if (direct) saved.add(pathToken(direct));
    else if (written && (NET_SOURCE.test(value) || (carried?.test(value) ?? false))) saved.add(pathToken(written));
  }
  if (!saved.size) return [];
  // A name assigned a literal path stands for it, and the literal for the name.
  for (const s of statements) {
    const m = /^\s*(?:(?:const|let|var)\s+)?\$?(\w+)\s*=\s*["'`]([^"'`\n]+)["'`]\s*$/.exec(s);
    if (m && (saved.has(m[1]!) || saved.has(m[2]!))) saved.add(m[1]!).add(m[2]!);
  }
  for (const m of text.matchAll(LOADS_FILE)) {
    const arg = m.slice(1).find((g) => g !== undefined);
    // `require('./data.json')` parses data; it runs nothing.
    if (arg && saved.has(pathToken(arg)) && !/\.(?:json|ya?ml|toml|csv|txt|md)$/i.test(pathToken(arg))) return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: m[0].length, message: `Downloads code and runs it: a file saved from the network (${pathToken(arg)}) is loaded as code.` }];
  }
  return [];
}

/** Every chain of this file in one piece of code (segment-relative offsets), at most one: one is enough to block. */
export function networkCodeRuns(text: string): CodeHit[] {
  const code = new Code(text);
  for (const find of [() => fetchedCodeRuns(code), () => foreignPackageRuns(code), () => foreignImports(text), () => downloaderRuns(code), () => unpackedRuns(text), () => savedCodeLoads(code)]) {
    const hits = find();
    if (hits.length) return hits;
  }
  return [];
}
