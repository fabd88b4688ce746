/**
 * Remote control over a connection, in any language: a socket wired to an interactive shell
 * (the shell's stdin/stdout become the connection) and text received over a connection handed
 * to something that runs it (`read line <&5; eval "$line"`, `[scriptblock]::Create($cmd)` of
 * bytes read from a TCP stream). Both hand whoever is at the other end a shell on the user's
 * machine.
 *
 * Written over the text (names followed from line to line, as `namesHolding` does) rather than
 * over parsed calls: the shells and languages these are written in (Perl, Go, Ruby, PowerShell
 * stream methods, bash descriptor redirections) are where the parsed facts say least, and the
 * three ingredients (a connection, a received value or a shell, the run or the wiring) must all
 * be present, which no benign client has together.
 */
import type { CodeHit } from "./code.js";
import { nameUse } from "./judge.js";
import { constantTables, onlyPicksFromTable } from "./constant-table.js";
import { isKeyNamed } from "./fetched-program.js";

/** Opening a connection out (or a listener's accepted one). */
const CONNECT =
  /\bhttp\.(?:Get|Post)\s*\(|\b(?:BaseHTTPRequestHandler|HTTPServer|socketserver|createServer|HttpListener|http\.HandleFunc|ListenAndServe)\b|\/dev\/(?:tcp|udp)\/|\bsocket\s*\(|\bsocket\.(?:socket|create_connection)\b|\bnet\.(?:Dial\w*|connect|createConnection|Socket)\b|\bnew\s+net\.Socket\b|\btls\.(?:Dial|connect)\b|\bSockets\.TCPClient\b|\bTcpClient\b|\bTCPSocket\.(?:new|open)\b|\bfsockopen\s*\(|\bIO::Socket::(?:INET|IP)\b|\bWebSocket\s*\(|\b\w*sock\w*\.connect\s*\(/i;
/** An interactive shell named as a literal (`"/bin/sh"`, `'cmd.exe'`, `"bash", "-i"`). */
const SHELL_LITERAL = /["'{](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh(?:\s+-i)?["'}]|["'](?:cmd|pwsh|powershell)(?:\.exe)?["']/i;
/** A call that starts a process. */
const STARTS = /\b(?:exec|execv\w*|exec\.Command(?:Context)?|spawn|pty\.spawn|Popen|system|Process\.Start|Start-Process|IO\.popen|proc_open|Open3\.\w+)\b/i;
/** The connection becomes the shell's input and output. */
const WIRING = /\bopen\s*\(\s*STD(?:IN|OUT|ERR)\s*,\s*["']?[<>+]*&|\.Std(?:in|out|err)\s*(?:,\s*\w+\.Std\w+\s*)*=|\bStd(?:in|out|err)\s*:|\bdup2\b|:(?:in|out|err)\s*=>|\.pipe\s*\(|\bstdio\s*:|\b(?:in|out|err):\s*\w|[<>]&\s*\$?\{?\w+\}?\s*$|\bRedirectStandard(?:Input|Output)\b/im;
/** A value read from a connection (or its stream) on the line where it is assigned or filled. */
const RECEIVE = /\bio\.ReadAll\s*\(|\bself\.path\b|\bparse_qs\s*\(|\brequest\.(?:args|form|values|get_json|data)\b|\breq\.(?:query|body|params)\b|\.URL\.Query\(\)|\.QueryString\b|\.(?:recv|recvfrom|Read|ReadLine|ReadString|ReadToEnd|ReadBytes|read|readline|gets|getline)\s*\(|\.(?:gets|readline|readpartial)\b(?!\s*[=(])|\bGetString\s*\(|<\s*\$?[A-Z]\w*\s*>|\bsysread\s*\(|\brecv\s*\(/;
/** Something that runs text as code or as a shell command; the capture is what it is handed. */
const RUNS_TEXT =
  /(?:\b(?:eval|iex|Invoke-Expression|Invoke-Command\s+-ScriptBlock|os\.system|os\.popen|subprocess\.\w+|execSync|child_process\.exec|(?:ba|z)?sh\s+-c|system|shell_exec|passthru|popen|qx|exec)\b|\[scriptblock\]::Create\b|\bexec\.Command(?:Context)?\s*\(\s*"(?:\/bin\/)?(?:ba)?sh"\s*,\s*"-c")\s*\(?([^\n]*)/gi;

/** A reply fetched over the network, assigned on its line. */
const FETCH_REPLY = /\burlopen\s*\(|\brequests\.(?:get|post)\s*\(|\bhttpx\.get\s*\(|\bfetch\s*\(|\bInvoke-(?:WebRequest|RestMethod)\b|\b(?:iwr|irm)\s|\.DownloadString\s*\(|\bhttp\.Get\s*\(|\bhttps?\.get\s*\(|\$\(\s*(?:curl|wget)\b|`\s*(?:curl|wget)\b/i;
/** Runners that take their argument as a shell command line or as code. */
const RUNS_AS_TEXT = /["']-c["']|\s-c\s|shell\s*=\s*True|^(?:eval|iex|Invoke-Expression|\[scriptblock\]|os\.system|os\.popen|execSync|child_process\.exec|exec(?![.\w])|system|shell_exec|passthru|popen|qx)/i;
const MAX_HOPS = 3;
/** `x =`, `my $x =`, `b, _ :=`, `if r, err := …`: the first name assigned and what it is assigned. */
export const ASSIGNMENT = /^\s*(?:(?:if|while)\s*\(*\s*)?(?:(?:my|local|const|let|var)\s+)?\$?([A-Za-z_]\w*)(?:\s*,\s*\$?\w+)*\s*:?=(?!=)(.*)$/;

/** Names a regular expression is assigned to (`const re = /…/g`, `new RegExp(…)`, `re.compile(…)`). */
function regexNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\b([A-Za-z_$][\w$]*)\s*=\s*(?:\/(?![*/\s])(?:\\.|\[(?:\\.|[^\]\n])*\]|[^/\n\\[])+\/[dgimsuvy]*|new\s+RegExp\s*\(|re\.compile\s*\()/g)) names.add(m[1]!);
  return names;
}

/**
 * Whether the runner word at `offset` is a regular expression's method (`entryRegex.exec(xml)`,
 * `/<a>/g.exec(html)`, `pattern.exec(body)`): matching a fetched page is reading it, not running it.
 */
/**
 * Whether an offset sits in a comment line (`#`, `//`, `/*`, ` * `), in a word quoted alone as a key or value, or inside a Python triple-quoted
 * string (`"""Generate system prompt for a task."""`): words there are never called, whatever they spell.
 */
function inCommentOrDocstring(text: string, offset: number): boolean {
  const line = text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset);
  if (/^\s*(?:#(?!!)|\/\/|\/\*|\*\s)/.test(line)) return true;
  // A word quoted alone as a value or key (`{"role": "system", …}`), not looked up (`globalThis["eval"](x)`).
  const after = text.slice(offset, offset + 40);
  if (/["']$/.test(line) && /^\w+["']\s*[,:}\]]/.test(after) && !/^\w+["']\s*\]\s*\(/.test(after)) return true;
  return (text.slice(0, offset).match(/"""|'''/g)?.length ?? 0) % 2 === 1;
}

function matchesWithRegex(text: string, offset: number, patterns: Set<string>): boolean {
  const before = text.slice(Math.max(0, offset - 200), offset);
  if (/\/[dgimsuvy]*\s*\.\s*$/.test(before) && /\/(?:\\.|[^/\n\\])+\/[dgimsuvy]*\s*\.\s*$/.test(before)) return true;
  const receiver = /([A-Za-z_$][\w$]*)\s*\.\s*$/.exec(before)?.[1];
  return receiver !== undefined && patterns.has(receiver);
}

/** Names assigned from a value that uses one of `names` (a few hops): what the received text becomes. */
export function carriedNames(lines: string[], seed: Set<string>): Set<string> {
  const names = new Set(seed);
  for (let hop = 0; hop < MAX_HOPS && names.size > 0; hop++) {
    const before = names.size;
    const uses = nameUse([...names]);
    for (const line of lines) {
      const m = ASSIGNMENT.exec(line);
      if (m && !names.has(m[1]!) && uses.test(m[2]!)) names.add(m[1]!);
    }
    if (names.size === before) break;
  }
  return names;
}

/** Descriptors a shell opens on /dev/tcp or /dev/udp (`exec 5<>/dev/tcp/h/p`, through a variable holding the path). */
function socketDescriptors(text: string): string[] {
  const socketVars = [...text.matchAll(/^\s*(?:local\s+|export\s+)?(\w+)=["']?[^\n]*\/dev\/(?:tcp|udp)\//gm)].map((m) => m[1]!);
  const fds: string[] = [];
  for (const m of text.matchAll(/\bexec\s+(\d+)\s*<?>\s*("?)([^\s"]+)\2/g)) {
    const target = m[3]!;
    const variable = /^\$\{?(\w+)\}?$/.exec(target)?.[1];
    if (/\/dev\/(?:tcp|udp)\//.test(target) || (variable && socketVars.includes(variable))) fds.push(m[1]!);
  }
  return fds;
}

/** Variables filled by what a connection sends. */
function receivedNames(text: string, lines: string[]): Set<string> {
  const received = new Set<string>();
  const fds = socketDescriptors(text);
  for (const line of lines) {
    // bash: `read -r line <&5` on a socket descriptor.
    const read = /\bread\b((?:\s+-\w+(?:\s+\S+)?)*)\s+(\w+)(?:\s+\w+)*\s*<&\s*(\d+)/.exec(line);
    if (read && fds.includes(read[3]!)) received.add(read[2]!);
    if (!RECEIVE.test(line)) continue;
    const assignment = ASSIGNMENT.exec(line);
    // `a, ok := actions[r.URL.Query().Get("a")]`: what is received picks an entry of the skill's own table.
    if (assignment && !/^\s*[A-Za-z_][\w.]*\s*\[/.test(assignment[2]!)) received.add(assignment[1]!);
    // A buffer a stream reads into (`$stream.Read($buf, 0, …)`, `conn.Read(buf)`).
    const buffer = /\.Read\s*\(\s*\$?([A-Za-z_]\w*)/.exec(line)?.[1];
    if (buffer) received.add(buffer);
  }
  // The parameter of a handler a connection calls with what it sends (`s.on('data', (d) => …)`, `ws.onmessage = (e) =>`).
  for (const m of text.matchAll(/\.on\(\s*["'](?:data|message|line)["']\s*,\s*(?:async\s*)?(?:function\s*)?\(?\s*(\w+)|\.onmessage\s*=\s*(?:async\s*)?(?:function\s*)?\(?\s*(\w+)/g)) {
    received.add(m[1] ?? m[2]!);
  }
  return received;
}

/** Reverse shells and received-command loops in one piece of code (segment-relative offsets). */
export function remoteControl(text: string): CodeHit[] {
  // A shell function that downloads (`get() { curl -fsSL "$1"; }`) prints the reply to every `$(get …)`.
  const fetchers = [...text.matchAll(/^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{([^}]*)/gm)].filter((m) => /\b(?:curl|wget)\b/.test(m[2]!) && !/\s-[oO]\s/.test(m[2]!));
  const connect = CONNECT.exec(text) ?? FETCH_REPLY.exec(text) ?? fetchers[0];
  if (!connect) return [];
  const hits: CodeHit[] = [];
  const related = { offset: connect.index, length: connect[0].length };
  const lines = text.split("\n");
  // Statements, so that `while (…) { $line = $r.ReadLine(); iex $line }` is read as its parts.
  const statements = text.split(/[\n;{}]/);

  const received = CONNECT.test(text) ? carriedNames(statements, receivedNames(text, statements)) : new Set<string>();
  const callsFetcher = fetchers.length ? new RegExp(`\\$\\(\\s*(?:${fetchers.map((m) => m[1]!).join("|")})\\b`) : undefined;
  const isFetch = (s: string) => FETCH_REPLY.test(s) || (callsFetcher?.test(s) ?? false);
  // A statement is a piece of the text cut at separators the patterns treat as the text does, so
  // a fetch in none of the text is in no statement: the walk over them is skipped.
  const anyFetch = callsFetcher !== undefined || FETCH_REPLY.test(text);
  // The name a fetch fills: an assignment's target, or the variable of a loop over the reply (`for step in json.load(urlopen(req))…:`).
  const filled = (s: string) => ASSIGNMENT.exec(s)?.[1] ?? /^\s*for(?:each)?\s*\(?\s*(?:const|let|var)?\s*\$?([A-Za-z_]\w*)\s+(?:in|of)\s/.exec(s)?.[1];
  const fetched = anyFetch ? carriedNames(statements, new Set(statements.filter(isFetch).map(filled).filter((n): n is string => n !== undefined))) : new Set<string>();
  if (received.size + fetched.size > 0) {
    const connection = received.size ? nameUse([...received]) : undefined;
    const reply = fetched.size ? nameUse([...fetched]) : undefined;
    const patterns = regexNames(text);
    let tables: Set<string> | undefined;
    RUNS_TEXT.lastIndex = 0;
    for (let m = RUNS_TEXT.exec(text); m; m = RUNS_TEXT.exec(text)) {
      // Perl's `qx{…}` is lower-case and takes a delimiter; the regex is case-blind for PowerShell (`qX` in minified JavaScript is a name).
      if (inCommentOrDocstring(text, m.index) || (/^qx\b/i.test(m[0]) && !/^qx\s*[{(/'"[|!]/.test(m[0]))) continue;
      // A key spelling the runner's name (`{ eval: score }`) is no call either: look again just after it.
      if (matchesWithRegex(text, m.index, patterns) || isKeyNamed(m)) {
        // The capture ran to the end of the line: look again just after this word, for a runner later on it.
        RUNS_TEXT.lastIndex = m.index + 1;
        continue;
      }
      const runner = m[0].trim().split(/[\s(]/)[0];
      // A command picked from a fixed table by the received key (`ACTIONS[act]`) runs the author's text, not the caller's.
      if (connection?.test(m[1] ?? "") && !onlyPicksFromTable(m[1] ?? "", (tables ??= constantTables(text)), connection)) {
        hits.push({ ruleId: "SR-SHELL-008", offset: m.index, length: m[0].length, message: `Runs what a network connection sends (${runner}): whoever is at the other end runs commands on the user's machine.`, related });
        return hits;
      }
      // A fetched reply run as a shell command line or as code (not a value passed as one argument of a fixed program).
      if (reply?.test(m[1] ?? "") && RUNS_AS_TEXT.test(m[0])) {
        hits.push({ ruleId: "SR-DLEXEC-008", offset: m.index, length: m[0].length, message: `Downloads code and runs it: the reply of a network fetch is run with ${runner}.`, related });
        return hits;
      }
    }
  }

  // A shell started with the connection as its input and output.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!STARTS.test(line) || !SHELL_LITERAL.test(line)) continue;
    const around = lines.slice(Math.max(0, i - 6), i + 6).join("\n");
    if (!WIRING.test(around)) continue;
    const offset = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
    hits.push({ ruleId: "SR-SHELL-008", offset, length: line.length, message: "Reverse shell: connects out and starts an interactive shell whose input and output are the connection.", related });
    break;
  }
  return hits;
}
