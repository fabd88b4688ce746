/**
 * A download one script saves and another script runs: `curl … -o ~/.cache/pack.rc` in
 * fetch.sh, `. ~/.cache/pack.rc` (or `bash`, `sh`, `source`, `python3` it, or run it as a
 * program) in check.sh, or started by a script in another language (`subprocess.run(["sudo",
 * os.path.expanduser("~/.cache/pack.run")])`). Each script alone is harmless to the per-file chains; together they
 * are a download run (SR-DLEXEC-008), reported where the file is run, naming where it was
 * fetched. Matched on the saved path as written (with `$HOME`/`${HOME}` read as `~`), so only
 * a path both scripts spell the same way links them.
 */
import { isOfficialInstaller } from "../allowlist.js";
import { urlsIn } from "../urls.js";
import { escapeRegExp } from "../escape-regexp.js";
import { startsPathIn } from "./fetched-program.js";

export interface ScriptText {
  file: string;
  text: string;
}

export interface CrossDownloadRun {
  runFile: string;
  runOffset: number;
  fetchFile: string;
  fetchOffset: number;
  path: string;
  url: string;
}

/** `curl … -o P …`, `curl … --output P`, `wget … -O P`, `Invoke-WebRequest … -OutFile P`: the URL and the saved path. */
const SAVED = /\b(?:curl|wget|Invoke-WebRequest|iwr)\b[^\n]*?(?:\s-o|\s-O|\s--output(?:-document)?|\s-OutFile)[\s=]+["']?([^\s"';|&)]+)/gi;

function normal(path: string): string {
  return path.replace(/^(?:\$HOME|\$\{HOME\})(?=\/)/, "~");
}

export function crossFileDownloadRuns(scripts: ScriptText[]): CrossDownloadRun[] {
  const out: CrossDownloadRun[] = [];
  for (const a of scripts) {
    for (const m of a.text.matchAll(SAVED)) {
      const line = a.text.slice(a.text.lastIndexOf("\n", m.index) + 1, a.text.indexOf("\n", m.index) >>> 0);
      const url = urlsIn(line)[0];
      const path = normal(m[1]!);
      // A fixed path of at least a folder and a name; `-` is standard output.
      if (!url || isOfficialInstaller(url) || path === "-" || !/\/[^/]{3,}$/.test(path)) continue;
      const spelled = `(?:${escapeRegExp(path)}${path.startsWith("~/") ? `|(?:\\$HOME|\\$\\{HOME\\})${escapeRegExp(path.slice(1))}` : ""})`;
      const runs = new RegExp(String.raw`(?:^|[;&|(]|\bthen|\bdo|\bexec)\s*(?:(?:\.|source|bash|sh|zsh|python3?|node|perl|ruby)\s+)?["']?${spelled}["']?(?=\s|$|;)`, "m");
      for (const b of scripts) {
        if (b.file === a.file) continue;
        // Or started by a program in another language (`subprocess.run([p])`, `exec.Command(p)`), the path a literal there.
        const runOffset = runs.exec(b.text)?.index ?? startsPathIn(b.text, spelled);
        if (runOffset !== undefined) {
          out.push({ runFile: b.file, runOffset, fetchFile: a.file, fetchOffset: m.index, path, url });
          break;
        }
      }
    }
  }
  return out;
}
