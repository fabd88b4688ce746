/**
 * Dangerous capabilities as a class: a protection switched off, or a way to run code or change
 * data opened to whoever reaches the machine or the account. Each is written in many forms, so
 * each rule is a table of the family rather than one tool's spelling:
 *
 * - a system protection turned off by a setting, not only by a command: UAC, Defender's
 *   real-time, behaviour and script scanning, SmartScreen, the Windows firewall, Mark-of-the-Web,
 *   a machine-wide PowerShell policy of Unrestricted or Bypass (as a `.reg` file, `reg add`,
 *   `Set-ItemProperty`); firewalls, SELinux, AppArmor and auditing stopped by a configuration
 *   manager (an Ansible module, a Puppet or Salt service state);
 * - a debugger or code console reachable from the network: Flask/Werkzeug's debugger on every
 *   interface, Node's inspector, the JVM's JDWP agent, Chrome's remote debugging, a Rails web
 *   console for every address, Jupyter with no token and no password;
 * - a server that runs the text of a request as a command, in any language (the request body,
 *   a form or query field, whatever a handler reads), through names that hold it.
 *
 * Storage or a network opened to everyone (a bucket anyone may write to, every port open to the
 * internet) is `public-exposure.ts` (SR-EXFIL-032), one vocabulary for every spelling.
 *
 * High: each has a rare honest use, and none carries a payload of its own; a reviewer decides.
 * Only the files a skill ships (a document's snippet teaches or warns; the prose rules weigh it).
 */
import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";
import { escapeRegExp } from "../escape-regexp.js";

const MAX_TEXT = 256 * 1024;

function firstOf(res: readonly RegExp[], text: string): Hit[] {
  for (const re of res) {
    const m = new RegExp(re.source, re.flags.replace("g", "")).exec(text);
    if (m) return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

/** A registry value set, as a `.reg` line (`"Name"=dword:0`), `reg add … /v Name … /d 0` or `Set-ItemProperty … -Name Name -Value 0`. */
function registryValue(name: string, value: string): RegExp {
  return new RegExp(String.raw`"${name}"\s*=\s*(?:dword:)?${value}\b|\/v\s+"?${name}"?\b[^\n]{0,80}\/d\s+"?${value}\b|-Name\s+["']?${name}["']?\s+[^\n]{0,60}?-Value\s+["']?${value}\b`, "i");
}

/** Protections off, by the setting that turns each off. */
const PROTECTION_OFF: readonly RegExp[] = [
  registryValue("EnableLUA", "0+"),
  registryValue("ConsentPromptBehaviorAdmin", "0+"),
  registryValue("(?:DisableAntiSpyware|DisableAntiVirus|DisableRealtimeMonitoring|DisableBehaviorMonitoring|DisableScriptScanning|DisableIOAVProtection|DisableOnAccessProtection)", "0*1"),
  registryValue("EnableSmartScreen", "0+"),
  registryValue("SmartScreenEnabled", "Off"),
  registryValue("EnableFirewall", "0+"),
  // Attachment Manager: 1 means "do not preserve zone information" (no Mark-of-the-Web on downloads).
  registryValue("SaveZoneInformation", "0*1"),
  /\[HKEY_LOCAL_MACHINE\\[^\]\n]{0,120}ShellIds\\Microsoft\.PowerShell\][^[]{0,400}"ExecutionPolicy"\s*=\s*"(?:Unrestricted|Bypass)"/i,
  /\bSet-ExecutionPolicy\b[^\n]{0,40}\b(?:Unrestricted|Bypass)\b[^\n]{0,40}-Scope\s+LocalMachine\b|\bSet-ExecutionPolicy\b[^\n]{0,40}-Scope\s+LocalMachine\b[^\n]{0,40}\b(?:Unrestricted|Bypass)\b/i,
  // Configuration managers: Ansible's ufw/selinux modules, a service module stopping a protection, Puppet and Salt states.
  /\bufw\s*:\s*(?:\{[^}\n]{0,80}|\n(?:[ \t]+[^\n]*\n){0,4}?[ \t]+)state\s*:\s*["']?disabled\b/,
  /\bselinux\s*:\s*(?:\{[^}\n]{0,80}|\n(?:[ \t]+[^\n]*\n){0,4}?[ \t]+)state\s*:\s*["']?disabled\b/,
  /\b(?:service|systemd|systemd_service)\s*:\s*(?:\{[^}\n]{0,40}|\n(?:[ \t]+[^\n]*\n){0,1}?[ \t]+)name\s*:\s*["']?(?:firewalld|ufw|apparmor|auditd|fail2ban|iptables|nftables)\b["']?[^\n]{0,80}(?:\n(?:[ \t]+[^\n]*\n){0,3}?[ \t]+|,\s*)(?:state\s*:\s*["']?stopped|enabled\s*:\s*(?:false|no)|masked\s*:\s*(?:true|yes))\b/,
  /\bservice\s*\{\s*\[?\s*["'](?:firewalld|ufw|apparmor|auditd)["'][^}]{0,200}\bensure\s*=>\s*["']?(?:stopped|false)\b/,
  /^(?:firewalld|ufw|apparmor|auditd)\s*:\s*\n\s+service\.dead\b/m,
];

/** A debugger or console that runs code for whoever reaches it, opened on every interface. */
const ALL_INTERFACES = String.raw`(?:0\.0\.0\.0|\*|::|\[::\])`;
const CONSOLE_OPEN: readonly RegExp[] = [
  // Flask/Werkzeug: the interactive debugger is a Python console in the browser.
  new RegExp(String.raw`\.run\s*\([^)\n]{0,200}host\s*=\s*["']${ALL_INTERFACES}["'][^)\n]{0,200}\b(?:debug|use_debugger|use_evalex)\s*=\s*True\b|\.run\s*\([^)\n]{0,200}\b(?:debug|use_debugger|use_evalex)\s*=\s*True\b[^)\n]{0,200}host\s*=\s*["']${ALL_INTERFACES}["']|\brun_simple\s*\([^)\n]{0,40}["']${ALL_INTERFACES}["'][^)\n]{0,200}use_debugger\s*=\s*True`),
  new RegExp(String.raw`\bflask\s+run\b[^\n]{0,120}(?:--host[= ]${ALL_INTERFACES}[^\n]{0,120}--debug(?:ger)?\b|--debug(?:ger)?\b[^\n]{0,120}--host[= ]${ALL_INTERFACES})`),
  new RegExp(String.raw`--inspect(?:-brk)?=${ALL_INTERFACES}:\d+`),
  // JDWP: since JDK 9 a bare port is loopback only; `*:` or an any-address host opens it.
  new RegExp(String.raw`-agentlib:jdwp=[^\s"']{0,200}address=${ALL_INTERFACES}:\d+`),
  new RegExp(String.raw`--remote-debugging-address=${ALL_INTERFACES}\b`),
  /\bweb_console\.(?:whitelisted_ips|allowed_ips|permissions)\s*=\s*["'](?:0\.0\.0\.0\/0|::\/0)["']/,
  // Jupyter with neither token nor password, on every interface.
  new RegExp(String.raw`(?:--ip[= ]["']?${ALL_INTERFACES}|\.ip\s*=\s*["']${ALL_INTERFACES}["'])[\s\S]{0,400}?(?:\.token\s*=\s*["']["']|--(?:NotebookApp|ServerApp|IdentityProvider)\.token=["']{0,2}(?:\s|$))|(?:\.token\s*=\s*["']["']|--(?:NotebookApp|ServerApp|IdentityProvider)\.token=["']{0,2}(?:\s|$))[\s\S]{0,400}?(?:--ip[= ]["']?${ALL_INTERFACES}|\.ip\s*=\s*["']${ALL_INTERFACES}["'])`),
];
/** The Werkzeug debugger's PIN switched off: the console asks nothing. */
const PIN_OFF = /WERKZEUG_DEBUG_PIN["']?\s*[\]=:,]\s*["']?off\b/i;

/** What a request handler reads from the caller, by language and framework. */
const REQUEST_VALUE =
  /\breq(?:uest)?\.(?:body|query|params)\b|\bawait\s+req(?:uest)?\.(?:text|json)\s*\(|\brequest\.(?:get_data|get_json|data|form|args|values|json)\b|\bself\.rfile\.read\s*\(|\bawait\s+request\.(?:body|text|json)\s*\(|\br\.(?:FormValue|PostFormValue)\s*\(|\bio\.ReadAll\s*\(\s*r\.Body\b|\br\.URL\.Query\s*\(\s*\)|\bparams\s*\[|\brequest\.body\.read\b|\$_(?:GET|POST|REQUEST)\b|\$Request\.(?:InputStream|QueryString)\b/;
/** Streamed bodies: `req.on("data", (c) => (body += c))`, `for await (const c of req) body += c`. */
const STREAMED = /\b(?:req|request)\.on\s*\(\s*["']data["'][^\n]{0,60}?\(?\s*(\w+)\s*\)?\s*=>\s*\(?\s*(\w+)\s*\+=\s*\1\b|for\s+await\s*\(\s*(?:const|let)\s+(\w+)\s+of\s+req(?:uest)?\s*\)\s*\{?\s*(\w+)\s*\+=\s*\3\b/g;
/** A runner that hands its argument to a shell or an interpreter. */
const RUNNER = String.raw`(?:\bexec\.Command(?:Context)?\s*\(\s*(?:ctx\s*,\s*)?"(?:\/bin\/)?(?:ba|z)?sh"\s*,\s*"-c"\s*,\s*|(?:\bexec(?:Sync)?|\bchild_process\.exec(?:Sync)?|\bos\.system|\bos\.popen|\bsubprocess\.(?:run|call|Popen|check_output|getoutput|getstatusoutput)|\bshell_exec|\bsystem|\bInvoke-Expression|\biex|\beval)\s*\(\s*)`;
const SERVER = /\b(?:createServer|HTTPServer|BaseHTTPRequestHandler|ThreadingHTTPServer|Flask\s*\(|FastAPI\s*\(|express\s*\(\s*\)|http\.HandleFunc|ListenAndServe|HttpListener|Sinatra|WEBrick|Bun\.serve|Deno\.serve|@app\.(?:route|post|get)\b|app\.(?:post|get|all)\s*\()/;
/** A server bound only to the machine itself is the user's own tool. */
const LOOPBACK_ONLY = /\.listen\s*\([^)\n]{0,40}["'](?:127\.0\.0\.1|localhost|::1)["']|host\s*=\s*["'](?:127\.0\.0\.1|localhost)["']|["'](?:127\.0\.0\.1|localhost):\d+["']/;

function requestRunAsCommand(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || segment.text.length > MAX_TEXT) return [];
  const text = segment.text;
  if (!SERVER.test(text) || LOOPBACK_ONLY.test(text)) return [];
  const held = new Set<string>();
  for (const m of text.matchAll(STREAMED)) held.add(m[2] ?? m[4]!);
  for (const line of text.split("\n", 4000)) {
    const a = /(?:^\s*|[;{(]\s*|\b(?:const|let|var)\s+)(\$?[A-Za-z_]\w*)\s*(?::=|=(?![=>]))\s*([^\n]*)/.exec(line);
    if (a && (REQUEST_VALUE.test(a[2]!) || [...held].some((n) => new RegExp(String.raw`(?<![\w.$])${escapeRegExp(n)}\b`).test(a[2]!)))) if (held.size < 16) held.add(a[1]!);
  }
  // An argument vector (`check_output(['dig', request.args['d']])`) runs no shell unless it asks for one.
  const direct = new RegExp(`${RUNNER}(?!\\[)[^\\n)]{0,40}?(?:${REQUEST_VALUE.source})|${RUNNER}\\[[^\\n]{0,200}?(?:${REQUEST_VALUE.source})[^\\n]{0,200}shell\\s*=\\s*True`, "g").exec(text);
  if (direct) return [{ index: direct.index, length: direct[0].length }];
  for (const name of held) {
    const m = new RegExp(`${RUNNER}${escapeRegExp(name)}\\b(?!\\s*\\.\\s*(?:length|size)\\b)`, "g").exec(text);
    if (m) return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

/** Of plain text, only a registry file (`regedit /s x.reg`) or a Puppet or Salt state is a setting applied; other text is read. */
function shipped(segment: Segment): boolean {
  return runsAsSkillCode(segment) && segment.text.length <= MAX_TEXT && (segment.kind !== "text" || /\.(?:reg|pp|sls)$/i.test(segment.file));
}

export const protectionOffRules: Rule[] = [
  {
    id: "SR-PRIV-040",
    title: "Protection switched off by a setting",
    category: "privilege-escalation",
    severity: "high",
    message: "Switches a protection off by its setting: UAC, Defender scanning, SmartScreen, the Windows firewall, Mark-of-the-Web or a machine-wide PowerShell policy, or a firewall, SELinux, AppArmor or auditing stopped by a configuration manager.",
    fix: "Leave the protection on; allow the one program, port or path the task needs, with the user's consent.",
    fileKinds: [...CODE, "config", "text"],
    context: "command",
    triggers: ["enablelua", "consentpromptbehavioradmin", "disable", "smartscreen", "enablefirewall", "savezoneinformation", "executionpolicy", "ufw", "selinux", "firewalld", "apparmor", "auditd", "fail2ban", "iptables", "nftables"],
    match: (segment) => (shipped(segment) ? firstOf(PROTECTION_OFF, segment.text) : []),
    examples: {
      positive: ["=== q.reg\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System]\n\"EnableLUA\"=dword:00000000", "=== site.yml\n- hosts: all\n  tasks:\n    - ansible.builtin.service:\n        name: firewalld\n        state: stopped\n        enabled: false"],
      negative: ["=== q.reg\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System]\n\"EnableLUA\"=dword:00000001", "=== site.yml\n- hosts: all\n  tasks:\n    - ansible.builtin.service:\n        name: firewalld\n        state: started\n        enabled: true"],
    },
  },
  {
    id: "SR-SHELL-040",
    title: "Debugger or code console open to the network",
    category: "reverse-shell",
    severity: "high",
    message: "Opens a debugger or code console on every network interface (Flask's debugger, Node's inspector, JDWP, Chrome remote debugging, a Rails web console, Jupyter without a token): whoever reaches the port runs code as the user.",
    fix: "Bind debuggers to 127.0.0.1 (or tunnel over SSH) and keep the token or PIN on.",
    fileKinds: [...CODE, "config", "text"],
    context: "command",
    triggers: ["debug", "inspect", "jdwp", "remote-debugging", "web_console", "token", "werkzeug_debug_pin"],
    match: (segment) => {
      if (!shipped(segment) || (segment.kind === "text" && !/(?:^|\/)(?:Dockerfile|Containerfile|Procfile)/.test(segment.file))) return [];
      const hit = firstOf(CONSOLE_OPEN, segment.text);
      if (hit.length) return hit;
      // The debugger's PIN switched off beside a server run on every interface.
      const pin = PIN_OFF.exec(segment.text);
      return pin && new RegExp(String.raw`["']${ALL_INTERFACES}["']`).test(segment.text) ? [{ index: pin.index, length: pin[0].length }] : [];
    },
    examples: {
      positive: ["=== dev.py\napp.run(host=\"0.0.0.0\", port=5000, debug=True)", "=== start.sh\nnode --inspect=0.0.0.0:9229 server.js"],
      negative: ["=== dev.py\napp.run(host=\"127.0.0.1\", port=5000, debug=True)", "=== start.sh\nnode --inspect=127.0.0.1:9229 server.js"],
    },
  },
  {
    id: "SR-SHELL-041",
    title: "Request text run as a command",
    category: "reverse-shell",
    severity: "high",
    message: "A server runs what a request sends (its body, a form or query field) as a shell command or code: whoever reaches the port runs commands as the user.",
    fix: "Map requests to a fixed list of commands, bind to 127.0.0.1 and require authentication.",
    fileKinds: CODE,
    context: "payload",
    triggers: ["req", "request", "params", "$_"],
    match: requestRunAsCommand,
    examples: {
      positive: ["=== a.mjs\nimport http from 'node:http';\nimport { exec } from 'node:child_process';\nhttp.createServer((req, res) => {\n  let b = '';\n  req.on('data', (c) => (b += c));\n  req.on('end', () => exec(b, (e, o) => res.end(o)));\n}).listen(8080);", "=== a.py\nimport subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/run')\ndef run():\n    cmd = request.form['cmd']\n    return subprocess.check_output(cmd, shell=True)"],
      negative: ["=== a.mjs\nimport http from 'node:http';\nimport { execFile } from 'node:child_process';\nhttp.createServer((req, res) => execFile('uptime', (e, o) => res.end(o))).listen(8080);", "=== a.mjs\nimport http from 'node:http';\nimport { exec } from 'node:child_process';\nhttp.createServer((req, res) => {\n  let b = '';\n  req.on('data', (c) => (b += c));\n  req.on('end', () => exec(b, (e, o) => res.end(o)));\n}).listen(8080, '127.0.0.1');"],
    },
  },
];
