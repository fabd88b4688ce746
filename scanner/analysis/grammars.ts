/**
 * Real grammars for the code a skill ships: tree-sitter compiled to WebAssembly, from
 * `@vscode/tree-sitter-wasm` (the grammars VS Code ships, MIT): bash, Python, JavaScript,
 * TypeScript and PowerShell in one package with a matching runtime, no native build.
 * Loading is asynchronous, so this module awaits it once at import: `scanSkill` stays
 * synchronous and every scan sees the same grammars.
 */
import { createRequire } from "node:module";
import v8 from "node:v8";
import { dirname, join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { copyTree, type CursorModule, type Syntax } from "./syntax.js";

// For JavaScript (WebAssembly: see below): by default V8 sends a function to its optimising compiler (on another
// thread) once about 66 KB of its bytecode has run, and a scan runs hundreds of rule and
// analysis functions only a few MB over: most of that compiling is never paid back within one
// command (a third of the CPU of `skillreg scan` over anthropics/skills). At 16 times the
// budget only the truly hot loops are optimised. It changes when code is compiled, never what
// it computes.
v8.setFlagsFromString("--interrupt-budget=1081344");

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve("@vscode/tree-sitter-wasm/package.json")), "wasm");
const ts = require("@vscode/tree-sitter-wasm") as typeof TreeSitter;

export type Grammar = "bash" | "python" | "javascript" | "typescript" | "powershell";

// Emscripten makes the options object the module itself: the syntax copy calls its cursor functions directly.
const moduleOptions = { locateFile: (file: string) => join(wasmDir, file) };
await ts.Parser.init(moduleOptions);
const wasm = moduleOptions as unknown as CursorModule;
if (typeof wasm._ts_tree_cursor_goto_first_child_wasm !== "function" || !(wasm.HEAP32 instanceof Int32Array)) {
  throw new Error("internal error: @vscode/tree-sitter-wasm no longer exposes its module's cursor functions (scanner/analysis/grammars.ts)");
}
// The transfer buffer's address; ts_init only writes the two version numbers it always writes.
const transferBuffer = wasm._ts_init();

// V8's optimising tier recompiles the grammars' huge parse functions in the background: over
// ten seconds of CPU that also holds the process open at exit. The baseline compiler parses
// fast enough, so the grammars loaded below stay on it. The runtime (tree-sitter.wasm, 200 KB:
// the parse loop every grammar runs) is compiled before the flag is set, so V8 still optimises
// its hot functions: a fifth less CPU per parse, measured on the scan bench's scripts.
v8.setFlagsFromString("--liftoff-only");
const languages = new Map<Grammar, TreeSitter.Language>();
for (const g of ["bash", "python", "javascript", "typescript", "powershell"] as const) {
  languages.set(g, await ts.Language.load(join(wasmDir, `tree-sitter-${g}.wasm`)));
}

const parser = new ts.Parser();

// The first parse of each grammar compiles its WebAssembly: pay that once here, not inside a scan.
for (const [g, language] of languages) {
  parser.setLanguage(language);
  parser.parse(g === "powershell" ? "$a = 'b' + 'c'; iex $a" : g === "bash" ? "a=$(echo b | c) && d \"$a\"" : "a = f('b' + \"c\")")?.delete();
}

export type SyntaxNode = Syntax;

/**
 * Parsing stops after this long (wall clock, so generous for a loaded machine); the file then
 * gets the pattern rules only and the scan says so in `skipped`.
 */
const PARSE_BUDGET_MS = 3000;

export class ParseTimeout extends Error {}

/**
 * Parse `text` and hand the root to `use`; the tree is freed afterwards (WASM memory is not
 * garbage-collected). Throws ParseTimeout when the parse ran out of time.
 */
export function withTree<T>(grammar: Grammar, text: string, use: (root: SyntaxNode) => T): T {
  parser.setLanguage(languages.get(grammar)!);
  const deadline = performance.now() + PARSE_BUDGET_MS;
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    parser.reset();
    throw new ParseTimeout(`the ${grammar} parse took longer than ${PARSE_BUDGET_MS} ms`);
  }
  try {
    return use(copyTree(wasm, transferBuffer, tree.rootNode, text));
  } finally {
    tree.delete();
  }
}
