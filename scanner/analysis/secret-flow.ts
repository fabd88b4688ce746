/**
 * A secret followed from where a program gets it to where it leaves, over the text of any
 * language a skill ships (shell, Python, JavaScript, PowerShell, Ruby, Perl, PHP, Lua, Rust,
 * Kotlin, batch, Jenkinsfiles, CI YAML of any forge, Ansible plays): `SR-EXFIL-009`, critical,
 * naming both ends.
 *
 * Sources, by meaning rather than by a closed list of files:
 * - commands and APIs that print or return a secret (a cloud CLI's token or export command,
 *   `gh auth token`, `security find-generic-password -w`, `pass show`, `op read`, `bw get`,
 *   `secret-tool lookup`, `keyring.get_password`, `Get-StoredCredential`, the Windows
 *   PasswordVault, `netsh wlan … key=clear`, vault CLIs, `kubectl config view --raw`,
 *   `docker-credential-* get`, `git credential fill`, `buildkite-agent secret get`,
 *   `gpg --export-secret-keys`);
 * - files that hold a login (the shared list of `judge.ts`, and CLI logins it does not name:
 *   the Copilot, Firebase, Stripe, rclone and Azure token stores, a signing keystore and its
 *   passwords, Terraform state, `$KUBECONFIG`);
 * - places where a program is handed a secret: a git credential helper's stdin, a CI job's
 *   secret bindings (Jenkins `withCredentials`, Azure `addSpnToEnvironment`, `${{ secrets.X }}`),
 *   a password the script asks for and also gives to `sudo -S`.
 *
 * The value is followed through pipes (`cmd | gzip | curl --data-binary @-`), assignments and
 * loop variables, files it is written to (`> f`, then `-F @f`), `git add` then `git push`,
 * Ansible `register:`, and functions (a function that touches it returns it; a call handing it
 * over taints the parameters). It is a leak when it reaches a send (an HTTP client or tool of
 * any of those languages, a socket, a DNS look-up of a built name, a push to a remote) whose
 * host is neither private nor the vendor that issued the secret. A CI secret (whose vendor
 * nobody knows) counts only when carried as data (a body, a query), not in an auth header.
 *
 * Written over the text rather than a grammar because most of these languages have none bundled;
 * the over-approximations (a name matched by spelling, a function tainted by any use) are
 * bounded by the need for all three ends: a named source, a send carrying one of its names,
 * and a foreign host written at the send or in the file.
 */
import { isPurposeHost, keychainVendor } from "../allowlist.js";
import { domainName, hostOf, isOnDomain, urlsIn } from "../urls.js";
import type { CodeHit } from "./code.js";
import { sensitiveStore, WEAK_SOURCES } from "./judge.js";
import { PRIVATE_HOST } from "./store-theft.js";
import { cliLoginIn } from "./cli-logins.js";
import { hiddenHosts } from "./hidden-hosts.js";
import { connectionHosts, MORE_SENDS } from "./send-vocabulary.js";
import { withoutAddressUses } from "./address-secret.js";
import { attributeSet, isReply, returnStatements } from "./function-returns.js";

/** Words of one command, as typed or as an argument vector (`["gh", "auth", "token"]`). */
const GAP = String.raw`["',\s]{1,6}`;
function words(...parts: string[]): string {
  return parts.join(GAP);
}

interface SourceWord {
  re: RegExp;
  what: string;
  /** The store kind whose vendor may receive it (allowlist.ts PURPOSE_HOSTS). */
  kind?: string;
  /** Domains of the vendor that issued it, beyond the kind's. */
  own?: string[];
  /** A store of many services' secrets: the item it names (`keyring.get_password("openai", …)`) says whose this one is. */
  item?: boolean;
}

/** Commands and calls that print or return a secret, in any language. */
const SECRET_COMMANDS: SourceWord[] = [
  { re: new RegExp(`${words("configure", "export-credentials")}|${words("configure", "get", "aws_(?:secret_access_key|session_token)")}|${words("ecr", "get-login-password")}|${words("secretsmanager", "get-secret-value")}|${words("sts", "get-session-token")}|${words("sts", "assume-role")}|${words("eks", "get-token")}|${words("(?:ecr|codeartifact)", "get-authorization-token")}|${words("sso", "get-role-credentials")}`, "i"), what: "AWS credentials the CLI prints", kind: "aws", own: ["awsapps.com"] },
  { re: new RegExp(`${words("auth", "(?:application-default" + GAP + ")?print-(?:access|identity)-token")}|${words("secrets", "versions", "access")}`, "i"), what: "a Google Cloud token the CLI prints", kind: "gcloud" },
  { re: new RegExp(`${words("account", "get-access-token")}|${words("keyvault", "secret", "show")}|\\bGet-AzAccessToken\\b`, "i"), what: "an Azure token the CLI prints", kind: "azure" },
  { re: new RegExp(`\\bgh${GAP}auth${GAP}token\\b|\\bgh${GAP}auth${GAP}status\\b[^\\n]{0,40}--show-token|\\bglab${GAP}auth${GAP}status\\b[^\\n]{0,40}--show-token`, "i"), what: "the GitHub CLI token", kind: "git" },
  { re: new RegExp(`\\bcredential${GAP}(?:fill|get)\\b`), what: "a stored git password (git credential fill)", kind: "git" },
  { re: /\bdocker-credential-[\w-]{2,30}["',\s]{1,6}(?:get|list)\b/, what: "Docker registry credentials", kind: "docker" },
  { re: /\bsecurity["',\s]{1,6}(?:find-(?:generic|internet)-password\b[^\n]{0,200}["'\s]-[wg]\b|dump-keychain\b)/, what: "a keychain password", item: true },
  { re: new RegExp(`\\b(?:pass|gopass|lpass)${GAP}show\\b|\\bop${GAP}(?:read|item${GAP}get|document${GAP}get)\\b|\\bbw${GAP}(?:get|export)\\b|\\bsecret-tool${GAP}lookup\\b|\\bkeyring${GAP}get\\b|\\bkeyring\\.get_(?:password|credential)\\s*\\(|\\bkeytar\\.(?:getPassword|findCredentials)\\s*\\(`), what: "a password manager or keyring secret", item: true },
  { re: /\bGet-StoredCredential\b|\bGet-Secret\b|\bCredRead\w{0,10}\s*\(|\bPasswordVault\b|\.RetrieveAll\s*\(|\.RetrievePassword\s*\(|\bcmdkey["',\s]{1,6}\/list\b|\bvaultcmd\b/i, what: "Windows stored credentials" },
  { re: /\bnetsh["',\s]{1,6}wlan\b[^\n]{0,160}\bkey=clear\b/i, what: "saved Wi-Fi passwords" },
  { re: new RegExp(`\\bvault${GAP}(?:kv${GAP})?(?:get|read)\\b|\\bvault${GAP}print${GAP}token\\b`), what: "a HashiCorp Vault secret", own: ["hashicorp.com", "hashicorp.cloud"], item: true },
  { re: new RegExp(`\\bkubectl${GAP}config${GAP}view\\b[^\\n]{0,80}--(?:raw|flatten)\\b|\\bkubectl\\b[^\\n]{0,40}\\bget${GAP}secrets?\\b[^\\n]{0,80}\\s-o${GAP}?(?:yaml|json)\\b`), what: "cluster credentials (kubectl prints them)", kind: "kube" },
  { re: new RegExp(`\\bbuildkite-agent${GAP}secret${GAP}get\\b`), what: "a Buildkite secret", own: ["buildkite.com"] },
  { re: /\bgpg\b[^\n]{0,60}--export-secret-(?:sub)?keys\b/, what: "GPG private keys" },
  { re: new RegExp(`\\bsops\\b[^\\n]{0,40}(?:\\s-d\\b|--decrypt\\b)|\\bansible-vault${GAP}(?:view|decrypt)\\b|\\bheroku${GAP}auth:token\\b|\\bfly(?:ctl)?${GAP}auth${GAP}token\\b|\\bfirebase${GAP}login:ci\\b`), what: "a decrypted secret or CLI token" },
];

/**
 * Credential files of CLIs and builds the shared list does not name, each by pieces (a path is
 * often joined from parts over several statements): the last piece is where it is read, the
 * others may be anywhere in the code.
 */
const SECRET_FILES: { all: RegExp[]; what: string; kind?: string; own?: string[] }[] = [
  { all: [/\bgithub-copilot\b/, /\b(?:apps|hosts)\.json\b/], what: "the GitHub Copilot token", kind: "git", own: ["githubcopilot.com"] },
  { all: [/["'/\\]gh["'/\\]/, /\bhosts\.yml\b/], what: "the GitHub CLI login (gh/hosts.yml)", kind: "git" },
  { all: [/\bconfigstore\b/, /\bfirebase-tools\.json\b/], what: "the Firebase CLI login", kind: "gcloud", own: ["firebase.com", "firebaseio.com"] },
  { all: [/["'/\\]stripe["'/\\]/, /\bconfig\.toml\b/], what: "the Stripe CLI keys", own: ["stripe.com"] },
  { all: [/\bcomposer\b/i, /\bauth\.json\b/], what: "Composer's registry tokens (auth.json)", own: ["packagist.org", "packagist.com", "github.com"] },
  { all: [/\.azure\b/i, /\b(?:AzureRmContext\.json|msal_token_cache|TokenCache\.dat|accessTokens\.json)\b/i], what: "the Azure login", kind: "azure" },
  { all: [/\brclone\b/, /\brclone\.conf\b/], what: "rclone's remotes and their credentials" },
  { all: [/\bkeystore\.properties\b/], what: "the app signing keystore's passwords (keystore.properties)", own: ["google.com", "googleapis.com"] },
  { all: [/\b(?:storePassword|keyPassword|storepass)\b/i, /\.jks\b|\.keystore\b/], what: "the app signing keystore and its password", own: ["google.com", "googleapis.com"] },
  { all: [/\.aws[/\\]+(?:sso|cli)[/\\]+cache\b/], what: "AWS SSO session tokens", kind: "aws", own: ["awsapps.com"] },
  { all: [/\.tfstate\b/], what: "Terraform state (it holds every resource's secrets)", own: ["terraform.io", "hashicorp.com", "amazonaws.com", "googleapis.com", "windows.net", "gitlab.com"] },
];

/** A CLI asked for its token (`doctl auth token`, `vercel tokens print`): group 1 the CLI. */
const CLI_TOKEN_COMMAND = new RegExp(String.raw`(?:^|[\s"'(\x60|;&$])([a-z][\w-]{1,20})` + GAP + String.raw`(?:auth|tokens?|login)` + GAP + String.raw`(?:token|print(?:-\w{1,12})?-token|print|show-token|--show-token)\b`);

/** Variables that name a file of credentials: reading or uploading it is reading them. */
const CREDENTIAL_FILE_VARIABLES = ["KUBECONFIG", "GOOGLE_APPLICATION_CREDENTIALS", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "DOCKER_CONFIG", "NPM_CONFIG_USERCONFIG", "PGPASSFILE"];
const CREDENTIAL_FILE_VARIABLE = new RegExp(`\\$\\{?(?:env:)?(${CREDENTIAL_FILE_VARIABLES.join("|")})\\b`);

/** A pattern that picks out credentials written into URLs (`https://[^/@]+:[^/@]+@`). */
const URL_CREDENTIALS_FILTER = /:\/\/\[\^[^\]\n]{0,8}@[^\]\n]{0,8}\][+*]:\[\^[^\]\n]{0,8}@[^\]\n]{0,8}\][+*]@/;

/** A git credential helper written as shell: git hands it `username=…`/`password=…` on stdin. */
const CREDENTIAL_HELPER = /\bcredential\.(?:[\w.:/-]{1,80}\.)?helper\b[^\n]{0,40}!|^\s*helper\s*=\s*["']?!/m;
/** Reading standard input inside a helper's text. */
const READS_STDIN = /@-|\bcat\b(?!\s+[\w~/$"'])|\/dev\/stdin|\bread\s+(?:-\w+\s+)*\w|\$\(cat\)|\bsys\.stdin\b|\bSTDIN\b/;

/** A prompt for a password (the login password when the same value goes to `sudo -S`). */
const PASSWORD_PROMPT = /\bhiddenAnswer\s*:\s*true\b|\bwith hidden answer\b|\bread\s+-\w*s\w*\s+(?:-\w+\s+)*\w|\bzenity\b[^\n]{0,40}--password\b|\bkdialog\b[^\n]{0,40}--password\b|\bGet-Credential\b|-AsSecureString\b|\bgetpass\.getpass\s*\(/;
const LOGIN_PASSWORD_USE = /\bsudo(?:["',\s]{1,6}-\w+)*["',\s]{1,6}-\w*S\b|\bdscl\b[^\n]{0,60}-authonly\b|\bunlock-keychain\b/;

/** Secret bindings a CI job is given (no vendor known: only sent as data are they leaked). */
const JENKINS_BINDING = /\b(?:variable|usernameVariable|passwordVariable|keyFileVariable|passphraseVariable|tokenVariable)\s*:\s*["'](\w{1,60})["']/g;
const AZURE_SPN = /\baddSpnToEnvironment\s*:\s*true\b/;
const AZURE_SPN_NAMES = ["servicePrincipalKey", "servicePrincipalId", "tenantId", "idToken"];
const FORGE_SECRET = /\$\{\{\s*secrets\.(\w{1,80})\s*\}\}/;

/** Sends, in the languages skills ship: tools, clients, sockets, DNS look-ups, a push, an Ansible task. */
const SINK_WORDS =
  /(?:^|[\s"'`(|;&{[,=])(?:curl(?:\.exe)?|wget|nc|ncat|socat|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)(?=["'`\s,)]|$)|\brequests\.(?:post|put|patch|get)\b|\bhttpx\.\w+\s*\(|\burlopen\s*\(|\burllib\.request\.Request\b|\bfetch\s*\(|\bhttps?\.(?:request|get)\s*\(|\baxios\b|\bgot\s*\(|\bhttp\.(?:Post|PostForm|Get|NewRequest)\s*\(|\bNet::HTTP\b|\bHTTParty\b|\bFaraday\b|\bRestClient\b|\bLWP::UserAgent\b|->\s*(?:post|put|request)\s*\(|\bHTTP::Tiny\b|\bcurl_(?:init|exec|setopt\w*)\b|\bCURLOPT_POSTFIELDS\b|\bwp_remote_post\b|\bureq::\w+\b|\breqwest\b|\bHttpClient\b|\.(?:Post|Put|Send)Async\s*\(|\.Upload(?:String|File|Data|Values)\s*\(|\bopenConnection\s*\(|\.outputStream\b|\bOkHttpClient\b|\bsocket\.(?:create_connection|socket)\b|\.sendall\s*\(|\bnet\.Dial\w*\s*\(|\bTcpStream::connect\b|\bTCPSocket\b|\bnew\s+Socket\s*\(|\bTcpClient\b|\bsmtplib\b|\bsocket\.http\b|\bhttpRequest\b|(?:^|[\s"'`(,])(?:dig|nslookup|Resolve-DnsName)(?=["'`\s,)])|\bgethostbyname\w*\s*\(|\bdns\.(?:resolve\w*|lookup)\s*\(|\bnet\.Lookup(?:Host|IP|TXT|CNAME|Addr)\s*\(|\bInetAddress\.getByName\s*\(|\bDns\.GetHost\w*\s*\(|(?:^|[;&|]\s*)host\s+["$]|\bgit\s+push\b|\bansible\.builtin\.uri\b|^\s*-?\s*uri\s*:/m;
/** With the sends other languages spell (mail, raw connections, Erlang, Julia, R, Swift, WebSockets, ping's padding). */
const SINK = new RegExp(`${SINK_WORDS.source}|${MORE_SENDS.source}`, "m");
/** Sends whose data rides in the name the resolver is asked for. */
const DNS_SINK = /(?:^|[\s"'`(,])(?:dig|nslookup|Resolve-DnsName)(?=["'`\s,)])|\bgethostbyname\w*\s*\(|\bdns\.(?:resolve\w*|lookup)\s*\(|\bnet\.Lookup(?:Host|IP|TXT|CNAME|Addr)\s*\(|\bInetAddress\.getByName\s*\(|\bDns\.GetHost\w*\s*\(|(?:^|[;&|]\s*)host\s+["$]/m;
/** Where a request authenticates rather than carries data: a header or user option, spelled out. */
const AUTH_PARTS = /:\/\/[^\s/@"']{1,200}@|(?:-H|--header)\s+["'][^"'\n]{0,300}["']|(?:-u|--user)\s+\S{1,200}|\b[Aa]uthorization\b[^\n,;]{0,200}|\bBearer\s+\S{1,200}|\bheaders?\s*[:=]\s*\{[^}\n]{0,300}\}/g;
/** Lines that are only a comment. */
const COMMENT_LINE = /^\s*(?:#(?!!)|\/\/|--\s|;|\*|\/\*|rem\s|::)/i;
/** Assignment targets: `X=`, `local x =`, `my $x =`, `val x =`, `$x =`, `set X=`, `a, b =`, `String x =`. */
const ASSIGN = /^\s*(?:export\s+|local\s+|my\s+|our\s+|const\s+|let\s+(?:mut\s+)?|var\s+|val\s+|set\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?(?:final\s+)?(?:(?:[A-Z][\w.]{0,60}|int|long|byte|char|auto|string|bool|double|float)(?:<[^>\n]{0,60}>)?(?:\[\])?\s+(?=[$@%]?[A-Za-z_]\w*\s*=))?\(?\s*([$@%]?[A-Za-z_][\w]{0,60}(?:\s*,\s*[$@%]?[A-Za-z_][\w]{0,60}){0,4})\s*\)?(?:\s*:\s*[\w<>[\], .]{1,40})?\s*(?::=|=|<-)(?![=~>])/;
/** Loop variables over a value: `for x in v`, `foreach ($x in $v)`, `for (const x of v)`, `v.each do |x|`. */
const LOOP = /\bfor(?:each)?\s*\(?\s*(?:const\s+|let\s+|var\s+|my\s+)?[$@%]?([A-Za-z_]\w{0,60})\s+(?:in|of)\b|\|\s*([A-Za-z_]\w{0,60})\s*\|/;
/** A function's head, in the languages above; group 1 the name, group 2 its parameter list when it has one. */
const FUNCTION_HEAD = /^\s*(?:(?:export\s+|async\s+|pub\s+|private\s+|public\s+|static\s+|local\s+)*(?:def|function|func|fun|fn|sub|proc)\s+(?:self\.)?([A-Za-z_][\w]{0,60})\s*(?:\(([^)\n]{0,200})\))?|([A-Za-z_][\w-]{0,60})\s*\(\s*\)\s*\{|(?:async\s+)?([A-Za-z_]\w{0,60})\s*\(([^)\n]{0,200})\)\s*\{\s*$)/;
const NOT_FUNCTIONS = new Set(["if", "for", "while", "switch", "catch", "with", "function", "return", "foreach", "elseif", "until"]);
/** HTTP calls whose first argument is the URL (not a mail's message or a socket's bytes). */
const URL_FIRST = /^[\s"'`(|;&{[,=]*(?:requests\.\w+|httpx\.\w+|urlopen|urllib\.request\.Request|fetch|https?\.(?:request|get)|axios|got|http\.(?:Post|PostForm|Get|NewRequest)|HTTP\.\w+|http\.\w+|Req\.\w+|HTTPoison\.\w+)\s*$/;

/** The first argument of the call a send starts (`post(url + "/x", …)` -> `url + "/x"`), bracket depth kept. */
function firstArgument(after: string): string {
  const open = /^\s*\(?/.exec(after)![0].length;
  let depth = 0;
  for (let k = open; k < Math.min(after.length, open + 300); k++) {
    const ch = after[k]!;
    if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) {
      if (depth === 0) return after.slice(open, k);
      depth--;
    } else if (ch === "," && depth === 0) return after.slice(open, k);
  }
  return after.slice(open, open + 300);
}

/** A copy of files into a folder (the secret's statement itself, or one that names it). */
const COPY_INTO = /(?:^|[\s;&|(])(?:cp|copy|xcopy|robocopy|Copy-Item|install)\s[^\n]{0,300}?[/\\]\S{0,60}\s*(?:2>|\||;|&&|$)|\bshutil\.copy\w*\s*\(|\bcopyFileSync\s*\(|\bfs\.cp\w*\s*\(|\bFileUtils\.cp\b/m;
/** Publishing a package to a public registry. */
const PUBLISH = /\b(?:npm|pnpm|yarn|bun)\s+(?:-\S+\s+)*publish\b|\bgem\s+push\b|\btwine\s+upload\b|\bcargo\s+publish\b|\bpoetry\s+publish\b|\bvsce\s+publish\b|\bdotnet\s+nuget\s+push\b|\bmix\s+hex\.publish\b/;
/** A statement that puts a value into an object it names: a filling method, an item assignment, an append operator. */
const FILLED = /^\s*([$@%]?[A-Za-z_]\w{0,60})\s*(?:\.(?:update|append|extend|push|unshift|write|writelines|set_content|set_payload|attach|add|put|putAll|insert|concat|merge|assign|Set|Add|Write|WriteString|Append|AddRange)\s*\(|\[[^\]\n]{0,60}\]\s*=(?![=~])|\.=|\+=|<<(?!\s*["'A-Z_-]{1,3}\w*\s*$))/;
/** Files a statement writes: `> f`, `>> "%OUT%\f"`, `-OutFile f`, `Out-File f`. */
const WRITES_FILE = />>?\s*("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s|;&>)]{1,200})|-(?:OutFile|FilePath)\s+("[^"\n]{1,200}"|'[^'\n]{1,200}'|\S{1,200})|\bOut-File\s+("[^"\n]{1,200}"|\S{1,200})/g;

/** Past this, the text is left to the other analyses (a scan must stay fast). */
const MAX_TEXT = 256 * 1024;
const MAX_LINES = 4000;
/** A cheap first test: text naming none of these words has no source here. */
const HINT = /token|cfg|config|home|export-credentials|aws_secret|aws_session|get-login-password|get-secret-value|get-session-token|print-access|print-identity|versions|get-access-token|keyvault|AzAccessToken|auth|credential|security|pass|op|bw|secret|keyring|keytar|Credential|Vault|cmdkey|netsh|kubectl|buildkite|gpg|sops|ansible-vault|heroku|fly|firebase|copilot|hosts\.yml|stripe|composer|azure|rclone|keystore|tfstate|KUBECONFIG|APPLICATION_CREDENTIALS|DOCKER_CONFIG|USERCONFIG|PGPASSFILE|@\]|helper|hiddenAnswer|hidden answer|read\s+-|zenity|kdialog|SecureString|getpass|variable|addSpnToEnvironment|secrets\.|\.ssh|\.aws|gcloud|\.kube|\.docker|npmrc|pypirc|\.gem|cargo|netrc|shadow|Login Data|Cookies|Keychains|pgpass|my\.cnf|NuGet|\.m2|gradle|terraform|history/i;

interface Statement {
  start: number;
  end: number;
  /** Line index of its first line. */
  line: number;
  indent: number;
  text: string;
}

/** Lines joined where a statement goes on (`\` or `^` at the end, a pipe at either end, a single quote left open). */
function statements(text: string): Statement[] {
  const out: Statement[] = [];
  const lines = text.split("\n").slice(0, MAX_LINES);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let body = COMMENT_LINE.test(lines[i]!) ? "" : lines[i]!;
    offset += lines[i]!.length + 1;
    const first = i;
    let quotes = (body.match(/'/g) ?? []).length;
    let joined = 0;
    // A single quote left open joins only a command's inline program (`$(osascript -e '…`), not an apostrophe in text.
    while (i + 1 < lines.length && joined < 12 && (/(?:\\|\^|\||&&|`)\s*$/.test(body) || /^\s*(?:\||&&)/.test(lines[i + 1]!) || (quotes % 2 === 1 && /\$\(|\s-e\s+'|'\s*$/.test(body)))) {
      i++;
      joined++;
      body += "\n" + lines[i]!;
      quotes += (lines[i]!.match(/'/g) ?? []).length;
      offset += lines[i]!.length + 1;
    }
    out.push({ start, end: offset - 1, line: first, indent: /^\s*/.exec(lines[first]!)![0].length, text: body });
  }
  return out;
}

/**
 * A variable is spelled in text as a whole word (any sigil before it: `$x`, `%x%`, `@x`), not
 * as a member (`o.x`), a keyword argument or a key (`data=`, `x:`); a function may be called as
 * a member (`Notes.session`).
 */
function mentions(text: string, name: string, member = false): boolean {
  if (name.length === 0 || !text.includes(name)) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A Python block's head ends in a colon (`for f in FILES:`): there the colon closes the line, it does not make a key.
  const key = /^\s*(?:async\s+)?(?:for|if|elif|while|with)\b/.test(text) ? "" : "|\\s*:(?=\\s|$)";
  const re = new RegExp(`(?<![\\w${member ? "" : "."}-])${escaped}(?![\\w-]|\\s*=(?![=~])${key})`, "g");
  // A string that is only the name (`.get('token')`, `{"token": …}`) is a key, not the variable.
  return [...text.matchAll(re)].some((m) => !(/["']/.test(text[m.index - 1] ?? "") && text[m.index - 1] === text[m.index + name.length]));
}

/** A variable's name without its sigil (`$tok` -> `tok`); a one-letter name keeps it (`$t`), or it would match any letter. */
function bareName(raw: string): string {
  const name = raw.trim().replace(/^[$@%&*]+/, "");
  return name.length === 1 && /^[$@%]/.test(raw.trim()) ? `$${name}` : name;
}

/** The names a statement assigns or loops over. */
function targets(text: string): string[] {
  const out: string[] = [];
  const a = ASSIGN.exec(text);
  if (a) out.push(...a[1]!.split(",").map(bareName));
  const l = LOOP.exec(text);
  if (l) out.push(l[1] ?? l[2]!);
  for (const m of text.matchAll(WRITES_FILE)) {
    const raw = (m[1] ?? m[2] ?? m[3]!).replace(/^["']|["']$/g, "");
    if (/^(?:\/dev\/null|nul|&\d|\$null)$/i.test(raw)) continue;
    // A file is known by its own name (`summary.txt` in `"%OUT%\summary.txt"`), or by the variable holding its path.
    const base = raw.split(/[/\\]/).pop() ?? "";
    const name = /^[\w.-]{2,}$/.test(base) && !/^[$%]/.test(base) ? base : bareName(raw.replace(/^\$\{?|\}$|%/g, ""));
    if (/^[\w.-]{2,}$/.test(name)) out.push(name);
  }
  return out.filter((n) => n.length >= 1);
}

/**
 * The names a statement assigns, or, for a line inside a larger expression (an argument on its own
 * line, a ternary's branch: `const p = mac\n  ? join(home, "Library", …)\n  : join(…)`), the names the
 * statement it continues assigns.
 */
function targetsOf(stmts: Statement[], i: number): string[] {
  const own = targets(stmts[i]!.text);
  if (own.length) return own;
  for (let k = i - 1; k >= 0 && k >= i - 8; k--) {
    const continued = /[([{,=?:+]\s*$/.test(stmts[k]!.text.trimEnd()) || /^\s*[?:.+)\]}]/.test(stmts[k + 1]!.text) || stmts[k + 1]!.indent > stmts[k]!.indent;
    if (!continued) break;
    const t = targets(stmts[k]!.text);
    if (t.length) return t;
  }
  return [];
}

interface Fn {
  name: string;
  params: string[];
  /** Statement indexes of its body. */
  from: number;
  to: number;
}

/** Functions and the statements their bodies span (to the next line indented no deeper than the head that is not a closer). */
function functionsOf(stmts: Statement[]): Fn[] {
  const out: Fn[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const m = FUNCTION_HEAD.exec(stmts[i]!.text);
    if (!m) continue;
    const name = m[1] ?? m[3] ?? m[4]!;
    if (NOT_FUNCTIONS.has(name)) continue;
    const params = (m[2] ?? m[5] ?? "")
      .split(",")
      .map((p) => bareName(p.replace(/^\s*(?:mut\s+|&\s*)/, "").split(/[:=\s]/).find((w) => w.length > 0) ?? ""))
      .filter((p) => /^[A-Za-z_]\w*$/.test(p) && p !== "self" && p !== "this");
    let j = i + 1;
    for (; j < stmts.length; j++) {
      const s = stmts[j]!;
      if (s.text.trim() === "") continue;
      if (s.indent <= stmts[i]!.indent && !/^\s*(?:[})\]]|end\b|fi\b)/.test(s.text)) break;
    }
    // Perl and shell name parameters in the body: `my ($x) = @_;`, `my $x = shift;`, `$1`.
    for (let k = i + 1; k < j && k < i + 4; k++) {
      const perl = /\bmy\s*\(?\s*([$@%]\w+(?:\s*,\s*[$@%]\w+)*)\s*\)?\s*=\s*(?:@_|shift)\b/.exec(stmts[k]!.text);
      if (perl) params.push(...perl[1]!.split(",").map(bareName));
    }
    out.push({ name, params, from: i + 1, to: j - 1 });
  }
  return out;
}

interface Found {
  what: string;
  kind?: string;
  own: string[];
  /** A CI secret: only carried as data is it leaked. */
  dataOnly?: boolean;
  /** A vendor's token its CLI prints, most often for that vendor's own API: followed, never paired by co-occurrence. */
  vendorToken?: boolean;
  /** An item of a password manager or keyring, whose issuer its name may not say ("Nest Device Access API" is Google's). */
  item?: boolean;
  /** Vendor words of a CI secret's or a keyring item's name (`SLACK_TOKEN`, "openai"): a host whose domain is named so may receive it. */
  vendorWords?: string[];
  /** A tool's login file, which also names the tool's server: a send to a URL built from it goes where the user configured. */
  login?: boolean;
  statement: number;
  offset: number;
  names: Set<string>;
}

/** Path-like operands and quoted literals of a statement that the shared list names as a secret store. */
function sharedStoreOf(text: string): { kind: string; what: string } | undefined {
  // `${CARGO_HOME:-$HOME/.cargo}/credentials`: the default is the path.
  text = text.replace(/\$\{\w{1,40}:-([^}\n]{1,200})\}/g, "$1");
  const literals = [...text.matchAll(/["'`]([^"'`\n]{2,200})["'`]/g)].map((m) => m[1]!);
  const paths = text.match(/(?:~|\$\{?HOME\}?|%USERPROFILE%|\$env:USERPROFILE)?[/\\][\w.\\/-]{2,200}/g) ?? [];
  for (const p of [...literals, ...paths, literals.filter((l) => /^[\w.-]+$/.test(l)).join("/")]) {
    const s = p.length > 1 ? sensitiveStore(p.replace(/\\/g, "/")) : undefined;
    if (s && !WEAK_SOURCES.has(s.kind)) return s;
  }
  return undefined;
}

function sourcesOf(stmts: Statement[], text: string): Found[] {
  const out: Found[] = [];
  const add = (i: number, at: number, f: Omit<Found, "statement" | "offset" | "names" | "own"> & { own?: string[] }, names: string[] = []) =>
    out.push({ ...f, own: f.own ?? [], statement: i, offset: stmts[i]!.start + Math.max(0, at), names: new Set([...names, ...targetsOf(stmts, i)]) });
  const promptUsed = LOGIN_PASSWORD_USE.test(text);
  const spn = AZURE_SPN.test(text);
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!.text;
    if (s.trim() === "") continue;
    for (const w of SECRET_COMMANDS) {
      const m = w.re.exec(s);
      if (m) add(i, m.index, { what: w.what, kind: w.kind ?? keychainVendor(s), ...(w.kind ? { vendorToken: true } : {}), ...(w.own ? { own: w.own } : {}), ...(w.item ? { item: true, vendorWords: itemWords(s.slice(m.index + m[0].length, m.index + m[0].length + 120)) } : {}) });
    }
    for (const f of SECRET_FILES) {
      const here = f.all.at(-1)!.exec(s);
      if (here && f.all.slice(0, -1).every((re) => re.test(text))) add(i, here.index, { what: f.what, ...(f.kind ? { kind: f.kind } : {}), ...(f.own ? { own: f.own } : {}) });
    }
    // Any CLI's token subcommand (`doctl auth token`, `glab auth token`): its vendor is the CLI's name.
    const cliToken = CLI_TOKEN_COMMAND.exec(s);
    if (cliToken && !out.some((f) => f.statement === i)) add(i, cliToken.index, { what: `the ${cliToken[1]} CLI token`, vendorToken: true, vendorWords: vendorWords(cliToken[1]!) });
    // Any tool's login file under the home folder (`~/.jfrog/jfrog-cli.conf.v6`, `~/.databrickscfg`), counted when sent as data.
    const login = cliLoginIn(s, text);
    if (login) add(i, 0, { what: login.what, dataOnly: true, login: true, vendorWords: [login.vendor] });
    const shared = sharedStoreOf(s);
    if (shared) add(i, 0, { what: shared.what, kind: shared.kind });
    const cfv = CREDENTIAL_FILE_VARIABLE.exec(s);
    if (cfv) add(i, cfv.index, { what: `the credentials file $${cfv[1]} points to` }, [cfv[1]!]);
    const url = URL_CREDENTIALS_FILTER.exec(s);
    if (url) add(i, url.index, { what: "credentials written into URLs (user:password@)", kind: "git" });
    const helper = CREDENTIAL_HELPER.exec(s);
    if (helper && READS_STDIN.test(s.slice(helper.index))) add(i, helper.index, { what: "the credentials git hands its credential helper (stdin)", kind: "git" });
    if (promptUsed) {
      const p = PASSWORD_PROMPT.exec(s);
      if (p) add(i, p.index, { what: "the login password it asks the user for (also given to sudo)" });
    }
    for (const b of s.matchAll(JENKINS_BINDING)) add(i, b.index, { what: `the CI secret ${b[1]} (withCredentials)`, dataOnly: true, vendorWords: vendorWords(b[1]!) }, [b[1]!]);
    const forge = FORGE_SECRET.exec(s);
    // `env:` binds it to a name the step's script uses (`T: ${{ secrets.NPM_TOKEN }}`, then `"$T"`).
    const bound = forge && /^\s*-?\s*([A-Za-z_]\w{0,60})\s*:\s*["']?\$\{\{/.exec(s)?.[1];
    if (forge && forge[1] !== "GITHUB_TOKEN") add(i, forge.index, { what: `the CI secret ${forge[1]}`, dataOnly: true, vendorWords: vendorWords(forge[1]!) }, [`secrets.${forge[1]}`, ...(bound ? [bound] : [])]);
    if (spn && i === 0) {
      const at = AZURE_SPN.exec(text)!.index;
      out.push({ what: "the Azure service principal's secret (addSpnToEnvironment)", kind: "azure", own: [], dataOnly: true, statement: -1, offset: at, names: new Set(AZURE_SPN_NAMES) });
    }
  }
  return out;
}

/**
 * A text's statements and the secret sources in them, remembered for the last few texts. One
 * script is read for secrets up to three times in a scan: for its own chains (`secretFlows`), as
 * the cross-module reader's source (`secretSourceOf`) and as the staged-file reader's writer
 * (`stagedSecretFiles`); splitting it and trying every source word on every statement was most of
 * each read. Both are pure functions of the text and no caller changes them, so the three share
 * one read. The first two come after every file of the skill is read, so the memo holds a whole
 * skill's scripts (up to READ_MEMO_CHARS of text, the oldest going first), not just the last few.
 */
const READ_MEMO_CHARS = 4 * 1024 * 1024;
const readMemo = new Map<string, { stmts: Statement[]; sources?: Found[] }>();
let readMemoChars = 0;

function readOf(text: string, withSources: boolean): { stmts: Statement[]; sources: Found[] } {
  let read = readMemo.get(text);
  if (!read) {
    for (const oldest of readMemo.keys()) {
      if (readMemoChars + text.length <= READ_MEMO_CHARS) break;
      readMemo.delete(oldest);
      readMemoChars -= oldest.length;
    }
    readMemo.set(text, (read = { stmts: statements(text) }));
    readMemoChars += text.length;
  }
  if (withSources) read.sources ??= sourcesOf(read.stmts, text);
  return { stmts: read.stmts, sources: read.sources ?? [] };
}

/** Words of a secret's name that say nothing about whose it is. */
const GENERIC = /^(?:GET|SHOW|READ|ITEM|LOOKUP|SERVICE|FIELD|FIELDS|REVEAL|RAW|API|SECRET|TOKEN|KEY|AUTH|ACCESS|PRIVATE|MY|APP|CLIENT|BOT|USER|DB|PASSWORD|PASSWD|PASS|ADMIN|SERVICE|WEBHOOK|DEPLOY|PROD|CI|ID|CREDENTIALS?|USERNAME|RU|RP)$/i;
/** Short vendor words in secret names and the name of the vendor's domain. */
const VENDOR_ALIAS: Record<string, string> = { dd: "datadog", gh: "github", gl: "gitlab", cf: "cloudflare", hf: "huggingface", tg: "telegram", oai: "openai" };
function vendorWords(name: string): string[] {
  return name
    .split(/[_-]/)
    .map((w) => VENDOR_ALIAS[w.toLowerCase()] ?? w)
    .filter((w) => w.length > 2 && !GENERIC.test(w))
    .map((w) => w.toLowerCase());
}

/** The words naming a store's item (`"openai", "api-key"`, `github/token`), options and generic words left out. */
function itemWords(after: string): string[] {
  const head = after.split(/[|;&)\n]/)[0] ?? "";
  return (head.match(/(?<![-\w])[A-Za-z][\w.-]{2,40}/g) ?? []).flatMap((w) => w.split(/[._/-]/)).filter((w) => w.length > 2 && !GENERIC.test(w)).map((w) => w.toLowerCase());
}

/** The statement's text and the ones it runs on into (open brackets, deeper indentation), at most 12 lines. */
function sinkWindow(stmts: Statement[], i: number): { text: string; last: number } {
  let text = stmts[i]!.text;
  let depth = 0;
  const count = (t: string) => {
    for (const ch of t) {
      if ("([{".includes(ch)) depth++;
      else if (")]}".includes(ch)) depth--;
    }
  };
  count(text);
  let j = i;
  while (j + 1 < stmts.length && j - i < 12) {
    const next = stmts[j + 1]!;
    if (depth <= 0 && (next.indent <= stmts[i]!.indent || next.text.trim() === "")) break;
    j++;
    text += "\n" + next.text;
    count(next.text);
  }
  return { text, last: j };
}

/** Hosts a window sends to: URLs, `host: "…"` options, IP literals; for DNS, the domains the file spells. */
function hostsIn(text: string): string[] {
  const hosts = new Set<string>();
  for (const u of urlsIn(text)) {
    // A host ends where a template slot starts (`https://api.github.com{path}`, `https://$HOST/x` names none).
    const h = /^[a-z0-9.-]+/i.exec(hostOf(u) ?? "")?.[0];
    if (h && /[a-z0-9]\.[a-z0-9]/i.test(h)) hosts.add(h.toLowerCase());
  }
  for (const m of text.matchAll(/\b(?:host|hostname|HOST)\s*[:=]\s*["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]/gi)) hosts.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/["'`](\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?["'`]/g)) hosts.add(m[1]!);
  // A socket's host and port (`("sink.example", 443)`), a netcat or socat peer (`nc -q1 sink.example 9000`, `TCP:sink.example:443`).
  for (const m of text.matchAll(/["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]\s*,\s*\d{2,5}\s*\)|\b(?:nc|ncat|netcat|telnet)\s+(?:-\S+\s+){0,6}((?:[a-z0-9-]+\.)+[a-z]{2,24})\s+\d{2,5}\b|\bTCP\d?:((?:[a-z0-9-]+\.)+[a-z]{2,24}):\d{2,5}/gi)) hosts.add((m[1] ?? m[2] ?? m[3]!).toLowerCase());
  for (const h of connectionHosts(text)) hosts.add(h);
  // An address written bare as a command's operand (`ping -p "$c" 203.0.113.7`, `nc 198.51.100.2 9000`).
  for (const m of text.matchAll(/(?<![\w.@=v-])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\w.-])/g)) hosts.add(m[1]!);
  return [...hosts].filter((h) => !PRIVATE_HOST.test(h));
}

function domainLiterals(text: string): string[] {
  // Also a zone a format string ends in (`"%s.%d.zone.example"`): the look-up's name is built under it.
  return [...text.matchAll(/(?:["'`]\.?|\.)((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]/gi)].map((m) => m[1]!.toLowerCase()).filter((h) => !PRIVATE_HOST.test(h) && !/\.(?:json|ya?ml|toml|txt|md|py|js|ts|sh|rb|pl|php|lua|rs|kts?|conf|cfg|ini|xml|log|db|lock|bin|asc|tfstate)$/.test(h));
}

/** Vendors whose APIs take the credentials people keep in password managers. */
const CLOUD_KINDS = ["aws", "gcloud", "azure", "git", "npm", "pypi", "docker", "anthropic"];

function isOwn(source: Found, host: string): boolean {
  if (source.kind && isPurposeHost(source.kind, host)) return true;
  if (source.own.some((d) => isOnDomain(host, d))) return true;
  // A password manager's item handed to a major cloud or forge API (an OAuth client secret to Google's token endpoint) is its use.
  if (source.item && CLOUD_KINDS.some((k) => isPurposeHost(k, host))) return true;
  // `datadoghq.com` is Datadog's, `sentry.io` Sentry's: the domain's name, a service suffix aside.
  const name = domainName(host).replace(/(?<=\w{3})(?:hq|app|api|cdn)$/, "");
  return (source.vendorWords ?? []).includes(name);
}

interface Followed {
  /** Whether a statement (by index) spells something that holds the secret. */
  tainted: (text: string, at: number) => boolean;
  /** Whether it was added to git's index (a push then carries it). */
  staged: boolean;
  /** Whether it was copied into a folder (`cp ~/.npmrc diag/`): a package published from there carries it. */
  copied: boolean;
}

/** Names that hold the secret, spread through assignments, loops, files, functions, `register:` and `git add`, to a fixed point (a few passes). */
function follow(stmts: Statement[], fns: Fn[], source: Found): Followed {
  /** Each name with the function whose body assigned it (its scope), or none at the top level. */
  const names = new Map<string, [string, Fn | undefined]>();
  const scopeOf = (at: number) => fns.filter((f) => at >= f.from && at <= f.to).sort((x, y) => y.from - x.from)[0];
  const within = (f: Fn | undefined, at: number) => f === undefined || (at >= f.from && at <= f.to);
  // Keyed by name and scope: the same name in another function (`raw` returned, then `tok, raw := f()` in main) holds it too.
  const key = (n: string, f: Fn | undefined) => `${n}\u0000${f ? fns.indexOf(f) : -1}`;
  for (const n of source.names) {
    const f = source.statement < 0 ? undefined : scopeOf(source.statement);
    names.set(key(n, f), [n, f]);
  }
  const addName = (n: string, at: number) => {
    const f = scopeOf(at);
    if (!names.has(key(n, f))) names.set(key(n, f), [n, f]);
  };
  /** Functions that return or pass it on (called as members too), and those handed it (their parameters hold it in their bodies). */
  const carriers = new Set<string>();
  const handed = new Set<Fn>();
  const tainted = (t: string, at: number) =>
    [...names.values()].some(([n, f]) => within(f, at) && mentions(t, n)) || [...carriers].some((n) => mentions(t, n, true)) || [...handed].some((f) => within(f, at) && f.params.some((p) => mentions(t, p)));
  let staged = false;
  let copied = false;
  // What each function hands back: a function that only used the secret to sign a request returns the reply, not the secret.
  const texts = stmts.map((s) => s.text);
  const returns = new Map(fns.map((f) => [f, returnStatements(texts, f, (i) => sinkWindow(stmts, i).last)]));
  /** Attributes and items a function set from the secret (`self.tok = t`): a return that names one returns it. */
  const heldIn = new Map<Fn, Set<string>>();
  /** Statements inside a request's call (`fetch(url, {` then `headers: {…}` on the next lines). */
  const inRequest = new Set<number>();
  for (let i = 0; i < stmts.length; i++) if (fns.length && isReply(texts[i]!, SINK)) for (let k = i, end = sinkWindow(stmts, i).last; k <= end; k++) inRequest.add(k);
  const passesOn = (f: Fn, i: number, s: string) => {
    const back = returns.get(f);
    // The function that reads it, when the reader does not know the name it lands in (`const { stdout } = …`), is taken to return it.
    if (source.statement >= f.from && source.statement <= f.to && (source.names.size === 0 || i === source.statement && back === undefined)) return true;
    // A request it signs passes on its reply (the send itself is judged where it is made); other uses may be its output.
    if (back === undefined) return !inRequest.has(i);
    const set = attributeSet(s);
    if (set) heldIn.set(f, (heldIn.get(f) ?? new Set()).add(set));
    const head = back.get(i);
    return head !== undefined && !isReply(stmts[head]!.text, SINK);
  };
  for (let pass = 0; pass < 4; pass++) {
    const before = names.size + carriers.size + handed.size + (staged ? 1 : 0) + (copied ? 1 : 0);
    for (let i = Math.max(0, source.statement); i < stmts.length; i++) {
      const s = stmts[i]!.text;
      if (i !== source.statement && !tainted(s, i)) continue;
      // The reply of a request the secret signed (`stars = requests.get(api, headers=h)`, `resp, _ := client.Do(req)`) is the service's answer, not the secret.
      const reply = i !== source.statement && isReply(s, SINK);
      if (!reply) for (const t of targets(s)) addName(t, i);
      // An object filled with it (`msg.set_content(x)`, `merged.update(x)`, `d[k] = x`, `$buf .= $x`, `list << x`) holds it.
      const filled = reply ? null : FILLED.exec(s);
      if (filled) addName(bareName(filled[1]!), i);
      if (/\bgit\s+add\b/.test(s)) staged = true;
      if (COPY_INTO.test(s)) copied = true;
      for (const f of fns) {
        if (i >= f.from && i <= f.to) {
          if (passesOn(f, i, s)) carriers.add(f.name);
        }
        else if (new RegExp(`\\b${f.name}\\s*[(!]|(?:^|[;&|]\\s*)${f.name}\\s+[$"'\\w]`, "m").test(s)) handed.add(f);
      }
      // Ansible: the task that reads it registers the result.
      if (i === source.statement) {
        for (let k = i + 1; k < stmts.length && k < i + 10; k++) {
          if (/^\s*- /.test(stmts[k]!.text) && stmts[k]!.indent <= stmts[i]!.indent) break;
          const reg = /^\s*register\s*:\s*(\w+)/.exec(stmts[k]!.text);
          if (reg) addName(reg[1]!, i);
        }
      }
    }
    for (const [f, held] of heldIn) {
      const back = returns.get(f)!;
      if (!carriers.has(f.name) && [...back].some(([k, head]) => !isReply(stmts[head]!.text, SINK) && [...held].some((h) => stmts[k]!.text.includes(h)))) carriers.add(f.name);
    }
    if (names.size + carriers.size + handed.size + (staged ? 1 : 0) + (copied ? 1 : 0) === before) break;
  }
  return { tainted, staged, copied };
}

/** A write of a value to the file a variable names (`snap.write_text(raw)`, `fs.writeFileSync(out, raw)`, `open(out, "w").write(raw)`): group 1 the file's variable. */
const WRITE_TO_VARIABLE = /\b([A-Za-z_]\w{0,60})\.(?:write_text|write_bytes)\s*\(|\b(?:writeFileSync|writeFile|File\.write|file_put_contents|WriteAllText|os\.WriteFile)\s*\(\s*[$]?([A-Za-z_]\w{0,60})\s*,|\bopen\s*\(\s*([A-Za-z_]\w{0,60})\s*,\s*["'][wa]/;

/** A file a script writes a secret into, and whose secret it is. */
export interface StagedSecret {
  file: string;
  what: string;
  at: number;
  own: string[];
  kind?: string;
  vendorWords?: string[];
}

/**
 * Files one script writes a secret into, by the file name its path ends in (`SNAP = home /
 * ".cache" / "tool" / "context.json"`; `SNAP.write_text(raw)`): another script that reads that
 * file and sends it completes the chain (`stagedSecretFlows`).
 */
export function stagedSecretFiles(text: string): StagedSecret[] {
  if (text.length > MAX_TEXT || !HINT.test(text)) return [];
  const { stmts, sources } = readOf(text, true);
  const fns = functionsOf(stmts);
  const out: StagedSecret[] = [];
  for (const source of sources) {
    const { tainted } = follow(stmts, fns, source);
    for (let i = Math.max(0, source.statement); i < stmts.length; i++) {
      const w = WRITE_TO_VARIABLE.exec(stmts[i]!.text);
      if (!w || !tainted(stmts[i]!.text.slice(w.index + w[0].length), i)) continue;
      const variable = w[1] ?? w[2] ?? w[3]!;
      const assigned = stmts.find((s) => ASSIGN.exec(s.text)?.[1] === variable);
      const file = assigned && [...assigned.text.matchAll(/["'`]([\w.-]{1,80}\.[a-z]{2,6})["'`]/g)].pop()?.[1];
      if (file) out.push({ file, what: source.what, at: source.offset, own: source.own, ...(source.kind ? { kind: source.kind } : {}), ...(source.vendorWords ? { vendorWords: source.vendorWords } : {}) });
    }
  }
  return out;
}

/** A chain with the outside hosts its send goes to. */
export type SecretChain = CodeHit & { hosts: string[] };

/** Sends of a file another script staged a secret in: read where its name is spelled, followed to a send to an outside host. */
export function stagedSecretFlows(text: string, staged: StagedSecret[]): SecretChain[] {
  if (text.length > MAX_TEXT || !SINK.test(text)) return [];
  const { stmts } = readOf(text, false);
  const sources: Found[] = [];
  for (const f of staged) {
    const i = stmts.findIndex((s) => s.text.includes(`"${f.file}"`) || s.text.includes(`'${f.file}'`));
    if (i >= 0) sources.push({ what: `${f.what}, staged in ${f.file}`, own: f.own, ...(f.kind ? { kind: f.kind } : {}), ...(f.vendorWords ? { vendorWords: f.vendorWords } : {}), statement: i, offset: stmts[i]!.start, names: new Set(targets(stmts[i]!.text)) });
  }
  return chainsFrom(stmts, sources, text);
}

/** Secrets followed to a send whose host is not their vendor's, in one piece of code or one config file. */
export function secretFlows(text: string): CodeHit[] {
  if (text.length > MAX_TEXT || !HINT.test(text) || !(SINK.test(text) || PUBLISH.test(text))) return [];
  const { stmts, sources } = readOf(text, true);
  return chainsFrom(stmts, sources, text);
}

/** Each source followed to the first send that carries it to a host not its vendor's. */
function chainsFrom(stmts: Statement[], sources: Found[], text: string): SecretChain[] {
  if (sources.length === 0) return [];
  const fns = functionsOf(stmts);
  const code = stmts.map((s) => s.text).join("\n");
  // Also a destination built at run time (base64, joined pieces, character codes).
  const fileHosts = [...new Set([...hostsIn(code), ...hiddenHosts(code).filter((h) => !PRIVATE_HOST.test(h))])];
  const remotes = new Map<string, string>();
  for (const s of stmts) for (const m of s.text.matchAll(/\bgit\s+remote\s+add\s+(?:-\S+\s+)*([\w.-]+)\s+["']?(\S+?)["']?(?=\s|$)/g)) remotes.set(m[1]!, m[2]!);
  const hits: SecretChain[] = [];
  for (const source of sources) {
    const { tainted, staged, copied } = follow(stmts, fns, source);
    for (let i = Math.max(0, source.statement); i < stmts.length; i++) {
      const s = stmts[i]!.text;
      // A package published after the secret was copied into the folder: the registry serves it to everyone.
      const published = copied ? PUBLISH.exec(s) : null;
      if (published) {
        hits.push({ ruleId: "SR-EXFIL-009", offset: source.offset, length: 1, message: `Copies ${source.what} into a folder and publishes it (line ${stmts[i]!.line + 1}: ${published[0].trim()}): the registry hands it to anyone.`, related: { offset: stmts[i]!.start + published.index, length: published[0].length }, hosts: ["a public package registry"] });
        break;
      }
      const sink = SINK.exec(s);
      if (!sink) continue;
      // A request object written to after it is made (`const r = https.request(opts); r.end(data)`): its writes are the send's body.
      const request = targets(s)[0];
      const writes = request ? stmts.slice(i + 1, i + 11).filter((t) => new RegExp(`\\b${request.replace(/\W/g, "")}\\.(?:end|write|send|sendall|write_all|Write|WriteString)\\s*\\(`).test(t.text)).map((t) => t.text) : [];
      const window = [sinkWindow(stmts, i).text, ...writes].join("\n");
      const carried = source.dataOnly ? window.replace(AUTH_PARTS, " ") : window;
      const gitPush = /\bgit\s+push\b/.test(s);
      // The source spelled in the send itself (`cmd | curl --data-binary @-`, `curl -d "$(gh auth token)"`) carries it, unless only a header does.
      // A push carries what was added to the index, not the key that signs in (`GIT_SSH_COMMAND="ssh -i $KEY" git push`).
      // A secret that is the request's whole URL (a webhook) is its own address, not data: only its other uses carry it.
      const flows = gitPush ? staged : (i === source.statement && !source.dataOnly) || tainted(withoutAddressUses(carried, source.names), i);
      if (!flows) continue;
      // `requests.post(url + "/v1", …)`, `fetch(\`${conf.server}/api\`)`: the destination comes from the login file (its own server).
      const callee = sink[0].replace(/\s*\(\s*$/, "");
      const call = s.slice(sink.index + callee.length);
      if (source.login && URL_FIRST.test(callee) && /^\s*\(/.test(call) && tainted(firstArgument(call), i)) continue;
      let hosts: string[];
      if (gitPush) {
        const remote = /\bgit\s+push\s+(?:-\S+\s+)*([\w.-]+|https?:\/\/\S+)/.exec(s)?.[1];
        const url = remote && (/^https?:/.test(remote) ? remote : remotes.get(remote));
        hosts = url ? hostsIn(url.startsWith("http") ? url : `https://${url.replace(/^[\w.-]+@/, "").replace(":", "/")}`) : [];
      } else if (DNS_SINK.test(s)) hosts = domainLiterals(text);
      else {
        hosts = hostsIn(window);
        // A request built just before the send (`req = Request("https://…")`, then `urlopen(req)`); else the hosts the file names.
        for (let k = i - 1; hosts.length === 0 && k >= Math.max(0, i - 12); k--) hosts = hostsIn(stmts[k]!.text);
        if (hosts.length === 0) hosts = fileHosts;
      }
      const foreign = hosts.filter((h) => !isOwn(source, h));
      if (foreign.length === 0) continue;
      const line = stmts[i]!.line + 1;
      hits.push({
        ruleId: "SR-EXFIL-009",
        offset: source.offset,
        length: 1,
        message: `Reads ${source.what} and sends it (line ${line}) to ${foreign.slice(0, 3).join(", ")}, not the service that issued it: a complete exfiltration chain.`,
        related: { offset: stmts[i]!.start + sink.index, length: Math.max(1, sink[0].trim().length) },
        hosts: foreign,
      });
      break;
    }
    if (hits.length >= 3) break;
  }
  return hits;
}

/**
 * The first secret source a module holds, as a store the cross-module reader pairs with another
 * module's send (`cross-module.ts`): its vendor's domains (and those an item names, `"openai"`)
 * may receive it.
 */
export function secretSourceOf(text: string): { what: string; at: number; own: string[]; kind?: string; personal: false } | undefined {
  if (text.length > MAX_TEXT || !HINT.test(text)) return undefined;
  const found = readOf(text, true).sources.find((s) => !s.dataOnly && !s.vendorToken);
  if (!found) return undefined;
  const guessed = (found.vendorWords ?? []).flatMap((w) => [`${w}.com`, `${w}.io`, `${w}.ai`, `${w}.org`]);
  return { what: found.what, at: found.offset, own: [...found.own, ...guessed], ...(found.kind ? { kind: found.kind } : {}), personal: false };
}

/** Package-manager settings that hold a registry's token (`.npmrc`, `.yarnrc.yml`, `pip.conf`, `.pypirc`, Maven/Gradle, Composer). */
const AUTH_CONFIG = /(?:^|\/)(?:\.npmrc|\.yarnrc(?:\.yml)?|pip\.conf|pip\.ini|\.pypirc|settings\.xml|gradle\.properties|auth\.json|\.netrc|\.gemrc|config\.json)$/;
/** An entry that hands a token or password to a registry. */
const AUTH_ENTRY = /_authToken|_auth\b|_password\b|npmAuthToken|\bpassword\s*[=:<]|\btoken\s*[=:]|:\/\/[^\s/:@]{1,80}:[^\s/@]{1,200}@|"auths"|\bhttp-basic\b|\bbearer\b|\bgithub-oauth\b/i;
/** Registries and forges whose name a look-alike host borrows. */
const REGISTRY_DOMAINS = ["npmjs.org", "npmjs.com", "yarnpkg.com", "pypi.org", "pythonhosted.org", "rubygems.org", "crates.io", "github.com", "ghcr.io", "docker.io", "maven.org", "gradle.org", "nuget.org", "packagist.org", "gitlab.com", "jfrog.io"];

/**
 * A registry's token configured for a host that borrows the registry's name without being it
 * (`//registry.npmjs.org.fast-mirror.example/:_authToken=${NPM_TOKEN}`): every install hands
 * the token to that host. A company's own registry (`npm.acme.com`) borrows no name and is not counted.
 */
export function lookalikeRegistryAuth(file: string, text: string): CodeHit[] {
  if (!AUTH_CONFIG.test(file) || text.length > MAX_TEXT) return [];
  const entry = AUTH_ENTRY.exec(text);
  if (!entry) return [];
  for (const m of text.matchAll(/(?:https?:)?\/\/(?:[^\s/@]{1,200}@)?([a-z0-9.-]{4,253})(?=[:/"'\s]|$)/gim)) {
    const host = m[1]!.toLowerCase();
    const borrowed = REGISTRY_DOMAINS.find((d) => host.includes(d) && !isOnDomain(host, d));
    if (borrowed) return [{ ruleId: "SR-EXFIL-009", offset: entry.index, length: entry[0].length, message: `Hands the registry token in ${file.split("/").pop()} to ${host}, a host that borrows the name ${borrowed} without being it: every install sends the token there.`, related: { offset: m.index, length: m[0].length } }];
  }
  return [];
}
