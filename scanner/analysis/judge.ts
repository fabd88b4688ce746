/**
 * Rules over facts: where secrets are read (sources), where data leaves (sinks), what is
 * downloaded and then run. A source and a sink in one piece of code, or a file one script
 * writes from a source and another script sends, is a complete chain (critical) whose finding
 * names both ends. An official installer (scanner/allowlist.ts, exact host) is at most medium;
 * a credential sent only to the vendor it belongs to is its purpose, not exfiltration.
 */
import { isOfficialInstaller, isPurposeHost, keychainVendor } from "../allowlist.js";
import { hostOf, isOnDomain, urlsIn } from "../urls.js";
import type { CallFact, CodeFacts } from "./facts.js";
import { escapeRegExp } from "../escape-regexp.js";

/** A sensitive store, by kind (the kind decides which vendor may receive it). */
const SENSITIVE: [RegExp, string, string][] = [
  [/(?:^|[/~…"'\s])\.ssh(?:\/(?!known_hosts|config\b)|$)/i, "ssh", "SSH keys"],
  [/\.aws\/(?:credentials|config)\b|(?:^|[/~…"'\s])\.aws\/?$/i, "aws", "AWS credentials"],
  [/\.config\/gcloud\b|application_default_credentials\.json/i, "gcloud", "Google Cloud credentials"],
  [/\.azure\/(?:accessTokens|msal_token_cache|azureProfile)/i, "azure", "Azure credentials"],
  [/\.kube\/config\b|(?:^|[/~…"'\s])\.kube\/?$/i, "kube", "Kubernetes config"],
  [/\.docker\/config\.json/i, "docker", "Docker credentials"],
  [/(?:^|[/~…"'\s])\.npmrc\b/i, "npm", "npm token"],
  [/(?:^|[/~…"'\s])\.pypirc\b/i, "pypi", "PyPI token"],
  [/\.gem\/credentials\b/i, "rubygems", "RubyGems API key"],
  [/\.cargo\/credentials(?:\.toml)?\b/i, "cargo", "crates.io token"],
  [/\.git-credentials\b|(?:^|[/~…"'\s])\.netrc\b/i, "git", "git credentials"],
  [/(?:^|[/~…"'\s*])\.env(?:\.[\w-]+)?\*?(?:$|["'\s])/i, "env-file", ".env secrets"],
  [/\/etc\/shadow\b|\/etc\/sudoers\b/i, "system", "system password files"],
  // Also the Chromium profiles of Electron and WebView2 apps (Teams, Slack, Discord), written with backslashes or as a search filter.
  [/Login Data|[/\\]Cookies\b|-Filter\s+["']?Cookies\b|Local State|key4\.db|logins\.json|cookies\.sqlite|Web Data|EBWebView[/\\][^\n"']{0,80}[/\\]Network\b|Local Storage[/\\]leveldb/, "browser", "browser passwords or cookies"],
  [/wallet\.dat|\.electrum\/|Exodus\/|MetaMask|nkbihfbeogaeaoehlefnkodbefgpgknn|\.ethereum\/keystore|\.config\/solana\/id\.json|Phantom\//i, "wallet", "crypto wallet keys"],
  [/Keychains\/|login\.keychain/i, "keychain", "the keychain"],
  [/auth-profiles\.json|\.claude\/\.credentials\.json|\.codex\/auth\.json|\.openclaw\/(?:credentials|agents|auth|openclaw\.json)|\.clawdbot\/|\.config\/(?:gh\/hosts\.yml|hub)\b/i, "agent-credentials", "the agent's stored credentials"],
  [/\.claude\/(?:projects|history|todos|memory|sessions)|\.claude\.json|\.codex\/(?:sessions|history)|\.gemini\/(?:tmp|history)|\.cursor\/(?:chats|history)|history\.jsonl|conversation(?:s|_history)?\.(?:json|jsonl|md)\b/i, "agent", "the agent's conversation or memory"],
  [/\.bash_history\b|\.zsh_history\b/i, "history", "shell history"],
  [/(?:^|[/~…"'\s])\.pgpass\b|(?:^|[/~…"'\s])\.my\.cnf\b|\.config\/pgcli\/config\b/i, "database", "database passwords"],
  [/\.composer\/auth\.json\b|(?:^|[/\\])NuGet[/\\]NuGet\.Config\b|\.m2\/settings\.xml\b|\.gradle\/gradle\.properties\b|\.pub-cache\/credentials\.json\b|\bdart\/pub-credentials\.json\b|\.hex\/hex\.config\b|\.config\/composer\/auth\.json\b|\.nuget\/NuGet\/NuGet\.Config\b/i, "package-registry", "package registry credentials"],
  [/\.terraform\.d\/credentials\.tfrc\.json|(?:^|[/~…"'\s])\.terraformrc\b/i, "terraform", "Terraform Cloud token"],
  // Tokens data and ML tools keep in the home folder: Kaggle, Hugging Face, Databricks, Jupyter's server config, R's API keys.
  [/\.kaggle\/(?:kaggle\.json|\*)|(?:^|[/~…"'\s])kaggle\.json\b|\.cache\/huggingface\/token\b|\.huggingface\/token\b|(?:^|[/~…"'\s])\.databrickscfg\b|\.jupyter\/(?:[\w*]+\.json|jupyter_\w+_config\.(?:py|json))|(?:^|[/~…"'\s])\.Renviron\b/i, "data-tools", "data and ML service tokens"],
  // Cloud and service CLIs' stored credentials beyond the big three.
  [/(?:^|[/~…"'\s])\.vault-token\b|(?:^|[/~…"'\s])\.boto\b|(?:^|[/~…"'\s])\.s3cfg\b|\.config\/rclone\/rclone\.conf\b|\.oci\/config\b|\.config\/doctl\/config\.yaml\b|\.fly\/config\.yml\b|\.wrangler\/config\b|\.config\/ngrok\/ngrok\.yml\b|\.ngrok2\/ngrok\.yml\b|(?:^|[/~…"'\s])\.password-store\b/i, "service-cli", "a service CLI's stored credentials"],
];

/** The secret store a path names, if any. */
export function sensitiveStore(path: string): { kind: string; what: string } | undefined {
  const s = SENSITIVE.find(([re]) => re.test(path));
  return s ? { kind: s[1], what: s[2] } : undefined;
}

/** Stores a skill commonly reads a setting from for its own use. */
export const WEAK_SOURCES = new Set(["env-file", "agent-credentials", "wallet"]);

/** Calls that read a file named by an argument, or list the files of a folder or pattern to read them next. */
const READERS = /^(?:dotenv_values|dotenv\.dotenv_values|dotenv\.config|dotenv\.parse|vscode\.workspace\.findFiles|workspace\.findFiles|glob\.sync|globSync|fg\.sync|fastGlob\.sync|glob\.i?glob|i?glob|os\.listdir|os\.scandir|os\.walk|Path\.r?glob|fs\.readdirSync|readdirSync|fs\.readdir|fs\.promises\.readdir|open|io\.open|codecs\.open|Path\.read_text|Path\.read_bytes|pathlib\.Path|Path|shutil\.copy\w*|shutil\.make_archive|tarfile\.open|zipfile\.ZipFile|os\.open|fs\.readFileSync|fs\.readFile|fs\.promises\.readFile|readFileSync|readFile|fs\.createReadStream|createReadStream|Bun\.file|Deno\.readTextFile|cat|head|tail|less|more|base64|xxd|od|strings|tar|zip|7z|gzip|cp|scp|rsync|curl|wget|get-content|gc|type|copy-item|compress-archive|sqlite3|jq|sed|awk|grep|python3?|node|source|\.)$/i;

/**
 * CLIs asked to print the credential they keep (`gh auth token`, `git credential fill`), by the
 * store kind whose vendor may receive it. Words are matched in order, options between them allowed.
 */
/** A CLI that prints a secret; `dump` when what it prints is a store of others' secrets no code needs for its own calls (a chain without following the value). */
const CLI_TOKENS: [RegExp, string, string, "dump"?][] = [
  [/^gh auth token\b/, "git", "the GitHub CLI token"],
  [/^git credential (?:fill|get)\b/, "git", "a stored git password or token"],
  [/^aws configure (?:get (?:aws_secret_access_key|aws_session_token)|export-credentials)\b/, "aws", "AWS credentials"],
  [/^gcloud auth (?:application-default )?print-(?:access|identity)-token\b/, "gcloud", "a Google Cloud token"],
  [/^az account get-access-token\b/, "azure", "an Azure token"],
  [/^docker-credential-[\w-]+ get\b/, "docker", "Docker credentials"],
  // Secrets a tool decrypts or reveals whole: the plain text of an encrypted secrets file, saved Wi-Fi keys (one vault entry read is its use).
  [/^sops (?:\S+ )*?decrypt\b/, "secrets", "secrets decrypted with sops"],
  [/^netsh wlan show profiles? .*key=clear\b/i, "wifi", "saved Wi-Fi passwords", "dump"],
];

/** Calls that run a command given as their arguments. */
const RUNS_PROCESS = /^(?:os\.system|os\.popen|subprocess\.\w+|child_process\.\w+|execSync|execFileSync|spawnSync|spawn|execa|exec)$/;

/** Keychain and bulk-environment reads recognised by the call itself. */
function callSource(c: CallFact): { kind: string; what: string; carriedOnly?: boolean } | undefined {
  const n = c.name.toLowerCase();
  const args = c.args.filter((a): a is string => a !== undefined);
  // `subprocess.run(["gh", "auth", "token"])`, `execSync("gh auth token")`: the command is in the arguments.
  const argv = RUNS_PROCESS.test(c.name) ? args.join(" ").split(/\s+/) : [n, ...args];
  const words = argv.filter((a) => !a.startsWith("-")).join(" ");
  // `sops -d f` / `sops --decrypt f`: the flag is the command (words drop options).
  const cli = CLI_TOKENS.find(([re]) => re.test(argv[0] === "sops" && argv.some((a) => a === "-d" || a === "--decrypt") ? "sops decrypt" : words));
  if (cli) return { kind: cli[1], what: cli[2], ...(cli[3] ? {} : { carriedOnly: true }) };
  // `kubectl config view --raw`: the kubeconfig with its keys and tokens (without --raw/--flatten they are redacted).
  if (/^kubectl config view\b/.test(words) && argv.some((a) => a === "--raw" || a === "--flatten")) return { kind: "kube", what: "the kubeconfig with its keys (kubectl config view --raw)" };
  // A password manager's items revealed whole or exported (not one field read for the code's own call).
  if ((n === "op" && /^op (?:item get|document get)\b/.test(words) && args.includes("--reveal") && !args.some((a) => /^--fields?\b/.test(a))) || (n === "bw" && /^bw export\b/.test(words)) || (n === "op" && /^op (?:vault )?export\b/.test(words)))
    return { kind: "password-manager", what: "password manager items" };
  if (n === "security" && args.some((a) => /^(?:find-generic-password|find-internet-password|dump-keychain|export)$/.test(a))) {
    // An item named after its vendor ("Claude Code-credentials") is that vendor's credential: sent only to it, it is used.
    const vendor = keychainVendor(["security", ...args.map((a) => (/\s/.test(a) ? `"${a}"` : a))].join(" "));
    return vendor ? { kind: vendor, what: "a keychain item" } : { kind: "keychain", what: "the keychain" };
  }
  if ((n === "env" || n === "printenv") && c.args.length === 0) return { kind: "env", what: "the whole environment" };
  if (/^(?:get-childitem|gci|dir|ls)$/.test(n) && args.some((a) => /^env:\\?$/i.test(a))) return { kind: "env", what: "the whole environment" };
  if (/^(?:json\.dumps|dict|str|repr|list|json\.dump|pickle\.dumps|base64\.b64encode|JSON\.stringify|Object\.entries|Object\.keys|Object\.assign)$/.test(c.name) && /\b(?:os\.environ|process\.env)\s*[),}]/.test(c.text))
    return { kind: "env", what: "the whole environment" };
  if (/^(?:os\.environ\.copy|os\.environ\.items)$/.test(c.name)) return { kind: "env", what: "the whole environment" };
  return undefined;
}

export interface Place {
  offset: number;
  length: number;
}

export interface SourceFact extends Place {
  kind: string;
  what: string;
  /** Variables that hold what was read (assigned from it, directly or through other assignments). */
  names?: string[];
  /**
   * Read for the code's own use as often as to leak (a token a CLI prints for calls to its
   * vendor, the environment copied for a child process): only carrying it to a host not its
   * vendor's is a leak.
   */
  carriedOnly?: boolean;
}

export interface SinkFact extends Place {
  what: string;
  hosts: string[];
  /**
   * The host the request goes to, when the call names it as a literal URL in its first argument
   * (or `url=`): URLs elsewhere in the call (`json={"url": "https://example.com"}`) are its payload.
   */
  destination?: string;
  /** The send's source text (bounded): which variables it carries. */
  text?: string;
  /** Posts where others read it (an issue comment, a gist): no store's own service, whoever runs it. */
  publishes?: boolean;
}

export interface WriteFact extends Place {
  path: string;
}

/** What one piece of code does with data: the inputs of chain rules. */
export interface DataFlow {
  sources: SourceFact[];
  sinks: SinkFact[];
  writes: WriteFact[];
  /** Every folded string. */
  strings: string[];
  /** Paths this code reads or sends (arguments of readers and senders), for cross-file chains. */
  reads: string[];
}

function hostsIn(texts: (string | undefined)[]): string[] {
  const hosts = new Set<string>();
  for (const t of texts) for (const u of urlsIn(t ?? "")) { const h = hostOf(u); if (h) hosts.add(h); }
  return [...hosts];
}

const SHELL_NET = /^(?:curl|wget|nc|ncat|netcat|socat|telnet|scp|sftp|ftp|rsync|http|https|xh|aria2c)$/;
const SHELL_DNS = /^(?:nslookup|dig|host|drill|resolvectl)$/;
const CODE_NET =
  /^(?:requests|httpx|aiohttp|urllib3?|urllib\.request|http\.client|socket|smtplib|ftplib|paramiko|axios|got|superagent|node-fetch|undici|http|https|net|tls|dgram|dns|websocket|ws)\.|^(?:fetch|urlopen|urlretrieve|Request|XMLHttpRequest|WebSocket|axios|got|sendmail|Session\.post)$|\.(?:post|put|patch|sendall|send|sendto|connect|request|urlopen|upload_file|UploadString|UploadFile|UploadData|sendmail|send_message|storbinary)$/;
const FORGE_CLI = /^(?:gh|glab|tea)$/;
const FORGE_PUBLISH = /^(?:(?:issue|pr|mr) (?:create|comment|edit|note)|gist (?:create|edit)|release (?:create|upload)|snippet create)/;
const PS_NET = /^(?:invoke-restmethod|invoke-webrequest|iwr|irm|curl|wget|send-mailmessage|resolve-dnsname|start-bitstransfer)$/;

function sinkOf(c: CallFact): SinkFact | undefined {
  const n = c.name;
  const lower = n.toLowerCase();
  const all = [...c.args, ...c.named.values()];
  // `requests.get(u).json()`: a method of the reply, not a second send (the inner call is the send).
  // `https.request(opts).end(body)`, `req.write(body)`: the request's body goes out with end/write.
  if (/\)\.\w+$/.test(n) && !/\.(?:post|put|patch|send|sendall|sendto|request|urlopen|connect)$/.test(n) && !(/^(?:https?|http2)\.request\(\)/.test(n) && /\.(?:end|write)$/.test(n))) return undefined;
  const place = { offset: c.offset, length: c.length, text: c.text };
  if (SHELL_NET.test(n) || PS_NET.test(lower)) return { ...place, what: `${n} (network)`, hosts: hostsIn(all) };
  // A forge CLI posting text where others read it (an issue comment, a gist, a release asset): a send.
  if (FORGE_CLI.test(n) && FORGE_PUBLISH.test(c.args.slice(0, 2).join(" "))) return { ...place, what: `${n} ${c.args.slice(0, 2).join(" ")} (publishes on the forge)`, hosts: [], publishes: true };
  if (SHELL_DNS.test(n) && c.args.some((a) => a === undefined || a.includes("…"))) return { ...place, what: `a DNS look-up carrying data (${n})`, hosts: [] };
  if (/(?:^|\.)(?:gethostbyname|getaddrinfo|resolve|lookup|resolve4|query)$/.test(n) && /^(?:socket|dns|dns\.resolver|resolver)\b/.test(n) && c.args.some((a) => a === undefined || a.includes("…")))
    return { ...place, what: `a DNS look-up carrying data (${n})`, hosts: [] };
  if (CODE_NET.test(n) && !/^(?:socket\.(?:socket|gethostname)|http\.server|dns\.)/.test(n)) {
    const target = c.args[0] ?? c.named.get("url");
    const destination = target && /^https?:\/\/[^\s…]+$/.test(target) ? hostOf(target) : undefined;
    return { ...place, what: `${n} (network)`, hosts: hostsIn(all), ...(destination ? { destination } : {}) };
  }
  // subprocess.run(["curl", ...]), os.system("wget ..."): a network tool run from code.
  if (/^(?:os\.system|os\.popen|subprocess\.\w+|child_process\.\w+|execSync|exec|spawn|spawnSync|execa)$/.test(n)) {
    const tool = /^\s*(?:sudo\s+)?(curl|wget|nc|ncat|scp|rsync|ftp|telnet)\b/.exec(c.args[0] ?? "");
    if (tool) return { ...place, what: `${tool[1]} run from code (network)`, hosts: hostsIn(all) };
  }
  return undefined;
}

const WRITE_CALLS = /^(?:open|fs\.writeFileSync|fs\.writeFile|writeFileSync|writeFile|fs\.appendFileSync|appendFileSync|Path\.write_text|Path\.write_bytes|out-file|set-content|add-content|tee|cp|mv|tar|zip|shutil\.copy\w*|shutil\.make_archive)$/i;

function writesOf(c: CallFact): string[] {
  const paths = [...c.redirects];
  if (WRITE_CALLS.test(c.name)) {
    const args = c.args.filter((a): a is string => a !== undefined && !a.startsWith("-"));
    if (c.name === "open") {
      if (/['"]?[wa]b?\+?['"]?/.test(c.args[1] ?? c.named.get("mode") ?? "")) paths.push(args[0] ?? "");
    } else if (c.name === "tar") {
      // tar czf OUT files...: the archive is the argument after the option word holding "f".
      const f = c.args.findIndex((a) => a !== undefined && /^-?[a-zA-Z]*f[a-zA-Z]*$/.test(a));
      if (f >= 0 && c.args[f + 1] && c.args[f + 1] !== "-") paths.push(c.args[f + 1]!);
    } else if (c.name === "zip") paths.push(args[0] ?? "");
    else if (/^(?:cp|mv|shutil\.)/.test(c.name)) paths.push(args.at(-1) ?? "");
    else paths.push(args[0] ?? "");
    const outFile = c.named.get("-filepath") ?? c.named.get("-path") ?? c.named.get("-f");
    if (outFile) paths.push(outFile);
  }
  return paths.filter((p) => p.length > 0);
}

/** Words of a variable name that say nothing about whose secret it is. */
const GENERIC = new Set(["API", "SECRET", "TOKEN", "KEY", "AUTH", "ACCESS", "PRIVATE", "MY", "APP", "CLIENT", "BOT", "USER", "DB", "DATABASE", "PASSWORD", "PASSWD", "ADMIN", "SERVICE", "PERSONAL", "WEBHOOK", "SIGNING", "MASTER", "ROOT", "SESSION", "REFRESH", "ID", "CREDENTIALS", "CREDENTIAL"]);
/** Short vendor words in variable names and the host word they stand for. */
const VENDOR_ALIAS: Record<string, string> = { HF: "huggingface", GH: "github", GCP: "google", GOOGLE: "google", AWS: "amazonaws", AZURE: "azure", TG: "telegram", CF: "cloudflare", OAI: "openai", DD: "datadog", GL: "gitlab" };

/** A vendor's domains that do not spell its name (reviewed by hand): Datadog's US government site. */
const VENDOR_DOMAINS: Record<string, string[]> = { datadog: ["ddog-gov.com"] };

/** The vendor a secret variable belongs to (`TELEGRAM_BOT_TOKEN` -> telegram), if its name says. */
function vendorOf(name: string): string | undefined {
  const word = name.split("_").find((w) => w.length > 1 && !GENERIC.has(w));
  return word ? (VENDOR_ALIAS[word] ?? word.toLowerCase()) : undefined;
}

/** Literal strings that are a secret store's file name or path (`.npmrc`, `~/.ssh/id_rsa`), not a sentence mentioning one. */
function listedStores(facts: CodeFacts): { kind: string; what: string }[] {
  const out: { kind: string; what: string }[] = [];
  for (const s of facts.strings) {
    // Also a default the code folds with an unknown head (`${KUBECONFIG:-$HOME/.kube/config}`: "…/.kube/config").
    if (s.value.length > 120 || !/^(?:~\/|\$HOME\/|…\/)?\.[\w.-]+(?:\/[\w.-]+)*$/.test(s.value)) continue;
    const hit = SENSITIVE.find(([re]) => re.test(s.value));
    if (hit) out.push({ kind: hit[1], what: hit[2] });
  }
  return out;
}

/** `dir/{a,b}` as `dir/a` and `dir/b` (one level of braces, a few dozen alternatives at most). */
function braceAlternatives(glob: string): string[] {
  const m = /^(.*?)\{([^{}]{1,400})\}(.*)$/.exec(glob);
  return m ? m[2]!.split(",").slice(0, 32).map((alt) => `${m[1]}${alt}${m[3]}`) : [];
}

export function dataFlow(facts: CodeFacts): DataFlow {
  const flow: DataFlow = { sources: [], sinks: [], writes: [], strings: facts.strings.map((s) => s.value), reads: [] };
  const listed = listedStores(facts);
  for (const s of facts.secrets) {
    const vendor = vendorOf(s.name);
    if (vendor) flow.sources.push({ offset: s.offset, length: s.length, kind: `vendor:${vendor}`, what: `the ${s.name} secret` });
  }
  for (const c of facts.calls) {
    const direct = callSource(c);
    if (direct) flow.sources.push({ offset: c.offset, length: c.length, ...direct });
    const sink = sinkOf(c);
    if (sink) flow.sinks.push(sink);
    for (const path of writesOf(c)) if (!/^\/dev\//.test(path)) flow.writes.push({ offset: c.offset, length: c.length, path });
    const reads = READERS.test(c.name) || SINK_READS.test(c.name) || c.named.has("<");
    if (reads) for (const a of [...c.args, ...c.named.values()]) if (a) flow.reads.push(a.replace(/^@/, ""));
    if (direct) continue;
    if (reads) {
      const used = identityArgs(c);
      // `grep -rE '~/\.ssh|\.npmrc' dir`: the first operand of grep, sed or awk is what it looks for, not a file it reads.
      if (/^(?:grep|egrep|fgrep|rg|sed|awk)$/.test(c.name) && !c.named.has("-f")) {
        const pattern = c.named.get("-e") ?? c.args.find((a) => a !== undefined && !a.startsWith("-"));
        if (pattern !== undefined) used.add(pattern);
      }
      const args = [...c.args, ...c.named.values()];
      // `cp /etc/rancher/k3s/k3s.yaml "$H/.kube/config"`: a copy's last operand is where it writes, not a store it reads.
      // (`cp -t DIR files…` names the target with an option: then every operand is read.)
      const targetOption = ["-t", "--target-directory", "-destination"].some((o) => c.named.has(o)) || c.args.some((a) => a !== undefined && /^(?:-[a-zA-Z]*t|--target-directory)/.test(a));
      const copyTarget = /^(?:cp|install|shutil\.copy\w*|copy-item)$/i.test(c.name) && !targetOption ? c.args.filter((a) => a === undefined || !a.startsWith("-")).at(-1) : undefined;
      if (copyTarget !== undefined && c.args.filter((a) => a === undefined || !a.startsWith("-")).length > 1) used.add(copyTarget);
      for (const a of args) {
        if (a === undefined || used.has(a)) continue;
        // A glob's braces list several names (`**/{.env,*.pem}`): each is a path it reads.
        const alternatives = braceAlternatives(a);
        const s = SENSITIVE.find(([re]) => re.test(a) || alternatives.some((x) => re.test(x)));
        if (s) {
          // A recursive glob gathers every copy of a settings store (`**/.env*`): a harvest, not one entry's use.
          const harvest = WEAK_SOURCES.has(s[1]) && a.includes("**");
          flow.sources.push({ offset: c.offset, length: c.length, kind: harvest ? `${s[1]}-harvest` : s[1], what: harvest ? `every ${s[2]} file under a folder` : s[2] });
          break;
        }
      }
      // `for f in [".npmrc", ".git-credentials"]: read(home + "/" + f)`: a path built from a part
      // folding can't know, in code that spells secret store names as whole strings.
      // Senders' unknown arguments are URLs and data more often than files: only readers count here.
      if (READERS.test(c.name) && !SINK_READS.test(c.name) && !flow.sources.some((x) => x.offset === c.offset) && args.some((a) => a === undefined || /^(?:…|~)?\/?…$|\/…$/.test(a))) {
        const named = listed.find((x) => !WEAK_SOURCES.has(x.kind));
        if (named) flow.sources.push({ offset: c.offset, length: c.length, kind: named.kind, what: named.what });
      }
    }
  }
  return flow;
}

/**
 * Key files a network tool authenticates with (`scp -i ~/.ssh/id_ed25519`, `curl --key`,
 * `rsync -e "ssh -i key"`): the tool uses them to sign in, it does not send them.
 */
function identityArgs(c: CallFact): Set<string> {
  const used = new Set<string>();
  // `wget URL -O ~/.clawdbot/models/x.onnx`, `curl -o …`: where the download is written, not a file sent.
  if (/^(?:curl|wget)$/i.test(c.name)) for (const opt of ["-o", "-O", "--output", "--output-document", "-P", "--directory-prefix"]) { const v = c.named.get(opt); if (v !== undefined) used.add(v); }
  if (!/^(?:scp|sftp|rsync|curl)$/i.test(c.name)) return used;
  for (const opt of ["-i", "--key", "--cert", "-e", "--rsh"]) {
    const v = c.named.get(opt);
    if (v !== undefined && (opt !== "-e" && opt !== "--rsh" ? true : /^ssh\s/.test(v))) used.add(v);
  }
  return used;
}

/** Senders that read a file themselves (`curl -d @~/.aws/credentials`, `-T file`). */
const SINK_READS = /^(?:curl|wget|scp|rsync|nc|ncat|invoke-restmethod|invoke-webrequest|iwr|irm)$/i;

/** A use of any of the variables `names` (`key`, `$key`), not a member of something else (`x.key`). */
export function nameUse(names: string[]): RegExp {
  // `f"…"` and `b'…'` are Python string prefixes, not the variables f and b.
  const alts = names.map((n) => (/^(?:[fbru]|rb|br|fr|rf)$/i.test(n) ? `${n}(?!["'])` : n));
  return new RegExp(`(?<![\\w.$])\\$?(?:${alts.join("|")})\\b`);
}

/**
 * One entry looked up by name (`env["API_KEY"]`, `cfg.get("token")`, `tokens.access_token`): the
 * setting used, not the store sent. Methods that pass the whole text on (`.read()`, `.strip()`) are not entries.
 */
export const ONE_ENTRY = /^\s*(?:\[\s*["'`]|\.get\(\s*["'`]|\.(?!(?:read|read_text|read_bytes|readlines|toString|encode|decode|strip|trim|split|splitlines|json|text|buffer|items|values|entries)\b)[A-Za-z_]\w*\b(?!\s*\())/;

/** Whether the send carries a variable that holds what the source read (`whole`: not just one entry of it). */
function carries(sink: SinkFact, source: SourceFact, whole = false): boolean {
  if (!sink.text || !source.names?.length) return false;
  const re = new RegExp(nameUse(source.names).source, "g");
  for (let m = re.exec(sink.text); m; m = re.exec(sink.text)) if (!whole || !ONE_ENTRY.test(sink.text.slice(m.index + m[0].length))) return true;
  return false;
}

/**
 * Whether a sink is consistent with the source's purpose: every host it reaches is the
 * credential's own vendor. `sameCode`: source and sink are in one piece of code, so the
 * variables that hold the source can be followed into the send.
 */
export function purposeConsistent(source: SourceFact, sink: SinkFact, sameCode = false): boolean {
  const inside = source.offset >= sink.offset && source.offset < sink.offset + sink.length;
  // What is read into a public post is published, whatever the store's vendor.
  if (sink.publishes && (inside || carries(sink, source))) return false;
  if (source.kind.startsWith("vendor:")) {
    // A vendor's key goes to that vendor; a leak is the key read inside a send to a known other host.
    const vendor = source.kind.slice(7);
    const hosts = sink.destination ? [sink.destination] : sink.hosts;
    return !inside || hosts.length === 0 || hosts.every((h) => h.includes(vendor) || (VENDOR_DOMAINS[vendor] ?? []).some((d) => isOnDomain(h, d)));
  }
  const toPurpose = sink.hosts.length > 0 && sink.hosts.every((h) => isPurposeHost(source.kind, h));
  // Skills read their own settings from these (an entry of the agent's config, a line of .env,
  // their wallet to sign) and CLIs print tokens for calls to their vendor: a leak is the store
  // read straight into a send, or carried whole (not one entry of it) to a named host that is
  // not its vendor's (`https://api.github.com` + a path the code builds is still GitHub).
  if (WEAK_SOURCES.has(source.kind) || source.carriedOnly) {
    if (inside) return source.carriedOnly ? toPurpose : false;
    const named = sink.hosts.map((h) => h.replace(/….*$/, "")).filter((h) => h.includes("."));
    return !(sameCode && named.length > 0 && carries(sink, source, true)) || named.every((h) => isPurposeHost(source.kind, h));
  }
  return toPurpose;
}

// ---- download then execute

const DOWNLOADERS = /^(?:curl|wget|fetch|aria2c|invoke-webrequest|iwr|invoke-restmethod|irm|http|xh|start-bitstransfer)$/i;
const INTERPRETERS = /^(?:sh|bash|zsh|dash|ksh|fish|python[23]?(?:\.\d+)?|node|deno|bun|perl|ruby|php|pwsh|powershell|iex|invoke-expression|source|\.)$/i;
/** Pipeline stages that pass data through unchanged. */
const PASS_THROUGH = /^(?:tee|cat|sudo|env|dd|gunzip|zcat|tr|sed|base64|xxd|rev|head|tail)$/i;

export interface DownloadRun extends Place {
  /** The URLs downloaded (every one must be an official installer for the lower severity). */
  urls: string[];
  official: boolean;
  /** A binary from a GitHub release run directly (not a script through an interpreter). */
  release?: boolean;
  how: string;
  /** Where the download happened when it differs from where it runs. */
  from?: Place;
}

function urlsOf(c: CallFact): string[] {
  return [...c.args, ...c.named.values()].flatMap((a) => urlsIn(a ?? ""));
}

/** A file from a project's GitHub release page. */
function isReleaseBinary(url: string): boolean {
  return hostOf(url) === "github.com" && /^https?:\/\/github\.com\/[\w.-]+\/[\w.-]+\/releases\/(?:download|latest\/download)\//i.test(url) && !/\.(?:sh|bash|ps1|py|js)$/i.test(url);
}

function verdict(urls: string[]): boolean {
  return urls.length > 0 && urls.every(isOfficialInstaller);
}

/** `curl … | tee x | bash`, `wget x && bash x`, `curl -o f …; chmod +x f; ./f`, `iwr -OutFile f; & f`. */
export function downloadRuns(facts: CodeFacts): DownloadRun[] {
  const out: DownloadRun[] = [];
  for (const stages of facts.pipelines) {
    const first = stages.findIndex((c) => DOWNLOADERS.test(c.name));
    if (first < 0) continue;
    for (let i = first + 1; i < stages.length; i++) {
      const st = stages[i]!;
      const name = st.name === "sudo" ? (st.args[0] ?? "") : st.name;
      if (INTERPRETERS.test(name)) {
        // `python script.py` reads no stdin; `bash -s`, `sh`, `python -` do.
        const fileArg = st.args.find((a) => a !== undefined && !a.startsWith("-") && a !== name);
        if (fileArg && !/^(?:bash|sh|zsh|sudo)$/.test(st.name)) break;
        // The plain `curl | sh` is the regex rule's (SR-DLEXEC-001), unless a name was folded out of variables it can't read.
        const spelled = (c: CallFact) => c.text.toLowerCase().includes(c.name.replace(/^.*\//, "").toLowerCase());
        // A substitution inside the download's arguments (`curl "…?r=$(git remote | base64)" | sh`) hides the pipe from that rule.
        if (i === first + 1 && spelled(stages[first]!) && spelled(st) && !stages[first]!.text.includes("$(")) break;
        const urls = urlsOf(stages[first]!);
        out.push({ offset: stages[first]!.offset, length: st.offset + st.length - stages[first]!.offset, urls, official: verdict(urls), how: `downloads and pipes through ${stages.slice(first + 1, i).map((s) => s.name).join(" | ")} into ${name}` });
        break;
      }
      if (!PASS_THROUGH.test(st.name)) break;
    }
  }
  // Two steps: the downloaded file is run later in the same code.
  const saved: { file: string; call: CallFact; urls: string[] }[] = [];
  // `curl u | tee f`: the download is saved as f (stages between pass it through unchanged).
  for (const stages of facts.pipelines) {
    const first = stages.findIndex((c) => DOWNLOADERS.test(c.name));
    if (first < 0) continue;
    for (const st of stages.slice(first + 1)) {
      const file = st.name === "tee" ? st.args.find((a) => a !== undefined && !a.startsWith("-")) : undefined;
      if (file) saved.push({ file, call: stages[first]!, urls: urlsOf(stages[first]!) });
      if (!PASS_THROUGH.test(st.name)) break;
    }
  }
  for (const c of facts.calls) {
    const clone = clonedFolder(c);
    if (clone) {
      saved.push({ file: `${clone.folder}/`, call: c, urls: [clone.url] });
      continue;
    }
    if (DOWNLOADERS.test(c.name) || /(?:^|\.)(?:urlretrieve|download_file)$/.test(c.name)) {
      const urls = urlsOf(c);
      const target = outputOf(c, urls);
      if (target) saved.push({ file: target, call: c, urls });
      continue;
    }
    for (const s of saved) {
      if (c.offset <= s.call.offset) continue;
      if (runsFile(c, s.file)) {
        const viaInterpreter = INTERPRETERS.test(c.name) || /^(?:sudo|nohup|env)$/.test(c.name) && c.args.some((a) => a !== undefined && INTERPRETERS.test(a));
        out.push({ offset: c.offset, length: c.length, urls: s.urls, official: verdict(s.urls), release: !viaInterpreter && s.urls.length > 0 && s.urls.every(isReleaseBinary), how: `downloads ${s.file} and then runs it`, from: { offset: s.call.offset, length: s.call.length } });
      }
    }
  }
  return out;
}

function baseName(p: string): string {
  return p.replace(/[?#].*$/, "").replace(/\/+$/, "").split(/[/\\]/).pop() ?? "";
}

function outputOf(c: CallFact, urls: string[]): string | undefined {
  const n = c.name.toLowerCase();
  const named = (k: string) => c.named.get(k);
  if (n === "curl") {
    const o = named("-o") ?? named("--output");
    if (o) return o;
    if (c.args.some((a) => a === "-O" || a === "--remote-name" || (a !== undefined && /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a) && !a.startsWith("--")))) return urls[0] ? baseName(urls[0]) : undefined;
    return undefined;
  }
  if (n === "wget") {
    const o = named("-o") ?? named("-O") ?? c.named.get("-o") ?? named("--output-document");
    // `-O file` and combined short options ending in O (`-qO file`).
    const O = c.args.findIndex((a) => a !== undefined && /^-[a-zA-Z]*O$/.test(a));
    if (O >= 0 && c.args[O + 1] && c.args[O + 1] !== "-") return c.args[O + 1];
    if (o && o !== "-") return o;
    if (O < 0 && urls[0] && !c.args.includes("-qO-") && !c.args.includes("-O-")) return baseName(urls[0]);
    return undefined;
  }
  if (/^(?:invoke-webrequest|iwr|invoke-restmethod|irm)$/.test(n)) return named("-outfile");
  // `Start-BitsTransfer -Source u -Destination f` (or the two positionally).
  if (n === "start-bitstransfer") return named("-destination") ?? c.args.filter((a) => a !== undefined && !a.startsWith("-") && a !== c.named.get("-source"))[1 - (c.named.has("-source") ? 1 : 0)];
  if (/urlretrieve|download_file/.test(c.name)) return c.args[1];
  return undefined;
}

/** `git clone <url> [folder]`: the folder a repository is downloaded into. */
function clonedFolder(c: CallFact): { url: string; folder: string } | undefined {
  if (c.name !== "git" || c.args[0] !== "clone") return undefined;
  const words = c.args.slice(1).filter((a): a is string => a !== undefined && !a.startsWith("-"));
  const at = words.findIndex((w) => /^(?:https?|git|ssh):\/\/|^git@/.test(w));
  if (at < 0) return undefined;
  const folder = words[at + 1] ?? baseName(words[at]!).replace(/\.git$/, "");
  return folder ? { url: words[at]!, folder: folder.replace(/\/+$/, "") } : undefined;
}

/** Whether a call runs code from a downloaded folder: a script under it, or `make -C folder`. */
function runsFromFolder(c: CallFact, folder: string): boolean {
  const under = (a: string | undefined) => a !== undefined && (a.startsWith(`${folder}/`) || a.startsWith(`./${folder}/`));
  if (under(c.name)) return true;
  if (/^(?:make|gmake|\$\(MAKE\))$/.test(c.name)) return c.args.some((a, i) => ((a === "-C" || a === "--directory") && c.args[i + 1] === folder) || a === `-C${folder}` || a === `--directory=${folder}`);
  return INTERPRETERS.test(c.name) && under(c.args.find((a) => a !== undefined && !a.startsWith("-")));
}

function runsFile(call: CallFact, file: string): boolean {
  if (file.endsWith("/")) return runsFromFolder(call, file.slice(0, -1));
  // `sudo x`, `nohup x`, `env A=1 x`: the command is the first word that is not an option or assignment.
  let c = call;
  while (/^(?:sudo|nohup|env|time|exec)$/.test(c.name)) {
    const rest = c.args.filter((a) => a !== undefined && !a.startsWith("-") && !/^\w+=/.test(a)) as string[];
    if (rest.length === 0) return false;
    c = { ...c, name: rest[0]!, args: rest.slice(1) };
  }
  const base = baseName(file);
  if (base.length === 0) return false;
  const same = (a: string | undefined) => a !== undefined && (a === file || a === `./${file}` || (base.length >= 3 && baseName(a) === base));
  const name = c.name;
  if (same(name) || same(name.replace(/^&\s*/, "")) || c.nameChoices?.some(same)) return true;
  if (INTERPRETERS.test(name) || /^(?:start-process|&|os\.system|subprocess\.\w+|child_process\.\w+|execSync|spawn)$/i.test(name)) {
    return c.args.some((a) => same(a) || (a !== undefined && new RegExp(`(?:^|[\\s/])${escapeRegExp(base)}(?:\\s|$)`).test(a) && /^(?:os\.system|subprocess|child_process|execSync|exec)/.test(name)));
  }
  return false;
}

// ---- remote code evaluated in process

/** Calls that fetch a reply over the network (the text a remote host chose). */
const FETCHES = /^(?:fetch|urlopen|urllib\.request\.urlopen|urllib2\.urlopen|requests\.get|requests\.request|httpx\.get|axios|axios\.get|got|got\.get|http\.get|https\.get|invoke-webrequest|iwr|invoke-restmethod|irm|urllib3\.request|\w+\.DownloadString|\w+\.DownloadData|urlretrieve|urllib\.request\.urlretrieve)$/i;
/** Calls that run or unpickle what they are given in the running process. */
const EVALUATES = /^(?:eval|exec|compile|Function|new Function.*|vm\.runInThisContext|vm\.runInNewContext|vm\.runInContext|vm\.Script|new vm\.Script.*|pickle\.loads?|cPickle\.loads?|_pickle\.loads?|marshal\.loads|dill\.loads?|cloudpickle\.loads?|joblib\.load|shelve\.open|iex|invoke-expression|\[scriptblock\]::create|runpy\.run_path|importlib\.import_module|__import__)$/i;
/** `x.write_bytes(<download>)`, `open(x, "wb").write(<download>)`: the download is saved under x. */
const SAVED_AS = /([A-Za-z_]\w*)\.(?:write_bytes|write_text|write)\(\s*$|open\(\s*([A-Za-z_]\w*)\s*,\s*["'][wa]b?["']\s*\)\.write\(\s*$/;

/**
 * Code fetched over the network and run in the process: `exec(urlopen(u).read())`,
 * `new Function(await (await fetch(u)).text())`, `pickle.loads` of a downloaded file. The reply
 * is followed into the evaluator through the variables that hold it (`holders`).
 */
export function remoteCodeRuns(facts: CodeFacts, text: string, holders: (offset: number, length: number) => string[]): DownloadRun[] {
  const out: DownloadRun[] = [];
  // `(0, eval)(t)` is eval called indirectly (global scope): the same evaluator.
  const evaluators = facts.calls.filter((c) => EVALUATES.test(c.name.replace(/^\(\s*[\w.'"]+\s*,\s*([\w.]+)\s*\)$/, "$1")) && c.args.length + c.named.size > 0);
  if (evaluators.length === 0) return out;
  for (const d of facts.calls) {
    if (!FETCHES.test(d.name)) continue;
    const lineStart = text.lastIndexOf("\n", d.offset - 1) + 1;
    const saved = SAVED_AS.exec(text.slice(lineStart, d.offset));
    const names = [...holders(d.offset, d.length), ...(saved ? [saved[1] ?? saved[2]!] : [])];
    // `urlretrieve(u, "m.pkl")` … `pickle.load(open("m.pkl", "rb"))`: the saved file is what is loaded,
    // also through the handle it is opened as (`with open("m.pkl", "rb") as fh`).
    const file = baseName(outputOf(d, urlsOf(d)) ?? "");
    if (file.length >= 3 && !file.includes("…")) for (const o of facts.calls) if (o.offset > d.offset && o.args.some((a) => a !== undefined && baseName(a) === file)) names.push(...holders(o.offset, o.length));
    const use = names.length ? nameUse(names) : undefined;
    const loads = (e: CallFact) => {
      const args = e.text.slice(e.text.indexOf("(") + 1);
      return (use !== undefined && use.test(args)) || (file.length >= 3 && !file.includes("…") && args.includes(file));
    };
    // The reply's handlers: a promise chain on the fetch (`fetch(u).then(…)`) or its callback (`https.get(u, (res) => …)`).
    const handlers = facts.calls.filter((c) => c.offset === d.offset);
    const inHandler = (e: CallFact) => handlers.some((h) => e.offset > h.offset && e.offset < h.offset + h.length);
    const run = evaluators.find((e) => e.offset !== d.offset && ((d.offset >= e.offset && d.offset < e.offset + e.length) || inHandler(e) || (e.offset > d.offset && loads(e))));
    if (!run) continue;
    const urls = urlsOf(d);
    out.push({ offset: run.offset, length: run.length, urls, official: false, how: `fetches code with ${d.name} and runs it in the process with ${run.name.replace(/\(.*$/s, "")}`, from: { offset: d.offset, length: d.length } });
    break;
  }
  return out;
}

// ---- a socket wired to a shell

const CONNECTS = /^(?:socket\.create_connection|net\.connect|net\.createConnection|tls\.connect|[\w.]+\.connect|TCPSocket\.(?:new|open)|New-Object)$/;
const SPAWNS = /^(?:subprocess\.\w+|os\.(?:system|popen|exec\w*|spawn\w*)|pty\.spawn|child_process\.(?:spawn|exec|execFile)\w*|spawn|execFile|Process\.Start|start-process)$/i;
/** An interactive shell: a shell with no command to run (`/bin/sh -i`, `bash`, `cmd.exe`). */
const INTERACTIVE_SHELL = /^\s*(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh(?:\s+-i)?\s*$|^\s*(?:cmd|pwsh|powershell)(?:\.exe)?\s*$/i;
/** The socket becomes the shell's input and output: dup2 onto 0/1/2, streams piped both ways, or handed as stdio. */
const WIRES = /(?:^|\.)(?:dup2|pipe)$/;

/** A network connection whose socket is wired to an interactive shell: a reverse shell, however it is spelled. */
export function reverseShell(facts: CodeFacts): (Place & { related: Place; how: string }) | undefined {
  const connect = facts.calls.find((c) => CONNECTS.test(c.name) && (c.name !== "New-Object" || c.args.some((a) => a !== undefined && /Sockets\.TcpClient/i.test(a))) && (/^(?:socket|net|tls|TCPSocket)\b/.test(c.name) || c.args.some((a) => a !== undefined && /^\d{2,5}$/.test(a)) || /\(\s*\(/.test(c.text)));
  if (!connect) return undefined;
  const shell = facts.calls.find((c) => SPAWNS.test(c.name) && c.args[0] !== undefined && INTERACTIVE_SHELL.test(c.args[0]));
  if (!shell) return undefined;
  const wired = facts.calls.some((c) => WIRES.test(c.name)) || [...shell.named.keys()].some((k) => /^(?:stdin|stdout|stdio)$/.test(k) && shell.named.get(k) !== "subprocess.PIPE");
  if (!wired) return undefined;
  return { offset: shell.offset, length: shell.length, related: { offset: connect.offset, length: connect.length }, how: `connects out with ${connect.name} and wires the socket to ${shell.args[0]!.trim()} (${shell.name})` };
}

