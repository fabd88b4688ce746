/**
 * Dangerous capabilities a skill hands the agent (high: a reviewer decides), each as a class over
 * the languages skills ship rather than one spelling: a fork's code run with the repository's
 * secrets, TLS checks off where it matters (credentials sent, a download installed), input
 * evaluated as code, the world given write access over a whole tree, caller-given commands run on
 * remote hosts whose identity is not checked, and whole folders uploaded to a caller-given URL.
 * Only in the scripts and config files a skill ships: a document's snippet is an example, left to
 * the pattern rules that weigh its prose.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";
import { runsAsSkillCode } from "../skill-orders.js";

/** `pull_request_target` (runs with the base repository's secrets and a write token) checking out the fork's code, then running steps. */
function forkCodeWithSecrets(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  // Also a comment trigger (`/deploy` on a pull request), which runs with the same rights.
  if (!/^\s*on\s*:[^\n]{0,200}\b(?:pull_request_target|issue_comment)\b|^\s+(?:pull_request_target|issue_comment)\s*:|^\s*-\s*(?:pull_request_target|issue_comment)\s*$/m.test(t)) return [];
  const head = /\bgithub\.event\.pull_request\.head\.(?:sha|ref)\b|\bgithub\.head_ref\b|refs\/pull\/\$\{\{\s*github\.event\.(?:number|pull_request\.number|issue\.number)\s*\}\}\/(?:head|merge)|\bgh\s+pr\s+checkout\b/.exec(t);
  // A step that runs after the checkout (the checkout's own line may be that step: `run: gh pr checkout …`).
  if (!head || !/^\s*-?\s*run\s*:/m.test(t.slice(t.lastIndexOf("\n", head.index) + 1))) return [];
  return [{ index: head.index, length: head[0].length }];
}

/** Text anyone can write (a pull request's or issue's title or body, a comment, a branch name) spliced into a step's shell. */
const EVENT_TEXT = /\$\{\{\s*github\.(?:event\.(?:pull_request|issue|comment|review|review_comment|discussion)\.(?:title|body)|event\.(?:comment|review)\.body|event\.pull_request\.head\.(?:ref|label)|head_ref|event\.head_commit\.message|event\.commits\[\d+\]\.message)\s*\}\}/;

function eventTextInShell(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  // Inside a `run:` step (inline or its block), not an `env:` value or a `with:` input, which the shell does not parse.
  for (const m of t.matchAll(/^([ \t]*)-?[ \t]*run[ \t]*:[ \t]*(\|[-+]?|>[-+]?)?([^\n]*)((?:\n(?:\1[ \t]+[^\n]*|[ \t]*))*)/gm)) {
    const body = m[3]! + m[4]!;
    const ev = EVENT_TEXT.exec(body);
    if (ev) return [{ index: m.index + m[0].indexOf(ev[0]), length: ev[0].length }];
  }
  return [];
}

/** TLS verification turned off, in the languages skills ship. */
const TLS_OFF =
  /\bssl\._create_unverified_context\b|\bverify\s*=\s*False\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b|\brejectUnauthorized\s*:\s*false\b|\bNODE_TLS_REJECT_UNAUTHORIZED\b\s*[=:]\s*["']?0|\bInsecureSkipVerify\s*:\s*true\b|\bcurl\b[^\n|;]{0,120}\s(?:-k|--insecure)\b|--no-check-certificate\b|ServerCertificateValidationCallback\s*=|-SkipCertificateCheck\b|\bVERIFY_NONE\b|CURLOPT_SSL_VERIFYPEER\s*,\s*(?:false|0)\b|\bdanger_accept_invalid_certs\s*\(\s*true|\bsslVerify\s*=?\s*false\b|\bstrict-ssl\s+false\b/i;
/** What makes it matter: a credential rides on the connection, or what comes down is unpacked, installed or run. */
const TLS_CREDENTIAL = /\bAuthorization\b|\bBearer\b|\bpassword\b|\bpasswd\b|\bapi[_-]?key\b|\btoken\b|\s-u\s+\S+:\S+|\bauth\s*=\s*\(/i;
const TLS_INSTALL =
  /\bextractall\s*\(|\bextract\s*\(|\bunpack_archive\b|\bunzip\b|\btar\s+(?:-\w*x|x)|\bpip3?\s+install\b|\bnpm\s+i(?:nstall)?\b|\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\bchmod\s+\+x\b|\bexec\s*\(|\bdpkg\s+-i\b|\brpm\s+-i\b|\bExpand-Archive\b|\bStart-Process\b|\bpython3?\s+-m\s+pip\b|\bzipfile\b|\btarfile\b/i;

function tlsOffWithStakes(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const off = TLS_OFF.exec(segment.text);
  if (!off) return [];
  const hosts = [...segment.text.matchAll(/https?:\/\/([^\s/"'`:]+)/g)].map((m) => m[1]!);
  const onlyLoopback = hosts.length > 0 && hosts.every((h) => /^(?:localhost|127\.|\[::1\])/.test(h));
  // A download unpacked, installed or run, from anywhere but the user's own loopback test server.
  if (TLS_INSTALL.test(segment.text) && !onlyLoopback) return [{ index: off.index, length: off[0].length }];
  // A credential sent to a public host the code writes in; one sent to the server the user configures (a self-hosted
  // service with its own certificate) is the user's own path.
  // Only URLs the code passes or assigns (`post("https://…")`, `URL = "https://…"`), not ones in usage text.
  const written = [...segment.text.matchAll(/[=(,:]\s*["'`]https?:\/\/([^\s/"'`:]+)/g)].map((m) => m[1]!);
  const publicHost = written.some((h) => !/^(?:localhost|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|\[::1\])|\.(?:local|internal|lan)$|^\$|^\{/.test(h) && /\.[a-z]{2,}$/i.test(h));
  if (TLS_CREDENTIAL.test(segment.text) && publicHost) return [{ index: off.index, length: off[0].length }];
  return [];
}

/** Where a program's caller speaks: its arguments, standard input, a web request's body or query. */
const INPUT = String.raw`(?:process\.argv\b[^\n;]{0,20}|sys\.argv\b[^\n;]{0,10}|ARGV\b[^\n;]{0,10}|\$args\b[^\n;]{0,10}|input\s*\(\s*[^)\n]{0,60}\)|sys\.stdin\.read\w*\(\s*\)|process\.stdin\b|req(?:uest)?\.(?:body|query|params|args|form|json)\b[^\n;]{0,30}|readline\s*\(\s*\)|STDIN\.read\b|params\[[^\]\n]{1,30}\]|\$_(?:GET|POST|REQUEST)\b[^\n;]{0,20})`;
/** Evaluators of code text, by language (Node's vm with the host's own require/process is no sandbox). */
const EVALUATOR = String.raw`(?:\beval|\bnew\s+Function|\bFunction|\bvm\.runIn(?:New|This)?Context|\bvm\.compileFunction|\bnew\s+vm\.Script|(?<![.\w$])exec|\binstance_eval|\bclass_eval|\bInvoke-Expression)`;

/** Input of the caller evaluated as code, directly or through one variable that holds it. */
function evaluatesInput(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  const direct = new RegExp(`${EVALUATOR}\\s*\\(\\s*${INPUT}|\\beval\\s+["']?\\$(?:\\{?[1-9@*])`).exec(t);
  if (direct) return [{ index: direct.index, length: direct[0].length }];
  for (const m of t.matchAll(new RegExp(String.raw`(?:const|let|var|my)?\s*\$?(\w+)\s*=\s*(?:\(\s*)?${INPUT}`, "g"))) {
    const name = m[1]!;
    if (name.length < 2) continue;
    const use = new RegExp(`${EVALUATOR}\\s*\\(\\s*\\$?${name}\\b`).exec(t.slice(m.index, m.index + 4000));
    if (use) return [{ index: m.index + use.index, length: use[0].length }];
  }
  return [];
}

/** Write for everyone, recursively, over the root, a system folder, the home folder or whatever folder the caller names. */
const WORLD_WRITABLE_TREE =
  /\bchmod\s+(?:-\w+\s+)*(?:-R|--recursive)\s+(?:-\w+\s+)*(?:0?[0-7]{2}[2367]|[ao]\+\w*w\w*|ugo\+\w*w\w*|a=rwx)\s+["']?(?:\/["'\s]|\/(?:etc|usr|var|opt|home|srv|Users)\b|~|\$\{?HOME\b|\$\{?\d|\$\{?\w+\}?["']?\s*(?:$|[;&|])|"\$\{?\w+)|\bicacls\b[^\n]{0,120}\b(?:Everyone|\*S-1-1-0|Users):\(?(?:OI\)\(CI\))?\(?F\)?[^\n]{0,40}\/T\b/gim;

function worldWritableTree(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  // `chmod 777 -R /srv`: the recursive flag after the mode reads the same.
  const t = segment.text.replace(/\bchmod\s+(0?[0-7]{2}[2367]|[ao]\+\w*w\w*)\s+(-R|--recursive)\s/g, "chmod $2 $1 ");
  for (const m of t.matchAll(WORLD_WRITABLE_TREE)) {
    // A variable that is the caller's folder or a default of `/` is as wide as the caller makes it; one set to a project-local path is that path.
    const v = /\$\{?(\w+)/.exec(m[0])?.[1];
    if (v && !/^\d$/.test(v) && v !== "HOME") {
      const set = new RegExp(String.raw`\b${v}=["']?([^\n"']*)`).exec(t)?.[1];
      if (set !== undefined && !/\$\{?\d|^\/["']?$|:-\/\}|^~|\$\{?HOME|^\/(?:etc|usr|var|opt|home|srv|Users)\b/.test(set)) continue;
    }
    return [{ index: m.index, length: m[0].length }];
  }
  return [];
}

/** Host keys not checked (whoever answers is trusted), and a command the caller gives run there. */
const NO_HOST_CHECK = /StrictHostKeyChecking[=\s]+(?:no|off)\b|UserKnownHostsFile[=\s]+\/dev\/null|\bAutoAddPolicy\s*\(|\bknown_hosts\s*=\s*None\b|\bHostKeyCallback\s*:\s*ssh\.InsecureIgnoreHostKey|\bInsecureIgnoreHostKey\s*\(/;
const CALLER_COMMAND = /\bssh\b[^\n]{0,200}["']?(?:sudo\s+)?(?:bash\s+-c\s+)?["']?\$(?:\{?\*|\{?@|\{?CMD|\{?COMMAND|\{?cmd|\{?command|\{?[1-9])|\bexec_command\s*\(\s*(?:cmd|command|args\.\w+|sys\.argv)|\bsession\.(?:Run|Output|CombinedOutput)\s*\(\s*(?:cmd|command|os\.Args)/;

function remoteCallerCommand(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  const off = NO_HOST_CHECK.exec(t);
  if (!off) return [];
  const run = CALLER_COMMAND.exec(t);
  if (!run) return [];
  // The command must come from the caller: "$*"/"$@"/"$1" directly, or a variable the script fills from them.
  const v = /\$\{?([A-Za-z_]\w*)/.exec(run[0].slice(run[0].lastIndexOf("$")))?.[1];
  if (v && !new RegExp(String.raw`\b${v}=["']?\$(?:\{?\*|\{?@|\{?[1-9])|\b${v}\s*=\s*(?:sys\.argv|args\.|os\.Args|input)`).test(t) && !/^[1-9]$/.test(v)) {
    if (!/^(?:cmd|command|CMD|COMMAND)$/.test(v) || new RegExp(String.raw`\b${v}=["']?[\w-]`).test(t)) return [];
  }
  return [{ index: run.index, length: run[0].length }];
}

/** A walk over every file under a folder, in the languages skills ship. */
const WALK = /\bos\.walk\s*\(|\.rglob\s*\(|\bglob\.glob\s*\([^\n]{0,80}recursive\s*=\s*True|\breaddirSync\b[^\n]{0,80}(?:withFileTypes|recursive)|\bfilepath\.Walk\w*\s*\(|\bWalkDir::new\b|\bDir\.glob\s*\([^\n]{0,60}\*\*|\bFind\.find\b|\bGet-ChildItem\b[^\n]{0,120}-Recurse|\bfind\s+\S+\s+-type\s+f\b|\bFiles\.walk\s*\(|\bFile::Find\b/;
/** Each file's bytes read and sent as a request body. */
const FILE_BODY = /\bbody\s*:\s*(?:fs\.)?(?:readFileSync|createReadStream)\s*\(|\b(?:data|files)\s*=\s*(?:open|\{[^\n}]{0,40}open)\s*\(|\bhttp\.Post\s*\([^\n]{0,80}\b(?:f|file|fh)\b|-InFile\b|--data-binary\s+@|\s-T\s+["']?(?:\$|\{\})|\s-F\s+["']?\w+=@/;
/** The destination is the caller's: an argument or a variable filled from one. */
const CALLER_URL = /\[\s*\w+\s*,\s*(?:url|endpoint|dest\w*|target)\s*\]\s*=\s*process\.argv|\b(?:url|endpoint|dest\w*|target)\s*=\s*["']?(?:sys\.argv|process\.argv|ARGV|os\.Args|\$args|\$\{?2)|\bfetch\s*\(\s*process\.argv/i;

function uploadsFolder(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  const walk = WALK.exec(t);
  if (!walk || !FILE_BODY.test(t) || !CALLER_URL.test(t)) return [];
  return [{ index: walk.index, length: walk[0].length }];
}

export const riskyCapabilityRules: Rule[] = [
  {
    id: "SR-SUPPLY-017",
    title: "Fork code run with the repository's secrets",
    category: "supply-chain",
    severity: "high",
    message: "A pull_request_target workflow checks out the pull request's own code and runs it: anyone who opens a pull request from a fork runs code with the repository's secrets and write token.",
    fix: "Use the pull_request trigger for building fork code; keep pull_request_target to steps that never check out or run the head.",
    fileKinds: ["config", ...CODE],
    context: "command",
    keywords: ["pull_request_target", "issue_comment"],
    reach: 100000,
    match: forkCodeWithSecrets,
    examples: {
      positive: ["=== .github/workflows/preview.yml\non:\n  pull_request_target:\n    types: [opened]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.ref }}\n          repository: ${{ github.event.pull_request.head.repo.full_name }}\n      - run: make test\n"],
      negative: ["=== .github/workflows/label.yml\non: pull_request_target\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n", "=== .github/workflows/ci.yml\non: pull_request\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n"],
    },
  },
  {
    id: "SR-SUPPLY-019",
    title: "Untrusted event text spliced into a workflow's shell",
    category: "supply-chain",
    severity: "high",
    message: "A workflow step's shell contains text anyone can write (a pull request or issue title or body, a comment, a branch name): a title like `\"; curl … | sh; #` runs with the workflow's token and secrets.",
    fix: "Pass the value through env: (`env: TITLE: ${{ github.event.issue.title }}`, then \"$TITLE\") so the shell never parses it.",
    fileKinds: ["config"],
    context: "command",
    keywords: ["github.event", "github.head_ref"],
    reach: 100000,
    match: eventTextInShell,
    examples: {
      positive: ["=== .github/workflows/triage.yml\non: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo \"New issue: ${{ github.event.issue.title }}\" >> summary.txt\n"],
      negative: ["=== .github/workflows/triage.yml\non: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"New issue: $TITLE\"\n"],
    },
  },
  {
    id: "SR-SUPPLY-018",
    title: "TLS checks off where it matters",
    category: "supply-chain",
    severity: "high",
    message: "Turns off TLS certificate checks on a connection that carries credentials or whose download is unpacked, installed or run: anyone on the network path can read the secret or swap the code.",
    fix: "Keep verification on; point the client at the private CA (REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, cafile=) instead.",
    fileKinds: CODE,
    context: "command",
    keywords: ["unverified", "verify", "cert_none", "check_hostname", "rejectunauthorized", "tls_reject", "insecureskipverify", "-k", "--insecure", "no-check-certificate", "servercertificatevalidationcallback", "skipcertificatecheck", "verify_none", "ssl_verifypeer", "invalid_certs", "sslverify", "strict-ssl"],
    reach: 100000,
    match: tlsOffWithStakes,
    examples: {
      positive: [
        "=== fetch.py\nimport ssl, sys, tarfile, urllib.request\nctx = ssl._create_unverified_context()\nurllib.request.urlretrieve(sys.argv[1], 'p.tgz')\ntarfile.open('p.tgz').extractall('plugins')",
        "=== push.js\nconst https = require('https');\nconst agent = new https.Agent({ rejectUnauthorized: false });\nfetch('https://api.releases-hub.io/v1/publish', { agent, headers: { Authorization: `Bearer ${process.env.TOKEN}` } });",
        "=== login.go\npackage main\nimport \"crypto/tls\"\nvar cfg = &tls.Config{InsecureSkipVerify: true}\nfunc login(c *http.Client, password string) { c.PostForm(\"https://portal.licence-hub.com/auth\", url.Values{\"password\": {password}}) }\n",
      ],
      negative: ["=== health.py\nimport requests\nprint(requests.get('https://localhost:8443/health', verify=False).status_code)", "=== get.py\nimport requests, sys\nr = requests.get(sys.argv[1], verify='/etc/corp/ca.pem')\nopen('p.tgz', 'wb').write(r.content)"],
    },
  },
  {
    id: "SR-INJECT-017",
    title: "Caller input evaluated as code",
    category: "decode-execute",
    severity: "high",
    message: "Evaluates text from its arguments, standard input or a request as code with the host's full access: whatever reaches the input (a prompt injection through the agent) runs.",
    fix: "Parse the input (JSON.parse, ast.literal_eval, an expression library) or run it in a real sandbox without require/process/file access.",
    fileKinds: CODE,
    context: "command",
    keywords: ["eval", "function", "runin", "compilefunction", "vm.script", "exec", "instance_eval", "class_eval", "invoke-expression"],
    reach: 100000,
    match: evaluatesInput,
    examples: {
      positive: [
        "=== e.js\nconst vm = require('vm');\nconst code = process.argv[2];\nconsole.log(vm.runInNewContext(code, { require, process }));",
        "=== calc.py\nimport sys\nexpr = sys.argv[1]\nprint(eval(expr))",
        "=== run.rb\nsrc = ARGV[0]\nputs eval(src)",
        "=== go.ps1\n$snippet = $args[0]\nInvoke-Expression($snippet)",
      ],
      negative: ["=== calc.py\nimport ast, sys\nprint(ast.literal_eval(sys.argv[1]))", "=== e.js\nconst data = JSON.parse(process.argv[2]);\nconsole.log(data.length);"],
    },
  },
  {
    id: "SR-PRIV-017",
    title: "World-writable over a whole tree",
    category: "privilege-escalation",
    severity: "high",
    message: "Makes every file under the root, a system folder, the home folder or a caller-chosen folder writable by every user: any local process can then replace programs and configuration.",
    fix: "Give the owning user or group access to the one folder that needs it (chown, chmod 755/644).",
    fileKinds: CODE,
    context: "command",
    keywords: ["chmod", "icacls"],
    reach: 100000,
    match: worldWritableTree,
    examples: {
      positive: ["=== fix.sh\nTARGET=\"${1:-/}\"\nchmod -R a+rwx \"$TARGET\"", "=== fix.sh\nchmod -R 777 ~/", "=== fix.ps1\nicacls C:\\ /grant Everyone:(OI)(CI)F /T"],
      negative: ["=== fix.sh\nchmod -R 755 ./build", "=== fix.sh\nCACHE=./storage/cache\nchmod -R 777 \"$CACHE\""],
    },
  },
  {
    id: "SR-SHELL-019",
    title: "Caller's command run on unchecked remote hosts",
    category: "reverse-shell",
    severity: "high",
    message: "Runs whatever command it is given on remote hosts with host key checks off: a prompt-injected command runs across the fleet, and a spoofed host receives the session.",
    fix: "Keep host key checking on and run a fixed list of commands; ask before each run.",
    fileKinds: CODE,
    context: "command",
    keywords: ["stricthostkeychecking", "userknownhostsfile", "autoaddpolicy", "insecureignorehostkey", "known_hosts"],
    reach: 100000,
    match: remoteCallerCommand,
    examples: {
      positive: ["=== fan.sh\nfor h in $(cat hosts); do ssh -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no \"$h\" \"$@\"; done", "=== fan.py\nimport paramiko, sys\ncmd = sys.argv[2]\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nc.connect(sys.argv[1])\nc.exec_command(cmd)"],
      negative: ["=== up.sh\nfor h in $(cat hosts); do ssh -o StrictHostKeyChecking=no \"$h\" uptime; done", "=== fan.sh\nfor h in $(cat hosts); do ssh \"$h\" \"$@\"; done"],
    },
  },
  {
    id: "SR-EXFIL-017",
    title: "Whole folder uploaded to a caller-given URL",
    category: "exfiltration",
    severity: "high",
    message: "Sends the contents of every file under a folder to whatever URL it is given: one prompt-injected call uploads a home folder or a repository anywhere.",
    fix: "Upload named files only, to a destination configured by the user, and list what will be sent first.",
    fileKinds: CODE,
    context: "command",
    keywords: ["walk", "rglob", "glob", "readdirsync", "find", "get-childitem", "file::find"],
    reach: 100000,
    match: uploadsFolder,
    examples: {
      positive: [
        "=== up.py\nimport os, sys, requests\nroot, url = sys.argv[1], sys.argv[2]\nfor d, _, fs in os.walk(root):\n    for f in fs:\n        requests.post(url, files={'f': open(os.path.join(d, f), 'rb')})",
        "=== up.js\nconst fs = require('fs');\nconst [dir, url] = process.argv.slice(2);\nfor (const e of fs.readdirSync(dir, { recursive: true })) fetch(url, { method: 'PUT', body: fs.readFileSync(dir + '/' + e) });",
      ],
      negative: ["=== up.py\nimport sys, requests\nurl = sys.argv[2]\nrequests.post(url, files={'f': open(sys.argv[1], 'rb')})", "=== ls.py\nimport os, sys, requests\nurl = sys.argv[2]\nnames = [f for _, _, fs in os.walk(sys.argv[1]) for f in fs]\nrequests.post(url, json={'count': len(names)})"],
    },
  },
];
