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

function makeColors(enabled: boolean): Colors {
  const wrap = (code: number) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);
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
// The only escape sequences skillreg writes itself: makeColors' SGR codes.
const OWN_SGR = new RegExp(`^\u001b\\[(?:0|${Object.values(ANSI).join("|")})m`);

/**
 * Text made safe for a terminal: every control character shown as a visible escape (\x1b,
 * \u202e), except CRLF line ends and skillreg's own colour codes when the stream has colour on. File names,
 * descriptions, findings and server messages are hostile: they must not move the cursor,
 * retitle the window, hide text or fake a line of output.
 */
export function terminalSafe(text: string, keepColor: boolean): string {
  return text.replace(TERMINAL_CONTROL, (c, offset: number) => {
    if (c === "\u001b" && keepColor && OWN_SGR.test(text.slice(offset))) return c;
    // CRLF line ends (CSV, RFC 4180) are line ends; a lone CR would overwrite the line.
    if (c === "\r" && text[offset + 1] === "\n") return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
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
