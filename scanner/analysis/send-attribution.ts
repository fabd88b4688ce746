/**
 * Where a module's sends go, send by send, for the cross-module reader (`cross-module.ts`). A
 * file's URLs are not each send's destination: `utils.ts` holds `fetchWithBackoff(url, options)`,
 * a retry helper every module calls with the skill's own API, and `geocodeLocation()`, which asks
 * a map service for a place name. Pairing a secret another module reads with "a send in utils.ts"
 * and "the hosts utils.ts names" sends the skill's own cookies to the map service.
 *
 * Each send is judged within its function:
 * - its destinations are the hosts written in that function or in the module-level names it
 *   uses (`const ENDPOINT = "https://…"`); a helper that has none sends wherever its callers
 *   say, so they are the hosts written by the modules calling it by name (and the whole file's
 *   when that finds none either: fail closed);
 * - it carries data when the function (or, for a helper, a caller) has a body, a POST or an
 *   upload, a reply read aside (`await response.json()` reads what came back).
 *
 * Code whose functions cannot be delimited (no braces or indentation the reader knows) is one
 * function: the file's hosts, as before.
 */
import { BODY, codeLines, destinations, SEND } from "./store-theft.js";

export interface AttributedSend {
  at: number;
  length: number;
  hosts: string[];
}

interface Fn {
  name: string;
  from: number;
  to: number;
}

/** Function headers in the brace languages and Python (group 1 or 2 the name). */
const FN_HEADER =
  /^[ \t]*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>\n]*>)?\s*\(|(?:public|private|protected|static|\s)*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*(?:async\s+)?(?:function\b|\([^)\n]*\)\s*(?::[^=\n]+)?=>|[A-Za-z_$][\w$]*\s*=>))|^[ \t]*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(|^[ \t]*func\s+(?:\([^)\n]*\)\s*)?([A-Za-z_]\w*)\s*\(/gm;

/** The end of the block that starts at the first `{` at or after `from` (strings skipped), or of an indented Python body. */
function blockEnd(text: string, from: number, python: boolean): number | undefined {
  if (python) {
    const lineStart = text.lastIndexOf("\n", from) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0].length;
    let at = text.indexOf("\n", from);
    while (at >= 0 && at < text.length) {
      const next = text.indexOf("\n", at + 1);
      const line = text.slice(at + 1, next < 0 ? text.length : next);
      if (line.trim() !== "" && /^[ \t]*/.exec(line)![0].length <= indent) return at;
      if (next < 0) return text.length;
      at = next;
    }
    return text.length;
  }
  const open = text.indexOf("{", from);
  if (open < 0 || open - from > 600) return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return undefined;
}

function functionsOf(text: string): Fn[] {
  const fns: Fn[] = [];
  for (const m of text.matchAll(FN_HEADER)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const to = blockEnd(text, m.index + m[0].length, m[3] !== undefined);
    if (to !== undefined) fns.push({ name, from: m.index, to });
  }
  return fns;
}

/** Hosts of the module-level names a function uses (`const ENDPOINT = "https://…"` above `fetch(ENDPOINT, …)`). */
function moduleConstantHosts(code: string, fns: Fn[], body: string): string[] {
  const hosts: string[] = [];
  for (const m of code.matchAll(/^(?:export\s+)?(?:const|let|var)?\s*([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=(?!=)([^\n]*)/gm)) {
    if (fns.some((f) => m.index > f.from && m.index <= f.to)) continue;
    if (new RegExp(`(?<![\\w$.])${m[1]!.replace(/\$/g, "\\$")}(?![\\w$])`).test(body)) hosts.push(...destinations(m[2]!));
  }
  return hosts;
}

/** A reply read (`await response.json()`, `data = r.json()`), not a body sent. */
const REPLY_READ = /(?:\b(?:const|let|var)\s+)?(?:\b\w+\s*=\s*)?(?:await\s+)?\b\w+\.json\s*\(\s*\)/g;

function sendsData(code: string): boolean {
  return BODY.test(code.replace(REPLY_READ, " "));
}

/**
 * Sends of module `file` that carry data, each with its destinations. `modules` are all the code
 * files of the skill (callers of a helper are looked up there).
 */
export function attributedSends(file: string, modules: { file: string; text: string }[]): AttributedSend[] {
  const own = modules.find((m) => m.file === file);
  if (!own) return [];
  const code = codeLines(own.text);
  const fns = functionsOf(code);
  const out: AttributedSend[] = [];
  const re = new RegExp(SEND.source, "gm");
  for (const m of code.matchAll(re)) {
    const fn = fns.filter((f) => m.index >= f.from && m.index <= f.to).sort((x, y) => y.from - x.from)[0];
    if (!fn) {
      if (sendsData(code)) out.push({ at: m.index, length: m[0].length, hosts: destinations(code) });
      continue;
    }
    const body = code.slice(fn.from, fn.to + 1);
    let hosts = [...destinations(body), ...moduleConstantHosts(code, fns, body)];
    let data = sendsData(body);
    if (hosts.length === 0) {
      const call = new RegExp(`(?<![\\w$.])${fn.name.replace(/\$/g, "\\$")}\\s*\\(`);
      const callers = modules.filter((c) => c.file !== file && call.test(c.text)).map((c) => codeLines(c.text));
      hosts = [...new Set(callers.flatMap(destinations))];
      data ||= callers.some(sendsData);
    }
    // Nowhere to tell: every host the file names, as before.
    if (hosts.length === 0) hosts = destinations(code);
    if (data && hosts.length) out.push({ at: m.index, length: m[0].length, hosts });
  }
  return out;
}

/**
 * Whether a host spells a vendor word across its dot (`lu.ma` is "luma", `del.icio.us`): the
 * domain hack a service of that name registers. `own` are the guessed domains of the secret's
 * item word (`luma.com`, `luma.io`…).
 */
export function spellsOwnWord(host: string, own: string[]): boolean {
  const joined = host.split(".").slice(-2).join("");
  return own.some((d) => /\.(?:com|io|ai|org)$/.test(d) && d.slice(0, d.lastIndexOf(".")) === joined);
}
