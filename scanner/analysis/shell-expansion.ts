/**
 * Command text a shell script hides behind its own expansions, read as the shell reads it.
 *
 * The class: the words a shell runs are built by the shell at run time, so the source never
 * spells them. Parameter expansion (`${u//X/}`, `${s:0:4}`, `${a[0]}${a[1]}`, an unset
 * `b${x}ash`), a variable holding a whole command line in command position (`$c | bash`),
 * word splitting on a changed IFS (`IFS=,; c="curl,-s,URL"; $c`), brace expansion as a command
 * (`{curl,-s,URL}|{bash,-s}`), quotes and backslashes inside a word (`b''ash`, `c\url`) and a
 * decoder fed by a here-string (`rev <<<"$r"`, `base64 -d <<< …`). Each changed line is handed
 * back expanded, so every rule and the analysis read the command that runs.
 *
 * Written here rather than with the grammar's facts because folding keeps words, not the
 * statement a line becomes once expanded; the expansion is a small, bounded subset of bash
 * (literal values assigned in the same script, literal patterns), which is what hiding needs.
 */
import { bytesToText, decodeBase32, decodeBase64, decodeHex, looksLikeText } from "./decode.js";

export interface ExpandedLine {
  text: string;
  offset: number;
  length: number;
}

/** Only scripts using one of the tricks are read (most scripts use none). */
const TRICK_HINT = /\$\{[A-Za-z_]\w*(?:\[\d+\]|\/|:\d)|\$\{?[A-Za-z_]\w*\}?[\s|;&)"]|[A-Za-z]\$\{?[A-Za-z_]|\$\{[A-Za-z_]\w*\}[A-Za-z]|\bIFS=|(?:^|[|;&(]\s*)\{[^\s{}]+,|[A-Za-z](?:''|""|\\)[A-Za-z]|<<</m;
const MAX_LINES = 4000;
const MAX_LINE = 2000;
const MAX_OUT = 64;

/** `name=value` at the start of a statement: single-quoted, double-quoted without expansions, or bare. */
const ASSIGN = /(?:^|[;&|]\s*|\b(?:then|do|else)\s+)(?:(?:export|local|readonly|declare|typeset)\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=(?:'([^'\n]*)'|"([^"$`\\\n]*)"|\(([^()\n]*)\)|((?:\\.|[^\s'"$`\\;|&()<>])*))(?=\s|;|&|\||$)/gm;
/** An array's items (`a=(cu rl -s "x y")`). */
const ARRAY_ITEM = /'([^']*)'|"([^"]*)"|([^\s'"]+)/g;
/** One expansion: `${name}`, `${name[i]}`, `${name//pat/rep}`, `${name:off:len}`, `$name`. */
const EXPANSION = /\$\{([A-Za-z_]\w*)(?:\[(\d{1,3})\])?(?:(\/\/?)([^/}]{0,40})\/([^}]{0,40})|:(\d{1,4})(?::(\d{1,4}))?)?\}|\$([A-Za-z_]\w*)/g;
/** Where a word is a command: a line's start or after a separator, `$(`, a backquote, `eval`, `exec`. */
const COMMAND_START = /(?:^|[|;&(`]|\$\(|\b(?:eval|exec|then|do|else|xargs|sudo|env|nohup|time)\s)\s*["']?$/;
/** Variables the environment sets: never "unset" for the glued-empty trick. */
const ENVIRONMENT = /^(?:HOME|USER|PATH|PWD|SHELL|TMPDIR|LOGNAME|HOSTNAME|LANG|TERM|OLDPWD|UID|EUID|RANDOM|BASH\w*|XDG_\w+)$/;

interface Value {
  text?: string;
  items?: string[];
}

function assignments(text: string): Map<string, Value | null> {
  const vars = new Map<string, Value | null>();
  ASSIGN.lastIndex = 0;
  for (let m = ASSIGN.exec(text); m; m = ASSIGN.exec(text)) {
    const name = m[1]!;
    let value: Value;
    if (m[4] !== undefined) {
      const items: string[] = [];
      ARRAY_ITEM.lastIndex = 0;
      for (let i = ARRAY_ITEM.exec(m[4]); i && items.length < 256; i = ARRAY_ITEM.exec(m[4])) items.push(i[1] ?? i[2] ?? i[3] ?? "");
      value = { items };
    } else value = { text: m[2] ?? m[3] ?? (m[5] ?? "").replace(/\\(.)/g, "$1") };
    // Assigned twice to different values: which one a line sees depends on the run, so neither is used.
    const before = vars.get(name);
    if (before === undefined) vars.set(name, value);
    else if (before !== null && JSON.stringify(before) !== JSON.stringify(value)) vars.set(name, null);
  }
  return vars;
}

function assignedAnywhere(text: string, name: string): boolean {
  return new RegExp(`(?:^|[\\s;&|(])(?:export\\s+|local\\s+|read\\s+(?:-\\w+\\s+)*)?${name}\\b(?:=|\\s|$)|\\bfor\\s+${name}\\b`, "m").test(text);
}

/** Bash's `${v//pat/rep}` with a literal pattern (globs are left alone: their match is not the text). */
function substitute(value: string, all: boolean, pattern: string, replacement: string): string | undefined {
  if (pattern === "" || /[*?[\\]/.test(pattern)) return undefined;
  return all ? value.split(pattern).join(replacement) : value.replace(pattern, () => replacement);
}

/** Decoders a here-string may feed (`rev <<<"…"`, `base64 -d <<< …`). */
function hereStringDecode(tool: string, opts: string, s: string): string | undefined {
  if (tool === "rev") return s.split("\n").map((l) => [...l].reverse().join("")).join("\n");
  if (tool === "base64" && /-d|--decode|-D/.test(opts)) { const b = decodeBase64(s); return b === undefined ? undefined : bytesToText(b); }
  if (tool === "base32" && /-d|--decode/.test(opts)) { const b = decodeBase32(s.trim()); return b === undefined ? undefined : bytesToText(b); }
  if (tool === "xxd" && /-r/.test(opts) && /-p/.test(opts)) { const b = decodeHex(s); return b === undefined ? undefined : bytesToText(b); }
  if (tool === "tr" && /A-Za-z|a-zA-Z/.test(opts) && /N-ZA-Mn-za-m|n-za-mN-ZA-M/.test(opts)) return s.replace(/[A-Za-z]/g, (ch) => String.fromCharCode(((ch.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (ch <= "Z" ? 65 : 97)));
  return undefined;
}
const HERE_STRING = /\$\(\s*(rev|base64|base32|xxd|tr)((?:\s+(?:-[\w-]+|["']?[\w\-[\]]+["']?)){0,3})\s*<<<\s*(?:"([^"\n]{1,4000})"|'([^'\n]{1,4000})'|([^\s)]{1,4000}))\s*\)/g;

/**
 * One line expanded; `tricked` says whether it used an expansion that hides a command (plain
 * `$URL` arguments are the ordinary use and are left as they are).
 */
function expandLine(line: string, vars: Map<string, Value | null>, ifs: string | undefined, script: string): string | undefined {
  let tricked = false;
  let out = line.replace(EXPANSION, (whole, braced: string | undefined, index: string | undefined, slash: string | undefined, pat: string | undefined, rep: string | undefined, off: string | undefined, len: string | undefined, bare: string | undefined, at: number, src: string) => {
    const name = braced ?? bare!;
    const v = vars.get(name);
    const before = src.slice(Math.max(0, at - 12), at);
    const after = src.charAt(at + whole.length);
    const glued = /[A-Za-z]$/.test(before) || /[A-Za-z]/.test(after);
    if (v === undefined) {
      // An unset variable glued inside a word (`b${x}ash`) expands to nothing: the word is what runs.
      if (glued && !ENVIRONMENT.test(name) && !assignedAnywhere(script, name)) { tricked = true; return ""; }
      return whole;
    }
    if (v === null) return whole;
    let value: string | undefined;
    if (index !== undefined) value = v.items?.[Number(index)];
    else value = v.text ?? v.items?.[0];
    if (value === undefined) return whole;
    if (slash) {
      const s = substitute(value, slash === "//", pat ?? "", rep ?? "");
      if (s === undefined) return whole;
      value = s;
      tricked = true;
    } else if (off !== undefined) {
      value = value.substr(Number(off), len === undefined ? undefined : Number(len));
      tricked = true;
    } else if (index !== undefined) tricked = true;
    const atCommand = COMMAND_START.test(src.slice(Math.max(0, at - 40), at));
    // Unquoted, a changed IFS splits the value into words (`IFS=,; $c`).
    const quoted = (src.slice(0, at).replace(/\\.|'[^']*'/g, "").match(/"/g)?.length ?? 0) % 2 === 1;
    if (ifs && !quoted && value.includes(ifs)) { value = value.split(ifs).join(" "); tricked = true; }
    if (atCommand && !glued && /\s/.test(value.trim())) tricked = true;
    if (atCommand && glued) tricked = true;
    return value;
  });
  // Brace expansion as a command (`{curl,-s,URL}|{bash,-s}`): the words it lists, space-joined.
  out = out.replace(/(^|[|;&(]\s*|\$\(\s*)\{([^\s{}]{1,400},[^\s{}]{0,400})\}/g, (_w, pre: string, body: string) => { tricked = true; return `${pre}${body.split(",").join(" ")}`; });
  // Quotes and backslashes inside a word (`b''ash`, `c"ur"l`, `w\get`): the shell drops them.
  const unquoted = out.replace(/(?<=[A-Za-z])(?:''|""|\\(?=[a-z]))(?=[A-Za-z])/g, "").replace(/(?<=\b[A-Za-z]{1,8})(["'])([A-Za-z]{1,8})\1(?=[A-Za-z]{0,8}\b)/g, "$2");
  if (unquoted !== out) { out = unquoted; tricked = true; }
  HERE_STRING.lastIndex = 0;
  out = out.replace(HERE_STRING, (whole, tool: string, opts: string, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
    const decoded = hereStringDecode(tool, opts ?? "", dq ?? sq ?? bare ?? "");
    if (decoded === undefined || !looksLikeText(decoded)) return whole;
    tricked = true;
    return decoded;
  });
  if (!tricked || out === line) return undefined;
  // `eval "<command>"`: the string is the command.
  const evaluated = /^\s*eval\s+"(.*)"\s*$/.exec(out);
  return evaluated ? `${out}\n${evaluated[1]}` : out;
}

/** An ANSI-C quoted string: `$'…'` with its backslash escapes (bounded: 4000 characters). */
const ANSI_C = /\$'((?:[^'\\\n]|\\.){1,4000})'/g;

/**
 * A line with each ANSI-C string replaced by the single-quoted text bash makes of it (octal
 * `\NNN`, hex `\xHH`, `\uHHHH`, `\n`, `\t`, `\\`, `\'`). A string whose text holds a quote or
 * a newline is left as written: single quotes could not carry it on one line.
 */
function ansiCDecoded(line: string): string {
  if (!line.includes("$'")) return line;
  return line.replace(ANSI_C, (all, body: string) => {
    const text = body.replace(/\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|(.))/g, (_m, oct?: string, hex?: string, uni?: string, ch?: string) =>
      oct ? String.fromCharCode(parseInt(oct, 8)) : hex ? String.fromCharCode(parseInt(hex, 16)) : uni ? String.fromCharCode(parseInt(uni, 16)) : ({ n: "\n", t: "\t", r: "\r", e: "\x1b", a: "\x07" } as Record<string, string>)[ch!] ?? ch!,
    );
    return /['\n]/.test(text) ? all : `'${text}'`;
  });
}

/** Every line of a shell script whose expansion spells another command than its source shows. */
export function shellExpansions(source: string): ExpandedLine[] {
  if (!TRICK_HINT.test(source) && !source.includes("$'")) return [];
  // ANSI-C strings (`$'\143\165…'`) are read as the text bash makes of them; lines keep their places.
  const text = source.includes("$'") ? source.split("\n").map(ansiCDecoded).join("\n") : source;
  const sourceLines = source.split("\n");
  const vars = assignments(text);
  const ifsValue = vars.get("IFS");
  const ifs = ifsValue && ifsValue.text && ifsValue.text.length === 1 && !/\s/.test(ifsValue.text) ? ifsValue.text : undefined;
  const out: ExpandedLine[] = [];
  let offset = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && i < MAX_LINES && out.length < MAX_OUT; i++) {
    const line = lines[i]!;
    if (line.length <= MAX_LINE && !/^\s*#/.test(line)) {
      const original = sourceLines[i]!;
      const expanded = expandLine(line, vars, ifs, text) ?? (line !== original ? line : undefined);
      if (expanded !== undefined) out.push({ text: expanded, offset, length: original.length });
    }
    offset += sourceLines[i]!.length + 1;
  }
  return out;
}
