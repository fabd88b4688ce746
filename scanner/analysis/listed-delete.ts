/**
 * The home folder emptied one entry at a time: its listing walked (`Path.home().iterdir()`,
 * `os.walk(home)`, `fs.readdirSync(os.homedir())`, `os.ReadDir(home)`, `Get-ChildItem $HOME`)
 * and each entry handed to a delete (`rmtree`, `unlink`, `os.remove`, `fs.rmSync`, `RemoveAll`,
 * `Remove-Item`) or emptied in place (`File.truncate(f, 0)`, `Clear-Content`, Ruby's
 * `Dir.glob(File.join(Dir.home, '**', '*')).each`). The result is the same as `rm -rf ~`, which the pattern rules see; written as a
 * loop it names no target they can read. Followed by the loop's names, as `destruction.ts` does.
 */
import type { CodeHit } from "./code.js";
import { ASSIGNMENT } from "./remote-control.js";

/** An expression that is the home folder, including the environment's HOME. */
const HOME_EXPR =
  String.raw`(?:(?:pathlib\.)?Path\.home\(\)|os\.homedir\(\)|os\.UserHomeDir\(\)|os\.path\.expanduser\(\s*["']~\/?["']\s*\)|os\.environ(?:\.get\(\s*|\[\s*)["'](?:HOME|USERPROFILE)["']\s*[)\]]|os\.getenv\(\s*["'](?:HOME|USERPROFILE)["']\s*\)|process\.env\.(?:HOME|USERPROFILE)|Dir\.home\b|ENV\[\s*["']HOME["']\s*\]|File\.expand_path\(\s*["']~["']\s*\)|\$HOME|\$\{HOME\}|\$env:USERPROFILE|~)`;
const HOME_VALUE = new RegExp(String.raw`^\s*${HOME_EXPR}\s*(?:;|\)|,|$)`);
/** Deleting calls; the entry must appear in their argument. */
const DELETE_CALL = /\b(?:File\.truncate|os\.truncate|\w+\.truncate|fs\.truncateSync|truncateSync|os\.Truncate|Clear-Content|File\.(?:write|binwrite)(?=\s*\(\s*\w+\s*,\s*["']{2})|shutil\.rmtree|os\.(?:remove|unlink|removedirs)|\w+\.unlink|\w+\.rmdir|fs(?:\.promises)?\.(?:rm|rmSync|unlink|unlinkSync|rmdirSync)|rmSync|unlinkSync|os\.RemoveAll|os\.Remove|Remove-Item|FileUtils\.rm_rf|File\.delete)\s*\(?([^\n]{0,200})/g;
const MAX_BODY_LINES = 15;
/** A condition that picks some entries by name, age or kind. */
const FILTER = /\b(?:if|where|filter|Where-Object)\b[^\n]{0,120}(?:endswith|startswith|endsWith|startsWith|suffix|fnmatch|match|test\(|includes\(|\.name\s*[!=]=|st_mtime|mtime|-like|-match|==\s*["'])/i;

function homeVariables(lines: string[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) {
    const m = ASSIGNMENT.exec(line);
    if (m && HOME_VALUE.test(m[2]!)) names.add(m[1]!);
  }
  return names;
}

/** A listing of home (`home.iterdir()`, `os.listdir(root)`, `readdirSync(os.homedir())`) on this line. */
function listsHome(line: string, home: Set<string>): boolean {
  const homeRef = [HOME_EXPR, ...[...home].map((n) => String.raw`\$?\b${n}\b`)].join("|");
  const listing = new RegExp(
    String.raw`(?:${homeRef})\s*\.\s*(?:iterdir|glob|rglob)\s*\(|\b(?:os\.(?:listdir|scandir|walk)|readdirSync|readdir|os\.ReadDir|ioutil\.ReadDir|filepath\.Walk\w*|Dir\.(?:children|entries|glob)|Get-ChildItem|gci|glob\.glob)\s*\(?\s*(?:(?:File\.join|os\.path\.join|path\.join|Join-Path)\s*\(?\s*)?(?:${homeRef})`,
  );
  return listing.test(line);
}

/** The names a loop binds on its line (`for p in …`, `for dirpath, dirs, files in …`, `for (const e of …)`, `.forEach((e) =>`). */
function loopNames(line: string): string[] {
  const py = /\bfor\s+([\w\s,()]+?)\s+in\b/.exec(line);
  if (py) return py[1]!.split(/[\s,()]+/).filter(Boolean);
  const js = /\bfor\s*\(\s*(?:const|let|var)\s+(?:\[([^\]]+)\]|(\w+))\s+of\b/.exec(line);
  if (js) return (js[1] ?? js[2]!).split(/[\s,]+/).filter(Boolean);
  const each = /\.(?:forEach|map)\s*\(\s*(?:async\s*)?\(?\s*(\w+)/.exec(line);
  if (each) return [each[1]!];
  const ruby = /\.each\s*(?:do\s*|\{\s*)\|\s*(\w+)\s*\|/.exec(line);
  if (ruby) return [ruby[1]!];
  const go = /\bfor\s+\w+\s*,\s*(\w+)\s*:=\s*range\b/.exec(line);
  if (go) return [go[1]!];
  const ps = /\bforeach\s*\(\s*\$(\w+)\s+in\b|ForEach-Object|%\s*\{/.exec(line);
  if (ps) return ps[1] ? [ps[1]] : ["_"];
  return [];
}

export function listedHomeDeletes(text: string): CodeHit[] {
  if (!/rmtree|remove|unlink|rmSync|rm\s*\(|RemoveAll|Remove-Item|rm_rf|delete|truncate|Clear-Content|write/i.test(text)) return [];
  const lines = text.split("\n").slice(0, 4000);
  const home = homeVariables(lines);
  let offset = 0;
  const starts = lines.map((l) => {
    const at = offset;
    offset += l.length + 1;
    return at;
  });
  for (let i = 0; i < lines.length; i++) {
    if (!listsHome(lines[i]!, home)) continue;
    // The loop may be on the listing's line or bind a name the next lines iterate (`entries = os.listdir(home)`).
    let names = loopNames(lines[i]!);
    const listed = ASSIGNMENT.exec(lines[i]!)?.[1];
    const end = Math.min(lines.length, i + MAX_BODY_LINES);
    for (let j = i; j < end && names.length === 0 && listed; j++) {
      if (new RegExp(String.raw`\b(?:in|of)\s+${listed}\b|\b${listed}\.(?:forEach|map)\b`).test(lines[j]!)) names = loopNames(lines[j]!);
    }
    if (names.length === 0) continue;
    for (let j = i; j < end; j++) {
      // A filter on the entries (`if f.endswith('.pyc')`, `if (name.startsWith('.cache'))`) cleans some files, not the home folder.
      if (FILTER.test(lines[j]!)) break;
      DELETE_CALL.lastIndex = 0;
      for (let m = DELETE_CALL.exec(lines[j]!); m; m = DELETE_CALL.exec(lines[j]!)) {
        const operand = m[0];
        if (names.some((n) => n === "_" ? /\$_\b|\$PSItem\b/.test(operand) : new RegExp(String.raw`\b${n}\b`).test(operand))) {
          return [{ ruleId: "SR-DESTROY-010", offset: starts[j]! + m.index, length: m[0].length, message: "Deletes or empties every entry of the home folder in a loop over its listing: the same as deleting the home folder." }];
        }
      }
    }
  }
  return [];
}
