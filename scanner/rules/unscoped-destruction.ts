/**
 * Destruction beyond the scope the user gave (SR-DESTROY-014), in any language, where the
 * target is computed rather than spelled. The pattern rules see `rm -rf ~`; these read what a
 * loop, a variable or a catalog makes the target:
 *
 * - every entry of the home folder, the filesystem root, a folder found by walking up parents
 *   with nothing stopping at the top, or every mount point, listed and deleted one by one
 *   (`for d in Directory.GetDirectories(profile) Directory.Delete(d, true)`), with no filter
 *   that keeps only some entries;
 * - the home folder deleted as an expression (`shutil.rmtree(os.path.expanduser('~'))`), or
 *   home joined with a variable that may be empty (`rm -rf "$HOME/${base}"*`);
 * - the data directories of database servers and container volumes removed by path;
 * - every table a database catalog lists truncated or dropped by a computed name, outside a
 *   test or local database;
 * - every resource a fresh, unfiltered listing returns destroyed in the loop over it, whatever a
 *   prompt elsewhere showed;
 * - the user's files encrypted one by one with each original deleted, the key sent away or a
 *   note left: ransomware;
 * - a whole data store wiped (`flushall`, `dropDatabase`) when a scoped delete finds nothing,
 *   on a condition the user does not set.
 *
 * The honest forms name what goes (a literal list, a prefix filter, a user-given target), stop
 * at the top of a walk, check that the database is a test one, and ask before a whole wipe.
 */
import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";
import { DESTROY, LIST_ALL, REST_DELETE, SELECTOR } from "./fleet-destruction.js";

/** An expression that is the user's home folder (or a profile root) in some language. */
const HOME_EXPR = String.raw`(?:os\.path\.expanduser\(\s*["']~[/\\]?["']\s*\)|(?:pathlib\.)?Path\.home\(\)|os\.homedir\(\)|os\.UserHomeDir\(\)|Environment\.GetFolderPath\(\s*Environment\.SpecialFolder\.(?:UserProfile|Personal|MyDocuments|Desktop)\s*\)|\[Environment\]::GetFolderPath\(\s*["']?(?:UserProfile|Personal|MyDocuments|Desktop)["']?\s*\)|System\.getProperty\(\s*"user\.home"\s*\)|(?:dirs::)?home_dir\(\)(?:\.unwrap\(\))?|Dir\.home|ENV\[["'](?:HOME|USERPROFILE)["']\]|os\.environ\[["'](?:HOME|USERPROFILE)["']\]|os\.(?:getenv|environ\.get)\(\s*["'](?:HOME|USERPROFILE)["']\s*\)|process\.env\.(?:HOME|USERPROFILE)|(?:require\(\s*["'](?:node:)?os["']\s*\)|\w+)\.homedir\(\)|os\.Getenv\(\s*"(?:HOME|USERPROFILE)"\s*\)|Environment\.GetEnvironmentVariable\(\s*"(?:HOME|USERPROFILE)"\s*\)|\$env:USERPROFILE|\$env:HOME|\(expand-file-name\s+"~\/?"\)|expand\(\s*["']~["']\s*\)|(?:std::)?env::var(?:_os)?\(\s*"(?:HOME|USERPROFILE)"\s*\)(?:\.unwrap\(\)|\?)?)`;
/**
 * A setting whose default is the home folder (`os.environ.get("CACHE_ROOT", "~")`, `process.env.X || os.homedir()`),
 * maybe expanded (`os.path.expanduser(…)`): unset, which is the usual case, the target is home itself.
 */
const HOME_DEFAULT = String.raw`(?:os\.path\.expanduser\(\s*)?(?:os\.(?:environ\.get|getenv)\(\s*["']\w+["']\s*,\s*(?:["']~[/\\]?["']|${HOME_EXPR})\s*\)|process\.env\.\w+\s*(?:\|\||\?\?)\s*(?:["']~\/?["']|${HOME_EXPR}))\s*\)?`;
const HOME_VALUE = new RegExp(String.raw`^\s*(?:\(\s*)?(?:${HOME_EXPR}|${HOME_DEFAULT})\s*(?:\)\s*)?;?\s*$|^\s*["']?(?:\$HOME|\$\{HOME\}|~)["']?\s*;?\s*$`);
const ROOT_VALUE = /^\s*(?:(?:new\s+)?(?:Path|File|DirectoryInfo)\s*\(\s*)?["'](?:\/|[A-Za-z]:\\\\?|[A-Za-z]:\/)["']\s*\)?\s*;?\s*$/;
/** A target assigned on a line: `name = value`, `name := value`, `var name = value`, `$name = value`, `name, _ := value`. */
const ASSIGN = /^\s*(?:(?:var|let|const|my|local|export|readonly|auto|val|string|String|final)\s+)?\$?([A-Za-z_]\w*)(?:\s*,\s*_)?\s*(?::\s*[\w.[\]<>]+\s*)?:?=(?!=)\s*(.{1,400})$/;
/** A name moved to its own parent: a walk up the tree. */
const WALK_UP = /(?:^|[\s;{)])\$?([A-Za-z_]\w*)\s*:?=\s*(?:\1\.parent\b|(?:os\.path\.dirname|path\.dirname|filepath\.Dir|Path\.GetDirectoryName|File\.dirname|Split-Path)\s*\(?\s*\$?\1\b|\$\(\s*dirname\s+["']?\$\{?\1\b|Directory\.GetParent\(\s*\1\s*\))/;
/** The parent of a path built from the environment: with the variable unset it is the root. */
const PARENT_OF_ENV = /(?:filepath\.Dir|os\.path\.dirname|path\.dirname|Path\.GetDirectoryName|Split-Path)\s*\(?[^\n]{0,60}?(?:Getenv|environ|process\.env|\$env:|getenv|ENV\[)/;
const STOPS = /\b(?:raise|throw|exit|die|abort|panic|return|sys\.exit|process\.exit|Write-Error)\b/;

/** Listing calls that yield the entries of a folder. */
const DIR_LISTING = /\.iterdir\(\)|\bos\.(?:listdir|scandir)\s*\(|\.glob\(\s*["']\*["']\s*\)|\breaddir(?:Sync)?\s*\(|\bos\.ReadDir\s*\(|\bioutil\.ReadDir\s*\(|\bDirectory\.(?:GetDirectories|GetFileSystemEntries|EnumerateDirectories|EnumerateFileSystemEntries|GetFiles)\s*\(|\.(?:GetDirectories|GetFileSystemInfos|EnumerateDirectories)\s*\(|\bGet-ChildItem\b|\bgci\b|\bDir\.(?:children|entries|glob)\b|\bfs::read_dir\s*\(|\blistFiles\s*\(/;
/** Listings of mount points and drives. */
const MOUNT_LISTING = /\bfindmnt\b|\/proc\/mounts\b|\bdf\s+--output=target\b|\bmount\s*\||\bpsutil\.disk_partitions\s*\(|\bGet-PSDrive\b|\bGet-Volume\b|\bDriveInfo\.GetDrives\s*\(|\blsblk\b[^\n]{0,40}MOUNTPOINT/i;
/** A loop header and its variable, in the common languages. */
const LOOP_HEADERS: RegExp[] = [
  /^\s*for\s+\$?(\w+)\s+in\s+(.+)$/, // shell, Python (`for c in x:`); a trailing `; do` is cut off in loopsOf
  /^\s*for\s*\(\s*(?:const|let|var)\s+(\w+)\s+of\s+(.+)$/, // JavaScript (the body may follow on the line)
  /^\s*foreach\s*\(\s*(?:var|string|\w+)?\s*\$?(\w+)\s+in\s+(.+?)\)\s*(?:\{.*)?$/i, // C#, PowerShell
  /^\s*for\s+(?:_|\w+)\s*,\s*(\w+)\s*:=\s*range\s+(.+?)\s*\{\s*$/, // Go
  /^(.+?)\|\s*while\s+read\s+(?:-\w+\s+)*(\w+)/, // shell pipeline, variable second
  /^(.+?)\.each\s+do\s*\|(\w+)\|/, // Ruby
  /^(.+?)\|\s*(?:ForEach-Object|%)\s*\{()/, // PowerShell pipeline: the entry is `$_`
];
/** A delete call or command, to test against a loop variable. */
const DELETE_WORDS = String.raw`(?:shutil\.rmtree|rmtree|os\.remove|os\.unlink|os\.RemoveAll|os\.Remove|Directory\.Delete|File\.Delete|fs\.(?:rm|unlinkSync)|rmSync|rmdirSync|rimraf(?:\.sync)?|FileUtils\.rm_r[f]?|fs::remove_dir_all|Remove-Item|rm\s+(?:-\w+\s+|--\w[\w-]*\s+)*)`;
/** An inclusion filter on an entry (`HasPrefix(e.Name(), "go-build")`, `if c.name.startswith`, `-like`): only some entries go. */
const INCLUDE_FILTER = /\b(?:HasPrefix|HasSuffix|startswith|endswith|startsWith|endsWith|fnmatch|match|Contains|contains|includes|-like|-match)\b|==\s*["']|\.suffix\s*(?:==|in)\b|\bcase\b/;

interface Loop { variable: string; header: string; line: number }

/** The longest line read as a loop header. */
const MAX_HEADER = 400;

function loopsOf(lines: string[]): Loop[] {
  const loops: Loop[] = [];
  lines.forEach((line, i) => {
    // A loop header is a short line; a long one (minified code, a data line) is not read as one.
    if (line.length > MAX_HEADER) return;
    for (const [n, re] of LOOP_HEADERS.entries()) {
      const m = re.exec(line);
      if (!m) continue;
      const [variable, listed] = n === 6 ? ["_", m[1]!] : n >= 4 ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
      // The shell's `; do` cut off by hand: as a regex tail after a lazy group it backtracked cubically over a run of spaces.
      const header = n === 0 ? listed.trimEnd().replace(/(?:^|[\s;])do$/, "").trimEnd().replace(/;$/, "").trimEnd() : listed;
      loops.push({ variable, header, line: i });
      break;
    }
  });
  return loops;
}

/** The loop's header line and the next lines (indentation is not reliable across languages; a few lines are). */
function bodyOf(lines: string[], loop: Loop): string[] {
  return lines.slice(loop.line, loop.line + 9);
}

/** Names assigned in a loop body from the loop's variable. */
function renamedEntries(body: string[], variable: string): string[] {
  const used = new RegExp(String.raw`(?<![\w.])\$?\{?${variable}\b`);
  return body.flatMap((l) => {
    const a = ASSIGN.exec(l);
    return a && a[1] !== variable && used.test(a[2]!) ? [a[1]!] : [];
  });
}

function deletesVariable(line: string, variable: string): boolean {
  const v = variable.replace(/\$/g, "\\$");
  return new RegExp(String.raw`${DELETE_WORDS}[^\n]{0,80}?(?<![\w.])\$?\{?${v}\b(?![\w(])|\b${v}\.(?:unlink|rmdir|Delete)\s*\(`).test(line);
}

/** Names whose value is the home folder, the root, a walk up that may reach the root, or a listing's source. */
function dangerousNames(lines: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const envNames = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    for (const line of lines) {
      const walk = WALK_UP.exec(line);
      if (walk && !names.has(walk[1]!)) {
        // A walk that stops the script when it reaches the top without finding its marker is bounded.
        const bounded = lines.some((l) => l.includes(walk[1]!) && STOPS.test(l) && /parent|dirname|Dir\b|==\s*["']\/["']|\broot\b/i.test(l));
        if (!bounded) names.set(walk[1]!, "a folder found by walking up to the filesystem root");
      }
      const a = ASSIGN.exec(line);
      if (!a) continue;
      const [, name, value] = a as unknown as [string, string, string];
      if (/Getenv|environ|process\.env|\$env:|getenv|ENV\[/.test(value)) envNames.add(name);
      if (HOME_VALUE.test(value)) names.set(name, "the home folder");
      else if (/^\s*["']?\$\{\w+:-\/\}["']?\s*;?\s*$/.test(value)) names.set(name, "the filesystem root (its default)");
      else if (/^\s*["']?\$\{\w+:-(?:\$\{?HOME\}?|~)\/?\}["']?\s*;?\s*$/.test(value)) names.set(name, "the home folder (its default)");
      else if (ROOT_VALUE.test(value)) names.set(name, "the filesystem root");
      else if (PARENT_OF_ENV.test(value) || [...envNames].some((e) => new RegExp(String.raw`(?:filepath\.Dir|os\.path\.dirname|path\.dirname)\s*\([^\n]{0,40}\b${e}\b`).test(value))) names.set(name, "the parent of a path built from an environment variable (the root when it is unset)");
      else {
        const alias = /^\s*["']?\$?\{?(\w+)\}?["']?\s*;?\s*$/.exec(value);
        if (alias && names.has(alias[1]!) && alias[1] !== name) names.set(name, names.get(alias[1]!)!);
        // `entries, _ := os.ReadDir(root)`: the listing of a dangerous folder held in a name.
        const listed = DIR_LISTING.test(value) && [...names.keys()].find((k) => new RegExp(String.raw`\b${k}\b`).test(value));
        if (listed) names.set(name, `the entries of ${names.get(listed)}`);
      }
    }
  }
  return names;
}

/** A dangerous name deleted itself, or all it holds (`rm -rf "$T"/*` with `T=${1:-/}`, `shutil.rmtree(marker)` after a walk up). */
function namedTargetDeleted(lines: string[], offsets: number[]): Hit | undefined {
  const names = [...dangerousNames(lines)].filter(([, what]) => !what.startsWith("the entries"));
  for (const [name, what] of names) {
    const target = new RegExp(String.raw`${DELETE_WORDS}\(?\s*(?:-\w+\s+)*["']?\$?\{?${name}\}?["']?(?:\/\*|\/)?["']?(?=\s*(?:[,);&|]|$|-\w|2>))`);
    // find's own deletes (`find "$t" -mindepth 1 -delete`, `-exec rm -rf {} +`) empty the folder it starts in.
    const found = new RegExp(String.raw`\bfind\s+["']?\$?\{?${name}\}?\/?["']?\s[^\n]{0,200}(?:\s-delete\b|-exec\s+rm\b)`);
    const at = lines.findIndex((l) => target.test(l) || found.test(l));
    if (at >= 0) return { index: offsets[at]!, length: lines[at]!.length, message: `Deletes ${what} recursively: ${name} holds it.` };
  }
  return undefined;
}

/** Every entry of a dangerous folder, or every mount point, deleted one by one with no filter keeping some. */
function everyEntryDeleted(lines: string[], offsets: number[]): Hit | undefined {
  const names = dangerousNames(lines);
  for (const loop of loopsOf(lines)) {
    const header = loop.header;
    let what: string | undefined;
    if (MOUNT_LISTING.test(header)) what = "every mount point";
    else {
      const named = [...names.keys()].find((k) => new RegExp(String.raw`(?<![\w.])\$?\{?${k}\b`).test(header));
      const homeGlob = /["']?(?:\$HOME|\$\{HOME\}|~)["']?\/\*/.test(header) || new RegExp(HOME_EXPR).test(header);
      if (named && (DIR_LISTING.test(header) || /\/\*/.test(header) || names.get(named)!.startsWith("the entries"))) what = names.get(named)!.startsWith("the entries") ? names.get(named)! : `the entries of ${names.get(named)}`;
      else if (homeGlob && (DIR_LISTING.test(header) || /\/\*/.test(header))) what = "the entries of the home folder";
    }
    if (!what) continue;
    const body = bodyOf(lines, loop);
    // The entry may be renamed before the delete (`let p = entry.unwrap().path();`, `$p = $_.FullName`).
    const entryNames = [loop.variable, ...renamedEntries(body, loop.variable)];
    const at = body.findIndex((l) => entryNames.some((v) => deletesVariable(l, v)) || (loop.variable.length > 0 && new RegExp(String.raw`${DELETE_WORDS}[^\n]{0,40}(?:filepath\.Join|os\.path\.join|path\.join|Path\.Combine)\s*\([^\n]{0,60}\b${loop.variable}\b`).test(l)));
    if (at < 0) continue;
    // `if strings.HasPrefix(e.Name(), "go-build")` keeps only some entries, unless `||` lets every entry through.
    const filters = body.slice(0, at + 1).filter((l) => INCLUDE_FILTER.test(l) && new RegExp(String.raw`\b${loop.variable}\b`).test(l));
    if (filters.length > 0 && !filters.some((l) => /\|\||\bor\b|-or\b/.test(l))) continue;
    const line = loop.line + at;
    return { index: offsets[line]!, length: lines[line]!.length, message: `Deletes ${what}, one entry after another, with no filter keeping any: far beyond what the skill says it cleans.` };
  }
  return undefined;
}

/** The home folder deleted as an expression, or joined with a part that may be empty. */
function homeDeleted(text: string): Hit | undefined {
  const direct = new RegExp(String.raw`\b${DELETE_WORDS}\s*\(?\s*(?:-\w+\s+)*\(?\s*${HOME_EXPR}(?=\s*(?:[,)]|$|-\w))`, "m").exec(text);
  if (direct) return { index: direct.index, length: direct[0].length, message: "Deletes the user's home folder recursively." };
  // `rm -rf "$HOME/${base}"*` where base is an environment variable with no default and no check: unset, it is `$HOME/*`.
  for (const m of text.matchAll(/\brm\s+(?:-\w+\s+)*[^\n]{0,40}?["']?\$\{?HOME\}?\/\$\{?(\w+)\}?["']?\*?/g)) {
    const name = m[1]!;
    const assigned = new RegExp(String.raw`^\s*(?:local\s+|export\s+)?${name}=(.*)$`, "m").exec(text);
    const fromEnv = assigned ? /^["']?\$\{?[A-Z][A-Z0-9_]*\}?["']?\s*$/.test(assigned[1]!) : /^[A-Z][A-Z0-9_]*$/.test(name) && name !== "HOME";
    if (!fromEnv) continue;
    const checked = new RegExp(String.raw`\$\{${name}:\?|-[nz]\s+["']?\$\{?${name}\b|\$\{${name}:-`).test(text);
    if (checked) continue;
    return { index: m.index, length: m[0].length, message: `Deletes $HOME/ joined with ${name}, which the environment may leave empty: then it deletes the whole home folder.` };
  }
  const joined = new RegExp(String.raw`\b${DELETE_WORDS}\s*\(\s*(?:os\.path\.join\s*\(\s*${HOME_EXPR}\s*,|${HOME_EXPR}\s*\/)\s*os\.(?:environ\.get|getenv)\(\s*["']\w+["']\s*,\s*["']["']\s*\)`).exec(text);
  if (joined) return { index: joined.index, length: joined[0].length, message: "Deletes the home folder joined with an environment variable that defaults to empty: unset, it deletes the whole home folder." };
  return undefined;
}

/** The data directories of database servers and container volumes. */
const DATA_DIR = /\/var\/lib\/(?:postgresql|pgsql|mysql|mariadb|mongodb|mongo|redis|elasticsearch|cassandra|clickhouse|influxdb|etcd|couchdb|neo4j|rabbitmq|docker\/volumes|containers\/storage\/volumes)\b/;
/** The same server set up again right after (a replica rebuilt, a cluster re-initialised). */
const REINIT = /\b(?:initdb|pg_basebackup|pg_createcluster|pg_restore|mysqld\s+--initialize|mysql_install_db|mariadb-install-db|mongorestore|xtrabackup|docker\s+volume\s+create)\b/;

function dataDirDeleted(text: string, lines: string[], offsets: number[]): Hit | undefined {
  if (!DATA_DIR.test(text) || REINIT.test(text)) return undefined;
  const message = (dir: string) => `Deletes the data of database servers or container volumes (${dir}): every database on the host is gone.`;
  const m = new RegExp(String.raw`${DELETE_WORDS}\(?\s*[^\n]{0,60}?${DATA_DIR.source}`).exec(text);
  if (m) return { index: m.index, length: m[0].length, message: message(DATA_DIR.exec(m[0])![0]) };
  // The path held in a loop's item or a name, and that deleted (`for d in ('/var/lib/mysql', …): shutil.rmtree(d)`).
  const holders = [...loopsOf(lines).filter((l) => DATA_DIR.test(l.header)).map((l) => ({ variable: l.variable, from: l.line })), ...lines.flatMap((l, i) => { const a = ASSIGN.exec(l); return a && DATA_DIR.test(a[2]!) ? [{ variable: a[1]!, from: i }] : []; })];
  for (const h of holders) {
    const at = lines.slice(h.from, h.from + 10).findIndex((l) => deletesVariable(l, h.variable));
    if (at >= 0) return { index: offsets[h.from + at]!, length: lines[h.from + at]!.length, message: message(DATA_DIR.exec(lines.slice(h.from, h.from + 10).join("\n"))![0]) };
  }
  return undefined;
}

/** Database catalogs listing every table. */
const TABLE_CATALOG = /\bpg_tables\b|\binformation_schema\.tables\b|\bsqlite_master\b|\bSHOW\s+TABLES\b|\bsys\.tables\b|\bpg_class\b|\bget_table_names\s*\(|\bgetTableNames\s*\(|\ball_tables\b|\buser_tables\b/i;
/** TRUNCATE, DROP TABLE or DELETE with a table name computed at run time. */
const DYNAMIC_WIPE = /\b(?:TRUNCATE(?:\s+TABLE)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|DELETE\s+FROM)\s+(?:%I|%s|\{|\$\{|\$\w|["'`]\s*(?:\+|\|\||\.)|\?)|format\(\s*'(?:TRUNCATE|DROP\s+TABLE|DELETE\s+FROM)\b/i;
/** A check that the database is a local or test one. */
const LOCAL_DB = /\blocalhost\b|127\.0\.0\.1|:memory:|_test\b|\btest_\w|\bNODE_ENV\b|\bRAILS_ENV\b|\bAPP_ENV\b|\btesting\b|_dev\b|\bdevelopment\b/i;

function everyTableWiped(text: string): Hit | undefined {
  const catalog = TABLE_CATALOG.exec(text);
  if (!catalog) return undefined;
  const wipe = DYNAMIC_WIPE.exec(text);
  if (!wipe || LOCAL_DB.test(text)) return undefined;
  return { index: wipe.index, length: wipe[0].length, message: `Empties or drops every table the database catalog lists (${catalog[0]}), with no check that this is a test database.` };
}

/** Framework commands that drop every table or the database, with the switch that guards production turned off. */
const FRAMEWORK_WIPE = /\bflyway\b[^\n]{0,160}(?:-cleanDisabled=false\b[^\n]{0,160}\bclean\b|\bclean\b[^\n]{0,160}-cleanDisabled=false\b)|\bFLYWAY_CLEAN_DISABLED=false\b[^\n]{0,160}\bflyway\b[^\n]{0,160}\bclean\b|\bDISABLE_DATABASE_ENVIRONMENT_CHECK=1\b[^\n]{0,160}\bdb:(?:drop|reset|purge|schema:load)\b|\bartisan\s+(?:migrate:fresh|migrate:reset|db:wipe)\b[^\n]{0,160}--force\b|\bprisma\s+(?:migrate\s+reset\b[^\n]{0,160}--force|db\s+push\b[^\n]{0,160}--force-reset)\b|\bmanage\.py\s+flush\b[^\n]{0,160}--no-?input\b|\bliquibase\b[^\n]{0,160}\bdrop-?all\b|\bsequelize\s+db:drop\b/i;
/** A prompt or a dry run the user answers. */
const ASKS = /\bread\s+-\w*p\b|\bRead-Host\b|\binput\s*\(|\bconfirm\w*\s*\(|\bprompt\s*\(|\bdry[_-]?run\b|-WhatIf\b/i;

function frameworkWipe(text: string): Hit | undefined {
  const m = FRAMEWORK_WIPE.exec(text);
  if (!m || LOCAL_DB.test(text) || ASKS.test(text)) return undefined;
  return { index: m.index, length: m[0].length, message: `Drops every table or the whole database (${m[0].trim().slice(0, 60)}) with the framework's guard off, no prompt and no check that this is a local or test database.` };
}

/** A new root commit built and force-pushed in one command: the branch's history is replaced for everyone. */
const ROOT_COMMIT_PUSHED = /\bpush\b[^\n]{0,80}(?:--force\b|\s-f\b|\s\+)[^\n]{0,80}\$\(\s*git\s+commit-tree\b[^\n]{0,80}\)\s*:\s*(?:refs\/heads\/)?\S+/;

/** A loop straight over an unfiltered listing of a kind of cloud resource, destroying each one. */
function freshListingDestroyed(lines: string[], offsets: number[]): Hit | undefined {
  for (const loop of loopsOf(lines)) {
    // A listing that picks by an equality selector is the user's own marking (fleet-destruction.ts).
    if (!LIST_ALL.test(loop.header) || SELECTOR.test(loop.header) || /\bselect\s*\(|--filter\b|-Filter\b|\bgrep\s+(?!-v)|\bif\b|\bwhere\b|\bWhere-Object\b|\blabel/i.test(loop.header)) continue;
    const body = bodyOf(lines, loop);
    // The destroy names the loop's item, or is the item's own method (`repo.delete()`).
    const at = body.findIndex((l) => ((DESTROY.test(l) || REST_DELETE.test(l)) && new RegExp(String.raw`\b${loop.variable}\b`).test(l)) || new RegExp(String.raw`\b${loop.variable}\.(?:delete|destroy|remove|drop)\s*\(`).test(l));
    if (at < 0) continue;
    const line = loop.line + at;
    return { index: offsets[line]!, length: lines[line]!.length, message: `Destroys every resource a fresh, unfiltered listing returns (${LIST_ALL.exec(loop.header)![0].trim()}), in the loop over it: what a prompt showed before does not limit it.` };
  }
  return undefined;
}

/** Encryption of a file. */
const ENCRYPT = /\bopenssl\s+(?:enc|aes-\d+\S*|des3)\b|\bgpg\b[^\n]{0,60}(?:\s-c\b|--symmetric|\s-e\b|--encrypt)|\bage\s+(?:-\w+\s+)*(?:-p|--passphrase|-r|--recipient)\b|\bFernet\s*\(|\bAES\.new\s*\(|\bcreateCipheriv\s*\(|\bCreateEncryptor\s*\(|\baes\.NewCipher\s*\(|\bCipher\.getInstance\s*\(|\bChaCha20\w*\s*\(|\bAESGCM\s*\(|\.encrypt\s*\(/;
/** A walk over the user's folders. */
const WALK = /\bfind\b|\bos\.walk\b|\.rglob\(|\bglob\(|\bGet-ChildItem\b[^\n]{0,160}-Recurse|\bgci\b[^\n]{0,160}-Recurse|\breaddirSync\b|\bWalkDir\b|\bfilepath\.Walk\w*|Directory\.(?:Get|Enumerate)Files\b/;
const USER_FOLDERS = new RegExp(String.raw`${HOME_EXPR}|\$HOME\b|~\/|\bDocuments\b|\bDesktop\b|\bPictures\b|\bPhotos\b|\bDownloads\b|\bhome\b`);
const DELETE_ORIGINAL = /\brm\s+(?:-\w+\s+)*["']?\$\{?(\w+)|\bos\.(?:remove|unlink)\s*\(\s*(\w+)|\b(\w+)\.unlink\s*\(|\bunlinkSync\s*\(\s*(\w+)|\bRemove-Item\s+(?:-(?:Literal)?Path\s+)?\$(\w+)|\bFile\.Delete\s*\(\s*(\w+)|\bos\.Remove\s*\(\s*(\w+)|\bshred\b[^\n]{0,160}\$\{?(\w+)/g;
const SEND = /\b(?:curl|wget)\b|\brequests\.\w+\s*\(|\burllib\b|\bfetch\s*\(|\bInvoke-(?:RestMethod|WebRequest)\b|\bhttp\.Post\w*\s*\(|\bWebClient\b|\bHttpClient\b|\bsmtplib\b/;
const NOTE = /\bREADME[-_]?\w*\.(?:txt|html)|\bHOW[-_]TO\b|\bDECRYPT\w*\b|\brecover(?:y)?\b[^\n]{0,60}(?:key|files)|\byour files\b|\bbitcoin\b|\bmonero\b|\bransom\b/i;

function encryptedForRansom(lines: string[], offsets: number[]): Hit | undefined {
  const text = lines.join("\n");
  // A walk over the user's folders (the folder may come before or after the walking word on its line).
  if (!lines.some((l) => WALK.test(l) && USER_FOLDERS.test(l)) || !(SEND.test(text) || NOTE.test(text))) return undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!ENCRYPT.test(lines[i]!)) continue;
    const near = lines.slice(i, i + 5).join("\n");
    for (const d of near.matchAll(DELETE_ORIGINAL)) {
      const name = d.slice(1).find((g) => g !== undefined)!;
      // The file deleted is the one just encrypted: the same name on the encrypting lines.
      if (!new RegExp(String.raw`\b${name}\b`).test(lines.slice(Math.max(0, i - 3), i + 1).join("\n"))) continue;
      return { index: offsets[i]!, length: lines[i]!.length, message: "Encrypts the user's files one by one and deletes each original, with the key sent away or a note left: ransomware." };
    }
  }
  return undefined;
}

/** A whole data store wiped. */
const WIPE_ALL = /\bflushall\b|\bflushdb\b|\bdropDatabase\s*\(|\bdrop_database\s*\(|\bDROP\s+SCHEMA\s+public\b|\bFLUSHALL\b/i;
/** A condition the user sets: an argument, a flag, a prompt. */
const USER_CONDITION = /\bargv\b|\bargs?\.|\bflag|\boption|\bconfirm|\binput\s*\(|--all\b|\bdry|\bforce\b|\byes\b|\bRead-Host\b|\bread\s+-/i;

function wipeAsFallback(lines: string[], offsets: number[]): Hit | undefined {
  const text = lines.join("\n");
  if (!/\bscan_iter\b|\bscanIterator\b|\bKEYS\b|\bSCAN\b|\bunlink\b|\bDELETE\s+FROM\b[^\n]{0,160}\bWHERE\b|\bdeleteMany\s*\(/.test(text)) return undefined;
  // Names set from an argument or a flag (`const all = process.argv.includes('--all')`): a condition on them is the user's.
  const userNames = lines.flatMap((l) => { const a = ASSIGN.exec(l); return a && USER_CONDITION.test(a[2]!) ? [a[1]!] : []; });
  for (let i = 0; i < lines.length; i++) {
    if (!WIPE_ALL.test(lines[i]!)) continue;
    const condition = lines.slice(Math.max(0, i - 3), i + 1).reverse().find((l) => /^\s*(?:\}?\s*else\s*)?if\b|^\s*elif\b|^\s*else\b/.test(l));
    if (!condition || USER_CONDITION.test(condition) || userNames.some((n) => new RegExp(String.raw`\b${n}\b`).test(condition))) continue;
    return { index: offsets[i]!, length: lines[i]!.length, message: `Wipes the whole data store (${WIPE_ALL.exec(lines[i]!)![0]}) on a condition the user does not set (${condition.trim().slice(0, 60)}), in code that promises a scoped delete.` };
  }
  return undefined;
}

function historyReplaced(text: string): Hit | undefined {
  const m = ROOT_COMMIT_PUSHED.exec(text);
  if (!m || ASKS.test(text)) return undefined;
  return { index: m.index, length: m[0].length, message: "Force-pushes a new root commit over a branch in one command: every commit before it is gone for everyone." };
}

function unscopedDestruction(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const lines = segment.text.split("\n").slice(0, 5000);
  const offsets: number[] = [];
  let at = 0;
  for (const l of lines) { offsets.push(at); at += l.length + 1; }
  const hit = homeDeleted(segment.text) ?? everyEntryDeleted(lines, offsets) ?? namedTargetDeleted(lines, offsets) ?? dataDirDeleted(segment.text, lines, offsets) ?? everyTableWiped(segment.text) ?? freshListingDestroyed(lines, offsets) ?? frameworkWipe(segment.text) ?? historyReplaced(segment.text) ?? encryptedForRansom(lines, offsets) ?? wipeAsFallback(lines, offsets);
  return hit ? [hit] : [];
}

export const unscopedDestructionRules: Rule[] = [
  {
    id: "SR-DESTROY-014",
    title: "Destruction beyond the scope the user gave",
    category: "destructive",
    severity: "critical",
    message: "Destroys data the user did not scope: every entry of the home folder, the root or every mount, database data directories, every table a catalog lists, every resource a fresh listing returns, the user's files encrypted for ransom, or a whole store wiped as a fallback.",
    fix: "Delete only what the skill names or created, keep a filter on what a listing returns, check the database is a test one, and ask before any whole wipe.",
    fileKinds: [...CODE, "config"],
    context: "payload",
    triggers: ["rm ", "rmtree", "remove", "delete", "unlink", "rmsync", "rimraf", "rm_rf", "remove_dir_all", "truncate", "drop ", "flushall", "flushdb", "dropdatabase", "drop_database", "rm(", "rmdir", "destroy", "terminate", " rb", "close-account", "archive", "shred", "clean", "db:", "migrate", "flush", "drop", "push"],
    match: unscopedDestruction,
    examples: {
      positive: [
        "=== reset.py\nimport shutil, os\nshutil.rmtree(os.path.expanduser('~'))",
        "=== Program.cs\nvar profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);\nforeach (var d in Directory.GetDirectories(profile))\n    Directory.Delete(d, true);",
        "=== wipe.py\nfor (t,) in cur.execute(\"SELECT name FROM sqlite_master WHERE type='table'\").fetchall():\n    cur.execute(f\"DROP TABLE {t}\")",
      ],
      negative: [
        "=== clean.py\nimport shutil\nfrom pathlib import Path\nfor c in ['.cache/pip', '.npm/_cacache']:\n    shutil.rmtree(Path.home() / c, ignore_errors=True)",
        "=== janitor.go\nroot := os.TempDir()\nentries, _ := os.ReadDir(root)\nfor _, e := range entries {\n\tif strings.HasPrefix(e.Name(), \"go-build\") {\n\t\tos.RemoveAll(filepath.Join(root, e.Name()))\n\t}\n}",
        "=== reset_test_db.py\nassert 'localhost' in url\nfor (t,) in cur.execute(\"SELECT tablename FROM pg_tables WHERE schemaname='public'\").fetchall():\n    cur.execute(f'TRUNCATE TABLE {t} CASCADE')",
      ],
    },
  },
];
