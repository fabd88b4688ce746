/**
 * A remote peer driving commands on the user's machine, in any language: a connection opened
 * (out to a host, or a raw listener's accepted peer) and then either
 *
 * - what it delivers handed to something that runs text as a command or code (a received line
 *   in `Open3.capture2e`, `io.popen`, `os.execute`, `System.cmd("sh", ["-c", …])`, `os:cmd`,
 *   `create_subprocess_shell`, `Process.spawn`, backticks, `exec(msg)` in a message handler), or
 * - the process's own standard input wired to it (`open STDIN, "<&S"`, `STDIN->fdopen($c, r)`,
 *   `$stdin.reopen(s)`, `dup2(c.fileno(), 0)`) and then a shell started or lines run, or
 * - in a shell script, a shell whose input is the connection: `bash -i <&5` on a /dev/tcp
 *   descriptor, or a shell and a network client (openssl s_client, telnet, ncat, socat,
 *   websocat) joined in one pipeline through a FIFO, or a client told to run a shell itself.
 *
 * `remote-control.ts` reads connections by a fixed set of calls and values read on a line with a
 * read verb; this reader widens the three vocabularies by meaning (connections in Ruby, Perl
 * without parentheses, Lua, Erlang/Elixir, websockets in Python/JS, asyncio streams, Rust, Dart,
 * C#; receipt by loop, handler parameter or pattern match; runners of every language) and follows
 * names from the connection to what it delivers, so a read of a local file never counts.
 * Hand-written over the text (as the other readers are) because no bundled grammar reads most of
 * these languages.
 */
import type { CodeHit } from "./code.js";
import { nameUse } from "./judge.js";
import { ASSIGNMENT, carriedNames } from "./remote-control.js";

/** Calls that open a connection (or a raw listener whose peers send), any language. */
const CONNECT =
  /\bsocket\s*\(?\s*\$?[A-Za-z_]\w*\s*,\s*(?:PF_INET|AF_INET|\d)|\bsocket\.(?:socket|create_connection|tcp|connect|udp)\s*\(|\basyncio\.open_connection\s*\(|\bwebsockets?\.(?:connect|create_connection|WebSocketApp)\s*\(|\bconnect\s*\(\s*["'`]wss?:\/\/|\bTCPSocket\.(?:new|open)\b|\bSocket\.(?:tcp|connect)\s*\(|\bSSLSocket\.new\b|\bWebSocket(?:::Client)?(?:\.new|\.connect)?\s*\(|\bIO::Socket::(?:INET6?|IP|SSL)\b|\b:?gen_tcp[.:]connect\s*\(|\b:?ssl[.:]connect\s*\(|\bnet\.Dial\w*\s*\(|\btls\.Dial\w*\s*\(|\bwebsocket\.(?:Dial|DefaultDialer)\b|\bTcpStream::connect\b|\bconnect_async\s*\(|\bnew\s+Socket\s*\(|\bSocketChannel\.open\s*\(|\bTcpClient\s*\(|\bClientWebSocket\b|\bnet\.(?:connect|createConnection)\s*\(|\bnew\s+net\.Socket\b|\btls\.connect\s*\(|\b(?:Deno|Bun)\.connect\s*\(|\bfsockopen\s*\(|\bstream_socket_client\s*\(|\bsocket_connect\s*\(|\bsocketConnection\s*\(|\bSockets\.connect\s*\(|\bsocketserver\.\w*(?:TCP|UDP)Server\b|\bTCPServer\.(?:new|open)\b|\b:?gen_tcp[.:](?:listen|accept)\s*\(|\[\s*socket\s+(?:-\w+\s+){0,4}[\w.$:-]+\s+\$?\w+\s*\]/;
/** Verbs that take what a connection sends; those on the first line name a socket API, the rest need a connection as receiver. */
const SOCKET_RECEIVE = /(?:[.:]|\b)(?:recv|recvfrom|recv_string|receive|receive_text|readpartial|read_nonblock|sysread|ReceiveAsync)\s*[(\s]|\b:?(?:gen_tcp|ssl)[.:]recv\s*\(/;
const READ = /[.:](?:read|readline|readLine|ReadLine|ReadString|ReadToEnd|gets|getline|lines|read_line|readAll|readBytes|next)\b|<\s*\$?[A-Za-z_]\w*\s*>|\[\s*(?:gets|read)\s+\$\w+/;
/** Something that runs text as a command line or as code; the capture is what it is handed (the rest of the statement). */
const RUNS =
  /(?:\b(?:os\.(?:system|popen|execute)|io\.popen|Open3\.\w+|IO\.popen|Kernel\.(?:system|spawn|exec)|Process\.spawn|subprocess\.\w+|asyncio\.create_subprocess_(?:shell|exec)|create_subprocess_shell|child_process\.exec(?:Sync)?|execSync|execa(?:Command)?|System\.cmd|os:cmd|open_port|Port\.open|Runtime\.getRuntime\(\)\.exec|ProcessBuilder|Command::new|exec\.Command(?:Context)?|Process\.Start|Invoke-Expression|shell_exec|passthru|proc_open|popen|system|spawn|exec|eval|iex)\b|:os\.cmd\b|\b(?:ba|z|da)?sh\s+-c\b)\s*\(?([^\n;]{0,240})/g;
/** An interactive shell or interpreter named as a literal. */
const SHELL_LITERAL = /["'`{\s(,](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k|c)?sh(?:\s+-i)?["'`}\s,)]|["'](?:cmd|pwsh|powershell)(?:\.exe)?["']/;
/** Standard input wired to a handle; group 1 or 2 is the handle. */
const STDIN_WIRED =
  /\bopen\s*\(?\s*STDIN\s*,\s*["']?<?&=?\s*\$?(\w+)|\bSTDIN->fdopen\s*\(\s*\$?(\w+)|\$stdin\.reopen\s*\(\s*(\w+)|\bSTDIN\.reopen\s*\(\s*(\w+)|\bdup2\s*\(\s*(\w+)(?:\.fileno\(\)|\.getfd\(\)|:getfd\(\))?\s*,\s*0\s*\)/g;
/** Bounds: hostile files are large; the names of the first statements are enough to follow. */
const MAX_TEXT = 200_000;
const MAX_STATEMENTS = 4000;

/** Names a statement binds: `a, b =`, `{:ok, s} =`, `{ok, S} =`, `with … as ws`, Perl `socket(S, …)`/`connect S, …`. */
function boundNames(statement: string): string[] {
  const names: string[] = [];
  const tuple = /^\s*(?:local\s+|my\s+|const\s+|let\s+|var\s+)?\(?\s*((?:\$?[A-Za-z_]\w*\s*,\s*)+\$?[A-Za-z_]\w*)\s*\)?\s*:?=(?!=)/.exec(statement);
  if (tuple) names.push(...tuple[1]!.split(",").map((n) => n.trim().replace(/^\$/, "")));
  const single = ASSIGNMENT.exec(statement)?.[1];
  if (single) names.push(single);
  const matched = /\{\s*:?ok\s*,\s*([A-Za-z_]\w*)\s*\}\s*=/.exec(statement)?.[1];
  if (matched) names.push(matched);
  const alias = /\bas\s+([A-Za-z_]\w*)\s*:?\s*$/.exec(statement)?.[1];
  if (alias) names.push(alias);
  const perl = /\b(?:socket|connect)\s*\(?\s*\$?([A-Za-z_]\w*)\s*,/.exec(statement)?.[1];
  if (perl) names.push(perl);
  // Tcl: `set s [socket host 7001]`, `set line [gets $s]`.
  const tcl = /^\s*set\s+([A-Za-z_]\w*)\s+\[/.exec(statement)?.[1];
  if (tcl) names.push(tcl);
  return names.filter((n) => !/^(?:if|while|for|return|await|local|my|const|let|var)$/.test(n));
}

/** Names bound to what a connection delivers without an assignment: loop variables, handler parameters, matched patterns. */
function deliveredNames(text: string, connection: RegExp | undefined): Set<string> {
  const out = new Set<string>();
  const add = (n: string | undefined) => n && out.add(n.replace(/^\$/, ""));
  // Erlang/Elixir: `{ok, Cmd} ->` / `{:tcp, _s, data} ->` where a socket is received from.
  if (/\b:?gen_tcp[.:]recv\b|\b:?ssl[.:]recv\b|\{\s*:?tcp\s*,/.test(text)) {
    for (const m of text.matchAll(/\{\s*:?(?:ok|tcp|ssl)\s*,\s*(?:_?\w+\s*,\s*)?([A-Za-z_]\w*)\s*\}\s*->/g)) add(m[1]);
  }
  if (!connection) return out;
  // `for x in ws`, `async for cell in ws`, `for await (const m of ws)`, `for line in c:lines()`, `ws.each_line do |l|`, `while (my $l = <$c>)`.
  for (const m of text.matchAll(/\bfor\s*(?:await\s*)?\(?\s*(?:const|let|var|my)?\s*\$?(\w+)\s+(?:in|of)\s+([^\n:]{1,80})|\b(\w+)\s*[.:](?:each_line|each|lines)\b[^\n|]{0,40}\|\s*(\w+)\s*\||\bwhile\s*\(\s*(?:my\s+)?\$?(\w+)\s*=\s*<\s*\$?(\w+)\s*>/g)) {
    if (m[1] && connection.test(m[2]!)) add(m[1]);
    if (m[3] && connection.test(m[3])) add(m[4]);
    if (m[5] && connection.test(m[6]!)) add(m[5]);
  }
  // Tcl: `gets $s line` puts the received line in `line`.
  for (const m of text.matchAll(/\bgets\s+\$(\w+)\s+(\w+)/g)) if (connection.test(m[1]!)) add(m[2]);
  // Handlers a connection calls with what it sends.
  for (const m of text.matchAll(/\b(\w+)\s*\.\s*(?:on|addEventListener|once)\s*\(\s*:?["']?(?:data|message|line)["']?\s*,\s*(?:async\s*)?(?:function\s*)?\(?\s*(\w+)|\b(\w+)\.onmessage\s*=\s*(?:async\s*)?(?:function\s*)?\(?\s*(\w+)|\b(\w+)\.on\s+:(?:message|data)\s+do\s*\|\s*(\w+)\s*\|/g)) {
    if (connection.test(m[1] ?? m[3] ?? m[5]!)) add(m[2] ?? m[4] ?? m[6]);
  }
  // `WebSocketApp(url, on_message=handle)` then `def handle(ws, message)`: the last parameter.
  for (const m of text.matchAll(/\bon_message\s*=\s*(\w+)/g)) {
    const def = new RegExp(`\\bdef\\s+${m[1]}\\s*\\(([^)\\n]{0,120})\\)`).exec(text);
    add(def?.[1]!.split(",").pop()?.trim().split(/[\s:=]/)[0]);
  }
  return out;
}

/** Descriptors a shell script opens on a network path (`exec 5<>/dev/tcp/…`, `exec {fd}<>"/dev/tcp/…"`). */
function socketDescriptors(text: string): string[] {
  const fds: string[] = [];
  for (const m of text.matchAll(/\bexec\s+(\d+|\{\w+\})\s*<?>\s*["']?\/dev\/(?:tcp|udp)\//g)) fds.push(m[1]!.replace(/[{}]/g, ""));
  return fds;
}

/** A shell command word (the start of a command in a pipeline or list). */
const SHELL_COMMAND = /(?:^|[|;&(]|\bthen|\bdo)\s*(?:exec\s+)?(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh(?:\s+-[il]+)*(?=\s*(?:[<>|&;)]|\d?[<>]|$))/m;
/** Clients that carry a byte stream to a host. */
const NET_CLIENT = /(?:^|[|;&(])\s*(?:openssl\s+s_client\b|telnet\s|nc\s|ncat\s|netcat\s|socat\s|websocat\s|cryptcat\s)/;

/** A shell script's shell wired to a connection; returns the offset of the line. */
function shellWiredToConnection(text: string): number | undefined {
  const fds = socketDescriptors(text);
  let offset = 0;
  for (const line of text.split("\n").slice(0, MAX_STATEMENTS)) {
    const here = offset;
    offset += line.length + 1;
    if (line.length > 2000) continue;
    // `bash -i <&5 >&5`, `exec 0<&3; exec sh`, `sh <&$fd`.
    for (const fd of fds) {
      const input = new RegExp(`(?:^|\\s)0?<&\\s*\\$?\\{?${fd}\\}?\\b`);
      if (input.test(line) && (SHELL_COMMAND.test(line) || /^\s*exec\s+0?<&/.test(line))) return here;
    }
    // A shell and a network client in one pipeline: each reads what the other writes (through a FIFO).
    if (/\|/.test(line) && SHELL_COMMAND.test(line) && NET_CLIENT.test(line) && /[<>]\s*["']?\$?[\w/.{}"-]+/.test(line)) return here;
    // A line read from the connection run as a command (`read -r l <&$fd; eval "$l"`).
    for (const fd of fds) {
      const read = new RegExp(`\\bread\\b(?:\\s+-\\w+)*\\s+(\\w+)[^\\n<]{0,40}<&\\s*\\$?\\{?${fd}\\}?\\b`).exec(line)?.[1];
      if (read && new RegExp(`\\b(?:eval|(?:ba|z|da)?sh\\s+-c)\\s+["']?\\$\\{?${read}\\b`).test(text)) return here;
    }
    // A client told to run a shell for its peer.
    if (/\b(?:ncat|nc|netcat)\b[^\n]{0,160}--(?:sh-)?exec\b|\bsocat\b[^\n]{0,200}\b(?:tcp|openssl|ssl|udp|sctp|socks\w*|proxy)[\w-]*:[^\n]{0,120}\b(?:exec|system):|\bwebsocat\b[^\n]{0,200}(?:\b(?:sh-c|cmd|exec):|--exec\s+["']?\S{0,40}\b(?:(?:ba|z|da|k)?sh|cmd|pwsh|powershell|python\d?)\b)/i.test(line)) return here;
    // An X terminal opened on another machine's display (`xterm -display host:1 -e bash`): that machine types into the shell.
    if (/\b(?:xterm|urxvt|rxvt|konsole|gnome-terminal)\b[^\n]{0,80}(?:-display|--display)[\s=]+["']?(?!localhost\b|127\.|unix\b|:)[\w.-]+\.[a-z][\w.-]*:\d+[^\n]{0,80}\s-e\s+["']?\S{0,20}\b(?:(?:ba|z|da|k)?sh|cmd|pwsh)\b/i.test(line)) return here;
  }
  return undefined;
}

/** A fixed program first (`"notify-send", msg`, `["git", "log", msg]`): received text is then only an argument, unless the program is a shell or an interpreter. */
const FIXED_PROGRAM = /^\s*(?:\[\s*|\{\s*:spawn\s*,\s*)?(["'])([^"'\n]{1,80})\1\s*,/;
const INTERPRETER = /^(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:env\s+)?(?:(?:ba|z|da|k|c)?sh|cmd(?:\.exe)?|pwsh|powershell(?:\.exe)?|python[\d.]*|perl|ruby|node|php|lua|osascript|elixir|erl)(?:\s+-\w+)*$/;

/** Whether the received text reaches the runner as the command line or code it runs, not as one argument of a fixed program. */
function runsAsCommand(args: string, delivered: RegExp): boolean {
  const fixed = FIXED_PROGRAM.exec(args);
  if (!fixed) return true;
  if (delivered.test(fixed[2]!)) return true;
  return INTERPRETER.test(fixed[2]!.trim()) || /\bshell\s*[=:]\s*(?:True|true)\b/.test(args);
}

function hit(offset: number, length: number, message: string, related?: number): CodeHit {
  return { ruleId: "SR-SHELL-008", offset, length, message, ...(related !== undefined ? { related: { offset: related, length: 1 } } : {}) };
}

/** Commands or shells driven by a connection's peer, in one piece of code (segment-relative offsets). */
export function connectionCommands(full: string, kind?: string): CodeHit[] {
  const text = full.length > MAX_TEXT ? full.slice(0, MAX_TEXT) : full;
  const shellLine = /\/dev\/(?:tcp|udp)\/|s_client|telnet|\bn?cat\b|netcat|socat|websocat|-display/.test(text) ? shellWiredToConnection(text) : undefined;
  if (shellLine !== undefined) return [hit(shellLine, text.indexOf("\n", shellLine) - shellLine, "A shell whose input is a network connection: whoever is at the other end types its commands.")];
  const connect = CONNECT.exec(text);
  if (!connect) return [];
  const statements = text.split(/[\n;]/).slice(0, MAX_STATEMENTS);
  const roots = new Set(statements.filter((s) => CONNECT.test(s)).flatMap(boundNames));
  // The connection's streams and wrappers (`f = s.makefile()`, `stream = c.GetStream()`), not what is read from it.
  const handles = roots.size ? carriedNames(statements.filter((s) => !SOCKET_RECEIVE.test(s) && !READ.test(s)), roots) : roots;
  const connection = handles.size ? nameUse([...handles]) : undefined;
  const seeds = new Set<string>();
  for (const s of statements) {
    if (!(SOCKET_RECEIVE.test(s) || (connection && READ.test(s) && connection.test(s)))) continue;
    for (const n of boundNames(s)) if (!handles.has(n)) seeds.add(n);
  }
  for (const n of deliveredNames(text, connection)) seeds.add(n);
  const received = seeds.size ? carriedNames(statements, seeds) : seeds;
  for (const h of handles) received.delete(h);
  const delivered = received.size ? nameUse([...received]) : undefined;

  RUNS.lastIndex = 0;
  for (let m = RUNS.exec(text); m; m = RUNS.exec(text)) {
    const line = text.slice(text.lastIndexOf("\n", m.index - 1) + 1, m.index);
    // A comment, or a bare runner word that is another object's method (`pattern.exec(body)`).
    if (/^\s*(?:#(?!!)|\/\/|--\s|%)/.test(line) || (/[.:]$/.test(line) && /^[a-z]/.test(m[0]) && !/\./.test(m[0]))) continue;
    // A bare runner word in prose (a docstring, a comment's sentence) is not a call: it takes `(`, or in Perl/Tcl a `$name` or a quote.
    const word = m[0].slice(0, m[0].length - (m[1]?.length ?? 0)).replace(/[\s(]+$/, "");
    // Tcl's `exec sh -c $line` names its shell right after the word.
    const next = text.slice(m.index + word.length, m.index + word.length + 16).replace(/^[ \t]+/, "");
    if (!/[.:]|\s-c$/.test(word) && !/^[($"'`]/.test(next) && !/^(?:ba|z|da)?sh\s+-c\b/.test(next)) continue;
    if (/["']/.test(text[m.index - 1] ?? "")) continue;
    if ((text.slice(Math.max(0, m.index - 20000), m.index).match(/"""|'''/g)?.length ?? 0) % 2 === 1) continue;
    const args = m[1] ?? "";
    // Names inside plain string literals (`"-c"`, `"s"`) are text, not the variables; interpolating ones stay.
    // A received key looking up a fixed table (`ACTIONS[act]`) picks one of the skill's own commands.
    const code = args.replace(/"[^"$#{\n]*"|'[^'$#{\n]*'/g, '""').replace(/\b(\w+)\[\s*\$?\w+\s*\]/g, (lookup, table: string) => (delivered?.test(table) ? lookup : "_"));
    if ((delivered?.test(code) && runsAsCommand(args, delivered)) || (connection?.test(args.replace(/"[^"\n]*"|'[^'\n]*'/g, '""')) && SHELL_LITERAL.test(` ${args}`))) {
      return [hit(m.index, m[0].length, `Runs what a network connection delivers (${m[0].trim().split(/[\s(]/)[0]}): whoever is at the other end runs commands on the user's machine.`, connect.index)];
    }
  }
  // Backticks interpolating what was received (Ruby `#{line}`, Perl `$cmd`); in JavaScript they are template strings.
  if (delivered && kind !== "javascript" && kind !== "python") {
    for (const m of text.matchAll(/`[^`\n]{0,200}`/g)) {
      if (/#\{|\$/.test(m[0]) && delivered.test(m[0].replace(/#\{/g, " "))) return [hit(m.index, m[0].length, "Runs what a network connection delivers (backticks): whoever is at the other end runs commands on the user's machine.", connect.index)];
    }
  }
  // Standard input wired to the connection, then a shell started or input lines run.
  if (connection) {
    for (const m of text.matchAll(STDIN_WIRED)) {
      const handle = m.slice(1).find((g) => g !== undefined)!;
      if (!connection.test(handle) && !handles.has(handle)) continue;
      const after = text.slice(m.index, m.index + 600);
      if (/\b(?:exec|system|spawn|Popen|popen|call|run|Start)\b/.test(after)) return [hit(m.index, m[0].length, "Reverse shell: the process's standard input becomes a network connection and a shell or command runner reads it.", connect.index)];
    }
  }
  return [];
}
