/**
 * Capabilities a skill's own scripts switch on that expose the machine without a safeguard,
 * whatever the skill says they are for (reviewed, high: a legitimate setup exists for some):
 *
 * - remote login opened up: sshd told to accept empty passwords, or root with a password, brute-force
 *   protection stopped, RDP without network-level authentication, a VNC server without a password;
 * - a keystroke logger: every key pressed anywhere captured by a global hook and recorded;
 * - the home folder or the whole disk served to the network by an ad-hoc file server;
 * - everything allowed to a role or user (`"Action": "*"` on `"Resource": "*"`, AdministratorAccess,
 *   a project owner or subscription Owner) by a script that creates or attaches it;
 * - bytes from the network given to a deserializer that runs code (pickle, yaml.load, Marshal,
 *   unserialize, BinaryFormatter, ObjectInputStream);
 * - a web request's parameter pasted into a shell command line (a command injection anyone who
 *   reaches the page can use; handed over whole, it is SR-SHELL-018's web shell).
 *
 * Only the files a skill ships (a document's snippet teaches or warns; the prose rules weigh it).
 */
import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";
import { nameUse } from "../analysis/judge.js";
import { ASSIGNMENT, carriedNames } from "../analysis/remote-control.js";

function first(re: RegExp, text: string): Hit[] {
  re.lastIndex = 0;
  const m = re.exec(text);
  return m ? [{ index: m.index, length: m[0].length }] : [];
}

/** sshd settings that let anyone guess their way in, written by the script (sed, echo, tee, a heredoc). */
// Also as a configuration manager writes it: `PermitRootLogin=yes`, `{ k: PermitRootLogin, v: "yes" }`, `["PermitRootLogin", "yes"]`.
const SSHD_VALUE = String.raw`["']?(?:\s+|\s*[=:]\s*["']?|\s*,\s*(?:\w{1,8}\s*[:=]\s*)?["']?)yes\b`;
const SSHD_EMPTY = new RegExp(String.raw`\bPermitEmptyPasswords${SSHD_VALUE}`);
const SSHD_ROOT_PASSWORD = new RegExp(String.raw`\bPermitRootLogin${SSHD_VALUE}`);
const SSHD_PASSWORD = new RegExp(String.raw`\bPasswordAuthentication${SSHD_VALUE}`);
const GUARD_STOPPED = /\bsystemctl\s+(?:stop|disable|mask)\s+(?:--now\s+)?fail2ban\b|\bservice\s+fail2ban\s+stop\b|\bsshguard\b[^\n]{0,40}\b(?:stop|disable)\b/;
/** RDP without network-level authentication, or a VNC server that asks no password. */
const REMOTE_DESKTOP_OPEN = /\bUserAuthentication\b[^\n]{0,60}?(?:-Value\s+|\/d\s+|=\s*)0\b|\bx11vnc\b[^\n]{0,200}\s-nopw\b|-SecurityTypes[= ]None\b|\bvncserver\b[^\n]{0,120}\s-SecurityTypes[= ]None\b/i;

function remoteLoginOpened(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const text = segment.text;
  const empty = first(new RegExp(SSHD_EMPTY.source, "g"), text);
  if (empty.length) return empty;
  // Root by password needs both lines; either alone is a common default.
  if (SSHD_ROOT_PASSWORD.test(text) && (SSHD_PASSWORD.test(text) || GUARD_STOPPED.test(text))) return first(new RegExp(SSHD_ROOT_PASSWORD.source, "g"), text);
  return first(new RegExp(REMOTE_DESKTOP_OPEN.source, "gi"), text);
}

/** Hooks that see every key pressed in any application. */
const GLOBAL_KEYS = /\bkeyboard\.Listener\s*\(|\bpynput\b[^\n]{0,60}\bListener\b|\bkeyboard\.(?:on_press|on_release|hook|record)\s*\(|\bSetWindowsHookEx\w*\s*\([^\n]{0,40}\bWH_KEYBOARD(?:_LL)?\b|\bGetAsyncKeyState\s*\(|\bCGEventTapCreate\s*\(|\baddGlobalMonitorForEvents\s*\([^\n]{0,40}keyDown|\buiohook\b[^\n]{0,40}\bon\s*\(\s*["']keydown|\biohook\.on\s*\(\s*["']keydown|\bevdev\.InputDevice\b|\/dev\/input\/event|\bxinput\s+(?:test|--test)\b|\blogkeys\b/gi;
/** The key recorded: written to a file or log, appended, or sent. */
const RECORDS = /\.write\s*\(|\bopen\s*\([^\n]{0,120}["']a\+?["']|\bappendFile(?:Sync)?\s*\(|>>|\blogging\.\w+\s*\(|\bAdd-Content\b|\bOut-File\b[^\n]*-Append|\brequests\.post\s*\(|\bfetch\s*\(|\.send\s*\(/;

function keystrokeLogger(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || !RECORDS.test(segment.text)) return [];
  return first(GLOBAL_KEYS, segment.text);
}

/** Ad-hoc file servers, and where they serve from (an argument, or the folder the script moved to). */
const FILE_SERVER = /\bpython[23]?\s+-m\s+(?:http\.server|SimpleHTTPServer)\b[^\n]*|\bphp\s+-S\s+\S+[^\n]*|\bnpx\s+(?:-y\s+)?(?:http-server|serve)\b[^\n]*|\bruby\s+-run\s+-e\s*httpd\b[^\n]*|\bbusybox\s+httpd\b[^\n]*|\btwistd\b[^\n]*\bweb\b[^\n]*|\bcaddy\s+file-server\b[^\n]*/g;
const BROAD_FOLDER = /(?:^|[\s=])["']?(?:~\/?|\$HOME\/?|\$\{HOME\}\/?|\/|\/home\/?|\/Users\/?|\/root\/?|\/etc\/?|C:\\\\?)["']?(?=\s|$)/;
const LOCAL_ONLY = /(?:--bind|-b|-a|--listen|--address)[= ]["']?(?:127\.0\.0\.1|localhost|::1)\b|\b(?:127\.0\.0\.1|localhost):\d+/;

function broadFolderServed(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const text = segment.text;
  FILE_SERVER.lastIndex = 0;
  for (let m = FILE_SERVER.exec(text); m; m = FILE_SERVER.exec(text)) {
    if (LOCAL_ONLY.test(m[0])) continue;
    const args = m[0].replace(/^\S+\s+/, " ");
    const dirArg = /(?:--directory|-d|-t|--root|--path|-h)[= ](\S+)/.exec(args)?.[1];
    const served = dirArg ?? (BROAD_FOLDER.test(args) ? "broad" : undefined);
    // No folder named: it serves the folder the script is in, the last `cd` before it.
    const moved = [...text.slice(0, m.index).matchAll(/(?:^|[;&|(]\s*)(?:cd|pushd|Set-Location)\s+("[^"\n]*"|'[^'\n]*'|\S+)/gm)].pop()?.[1];
    const folder = served === "broad" ? "/" : served ?? moved;
    if (folder !== undefined && BROAD_FOLDER.test(` ${folder.replace(/^["']|["']$/g, "")}`)) return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

/** A policy allowing every action on every resource, or an administrator role, created or attached by the script. */
const GRANTS = /\b(?:put-role-policy|put-user-policy|put-group-policy|create-policy(?:-version)?|attach-role-policy|attach-user-policy|attach-group-policy|add-iam-policy-binding|role\s+assignment\s+create|New-AzRoleAssignment|aws_iam_(?:role_)?policy(?:_attachment)?|google_project_iam_(?:member|binding)|azurerm_role_assignment)\b/;
const EVERYTHING =
  /["']?Action["']?\s*[:=]\s*\[?\s*["']\*["'][^\n]{0,120}?["']?Resource["']?\s*[:=]\s*\[?\s*["']\*["']|["']?Resource["']?\s*[:=]\s*\[?\s*["']\*["'][^\n]{0,120}?["']?Action["']?\s*[:=]\s*\[?\s*["']\*["']|\b(?:attach-role-policy|aws_iam_role_policy_attachment)\b[^\n]{0,200}policy\/AdministratorAccess\b|--member[= ]["']?serviceAccount:[^\n]{0,200}--role[= ]["']?roles\/(?:owner|editor)\b|--role[= ]["']?roles\/(?:owner|editor)\b[^\n]{0,200}--member[= ]["']?serviceAccount:/g;

function everythingAllowed(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || !GRANTS.test(segment.text)) return [];
  return first(EVERYTHING, segment.text);
}

/** Deserializers that run code stored in what they read; the capture is what they are handed. */
const UNSAFE_LOAD =
  /\b(?:pickle|cPickle|_pickle|dill|cloudpickle|marshal|jsonpickle)\.(?:loads?|decode)\s*\(([^\n]{0,160})|\byaml\.(?:load|unsafe_load|load_all)\s*\(((?![^\n]{0,160}SafeLoader)[^\n]{0,160})|\bMarshal\.load\s*\(([^\n]{0,160})|\bunserialize\s*\(([^\n]{0,160})|\bBinaryFormatter\s*\(\s*\)\s*\.Deserialize\s*\(([^\n]{0,160})|\.Deserialize\s*\(([^\n]{0,160})|\breadObject\s*\(\s*\)/g;
/** What a server or a client reads off the network (a request body, a socket, a stream handler). */
const NETWORK_READ =
  /\bself\.rfile\.read\w*\s*\(|\bself\.request\.recv\s*\(|\.recv(?:from)?\s*\(|\brequest\.(?:data|get_data|body|stream|files)\b|\breq\.body\b|\$_(?:POST|GET|REQUEST|COOKIE)\b|php:\/\/input|\bawait\s+request\.(?:body|read|json|text|post)\s*\(|\bgetInputStream\s*\(|\bGetStream\s*\(/;

function networkDeserialized(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || !NETWORK_READ.test(segment.text)) return [];
  const statements = segment.text.split(/[\n;]/).slice(0, 4000);
  const seeds = new Set(statements.filter((s) => NETWORK_READ.test(s)).map((s) => ASSIGNMENT.exec(s)?.[1]).filter((n): n is string => n !== undefined));
  const received = seeds.size ? nameUse([...carriedNames(statements, seeds)]) : undefined;
  UNSAFE_LOAD.lastIndex = 0;
  for (let m = UNSAFE_LOAD.exec(segment.text); m; m = UNSAFE_LOAD.exec(segment.text)) {
    const arg = m.slice(1).find((g) => g !== undefined) ?? "";
    // Java's readObject reads the stream it is called on: a socket's stream in the same code.
    if (m[0].startsWith("readObject") ? /\bObjectInputStream\s*\([^\n]{0,120}(?:getInputStream|socket|Socket)/.test(segment.text) : NETWORK_READ.test(arg) || received?.test(arg)) return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

/** A shell command line (not an argument vector) with a web request's parameter pasted into it. */
const COMMAND_LINE_RUN = /\b(?:shell_exec|system|exec|passthru|popen|proc_open|os\.system|os\.popen|execSync|child_process\.exec|IO\.popen|Runtime\.getRuntime\(\)\.exec|Process\.Start)\s*\(([^\n]{0,240})|\bexec\.Command(?:Context)?\s*\([^\n]{0,20}?"(?:\/bin\/)?(?:ba)?sh"\s*,\s*"-c"\s*,([^\n]{0,240})|\bsubprocess\.\w+\s*\(([^\n]{0,240}shell\s*=\s*True[^\n]{0,40})|`([^`\n]{0,200})`/g;
const REQUEST_PARAM = /\$_(?:GET|POST|REQUEST|COOKIE)\b|\brequest\.(?:args|form|values|GET|POST|query_params)\b|\breq\.(?:query|body|params)\b|\bsearchParams\.get\s*\(|\.URL\.Query\(\)|\.(?:FormValue|PostFormValue)\s*\(|\$request->(?:input|get|query)\s*\(|\bparams\[:\w+\]/;

function requestInCommand(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || !REQUEST_PARAM.test(segment.text)) return [];
  const statements = segment.text.split(/[\n;]/).slice(0, 4000);
  const seeds = new Set(statements.filter((s) => REQUEST_PARAM.test(s)).map((s) => ASSIGNMENT.exec(s)?.[1]).filter((n): n is string => n !== undefined));
  const carried = seeds.size ? nameUse([...carriedNames(statements, seeds)]) : undefined;
  COMMAND_LINE_RUN.lastIndex = 0;
  for (let m = COMMAND_LINE_RUN.exec(segment.text); m; m = COMMAND_LINE_RUN.exec(segment.text)) {
    // Backticks run a command in PHP, Ruby, Perl and shells; in JavaScript they are template strings.
    if (m[4] !== undefined && (segment.kind === "javascript" || segment.kind === "python")) continue;
    const arg = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    // A runner word that is another object's method (`$stmt->execute`, `re.exec`) runs no command.
    if (/[.>]$/.test(segment.text.slice(Math.max(0, m.index - 1), m.index)) && !/^(?:os|child_process|subprocess)\./.test(m[0])) continue;
    // Quoted for the shell (escapeshellarg, shlex.quote): the parameter stays one word.
    if (/\bescapeshell(?:arg|cmd)\s*\(|\bshlex\.quote\s*\(|\bshellescape\b|\bshell-quote\b|\bquote\s*\(/.test(arg)) continue;
    if (REQUEST_PARAM.test(arg) || carried?.test(arg)) return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

export const exposedCapabilityRules: Rule[] = [
  {
    id: "SR-PRIV-031",
    title: "Remote login opened without safeguards",
    category: "privilege-escalation",
    severity: "high",
    message: "Lets anyone reach a login that is easy to guess: sshd with empty passwords or root by password (brute-force protection off), RDP without network-level authentication, or VNC without a password.",
    fix: "Keep key-only SSH (PermitRootLogin prohibit-password, PasswordAuthentication no), NLA on RDP and a password on VNC; add the user's key instead.",
    fileKinds: [...CODE, "config"],
    context: "payload",
    triggers: ["permitemptypasswords", "permitrootlogin", "userauthentication", "nopw", "securitytypes"],
    match: remoteLoginOpened,
    examples: {
      positive: [
        "=== open.sh\nsed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config\nsed -i 's/^#\\?PasswordAuthentication.*/PasswordAuthentication yes/' /etc/ssh/sshd_config",
        "=== rdp.ps1\nSet-ItemProperty 'HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp' -Name UserAuthentication -Value 0",
      ],
      negative: ["=== harden.sh\nsed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin prohibit-password/' /etc/ssh/sshd_config\nsed -i 's/^#\\?PasswordAuthentication.*/PasswordAuthentication no/' /etc/ssh/sshd_config"],
    },
  },
  {
    id: "SR-CRED-031",
    title: "Keystroke logger",
    category: "credential-access",
    severity: "high",
    message: "Records every key the user presses in any application (a global keyboard hook): passwords and messages typed elsewhere end up in its log.",
    fix: "Count only what the skill needs inside its own window, or register the hotkeys it uses; never log keys system-wide.",
    fileKinds: CODE,
    context: "payload",
    triggers: ["keyboard", "pynput", "setwindowshookex", "getasynckeystate", "cgeventtapcreate", "addglobalmonitorforevents", "iohook", "evdev", "/dev/input/event", "xinput", "logkeys"],
    match: keystrokeLogger,
    examples: {
      positive: ["=== rec.py\nfrom pynput import keyboard\ndef on_press(key):\n    with open('keys.log', 'a') as f:\n        f.write(str(key))\nwith keyboard.Listener(on_press=on_press) as l:\n    l.join()"],
      negative: ["=== hot.py\nimport keyboard\nkeyboard.add_hotkey('ctrl+shift+s', lambda: print('saved'))\nkeyboard.wait()"],
    },
  },
  {
    id: "SR-EXFIL-031",
    title: "Home folder or whole disk served to the network",
    category: "exfiltration",
    severity: "high",
    message: "Starts a file server without a password on the home folder or the whole disk, reachable from the network: keys, tokens and documents can be downloaded by anyone who finds it.",
    fix: "Serve only the folder meant to be shared, bound to 127.0.0.1 or behind authentication.",
    fileKinds: CODE,
    context: "payload",
    triggers: ["http.server", "simplehttpserver", "php -s", "http-server", "serve", "httpd", "twistd", "file-server"],
    match: broadFolderServed,
    examples: {
      positive: ["=== share.sh\ncd \"$HOME\"\npython3 -m http.server 8080 --bind 0.0.0.0", "=== s.sh\nnpx http-server ~ -p 9000"],
      negative: ["=== share.sh\ncd \"$HOME/Public/handover\"\npython3 -m http.server 8080", "=== preview.sh\ncd \"$HOME\"\npython3 -m http.server 8080 --bind 127.0.0.1"],
    },
  },
  {
    id: "SR-PRIV-032",
    title: "Everything allowed to a role",
    category: "privilege-escalation",
    severity: "high",
    message: "Creates or attaches a policy that allows every action on every resource (or makes a service account owner): whatever runs as that role, and whoever takes it over, controls the whole account.",
    fix: "Grant the few actions on the few resources the function needs (least privilege).",
    fileKinds: [...CODE, "config"],
    context: "payload",
    triggers: ["policy", "role"],
    match: everythingAllowed,
    examples: {
      positive: ["=== role.sh\naws iam put-role-policy --role-name fn-role --policy-name all --policy-document '{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}'"],
      negative: ["=== role.sh\naws iam put-role-policy --role-name fn-role --policy-name logs --policy-document '{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}'"],
    },
  },
  {
    id: "SR-INJECT-031",
    title: "Network input deserialized into code",
    category: "decode-execute",
    severity: "high",
    message: "Hands bytes from the network (a request body, a socket) to a deserializer that runs code (pickle, yaml.load, Marshal, unserialize, BinaryFormatter, readObject): whoever can send to it runs code on the machine.",
    fix: "Exchange plain data (JSON) and validate it; never unpickle what arrives over the network.",
    fileKinds: CODE,
    context: "payload",
    triggers: ["pickle", "dill", "marshal", "yaml", "unserialize", "deserialize", "readobject"],
    match: networkDeserialized,
    examples: {
      positive: ["=== w.py\nimport pickle, socketserver\nclass H(socketserver.StreamRequestHandler):\n    def handle(self):\n        data = self.rfile.read()\n        fn, args = pickle.loads(data)\n        fn(*args)"],
      negative: ["=== w.py\nimport json, socketserver\nclass H(socketserver.StreamRequestHandler):\n    def handle(self):\n        job = json.loads(self.rfile.read())\n        print(job['name'])\n\nimport pickle\ncache = pickle.load(open('cache.pkl', 'rb'))"],
    },
  },
  {
    id: "SR-SHELL-031",
    title: "Web request pasted into a shell command",
    category: "reverse-shell",
    severity: "high",
    message: "Pastes a web request's parameter into a shell command line: anyone who reaches the page adds `; any command` and runs it on the machine.",
    fix: "Validate the parameter (a number, a fixed choice) and run the program with an argument list, not a shell line.",
    fileKinds: CODE,
    context: "payload",
    triggers: ["$_get", "$_post", "$_request", "$_cookie", "request.args", "request.form", "request.values", "request.get", "request.post", "request.query_params", "req.query", "req.body", "req.params", "searchparams", ".url.query()", "formvalue", "$request->", "params[:"],
    match: requestInCommand,
    examples: {
      positive: ["=== p.php\n<?php\n$out = shell_exec(\"fc-list | head -\" . $_GET['n']);", "=== app.py\nimport os\nfrom flask import request\nhost = request.args['host']\nos.system('ping -c 1 ' + host)"],
      negative: ["=== p.php\n<?php\n$n = (int)($_GET['n'] ?? 50);\n$out = shell_exec('fc-list | head -50');", "=== app.py\nimport subprocess\nfrom flask import request\nhost = request.args['host']\nsubprocess.run(['ping', '-c', '1', host])"],
    },
  },
];
