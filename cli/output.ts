import { randomBytes } from "node:crypto";
import { printable } from "../registry/core/index.js";

/**
 * Everything a command prints goes through here, so colour, JSON and progress follow one
 * rule set: colour only on a TTY and never with NO_COLOR; progress on stderr; data on stdout.
 */
export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Output {
  /** A line of human output on stdout. */
  line(text?: string): void;
  /** Data for machines: pretty JSON on stdout. */
  json(value: unknown): void;
  /** A warning on stderr (human mode). */
  warn(text: string): void;
  /** A progress step on stderr ("› step"), for anything that can take over a second. */
  progress(step: string): void;
  readonly color: Colors;
}

export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/**
 * skillreg's own colour codes travel through a command's text as markers, turned into SGR
 * codes only by terminalSafe after it has escaped every control character of the chunk. A
 * stream sees one string mixing our colours with hostile text (names, descriptions, signers),
 * so the codes must be told apart by something that text cannot hold: a random token made at
 * start-up, between private-use characters (printable, and left as they are elsewhere).
 */
const COLOR_TOKEN = randomBytes(12).toString("hex");
const colorMark = (code: number) => `\ue000${COLOR_TOKEN}:${code}\ue001`;
const COLOR_MARK = new RegExp(`\ue000${COLOR_TOKEN}:(\\d+)\ue001`, "g");

function makeColors(enabled: boolean): Colors {
  const wrap = (code: number) => (s: string) => (enabled ? `${colorMark(code)}${s}${colorMark(0)}` : s);
  return {
    red: wrap(ANSI.red),
    green: wrap(ANSI.green),
    yellow: wrap(ANSI.yellow),
    blue: wrap(ANSI.blue),
    dim: wrap(ANSI.dim),
    bold: wrap(ANSI.bold),
  };
}

function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

// What a terminal acts on: C0 controls but newline and tab, DEL, C1 controls, and the bidi
// overrides and isolates that reorder text on screen.
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text made safe for a terminal: every control character shown as a visible escape (\x1b,
 * \u202e), except CRLF line ends; escape sequences in the text itself never pass, not even
 * colour codes. Only skillreg's own colours (makeColors' markers) become SGR codes, and only
 * when the stream has colour on. File names, descriptions, findings, signer names and server
 * messages are hostile: they must not move the cursor, retitle the window, set the clipboard
 * (OSC 52), add links (OSC 8), hide or recolour text, or fake a line of output.
 */
export function terminalSafe(text: string, keepColor: boolean): string {
  const escaped = text.replace(TERMINAL_CONTROL, (c, offset: number) => {
    // CRLF line ends (CSV, RFC 4180) are line ends; a lone CR would overwrite the line.
    if (c === "\r" && text[offset + 1] === "\n") return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
  return escaped.replace(COLOR_MARK, (_, code: string) => (keepColor ? `\u001b[${code}m` : ""));
}

/** A stream whose every write passes through terminalSafe: what commands get as stdout and stderr. */
export function safeStream(stream: Stream, env: NodeJS.ProcessEnv): Stream {
  const keepColor = colorEnabled(stream, env);
  return { write: (chunk: string) => stream.write(terminalSafe(chunk, keepColor)), ...(stream.isTTY !== undefined && { isTTY: stream.isTTY }) };
}

export function makeOutput(stdout: Stream, stderr: Stream, env: NodeJS.ProcessEnv, quiet = false): Output {
  const color = makeColors(colorEnabled(stdout, env));
  const errColor = makeColors(colorEnabled(stderr, env));
  return {
    color,
    line: (text = "") => void stdout.write(text + "\n"),
    json: (value) => void stdout.write(JSON.stringify(value, null, 2) + "\n"),
    // Warnings quote registry data (deprecation reasons, URLs): never let it drive the terminal.
    warn: (text) => void stderr.write(`${errColor.yellow("warning:")} ${printable(text)}\n`),
    progress: (step) => {
      if (!quiet) stderr.write(`${errColor.dim("›")} ${step}\n`);
    },
  };
}

/**
 * A plain table: columns padded to their widest cell, the last column unpadded. One printer
 * for every command (a library table would add borders and a dependency for no gain here).
 */
export function printTable(out: Output, header: readonly string[], rows: readonly (readonly string[])[], style: { header?: (s: string) => string } = {}): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const fmt = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  out.line((style.header ?? ((s) => s))(fmt(header)));
  for (const row of rows) out.line(fmt(row));
}
