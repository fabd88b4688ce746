/**
 * A download saved under a path only a variable names, then run: `urlopen(u).read()` written
 * through the handle of `open(path, "wb")` (or `os.write(fd, …)` on `fd, path = mkstemp()`,
 * `io.Copy(f, resp.Body)` on `f := os.OpenFile(dst, …)`, `-OutFile $t`), and that path started
 * as a program or handed to an interpreter (`[sys.executable, path]`, `exec.Command(dst)`,
 * `& $t`). The parsed facts fold literal paths; a temporary or home-relative path is unknown to
 * folding, so the chain is followed by the names that hold it, statement by statement.
 */
import type { CodeHit } from "./code.js";
import { ASSIGNMENT, carriedNames } from "./remote-control.js";

/** A statement that fetches a reply over the network. */
const FETCH = /\burlopen\s*\(|\brequests\.get\s*\(|\bhttpx\.get\s*\(|\bhttp\.Get\s*\(|\bhttps?\.get\s*\(|\bfetch\s*\(|\bInvoke-WebRequest\b|\biwr\s|\.DownloadFile\s*\(|\burlretrieve\s*\(|\baxios(?:\.get)?\s*\(|\bgot\s*\(|\bStart-BitsTransfer\b/i;
/** Writes that name the destination path directly: `-OutFile $t`, `DownloadFile(u, p)`, `urlretrieve(u, p)`, `writeFileSync(p, …)`. */
const DIRECT_PATH = /-(?:OutFile|Destination)\s+["']?\$(\w+)|\.DownloadFile\s*\([^,]+,\s*\$?(\w+)\s*\)|\burlretrieve\s*\([^,]+,\s*(\w+)\s*\)|\b(?:writeFileSync|writeFile|os\.WriteFile|ioutil\.WriteFile)\s*\(\s*(\w+)\s*,/;
/** Writes through a handle: `f.write(…)`, `os.write(fd, …)`, `io.Copy(f, …)`, `stream.pipe(f)`. */
const HANDLE_WRITE = /\bos\.write\s*\(\s*(\w+)\s*,|\b(\w+)\.write(?:_bytes)?\s*\(|\bio\.Copy\s*\(\s*(\w+)\s*,|\.pipe\s*\(\s*(\w+)\s*\)/;
/** Where a handle comes from: `open(p`, `os.Create(p`, `os.OpenFile(p`, `createWriteStream(p`. */
const OPENS = /\b(?:open|io\.open|os\.Create|os\.OpenFile|fs\.createWriteStream|createWriteStream|fs\.openSync)\s*\(\s*(\w+)/;
/** Starting a program: the text after it is its argument list. */
const STARTS = /\b(?:subprocess\.\w+|os\.system|os\.exec\w*|os\.spawn\w*|os\.startfile|exec\.Command(?:Context)?|Start-Process|execFile(?:Sync)?|spawn(?:Sync)?|child_process\.\w+|Process\.Start)\s*\(?\s*(?:ctx\s*,\s*)?(?:-FilePath\s+)?|^\s*&\s*/gm;
/** An interpreter named before the script it runs. */
const INTERPRETER = /^\[?\s*(?:sys\.executable|process\.execPath|["'](?:\/usr\/bin\/)?(?:python[\d.]*|bash|sh|node|pwsh|powershell(?:\.exe)?|perl|ruby)["'])\s*,\s*(?:["']-[\w-]+["']\s*,\s*)*/;

/** `https.get(url, (res) => {`, `request(u, function (res) {`: the callback's parameter is the reply. */
const REPLY_CALLBACK = /\bhttps?\.(?:get|request)\s*\([^()]*?,\s*(?:function\s*)?\(?\s*(\w+)\s*\)?\s*(?:=>|\{)/;

/** Downloads saved under a variable path and then run, in one piece of code. */
export function savedDownloadRuns(text: string): CodeHit[] {
  const fetch = FETCH.exec(text);
  if (!fetch) return [];
  const statements = text.split(/[\n;]/);
  const fetchStatements = statements.filter((s) => FETCH.test(s));
  // The reply is what the fetch assigns, or the parameter of the callback it is handed (`http.get(u, (res) => …)`).
  const replies = fetchStatements.flatMap((s) => [ASSIGNMENT.exec(s)?.[1], REPLY_CALLBACK.exec(s)?.[1]]).filter((n): n is string => n !== undefined);
  const holders = carriedNames(statements, new Set(replies));
  const holds = holders.size ? new RegExp(`(?<![\\w.$])\\$?(?:${[...holders].join("|")})\\b`) : undefined;
  const carries = (s: string) => FETCH.test(s) || (holds?.test(s) ?? false);

  const paths = new Set<string>();
  const handles = new Set<string>();
  for (const s of statements) {
    if (!carries(s)) continue;
    const direct = DIRECT_PATH.exec(s);
    const path = direct?.slice(1).find((g) => g !== undefined);
    if (path) paths.add(path);
    const write = HANDLE_WRITE.exec(s);
    const handle = write?.slice(1).find((g) => g !== undefined);
    if (handle && !holders.has(handle)) handles.add(handle);
  }
  for (const s of statements) {
    // `with open(path, "wb") as f`, `f = open(path, "wb")`, `f, _ := os.OpenFile(dst, …)`.
    const withAs = /\bopen\s*\(\s*(\w+)[^)]*\)\s+as\s+(\w+)/.exec(s);
    if (withAs && handles.has(withAs[2]!)) paths.add(withAs[1]!);
    const assigned = /^\s*(?:(?:const|let|var)\s+)?\$?(\w+)(?:\s*,\s*(\w+))?\s*:?=(?!=)(.*)$/.exec(s);
    if (!assigned) continue;
    const [, first, second, value] = assigned;
    const opened = OPENS.exec(value!);
    if (opened && handles.has(first!)) paths.add(opened[1]!);
    // `fd, path = tempfile.mkstemp()`: the descriptor written is the file at the other name.
    if (/\bmkstemp\s*\(/.test(value!) && second && handles.has(first!)) paths.add(second);
  }
  paths.delete("_");
  if (paths.size === 0) return [];

  const named = new RegExp(`^["']?\\$?(?:${[...paths].join("|")})\\b`);
  STARTS.lastIndex = 0;
  for (let m = STARTS.exec(text); m; m = STARTS.exec(text)) {
    const rest = text.slice(m.index + m[0].length, text.indexOf("\n", m.index) >>> 0);
    const program = rest.replace(INTERPRETER, "").replace(/^\[\s*/, "");
    if (!named.test(program)) continue;
    return [{ ruleId: "SR-DLEXEC-008", offset: m.index, length: m[0].length + rest.length, message: `Downloads code and runs it: the reply saved as ${[...paths].join(", ")} is started as a program.`, related: { offset: fetch.index, length: fetch[0].length } }];
  }
  return [];
}
