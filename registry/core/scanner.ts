import type * as Scanner from "@skillreg/scanner";

/**
 * The scanner, loaded once on demand. Its main entry starts web-tree-sitter and its grammars
 * with a top-level await (about 200 ms), so it is not imported statically: `skillreg pull
 * --help` and the client's start-up never pay for it. Every command the CLI runs loads it
 * first (cli/main.ts), and so does anything else that scans (tests' setup, the benches); the
 * scanner's words and decision rules (`@skillreg/scanner/words`) stay a light static import.
 */
let loaded: typeof Scanner | undefined;

export async function loadScanner(): Promise<typeof Scanner> {
  loaded ??= await import("@skillreg/scanner");
  return loaded;
}

/** The loaded scanner; using it before loadScanner() is a programming error, said plainly. */
export function scanner(): typeof Scanner {
  if (loaded === undefined) throw new Error("internal error: the scanner was used before loadScanner() (registry/core/scanner.ts)");
  return loaded;
}
