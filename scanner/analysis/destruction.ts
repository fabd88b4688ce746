/**
 * Destruction reached through the values that name its target: a recursive delete whose folder
 * is the home folder or the filesystem root by way of a default (`${1:-$HOME}`), a variable, a
 * fallback (`path.dirname` of a folder under home), a loop over `(Path.home(), …)` or a listing
 * piped into `Remove-Item`; and a raw disk device written by `dd`. The pattern rules see the
 * spelled-out forms (`rm -rf ~`); these are the same acts with the target one step removed.
 * Followed by names statement by statement, as `namesHolding` does (scanner/analysis/code.ts).
 */
import type { CodeHit } from "./code.js";
import { ASSIGNMENT } from "./remote-control.js";

/** An expression that is the home folder (or a profile root) itself. */
const HOME =
  /^\s*(?:["']?(?:\$HOME|\$\{HOME\}|~|\$env:USERPROFILE|\$env:HOME|\$HOME)["']?|["']?\$\{\w+:-(?:\$HOME|\$\{HOME\}|~)\}["']?|(?:pathlib\.)?Path\.home\(\)|os\.homedir\(\)|os\.UserHomeDir\(\)|os\.path\.expanduser\(\s*["']~\/?["']\s*\)|\[Environment\]::GetFolderPath\(\s*['"](?:UserProfile|MyDocuments|Personal)['"]\s*\)|["']\/["'])\s*$/i;
/** A default or fallback that ends in the home folder (`process.env.X || os.homedir()`, `x or Path.home()`). */
const HOME_FALLBACK = /(?:\|\||\?\?|\bor\b)\s*(?:(?:pathlib\.)?Path\.home\(\)|os\.homedir\(\)|os\.path\.expanduser\(\s*["']~\/?["']\s*\))\s*;?\s*$/;
/** A folder one level under home (`path.join(os.homedir(), 'projects')`): its parent is home. */
const UNDER_HOME = /\b(?:path\.join|os\.path\.join|filepath\.Join|Join-Path)\s*\(\s*(?:os\.homedir\(\)|Path\.home\(\)|os\.path\.expanduser\(\s*["']~["']\s*\)|\$HOME|\$env:USERPROFILE)\s*,\s*["'][\w.-]+["']\s*\)|(?:Path\.home\(\)|os\.homedir\(\))\s*\/\s*["'][\w.-]+["']/;
/** Calls and commands that delete a tree; the capture is what they are given. */
const DELETES = [
  /\brm\s+(?:-\w*[rR]\w*\s+|--recursive\s+|--no-preserve-root\s+|-\w+\s+)*["']?\$\{?(\w+)\}?(?:\/\*?|\/\.\*)?["']?(?:\/\*?|\/\.\*)?(?=[\s;|&)]|$)/g,
  /\bshutil\.rmtree\s*\(\s*(\w+)\b/g,
  /\b(?:fs\.)?rm(?:Sync|dirSync)?\s*\(\s*(\w+)\s*,\s*\{[^}]*recursive\s*:\s*true/g,
  /\b(\w+)\s*\(\s*(\w+)\s*,\s*\{[^}]*recursive\s*:\s*true[^}]*force\s*:\s*true/g,
  /\bRemove-Item\b[^\n|]*?-Path\s+["']?\$(\w+)\b[^\n|]*-Recurse|\bRemove-Item\s+["']?\$(\w+)\b[^\n|]*-Recurse/gi,
  /\bos\.RemoveAll\s*\(\s*(\w+)\s*\)/g,
];
/** `Get-ChildItem $root … | … | Remove-Item -Recurse`: everything in the folder listed is deleted. */
const LISTED_DELETE = /\b(?:Get-ChildItem|gci|ls|dir)\b[^\n|]*?(?:-Path\s+)?["']?\$(\w+)\b[^\n]*(?:\|[^\n]*)?(?:\n\s*[^\n]*)?\|\s*Remove-Item\b[^\n]*-Recurse/gi;
/** `dd of="$dev"` where dev is a disk device listed by lsblk or named /dev/…. */
const DD_TARGET = /\bdd\b[^\n]*?\bof=["']?(?:\/dev\/)?\$\{?(\w+)\}?/g;
const DISK_SOURCE = /\blsblk\b|\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|vd[a-z]|xvd[a-z]|disk\d|mmcblk\d)|\bdiskutil\s+list\b|\bfdisk\s+-l\b/;

function homeNames(statements: string[]): Set<string> {
  const home = new Set<string>();
  const under = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    for (const raw of statements) {
      // `if (!fs.existsSync(root)) root = …`: the assignment a condition guards still happens.
      const s = raw.replace(/^\s*(?:}\s*)?(?:else\s+)?if\s*\((?:[^()]|\([^()]*\))*\)\s*/, "");
      const m = ASSIGNMENT.exec(s);
      if (m) {
        const value = m[2]!.replace(/;\s*$/, "");
        if (HOME.test(value) || HOME_FALLBACK.test(value)) home.add(m[1]!);
        else if (UNDER_HOME.test(value)) under.add(m[1]!);
        // `root = path.dirname(root)`: the parent of a folder under home is home.
        const parent = /\b(?:path\.dirname|os\.path\.dirname|filepath\.Dir|Split-Path)\s*\(?\s*\$?(\w+)\s*\)?/.exec(value);
        if (parent && under.has(parent[1]!)) home.add(m[1]!);
        // `x = y` where y is home.
        const alias = /^\s*["']?\$?\{?(\w+)\}?["']?\s*$/.exec(value);
        if (alias && home.has(alias[1]!)) home.add(m[1]!);
      }
      // `for p in (pathlib.Path.home(), pathlib.Path.cwd()):` — each element is deleted in turn.
      const loop = /^\s*for\s+(?:\w+\s+)?\$?(\w+)\s+(?:in|of)\s+[([](.*)[)\]]\s*[:)]?\s*(?:\{|do)?\s*$/.exec(s);
      if (loop && loop[2]!.split(",").some((e) => HOME.test(e))) home.add(loop[1]!);
    }
  }
  return home;
}

/** Deletes of home or root, and disk devices overwritten, in one piece of code. */
export function destructionFlow(text: string): CodeHit[] {
  if (!/\brm\b|rmtree|recursive|Remove-Item|RemoveAll|\bdd\b/i.test(text)) return [];
  const statements = text.split(/[\n;]/);
  const home = homeNames(statements);
  if (home.size > 0) {
    for (const re of [...DELETES, LISTED_DELETE]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const target = m.slice(1).reverse().find((g) => g !== undefined);
        if (!target || !home.has(target)) continue;
        return [{ ruleId: "SR-DESTROY-010", offset: m.index, length: m[0].length, message: `Deletes the home folder or the root recursively: ${target} holds it (set from a default, a fallback or a loop over it).` }];
      }
    }
  }
  DD_TARGET.lastIndex = 0;
  for (let m = DD_TARGET.exec(text); m; m = DD_TARGET.exec(text)) {
    const assigned = statements.find((s) => ASSIGNMENT.exec(s)?.[1] === m![1] && DISK_SOURCE.test(s));
    if (assigned) return [{ ruleId: "SR-DESTROY-010", offset: m.index, length: m[0].length, message: `Writes straight onto a disk device (${m[1]} is a disk from ${DISK_SOURCE.exec(assigned)![0]}): the partition table and every filesystem on it are destroyed.` }];
  }
  return [];
}
