/**
 * Secret and private stores sent out, in any language a skill ships (Go, Rust, C#, Java, Ruby,
 * PHP, Terraform, Ansible playbooks, and the grammar languages where their parsed facts know
 * no such store): an application's secrets named in pieces (`Path.of(home, ".m2")` then
 * `resolve("settings.xml")`), the user's private data (chat databases, browser history, the
 * clipboard, screenshots), read in the same file as a send that carries a body (or a DNS look-up
 * of a name built from data) to a host the file names that is neither private nor the store's
 * own service.
 *
 * Written over the text, not a grammar (none is bundled for most of these languages): the
 * ingredients are spelled as literals and well-known calls, and all three (the store, a send
 * with data, a written outside host) must be present, which a tool reading its own settings or
 * a client calling its vendor's API does not have together.
 */
import { isPurposeHost } from "../allowlist.js";
import { hostOf, isOnDomain, urlsIn } from "../urls.js";
import type { CodeHit } from "./code.js";
import { sensitiveStore, WEAK_SOURCES } from "./judge.js";
import { connectionHosts, MORE_BODY, MORE_SENDS } from "./send-vocabulary.js";

interface Store {
  /** Every one of these must occur in the text (pieces of one path, or a path and the call that reads it). */
  all: RegExp[];
  what: string;
  /** Services that may receive it (the store's own vendor). */
  own: string[];
  /** Private data rather than a credential: a well-known service the user sends it to on purpose is not a theft. */
  personal?: boolean;
}

/** Stores the shared source list (`judge.ts`) does not name, or names only as one written path. */
const STORES: Store[] = [
  { all: [/["'/\\]\.m2["'/\\]/, /\bsettings(?:-security)?\.xml\b/], what: "Maven server passwords (settings.xml)", own: ["maven.org", "apache.org", "sonatype.org", "sonatype.com", "jfrog.io"] },
  { all: [/\buser-?secrets\b/i, /\bsecrets\.json\b/], what: ".NET user secrets (every project's secrets.json)", own: ["microsoft.com", "azure.com", "nuget.org"] },
  { all: [/\bmaster\.key\b/, /\bcredentials(?:\.[\w-]+)?\.yml\.enc\b|\bmaster\.key["']/], what: "the Rails master key and encrypted credentials", own: [] },
  { all: [/\bwp-config\.php\b/], what: "WordPress database password and salts (wp-config.php)", own: ["wordpress.org", "wordpress.com"] },
  { all: [/(?:^|[/~"'\s\\])\.vault-token\b/], what: "the HashiCorp Vault token", own: ["hashicorp.com", "hashicorp.cloud"] },
  { all: [/(?:^|[/~"'\s\\])\.vault[_-]pass(?:word)?(?:\.txt)?\b|\bvault_password_file\b/], what: "the Ansible vault password", own: [] },
  { all: [/\bdiscord(?:canary|ptb)?\b/i, /\bLocal Storage\b/, /\bleveldb\b/], what: "Discord login tokens (the app's Local Storage)", own: ["discord.com", "discordapp.com"] },
  { all: [/\bLocal Storage[/\\]+leveldb\b|\bleveldb\b[^\n]{0,80}\.ldb\b/], what: "an app's Local Storage (login tokens)", own: [] },
  { all: [/\bMessages[/\\]+chat\.db\b|\bsms\.db\b/], what: "the iMessage and SMS history (chat.db)", own: [], personal: true },
  { all: [/\bChatStorage\.sqlite\b|\bWhatsApp\b[^\n]{0,80}\bmsgstore\.db\b/], what: "the WhatsApp message database", own: [], personal: true },
  { all: [/[/\\"']Signal["'/\\]/, /\bconfig\.json\b|\bdb\.sqlite\b/], what: "Signal Desktop's message database and its key", own: [], personal: true },
  { all: [/[/\\\s"']tdata\b/, /\bTelegram\b/], what: "the Telegram Desktop session", own: [], personal: true },
  { all: [/\b(?:Default|Profile \d+)[/\\]+History\b|\bplaces\.sqlite\b|\bmoz_places\b|\bSafari[/\\]+History\.db\b/], what: "the browser history", own: [], personal: true },
  { all: [/\bLibrary[/\\]+Mail\b|\.thunderbird\b|\bOutlook[/\\]+[^\n"']{0,40}\.(?:pst|ost)\b/], what: "the mailbox", own: [], personal: true },
  { all: [/\bNoteStore\.sqlite\b|\bAddressBook[/\\]|\bPhotos Library\.photoslibrary\b/], what: "the user's notes, contacts or photos", own: [], personal: true },
  // The clipboard holds what the user copied last: passwords, tokens, private text.
  { all: [/\bGet-Clipboard\b|\bpbpaste\b|\bxclip\b[^\n]{0,60}\s-o\b|\bxsel\b[^\n]{0,30}\s(?:-o|--output|-b)\b|\bwl-paste\b|\bpyperclip\.paste\b|\bclipboard\.(?:readText|read|paste|get_text|GetText)\b|\bClipboard\.GetText\b|\bclipboard_get\b|\bclipboardy\.read\b|\bNSPasteboard\b[^\n]{0,80}\bstring\b|\bget_contents\b[^\n]{0,40}\bclipboard\b/i], what: "the clipboard", own: [], personal: true },
  // A picture of the screen holds whatever is open: mail, chats, passwords being typed.
  { all: [/\bscreencapture\b|\bImageGrab\.grab\b|\bpyautogui\.screenshot\b|\bmss\s*\(\s*\)|\bscrot\b|\bgnome-screenshot\b|\bimport\s+-window\s+root\b|\bgrim\b\s|\bCopyFromScreen\b|\bxwd\s+-root\b|\bx11grab\b|\bgdigrab\b|\bscreenshots?\s*\(\s*\)\s*\.capture\b|\bCGWindowListCreateImage\b|\bdesktopCapturer\b/], what: "screenshots of the user's screen", own: [], personal: true },
  { all: [/(?:^|[/~"'\s\\])\.gnupg[/\\"']|\bsecring\.gpg\b|\bprivate-keys-v1\.d\b|(?:^|[/~"'\s\\])\.password-store\b|\.kdbx\b/], what: "GPG private keys or a password store", own: [] },
  // Cloud and deploy CLIs keep their login in the home folder: any of these files is a live account.
  { all: [/\.config\/rclone\/rclone\.conf\b|(?:^|[/~"'\s\\])\.s3cfg\b|(?:^|[/~"'\s\\])\.boto\b|\.oci\/config\b|\.config\/doctl\/config\.yaml\b|\.fly\/config\.yml\b|com\.vercel\.cli\/auth\.json|\.vercel\/auth\.json|\.config\/netlify\/config\.json|\.wrangler\/config\/default\.toml|\.config\/heroku\b|\.config\/op\/config\b|\.circleci\/cli\.yml\b|ngrok2?\/ngrok\.yml\b|\.aws\/sso\/cache\b|\.config\/hcloud\/cli\.toml\b|\.yarnrc\.yml\b[^\n]{0,80}npmAuthToken/], what: "a cloud or deploy CLI's stored login", own: [] },
  // Every .env file under a folder, gathered by a walk (one project's own `.env` is its settings, read elsewhere).
  { all: [/\brglob\b|\bos\.walk\b|\breaddir\w*\b|\bWalkDir\b|\bfilepath\.Walk\w*\b|\bDir\.glob\b|\bFind\.find\b|\bGet-ChildItem\b[^\n]{0,200}-Recurse|\bglob\w*\s*\([^\n]{0,200}\*\*|\bEnumerateFiles\b[^\n]{0,200}AllDirectories|\bFiles\.(?:walk|find)\b/, /\/\^\\\.env\b|["'`](?:\*\*\/)?\.env\*|["'`]\*\*\/\.env\b|\b(?:endsWith|startsWith|startswith|endswith|start_with\?|end_with\?|HasPrefix|HasSuffix|StartsWith|EndsWith)\s*\(\s*(?:\w+\s*,\s*)?["']\.env\b|-(?:Filter|Include|name)\s+["']?\.env\*?/], what: "every .env file under a folder", own: [] },
  // What the user sees, says and types: the camera, the microphone, the keyboard.
  { all: [/\bcv2\.VideoCapture\s*\(\s*0|\bimagesnap\b|\bavfoundation\b[^\n]{0,60}-i\b|\bsounddevice\.rec\b|\barecord\b|\bpyaudio\b[^\n]{0,60}\bopen\b|\bAVCaptureDevice\b|\bgetUserMedia\b/], what: "the camera or microphone", own: [], personal: true },
  { all: [/\bpynput\.keyboard\b|\bkeyboard\.(?:on_press|hook|record)\b|\bGetAsyncKeyState\b|\bSetWindowsHookEx\w*\b[^\n]{0,60}\bWH_KEYBOARD|\bCGEventTapCreate\b|\biohook\b/], what: "the user's keystrokes", own: [] },
  // Other tools' saved logins, read where the tool keeps them: registry logins of the container
  // tools, chat clients' account files, Wi-Fi profiles with their keys, the sessions of file-transfer
  // and remote-desktop clients (files and the Windows registry), data-warehouse connection profiles.
  { all: [/\bcontainers[/\\"',\s]{1,4}auth\.json\b|\bREGISTRY_AUTH_FILE\b/], what: "container registry logins (containers/auth.json)", own: [] },
  { all: [/(?:^|[/~"'\s\\])\.purple\b|(?:^|[/~"'\s\\])\.?hexchat\b|(?:^|[/~"'\s\\])\.irssi\b|(?:^|[/~"'\s\\])\.weechat\b/i, /\baccounts\.xml\b|\bservlist\.conf\b|\bsec\.conf\b|["'/\\]config["'\s]/], what: "a chat client's saved passwords", own: [] },
  { all: [/\bNetworkManager[/\\"',\s]{1,4}system-connections\b|\bwpa_supplicant[\w.-]{0,20}\.conf\b|\bnetsh\s+wlan\s+(?:show|export)\s+profiles?\b[^\n]{0,80}\bkey=clear\b|\biwd[/\\]+[^\n"']{0,40}\.psk\b/i], what: "saved Wi-Fi passwords", own: [] },
  { all: [/\bWinSCP\s?2?[/\\]+Sessions\b|\bWinSCP\.ini\b|\bSimonTatham[/\\]+PuTTY[/\\]+Sessions\b|\b(?:sitemanager|recentservers)\.xml\b|\bconfCons\.xml\b|\.local[/\\]share[/\\]remmina\b|\bTerminal Server Client[/\\]+Servers\b|\bMobaXterm\.ini\b/i], what: "a file-transfer or remote-desktop client's saved sessions and passwords", own: [] },
  { all: [/(?:^|[/~"'\s\\])\.dbt["'/\\]|\bDBT_PROFILES_DIR\b/, /\bprofiles\.yml\b/], what: "dbt warehouse passwords (profiles.yml)", own: ["getdbt.com"] },
  { all: [/(?:^|[/~"'\s\\])\.snowflake["'/\\]|\bsnowsql[/\\]+config\b/i, /\bconnections\.toml\b|\bconfig\b/], what: "Snowflake connection passwords", own: ["snowflakecomputing.com"] },
  { all: [/\bkubectl\b[^\n]{0,40}\bget\s+(?:-\S+\s+)*secrets?\b(?![^\n]{0,200}(?:jsonpath|go-template|--template))|\blist_secret_for_all_namespaces\b|\bCoreV1\(\)\.Secrets\(""\)|\bsecrets\.list\(\s*namespace\s*=\s*None/], what: "the cluster's Secrets", own: [] },
];

/** A word every store above contains (case-insensitive): the cheap test that lets code naming none skip the rest. */
const STORE_HINT = /\.m2|user-?secrets|master\.key|wp-config|vault|discord|leveldb|chat\.db|sms\.db|chatstorage|signal|tdata|history|places\.sqlite|moz_places|mail|thunderbird|notestore|addressbook|photos library|clipboard|pyperclip|pasteboard|msgstore|outlook|pbpaste|xclip|xsel|wl-paste|screencapture|imagegrab|screenshot|mss\s*\(|scrot|-window|grim|copyfromscreen|xwd|x11grab|gdigrab|cgwindowlist|desktopcapturer|kubectl|list_secret|secrets\(|secrets\.list|gnupg|secring|private-keys|password-store|kdbx|rclone|s3cfg|boto|\.oci|doctl|\.fly|vercel|netlify|wrangler|heroku|op\/config|circleci|ngrok|aws\/sso|hcloud|yarnrc|\.env|videocapture|imagesnap|avfoundation|sounddevice|arecord|pyaudio|avcapturedevice|getusermedia|pynput|keyboard|getasynckeystate|setwindowshookex|cgeventtapcreate|iohook|containers|registry_auth|purple|hexchat|irssi|weechat|system-connections|wpa_supplicant|netsh|iwd|winscp|putty|sitemanager|recentservers|confcons|remmina|terminal server|mobaxterm|dbt|snowflake|snowsql/i;

/** Calls that send data out, in the languages skills ship (a body or a built name goes with them). */
export const SEND =
  /\brequests\.(?:post|put|patch)\b|\bhttpx\.(?:post|put|patch)\b|\burllib\.request\.(?:urlopen|Request)\b|\burlopen\s*\(|\bfetch\s*\(|\bhttps?\.request\s*\(|\baxios(?:\.(?:post|put|patch))?\s*\(|\bInvoke-(?:WebRequest|RestMethod)\b|\b(?:iwr|irm)\s|\bUploadString\b|\bUploadFile\b|\bHttpClient\b|\.(?:Post|Put|Send)Async\s*\(|\bHttpRequest\.newBuilder\b|\bBodyPublishers\b|\bHttpURLConnection\b|\bURLSession\b[^\n]{0,80}\b(?:upload|data)Task\b|\.uploadTask\b|\bOkHttpClient\b|\breqwest\b|\bureq::(?:post|put)\b|\bNet::HTTP\b|\bHTTParty\.(?:post|put)\b|\bFaraday\b|\bRestClient\.(?:post|put)\b|\bhttp\.(?:Post|PostForm|NewRequest)\s*\(|\bcurl_exec\b|\bstream_context_create\b|\bfile_get_contents\s*\(\s*["']https?:|\bwp_remote_post\b|\bGuzzle|\bLWP::UserAgent\b|\bHTTP::Tiny\b|\bcurl\b[^\n]{0,200}\s(?:-d|--data\S*|-F|--form|-T|--upload-file|-X\s*(?:POST|PUT))\b|\bwget\b[^\n]{0,120}--post-(?:data|file)\b|\bsmtplib\b|\bftplib\b|\bsocket\.(?:create_connection|socket)\b|\bnet\.Dial\w*\s*\(|\bTcpStream::connect\b|\bTCPSocket\.(?:new|open)\b|\bnew\s+Socket\s*\(|\bTcpClient\b|\bWebSocket\s*\(|\bansible\.builtin\.uri\b|^[ \t]*-?[ \t]*uri[ \t]*:|\bdata\s+"http"\s+"[\w-]+"/m;
/**
 * The file sends data, not only asks (a POST, a body, an upload): a send that only fetches a
 * public list (a suffix list, a favicon) beside a store carries nothing out.
 */
export const BODY = /\b(?:POST|PUT|PATCH)\b|-Method\s+["']?(?:Post|Put|Patch)\b|\s-(?:Body|InFile)\b|\bmethod\s*[:=]|\bbody(?:_format)?\b|\b(?:data|json|files|content|payload)\s*[=:]|\.(?:post|put|patch|json|body|send|sendall|write|Write|upload\w*)\s*[(!]|\bwrite_all\s*\(|\bPost\w*\s*\(|\bUpload\w*\b|\bBodyPublishers\b|\bRequestBody\b|\bStringContent\b|\brequest_body\b|\s(?:-d|--data\S*|-F|--form|-T|--upload-file|--post-\w+)[\s=]|\bsmtplib\b|\bftplib\b|\buploadTask\b/;
/** A DNS look-up: data spelled into the name a resolver is asked for leaves with the query. */
const DNS = /\bnet\.Lookup(?:TXT|Host|IP|CNAME|MX|Addr)\s*\(|\bdns\.(?:resolve\w*|lookup)\s*\(|\bsocket\.gethostbyname(?:_ex)?\s*\(|\bgetaddrinfo\s*\(|\bResolve-DnsName\b|\bDns\.GetHost\w*\s*\(|\bnslookup\b|\bdig\s|\bhost\s+-t\b|\bInetAddress\.getByName\s*\(|\bResolv\b|\bdns_get_record\s*\(|\bgethostbyname\s*\(/;
/** A bare domain written as a literal (`const zone = "ttl-probe.example"`): where built names are resolved. */
const DOMAIN_LITERAL = /["'`]\.?((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]/gi;
/** Lines that are only a comment: a link there is documentation, not a destination. */
const COMMENT_LINE = /^\s*(?:#|\/\/|--|;|\*|\/\*|<!--|rem\s|')/i;
/** The user's own network: loopback, private ranges, local and cluster-internal names. */
export const PRIVATE_HOST = /^(?:localhost|127\.|0\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|\[?::1\]?$)|\.(?:local|internal|lan|localhost|home\.arpa|svc)$/i;
/** Services people send their own notes, pictures or messages to on purpose (a note-taking or photo skill). */
const PERSONAL_SERVICES = ["notion.com", "notion.so", "dropbox.com", "dropboxapi.com", "googleapis.com", "google.com", "icloud.com", "apple.com", "microsoft.com", "live.com", "office.com", "openai.com", "anthropic.com", "slack.com", "telegram.org", "discord.com", "github.com", "obsidian.md", "evernote.com"];
/** Past this, the text is left to the other analyses (the regexes here stay linear, but a scan must stay fast). */
const MAX_TEXT = 512 * 1024;

export function codeLines(text: string): string {
  return text
    .split("\n")
    .map((l) => (COMMENT_LINE.test(l) ? " ".repeat(l.length) : l))
    .join("\n");
}

/** Hosts the code names as destinations: URLs and public addresses in its non-comment lines. */
export function destinations(code: string): string[] {
  const hosts = new Set<string>();
  for (const u of urlsIn(code)) {
    const h = hostOf(u);
    if (h && !PRIVATE_HOST.test(h)) hosts.add(h.toLowerCase());
  }
  for (const m of code.matchAll(/["'`](\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?["'`]/g)) if (!PRIVATE_HOST.test(m[1]!)) hosts.add(m[1]!);
  // `https.request({ host: 'collector.example', … })`, `Host = "…"`: a host given as an option, not a URL.
  for (const m of code.matchAll(/\b(?:host|hostname|Host|HostName|HOST)\s*[:=]\s*["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]/g)) if (!PRIVATE_HOST.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  // `net.Dial("tcp", "sink.example:4444")`, `("sink.example", 443)`: a host and port a socket connects to.
  for (const m of code.matchAll(/["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})(?::\d{1,5}["'`]|["'`]\s*,\s*\d{2,5}\s*\))/gi)) if (!PRIVATE_HOST.test(m[1]!) && !FILE_NAME.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  return [...hosts];
}

/** A name with a file extension, not a host (`"settings.json"`, `"main.go"`). */
const FILE_NAME = /\.(?:json|ya?ml|toml|txt|md|py|js|ts|go|rs|rb|php|sh|html?|xml|csv|db|sqlite|log|lock|cfg|ini|conf|exe|dll|so|png|jpe?g|gif|zip|gz|tar)$/i;

/**
 * A chat channel whose credentials the code spells (a bot token in a Telegram API URL, a Discord
 * or Slack webhook with its secret part): the author's channel, not the user's, so the service
 * being one people use does not excuse it.
 */
const HARDCODED_CHANNEL = /docs\.google\.com\/forms\/d\/e\/[\w-]{20,}\/formResponse|script\.google\.com\/macros\/s\/[\w-]{20,}\/exec|api\.telegram\.org\/bot\d{6,}:[\w-]{20,}|discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]{20,}|hooks\.slack\.com\/services\/T\w+\/B\w+\/\w+/;

/** The path a call builds from literal pieces and the home folder (`Paths.get(home, ".docker", "config.json")`, `new File(h, ".npmrc")`). */
const PIECES_CALL = /\b(?:Paths?\.(?:get|of)|new\s+File|File\.join|Path\.Combine|Path\.Join|filepath\.Join|path\.join|\w+\.join|\w+\.resolve|joinpath|\w+\.appendingPathComponent)\s*\(((?:[^()\n]|\([^()\n]{0,80}\)){3,300})\)/g;
const HOME_NAME = /home|user\.home|userprofile|HOME|homedir|UserHomeDir|getProperty|Environment\.GetFolderPath/i;

function piecesPath(args: string): string | undefined {
  const parts = args.split(",").map((a) => a.trim());
  if (parts.length < 2) return undefined;
  const folded = parts.map((a) => /^["'`](.*)["'`]$/.exec(a)?.[1] ?? (HOME_NAME.test(a) ? "~" : "…"));
  return folded.some((p) => p !== "~" && p !== "…") ? folded.join("/") : undefined;
}

/** The first store the text names, with where it is named. */
function storeIn(code: string): { what: string; own: string[]; personal: boolean; kind?: string; at: number } | undefined {
  for (const s of STORES) {
    // Placed on the last piece: the one that names the store itself (`settings.xml` after `.m2`, `leveldb` after the app).
    let at = -1;
    if (s.all.every((re) => { const m = re.exec(code); if (m) at = m.index; return m !== null; })) return { what: s.what, own: s.own, personal: s.personal ?? false, at };
  }
  return builtStoreIn(code);
}

/** A literal that can be a piece of a path (`".kaggle"`, `'/.config/composer'`, `"cli.toml"`). */
const PATH_PIECE = /["'`]([\w.~/\\-][\w. ~/\\-]{0,80})["'`]/g;
/** The code names the home folder somehow (`Path.home()`, `Dir.home`, `System.user_home!()`, `getenv('HOME')`, `%APPDATA%`). */
const HOME_ANCHOR = /home|userprofile|appdata|~[/\\]/i;
/** Pieces further apart than this belong to different paths. */
const PIECE_GAP = 160;
const MAX_PIECES = 400;

/**
 * A store whose path the program joins from consecutive literals, in whatever way its language
 * joins (`Path.home() / ".kaggle" / "kaggle.json"`, `Path.join([home, ".config", "hcloud",
 * "cli.toml"])`, `$home = getenv('HOME') . '/.config/composer'` then `$home . '/auth.json'`): the
 * pieces, read in order, spell the same path a single literal would.
 */
function builtStoreIn(code: string): { what: string; own: string[]; personal: boolean; kind?: string; at: number } | undefined {
  if (!HOME_ANCHOR.test(code)) return undefined;
  const pieces: { text: string; at: number; end: number }[] = [];
  for (const m of code.matchAll(PATH_PIECE)) {
    pieces.push({ text: m[1]!, at: m.index, end: m.index + m[0].length });
    if (pieces.length >= MAX_PIECES) break;
  }
  for (let i = 1; i < pieces.length; i++) {
    // Windows of two to four neighbours ending at piece i: the file name and the folders before it.
    for (let first = i - 1; first >= Math.max(0, i - 3) && pieces[first + 1]!.at - pieces[first]!.end <= PIECE_GAP; first--) {
      const path = "~/" + pieces.slice(first, i + 1).map((p) => p.text).join("/").replace(/[/\\]+/g, "/").replace(/^~?\//, "");
      const at = pieces[i]!.at;
      const named = STORES.find((s) => s.all.every((re) => re.test(path)));
      if (named) return { what: named.what, own: named.own, personal: named.personal ?? false, at };
      const shared = sensitiveStore(path);
      if (shared && !WEAK_SOURCES.has(shared.kind)) return { what: shared.what, own: [], personal: false, kind: shared.kind, at };
    }
  }
  return undefined;
}

/** The shared list's stores, spelled as literals in code without a grammar's facts (a playbook's paths, a Terraform `file(...)`). */
function sharedStoreIn(code: string): { what: string; kind: string; at: number } | undefined {
  for (const m of code.matchAll(/["'`]([^"'`\n]{3,200})["'`]|(?:^|[\s(:=])((?:~|\$\{?HOME\}?)\/[\w./-]+)/gm)) {
    const store = sensitiveStore(m[1] ?? m[2]!);
    if (store && !WEAK_SOURCES.has(store.kind)) return { what: store.what, kind: store.kind, at: m.index };
  }
  for (const m of code.matchAll(PIECES_CALL)) {
    const path = piecesPath(m[1]!);
    const store = path ? sensitiveStore(path) : undefined;
    if (store && !WEAK_SOURCES.has(store.kind)) return { what: store.what, kind: store.kind, at: m.index };
  }
  return undefined;
}

/** A look-up of a name built from data (`fmt.Sprintf("%s.%s", h, zone)`, `f"{chunk}.{zone}"`, `x + "." + zone`) toward a domain the file spells. */
function dnsLeak(code: string): { at: number; length: number; host: string } | undefined {
  const dns = DNS.exec(code);
  if (!dns) return undefined;
  const line = code.slice(dns.index, code.indexOf("\n", dns.index) >>> 0);
  if (!/%s|\{[^}]*\}|\$\{|\+\s*["'`]?\.|\.\s*\$|\bjoin\b|\bformat\b/.test(line)) return undefined;
  for (const m of code.matchAll(DOMAIN_LITERAL)) {
    const host = m[1]!.toLowerCase();
    if (!PRIVATE_HOST.test(host) && !/\.(?:json|ya?ml|toml|txt|md|py|js|ts|go|rs|rb|php|sh|html?|xml|csv|db|sqlite|log|lock|cfg|ini|conf|exe|dll|so)$/.test(host)) return { at: dns.index, length: dns[0].length, host };
  }
  return undefined;
}

/** What one piece of code holds of a chain: the store it reads, and its send of a body to outside hosts. */
export interface TheftParts {
  store?: { what: string; at: number; own: string[]; kind?: string; personal: boolean };
  send?: { at: number; length: number; hosts: string[] };
}

/** The store and the send one piece of code holds (each judged alone: the hosts are the ones no store's own service explains). */
export function theftParts(text: string, sharedStores: boolean, sendAlone = false): TheftParts {
  if (text.length > MAX_TEXT) return {};
  // Most code names no store: one pass over the text decides, before any other work.
  if (!sendAlone && !sharedStores && !STORE_HINT.test(text) && !HOME_ANCHOR.test(text)) return {};
  const code = codeLines(text);
  // `sharedStores`: code whose own analysis does not read the shared list's paths (a playbook, Terraform).
  const found = storeIn(code) ?? (sharedStores ? sharedStoreIn(code) : undefined);
  const store = found && { what: found.what, at: found.at, own: "own" in found ? found.own : [], kind: "kind" in found ? found.kind : undefined, personal: "personal" in found && found.personal };
  if (!store && !sendAlone) return {};
  const send = SEND.exec(code) ?? MORE_SENDS.exec(code);
  const hosts = send && (BODY.test(code) || MORE_BODY.test(code)) ? [...new Set([...destinations(code), ...connectionHosts(code).filter((h) => !PRIVATE_HOST.test(h))])] : [];
  return { ...(store ? { store } : {}), ...(send && hosts.length ? { send: { at: send.index, length: send[0].length, hosts } } : {}) };
}

/** Hosts that are not the store's own service (nor, for private data, a service people send theirs to). */
export function foreignTo(store: NonNullable<TheftParts["store"]>, hosts: string[], code = ""): string[] {
  const channel = HARDCODED_CHANNEL.exec(code)?.[0];
  const hardcoded = (h: string) => channel !== undefined && channel.startsWith(h.replace(/^www\./, ""));
  return hosts.filter((h) => hardcoded(h) || (!store.own.some((d) => isOnDomain(h, d)) && !(store.kind && isPurposeHost(store.kind, h)) && !(store.personal && PERSONAL_SERVICES.some((d) => isOnDomain(h, d)))));
}

/** A secret or private store and a send of data to an outside host the same code names. */
export function storeTheft(text: string, sharedStores: boolean): CodeHit[] {
  const { store, send } = theftParts(text, sharedStores);
  if (!store) return [];
  const foreign = send ? foreignTo(store, send.hosts, text) : [];
  if (send && foreign.length) return [{ ruleId: "SR-EXFIL-009", offset: store.at, length: 1, message: `Reads ${store.what} and sends data over the network (to ${foreign.slice(0, 3).join(", ")}) in the same code: a complete exfiltration chain.`, related: { offset: send.at, length: send.length } }];
  const dns = store.personal ? undefined : dnsLeak(codeLines(text));
  if (dns) return [{ ruleId: "SR-EXFIL-009", offset: store.at, length: 1, message: `Reads ${store.what} and looks up DNS names built from data under ${dns.host}: the query itself carries the data out.`, related: { offset: dns.at, length: dns.length } }];
  return [];
}
