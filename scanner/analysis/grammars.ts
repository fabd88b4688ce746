/**
 * Real grammars for the code a skill ships: tree-sitter compiled to WebAssembly, from
 * `@vscode/tree-sitter-wasm` (the grammars VS Code ships, MIT): bash, Python, JavaScript,
 * TypeScript and PowerShell in one package with a matching runtime, no native build.
 * Loading is asynchronous, so this module awaits it once at import: `scanSkill` stays
 * synchronous and every scan sees the same grammars.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { copyTree, type Syntax } from "./syntax.js";

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve("@vscode/tree-sitter-wasm/package.json")), "wasm");
const ts = require("@vscode/tree-sitter-wasm") as typeof TreeSitter;

export type Grammar = "bash" | "python" | "javascript" | "typescript" | "powershell";

await ts.Parser.init({ locateFile: (file: string) => join(wasmDir, file) });

const languages = new Map<Grammar, TreeSitter.Language>();
for (const g of ["bash", "python", "javascript", "typescript", "powershell"] as const) {
  languages.set(g, await ts.Language.load(join(wasmDir, `tree-sitter-${g}.wasm`)));
}

const parser = new ts.Parser();

export type SyntaxNode = Syntax;

/** Parsing stops after this long; a hostile file then falls back to text rules only. */
const PARSE_BUDGET_MS = 200;

/**
 * Parse `text` and hand the root to `use`; the tree is freed afterwards (WASM memory is not
 * garbage-collected). Undefined when the parse ran out of time.
 */
export function withTree<T>(grammar: Grammar, text: string, use: (root: SyntaxNode) => T): T | undefined {
  parser.setLanguage(languages.get(grammar)!);
  const deadline = performance.now() + PARSE_BUDGET_MS;
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    parser.reset();
    return undefined;
  }
  try {
    return use(copyTree(tree.rootNode, text));
  } finally {
    tree.delete();
  }
}
