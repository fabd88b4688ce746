/**
 * A command picked from a fixed table by what a request sends: `ACTIONS = {"restart":
 * ["systemctl", "--user", "restart", "app"], …}` then `subprocess.run(ACTIONS[act])`. The caller
 * chooses which of the commands the author wrote runs, never what runs, so the runner is not
 * handed the received text; the table's own commands are scanned like any other line.
 *
 * A table counts only when it is assigned once, to a literal whose values are all literals
 * (strings, numbers, nested lists or maps of them: no name, call, f-string or interpolation),
 * and nothing changes it afterwards (`ACTIONS[k] = …`, `.update(`, `.setdefault(`, `.append(`,
 * `Object.assign(`, `.set(`, `.push(`). Only a subscript is a pick: `ACTIONS.get(act, act)`
 * falls back to the received text and stays a run of it.
 */

/** The top-level assignment of a table literal: group 1 the name, group 2 its opening bracket. */
const TABLE_START = /^(?:const\s+|let\s+|var\s+|readonly\s+)?([A-Za-z_]\w*)\s*(?::\s*[\w<>[\], |]+)?=\s*(?:Object\.freeze\(\s*)?([{[])/gm;
/** Strings without interpolation: Python/JS quotes (no f-string prefix, no `${`, no `#{`). */
const PLAIN_STRING = /(?<![fF\w])"(?:[^"\\\n$#]|\\.)*"|(?<![fF\w])'(?:[^'\\\n]|\\.)*'/g;
const MAX_TABLE = 20_000;

/** The literal from the bracket at `open` to its match, or undefined when it does not close. */
function bracketed(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i - open < MAX_TABLE; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
    if (depth === 0) return text.slice(open, i + 1);
  }
  return undefined;
}

/** Names of tables of literals the code never changes. */
export function constantTables(text: string): Set<string> {
  const tables = new Set<string>();
  if (text.length > 2_000_000) return tables;
  for (const m of text.matchAll(TABLE_START)) {
    const name = m[1]!;
    const body = bracketed(text, m.index + m[0].length - 1);
    if (body === undefined) continue;
    // What is left without its strings must be brackets, separators, numbers and literal words.
    const bare = body.replace(PLAIN_STRING, "").replace(/\b(?:True|False|None|true|false|null|undefined)\b|-?\d+(?:\.\d+)?/g, "");
    if (!/^[\s{}[\]:,]*$/.test(bare.replace(/=>/g, ""))) continue;
    const n = name.replace(/\$/g, "\\$");
    const assigned = text.match(new RegExp(`(?<![\\w.])${n}\\s*(?::\\s*[\\w<>[\\], |]+)?=(?![=>])`, "g"))?.length ?? 0;
    const changed = new RegExp(`(?<![\\w.])${n}\\s*\\[[^\\]\\n]*\\]\\s*(?:[-+|]?=(?!=))|(?<![\\w.])${n}\\s*\\.\\s*(?:update|setdefault|append|extend|insert|push|unshift|set|splice|pop|clear|__setitem__)\\s*\\(|Object\\.assign\\s*\\(\\s*${n}\\b|\\bglobal\\s+${n}\\b`).test(text);
    if (assigned === 1 && !changed) tables.add(name);
  }
  return tables;
}

/**
 * The arguments of the call a runner's capture holds, its opening parenthesis already taken
 * (`ACTIONS[a], text=True).stdout` gives `ACTIONS[a], text=True`), or the whole capture when the
 * call does not close on the line.
 */
function callArguments(capture: string): string {
  const text = capture.replace(/^\s*\(/, "");
  let depth = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(0, i);
  }
  return capture;
}

/**
 * Whether a runner's arguments reach received text (`received`) only through picks from one of
 * `tables` (`ACTIONS[act]`): with the picks blanked, the call's own arguments name nothing received.
 */
export function onlyPicksFromTable(capture: string, tables: Set<string>, received: RegExp): boolean {
  if (tables.size === 0) return false;
  const names = [...tables].map((t) => t.replace(/\$/g, "\\$")).join("|");
  const args = callArguments(capture);
  const picks = new RegExp(`(?<![\\w.])(?:${names})\\s*\\[[^\\[\\]\\n]{1,120}\\]`, "g");
  return picks.test(args) && !new RegExp(received.source, received.flags.replace("g", "")).test(args.replace(picks, " "));
}
