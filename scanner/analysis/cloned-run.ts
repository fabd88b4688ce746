/**
 * Code fetched with git and then run: `git clone <url> <dir>` (or a submodule added or
 * updated from `.gitmodules`, which the scanner writes out as the clones they are) followed by a
 * run inside what was cloned (`cd dir && ./install.sh`, `bash dir/setup.sh`, `make -C dir`,
 * `python dir/x.py`). A clone is a download: what runs is whatever the host serves that day.
 * A public forge (GitHub, GitLab…) is where honest projects live and cloning one to build it is
 * ordinary, so only a host the skill names outside them is reported.
 */
import type { CodeHit } from "./code.js";
import { escapeRegExp } from "../escape-regexp.js";

const MAX_TEXT = 256 * 1024;
const FORGES = /^(?:[\w-]+\.)*(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|sr\.ht|gitee\.com|salsa\.debian\.org|git\.kernel\.org|googlesource\.com)$/i;
const CLONE = /\bgit\s+(?:-C\s+\S+\s+)?(?:clone|submodule\s+add)\b((?:\s+(?:--?[\w-]+(?:[= ](?!https?:|git@|ssh:)[^\s;&|]+)?))*)\s+["']?((?:https?|ssh|git):\/\/[^\s"';&|]+|git@[^\s"';&|]+)["']?(?:\s+["']?([^\s"';&|)]+)["']?)?/g;

function hostOf(url: string): string | undefined {
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/\s]*@)?([^/:\s]+)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

/** Where a run starts inside a folder: `cd dir && ./x`, `(cd dir; sh x)`, `bash dir/x`, `./dir/x`, `make -C dir`, `pip install ./dir`, `npm install ./dir`. */
function runInside(dir: string): RegExp {
  const d = escapeRegExp(dir.replace(/\/+$/, ""));
  return new RegExp(
    String.raw`\bcd\s+["']?(?:\./)?${d}/?["']?\s*(?:&&|;|\n)\s*(?:sudo\s+)?(?:\./[\w.-]+|(?:ba|z)?sh\s+\S+|python3?\s+\S+|node\s+\S+|make\b|npm\s+(?:install|ci|run)\b|pip3?\s+install\b)|(?:^|[\s;&|(])(?:sudo\s+)?(?:(?:ba|z)?sh|source|\.|python3?|node|perl|ruby)\s+["']?(?:\./)?${d}/[\w./-]+|(?:^|[\s;&|(])(?:sudo\s+)?["']?(?:\./)?${d}/[\w./-]+\.(?:sh|py|pl|rb|bash)\b|\bmake\s+-C\s+["']?(?:\./)?${d}\b|\bpip3?\s+install\s+(?:-e\s+)?["']?(?:\./)?${d}\b`,
    "m",
  );
}

/** Clones from a host outside the public forges whose content the same script then runs. */
export function clonedCodeRuns(text: string): CodeHit[] {
  if (text.length > MAX_TEXT || !/\bgit\s/.test(text) || !/\b(?:clone|submodule)\b/.test(text)) return [];
  for (const m of text.matchAll(CLONE)) {
    const url = m[2]!;
    const host = hostOf(url);
    if (!host || FORGES.test(host) || /^(?:localhost|127\.)/.test(host)) continue;
    const dir = m[3] ?? url.replace(/\.git$/, "").split(/[/:]/).pop() ?? "";
    if (dir.length < 2) continue;
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 4000);
    const run = runInside(dir).exec(after);
    if (!run) continue;
    const at = m.index + m[0].length + run.index;
    return [{ ruleId: "SR-DLEXEC-008", offset: at, length: Math.max(1, run[0].trim().length), message: `Downloads code and runs it: clones ${dir} from ${host} with git and runs what it holds (from ${host}).`, related: { offset: m.index, length: m[0].length } }];
  }
  return [];
}

/** `.gitmodules` entries as the clones `git submodule update --init` makes (path and url). */
export function submoduleClones(gitmodules: string): string {
  const lines: string[] = [];
  for (const section of gitmodules.split(/^\s*\[submodule\b/m).slice(1, 50)) {
    const path = /^\s*path\s*=\s*(\S+)/m.exec(section)?.[1];
    const url = /^\s*url\s*=\s*(\S+)/m.exec(section)?.[1];
    if (path && url) lines.push(`git clone ${url} ${path}`);
  }
  return lines.join("\n");
}
