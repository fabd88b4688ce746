/**
 * The user's private data sent out, as a class: notes, chat and agent transcripts, mail, wallets,
 * photos with their location, screenshots, the clipboard and shell history, named by what they are
 * in any language a skill ships (an AppleScript `tell application "Notes"`, Outlook's COM object,
 * a Maildir's `{cur,new}`, `".claude" / "projects"` in pieces, Go's clipboard package), reaching
 * a send that carries a body to a host the skill writes in, in the same script or in a module the
 * script loads. The host may be hidden: base64 that decodes to a URL, pieces joined at run time
 * (`["https:", "", "host", "v1"].join("/")`, `"https://" + "host"`).
 *
 * Written over the text (most of these languages have no grammar bundled): a store, a send with a
 * body and an outside host must all be there. Services people send their own data to on purpose
 * (OpenAI, Anthropic, Google, Dropbox, Notion…) and a destination only the user configures are not
 * a theft.
 */
import { hostOf, urlsIn } from "../urls.js";
import { hiddenHosts } from "./hidden-hosts.js";
import { connectionHosts, MORE_BODY, MORE_SENDS } from "./send-vocabulary.js";
import { BODY, foreignTo, PRIVATE_HOST, SEND } from "./store-theft.js";

interface PrivateStore {
  re: RegExp;
  what: string;
  /** Only a theft when the file itself is what is sent (a photo's location is also sent to map services on purpose). */
  fileBody?: true;
  /** A second piece the text must also hold (a browser's profile folder for a file named `History`). */
  also?: RegExp;
  /** The services that hold it (the account it is fetched from): sending it back there is its use. */
  own?: string[];
  /** Only a theft when sent to a web host the code writes, not copied to a bucket (a database dump to the user's own bucket is a backup). */
  webOnly?: true;
}

const STORES: PrivateStore[] = [
  // What the user keeps in other apps, named by the app's store or API (seventh round widened, eighth round: by meaning).
  { re: /\bEKEventStore\b|\bCNContactStore\b|\bABAddressBook\b|\bContactsContract\b|\bCalendarContract\b|\bApplication\s*\(\s*["'](?:Contacts|Calendar|Notes|Messages|Mail|Reminders|Photos)["']\s*\)|\.abcddb\b|\bCalendar(?:Cache|\.sqlitedb)\b|[/\\]Library[/\\]Calendars\b|\bvdirsyncer\b|\.local[/\\]share[/\\]evolution\b|\bplum\.sqlite\b|\bMicrosoftStickyNotes\b|\bStickiesDatabase\b|\bcom\.apple\.Stickies\b|\bgkeepapi\b/, what: "the user's contacts, calendar or notes" },
  { re: /\bcom\.apple\.VoiceMemos\b|\bVoice ?Memos\b|["'/\\]Zoom["'/\\]|["']\.vtt["']|\bTeams[/\\]+Recordings\b|\bRecordings[/\\"'][^\n]{0,60}\.(?:m4a|wav|caf)\b/, what: "the user's recordings or meeting transcripts" },
  { re: /\bsessionstore\b|\.jsonlz4\b|["'/\\](?:Current|Last) (?:Session|Tabs)["']|["'/\\](?:History|Bookmarks|Top Sites|Visited Links)["']/, also: /\bBraveSoftware\b|\bGoogle[/\\ ]Chrome\b|\bChromium\b|\bMicrosoft[/\\ ]Edge\b|\bVivaldi\b|\bOpera Software\b|\.mozilla\b|\bFirefox\b|\bArc[/\\]User Data\b|\bUser Data[/\\]Default\b/, what: "the browser's history, tabs or session" },
  // Messages, mail and notes fetched from the user's own account at a service, then sent on elsewhere.
  { re: /["'/.]conversations\.(?:history|replies)\b|\bim\.history\b|api\.notion\.com\/v1\/(?:search|blocks|pages|databases)\b|gmail\/v1\/users\/me\/(?:messages|threads)\b|graph\.microsoft\.com\/v1\.0\/me\/(?:messages|mailFolders|onenote|events|contacts|chats)\b|discord(?:app)?\.com\/api\/(?:v\d+\/)?(?:users\/@me\/)?channels\/[^\n"'`]{0,40}\/messages\b|people\.googleapis\.com\/v1\/people\/me\/connections\b/, what: "the user's messages, mail or notes fetched from their account", own: ["slack.com", "notion.com", "notion.so", "googleapis.com", "google.com", "gmail.com", "microsoft.com", "microsoftonline.com", "office.com", "office365.com", "outlook.com", "live.com", "aka.ms", "discord.com", "discordapp.com"] },
  { re: /\bpg_dump(?:all)?\b|\bmysqldump\b|\bmongo(?:dump|export)\b|\\\\?copy\s*\(\s*SELECT\b|\bCOPY\s*\(\s*SELECT\b[^\n]{0,200}\bTO\b|\bsqlite3\b[^\n]{0,80}\.dump\b/i, what: "a dump of the user's database", webOnly: true },
  // Files of the user's own folders, gathered by pattern or walk and sent one by one (documents, downloads, the desktop).
  { re: /["'/\\](?:Documents|Desktop|Downloads)(?:["'/\\][^\n]{0,60}?(?:\*\*|\*\.\{?(?:docx?|pdf|xlsx?|pptx?|pages|numbers|key|txt|csv)\b)|["']\s*\)?\s*\.(?:rglob|glob)\s*\(|[^\n]{0,20}\bos\.walk\b)|\bos\.walk\s*\([^\n]{0,60}\b(?:Documents|Desktop|Downloads)\b/, what: "the user's documents", fileBody: true },
  // The project folder packed whole: a walk from the working folder written into an archive.
  { re: /\bzip\.NewWriter\b|\btar\.NewWriter\b|\bzipfile\.ZipFile\s*\(|\btarfile\.open\s*\(|\bmake_archive\s*\(|\barchiver\s*\(|\bnew\s+(?:AdmZip|JSZip)\b|\bgit\s+(?:archive|bundle\s+create)\b|\bZipArchive\b|\bCompress-Archive\b/, also: /\bos\.Getwd\s*\(|\bos\.getcwd\s*\(|\bprocess\.cwd\s*\(|\bDir\.pwd\b|\bPath\.cwd\s*\(|\bgit\s+rev-parse\s+--show-toplevel\b|\bGet-Location\b|\bgit\s+(?:archive|bundle\s+create)\b[^\n]{0,40}\b(?:HEAD|--all)\b/, what: "the whole project folder, packed", fileBody: true },
  { re: /\btell\s+application\s+\\?["'](?:Notes|Contacts|Messages|Mail|Calendar|Reminders|Photos)\\?["']|\bNoteStore\.sqlite\b|\bgroup\.com\.apple\.notes\b|\bnet\.shinyfrog\.bear\b|[/\\"']\.?joplin\b[^\n]{0,40}\b(?:database|\.sqlite)\b|[/\\"']\.obsidian\b|\bOneNote\.Application\b|[/\\"']\.?logseq[/\\"']|\.enex\b|[/\\"']Evernote[/\\"']/i, what: "the user's notes, contacts, mail or messages" },
  // A notes vault or journal archived whole: everything the user wrote, in one file.
  { re: /\b(?:make_archive|ZipFile|tarfile\.open|Compress-Archive|archiver|zip\s+-r\w*|tar\s+-?c\w*)\b[^\n]{0,120}\b(?:vault|notes|journal|diary)\b|\b(?:vault|notes|journal|diary)\b[^\n]{0,80}\b(?:make_archive|Compress-Archive|zip\s+-r\w*|tar\s+-?c\w*)\b/i, what: "the user's whole notes vault or journal" },
  { re: /\.claude\b["'\s/\\,)]{0,6}["']?projects\b|\.codex\b["'\s/\\,)]{0,6}["']?sessions\b|\.gemini\b["'\s/\\,)]{0,6}["']?tmp\b|\bstate\.vscdb\b|\bcursorDiskKV\b|\bcomposerData\b|\.aider\.chat\.history\b|\bSlack\b[/\\"',\s]{1,6}(?:IndexedDB|Local Storage)\b|\bMicrosoft\b[/\\"',\s]{1,6}Teams\b[^\n]{0,60}\b(?:IndexedDB|Local Storage|logs)\b|\.continue\b["'\s/\\,)]{0,6}["']?sessions\b|\.codeium\b[^\n]{0,40}\bcascade\b|\bopencode\b["'\s/\\,)]{0,6}["']?(?:storage|sessions?)\b|Application Support[/\\"',\s]{1,6}Claude\b|\bchatSessions\b|\bsaoudrizwan\.claude-dev\b[^\n]{0,60}\btasks\b/i, what: "the user's chat or agent transcripts" },
  { re: /\bMaildir\b|\{cur,new\}|\bmailbox\.(?:Maildir|mbox)\b|\.mbox\b|\bOutlook\.Application\b|\bGetNamespace\s*\(\s*["']MAPI["']|\bGetDefaultFolder\s*\(|\.(?:pst|ost)[,"'\s]|\bLibrary[/\\]+Mail\b|\bThunderbird\b[/\\"',\s]{1,6}Profiles\b|\.thunderbird\b|\bEnvelope Index\b/, what: "the user's mail" },
  { re: /[/\\"']Exodus[/\\"']|\bexodus\.wallet\b|\bwallet\.dat\b|[/\\"']\.?electrum[/\\"']|\bnkbihfbeogaeaoehlefnkodbefgpgknn\b|\.ethereum[/\\"',\s]{1,6}keystore\b|\bsolana[/\\"',\s]{1,6}id\.json\b|[/\\"']Ledger Live[/\\"']|[/\\"']atomic[/\\"',\s]{1,6}Local Storage\b|\bkeystore[/\\]UTC--|\bbfnaelmomeimhlpmgjnjophhpkkoljpa\b|\bhnfanknocfeofbddgcijnmhnfnkdnaad\b|\begjidjbpglichdcondbcbdnbeeppgdph\b|[/\\"']\.?bitcoin[/\\"',\s]{1,6}wallets?\b|[/\\"'](?:Coinomi|Guarda|Armory|Wasabi)[/\\"']/i, what: "a crypto wallet" },
  { re: /\b34853\b|\bGPSInfo\b|\bGPSLatitude\b|\bget_ifd\s*\(\s*0x8825\b/, what: "photos with their location (EXIF GPS)", fileBody: true },
  { re: /\bPhotos Library\.photoslibrary\b|\bPHPhotoLibrary\b|[/\\"']DCIM[/\\"']|["'/\\]Pictures["'/\\]|~\/Pictures\b/, what: "the user's photo library", fileBody: true },
  { re: /["']screenshot-desktop["']|\bnode-screenshots\b|\bkbinani\/screenshot\b|\bscreenshot\.Capture\w*\s*\(|\bpyscreenshot\b|\bImageGrab\.grab\b|\bpyautogui\.screenshot\b|\bmss\s*\(\s*\)|\bscreencapture\b|\bCopyFromScreen\b|\bdesktopCapturer\b|\bscrot\b|\bgnome-screenshot\b|\bgrim\s|\bspectacle\s+-|\bimport\s+-window\s+root\b|\bx11grab\b|\bgdigrab\b|\bBitBlt\b|\bCGDisplayCreateImage\b|Desktop[/\\"'][^\n"']{0,20}Screen ?[Ss]hot/, what: "screenshots of the user's screen" },
  { re: /\bclipboard\.ReadAll\b|["']github\.com\/atotto\/clipboard["']|["']golang\.design\/x\/clipboard["']|\bclipboard\.Read\s*\(|\bclipboardy\b|\bnavigator\.clipboard\.read\w*\b|\barboard\b|\bpbpaste\b|\bGet-Clipboard\b|\bpyperclip\.paste\b|\bxclip\b[^\n]{0,60}\s-o\b|\bwl-paste\b|\bClipboard\]?(?:\.|::)Get(?:Text|Data|Image)\b|\bNSPasteboard\b|\bxsel\b[^\n]{0,30}\s(?:-o|--output|-b)\b|\bclipboard_get\s*\(|\bQApplication\.clipboard\s*\(|\bGetClipboardData\b|the clipboard["']/, what: "the clipboard" },
  { re: /\b(?:Default|Profile \d+)[/\\"',\s]{1,6}(?:Bookmarks|Top Sites|Shortcuts|Visited Links|History)\b|\bplaces\.sqlite\b|\bSafari[/\\"',\s]{1,6}History\.db\b/, what: "the browser history or bookmarks" },
  { re: /\bpynput\b[^\n]{0,40}\bkeyboard\b|\bfrom\s+pynput\s+import\s+keyboard\b|\bkeyboard\.(?:on_press|on_release|hook|record)\s*\(|\bGetAsyncKeyState\b|\bSetWindowsHookEx\w*\s*\(\s*(?:13|WH_KEYBOARD_LL)\b|\bCGEventTapCreate\b|\buiohook\b|\biohook\b|\baddGlobalMonitorForEvents\w*\b[^\n]{0,60}\bkeyDown\b|\/dev\/input\/event\d|\bxinput\s+(?:test|--test-xi2)\b/, what: "the user's keystrokes" },
  // Devices and apps that hold a life's worth of private data in one place: phone backups, a reference library with its notes, journaling apps.
  { re: /\bMobileSync[/\\"',\s]{1,6}Backup\b|\bApple Computer[/\\]+MobileSync\b|\bzotero\.sqlite\b|\bDay One\b[^\n"']{0,40}\b(?:Journal|\.dayone)|\bDayOne\.sqlite\b|\bJournal\.json\b|[/\\"']\.?journals["'/\\]/, what: "the user's phone backups, research notes or journal" },
  // What the user opened lately: editors' and pagers' histories and the desktop's recent-files list.
  { re: /\.viminfo\b|\.lesshst\b|\brecently-used\.xbel\b|\bRecentDocuments\b|\bMicrosoft[/\\]+Windows[/\\]+Recent\b|\bcom\.apple\.recentitems\b|\.local[/\\]share[/\\]nvim[/\\]shada\b/, what: "the files the user opened lately (editor and desktop history)" },
  // Identity papers and tax documents found by their names: returns, W-2 and 1099 forms, payslips, passport scans.
  { re: /\b(?:1040|W-?\??2|1099|payslips?|paystubs?|passport|steuer\w*|tax[\s_-]?returns?)\b[^\n]{0,80}\.\(?(?:pdf|jpe?g|png)|\b(?:passport|payslip|paystub|W-?2|1099)[^\n]{0,40}\|[^\n]{0,60}\b(?:passport|payslip|paystub|tax|ssn)\b/i, what: "the user's tax documents and identity papers" },
  { re: /\.bash_history\b|\.zsh_history\b|\bfish_history\b|\bConsoleHost_history\b|\.python_history\b|\.psql_history\b|\.mysql_history\b|\.node_repl_history\b|\.sqlite_history\b|\.irb_history\b|\.zhistory\b|\.sh_history\b|\.histfile\b|\bHistorySavePath\b|\$HISTFILE\b|\bENV\s*\[\s*["']HISTFILE|\benviron\w*\s*[[(.]\s*(?:get\s*\(\s*)?["']HISTFILE|\bfc\s+-\w*l\w*\b[^\n|]{0,20}\||\bhistory\s+\d+\s*\|/, what: "shell history" },
];

/** Sends the shared vocabulary spells with a method call other languages name differently. */
const BODY_MORE = /->\s*(?:post|put|request)\w*\s*\(|\bpost_form\b|\bPostForm\b|-Method\s+["']?Post\b/i;
/** Copies to another machine or a bucket the code names (`rsync -a ~/Notes u@host:`, `aws s3 cp … s3://bucket`). */
const COPY_OUT = /\b(?:scp|rsync)\b[^\n]{0,200}?\s(?:[\w.-]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,24}|\d{1,3}(?:\.\d{1,3}){3}):|\b(?:aws\s+s3\s+(?:cp|sync|mv)|gsutil\s+(?:-m\s+)?(?:cp|rsync))\b[^\n]{0,200}?\b(?:s3|gs):\/\/([a-z0-9][\w.-]{2,62})/i;
/** The file itself goes out as the body (a photo uploaded, not only numbers about it). */
const FILE_BODY = /\bfiles\s*=|\bopen\s*\([^\n)]{0,80}["']rb["']|--data-binary\s+@|\s-F\s+["']?\w+=@|\breadFileSync\b|\bReadFile\s*\(|\bos\.Open\s*\(|\bFile\.(?:binread|read|open)\b|\bbody\s*:\s*\w+/;
/** Lines that are only a comment: a link there is documentation, not a destination. */
const COMMENT_LINE = /^\s*(?:#(?!!)|\/\/|--|;|\*|\/\*|<!--|rem\s)/i;
const MAX_TEXT = 256 * 1024;

/** The text as the program sees its strings: pieces joined, base64 URLs decoded, comment lines dropped. */
function revealed(text: string): string {
  const code = text
    .split("\n")
    .filter((l) => !COMMENT_LINE.test(l))
    .join("\n");
  const extra: string[] = [];
  // `["https:", "", "host", "v1"].join("/")`: a URL that exists only at run time.
  for (const m of code.matchAll(/\[\s*((?:["'`][^"'`\n]{0,80}["'`]\s*,\s*){1,12}["'`][^"'`\n]{0,80}["'`])\s*\]\s*\.join\s*\(\s*["'`]([^"'`\n]{0,4})["'`]\s*\)/g)) {
    extra.push([...m[1]!.matchAll(/["'`]([^"'`\n]*)["'`]/g)].map((p) => p[1]).join(m[2]!));
  }
  // `"https://" + "host.tld/x"`: literal pieces concatenated.
  extra.push(code.replace(/["'`]\s*\+\s*["'`]/g, ""));
  // Base64 that decodes to a URL.
  for (const m of code.matchAll(/["'`]([A-Za-z0-9+/]{16,400}={0,2})["'`]/g)) {
    let plain = "";
    try {
      plain = atob(m[1]!);
    } catch {
      continue; // not base64 after all (a length no encoder writes)
    }
    if (/^https?:\/\/[\w.-]+/.test(plain)) extra.push(plain);
  }
  return [code, ...extra].join("\n");
}

/** Outside hosts the code writes in (a URL, hidden or not, or a quoted public address). */
function outsideHosts(text: string): string[] {
  const hosts = new Set<string>();
  for (const m of text.matchAll(/\bwss?:\/\/((?:[a-z0-9-]+\.)+[a-z]{2,24})\b/gi)) if (!PRIVATE_HOST.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  for (const u of urlsIn(revealed(text))) {
    const h = hostOf(u);
    if (h && !PRIVATE_HOST.test(h)) hosts.add(h);
  }
  for (const m of text.matchAll(/["'`](\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?["'`]/g)) if (!PRIVATE_HOST.test(m[1]!)) hosts.add(m[1]!);
  // A destination built at run time, a mail server or connection opened on a named host.
  for (const h of [...hiddenHosts(text), ...connectionHosts(text)]) if (!PRIVATE_HOST.test(h)) hosts.add(h);
  return [...hosts];
}

/** The file's send of a body, and where it goes. */
function sendOf(text: string, configured: string[] = []): { at: number; length: number; hosts: string[] } | undefined {
  const copy = COPY_OUT.exec(text);
  const copyHost = copy && (copy[1] ?? `${copy[2]}.bucket`).toLowerCase();
  if (copy && copyHost && !PRIVATE_HOST.test(copyHost)) return { at: copy.index, length: copy[0].length, hosts: [copyHost] };
  const send = SEND.exec(text) ?? MORE_SENDS.exec(text);
  if (!send || !(BODY.test(text) || BODY_MORE.test(text) || MORE_BODY.test(text))) return undefined;
  const hosts = [...outsideHosts(text), ...configured];
  return hosts.length ? { at: send.index, length: send[0].length, hosts } : undefined;
}

/** `from summarize import x`, `require("./lib/send")`, `source ./push.sh`, `require_relative "up"`: the file loads the module named `base`. */
function loads(text: string, base: string): boolean {
  const name = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(String.raw`(?:\bfrom\s+\.?${name}\s+import\b|\bimport\s+${name}\b|\brequire(?:_relative)?\s*\(?\s*["'\`][./\w-]*\b${name}(?:\.\w+)?["'\`]|\bimport\b[^\n]{0,120}["'\`][./\w-]*\b${name}(?:\.\w+)?["'\`]|(?:^|[\s;&|])(?:source|\.)\s+["']?[./\w-]*\b${name}\.\w+|\b(?:python3?|node|bash|sh|ruby|perl|pwsh)\s+["']?[./\w-]*\b${name}\.\w+)`, "m").test(text);
}

export interface PrivateDataSend {
  file: string;
  offset: number;
  what: string;
  sinkFile: string;
  sinkOffset: number;
  hosts: string[];
}

/** Private stores each code file reads, sent out by that file or by a module it loads (or that runs it). */
export function privateDataSends(files: readonly { file: string; text: string }[], configs: readonly { file: string; text: string }[] = []): PrivateDataSend[] {
  const out: PrivateDataSend[] = [];
  const small = files.filter((f) => f.text.length <= MAX_TEXT);
  for (const f of small) {
    const store = STORES.map((s) => ({ s, m: s.re.exec(f.text) })).find((x) => x.m && !COMMENT_LINE.test(lineAt(f.text, x.m.index)) && (!x.s.also || x.s.also.test(f.text)));
    if (!store) continue;
    const base = (p: string) => p.split("/").pop()!.replace(/\.\w+$/, "");
    const candidates = [f, ...small.filter((g) => g !== f && (loads(f.text, base(g.file)) || loads(g.text, base(f.file))))];
    for (const g of candidates) {
      // A destination may sit in a settings file the skill ships and the script reads (`sed -n 's/^companion: *//p' config.yaml`).
      const send = sendOf(g.text, configuredHosts(g.text, configs));
      if (!send) continue;
      if (store.s.fileBody && !FILE_BODY.test(g.text)) continue;
      const hosts = store.s.webOnly ? [...send.hosts, ...outsideHosts(g.text)].filter((h) => !h.endsWith(".bucket")) : send.hosts;
      const foreign = foreignTo({ what: store.s.what, at: store.m!.index, own: store.s.own ?? [], personal: true }, hosts, g.text);
      if (!foreign.length) continue;
      out.push({ file: f.file, offset: store.m!.index, what: store.s.what, sinkFile: g.file, sinkOffset: send.at, hosts: foreign });
      break;
    }
  }
  return out;
}

/** Outside hosts of the settings files the script names (by file name): where it sends when its own text names no host. */
function configuredHosts(text: string, configs: readonly { file: string; text: string }[]): string[] {
  const named = configs.filter((c) => {
    const base = c.file.split("/").pop()!;
    return base.length > 3 && text.includes(base);
  });
  return named.flatMap((c) => outsideHosts(c.text));
}

function lineAt(text: string, at: number): string {
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(start, end < 0 ? undefined : end);
}
