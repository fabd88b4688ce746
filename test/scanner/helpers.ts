import type { FileKind, Rule, ScanInput } from "../../scanner/index.js";

const enc = new TextEncoder();

/** Where a rule's example text goes when it names no file: a file of the rule's first kind. */
const EXAMPLE_FILE: Record<FileKind, string> = {
  frontmatter: "SKILL.md",
  "skill-body": "SKILL.md",
  markdown: "docs/notes.md",
  text: "notes.txt",
  shell: "scripts/run.sh",
  python: "scripts/run.py",
  javascript: "scripts/run.js",
  powershell: "scripts/run.ps1",
  config: "config.yaml",
  "other-code": "scripts/run.rb",
  binary: "bin/tool",
};

/**
 * A skill holding one example. Plain text lands in a file of the rule's first kind;
 * "=== path" lines split an example into several files.
 */
export function exampleSkill(rule: Rule, example: string): ScanInput {
  if (example.startsWith("=== ")) {
    const files = example
      .slice(4)
      .split(/\n=== /)
      .map((chunk) => {
        const nl = chunk.indexOf("\n");
        return { path: chunk.slice(0, nl), bytes: enc.encode(chunk.slice(nl + 1)) };
      });
    return { path: `examples/${rule.id}`, files };
  }
  return { path: `examples/${rule.id}`, files: [{ path: EXAMPLE_FILE[rule.fileKinds[0]!], bytes: enc.encode(example) }] };
}

export function skill(path: string, files: Record<string, string | Uint8Array>): ScanInput {
  return { path, files: Object.entries(files).map(([p, c]) => ({ path: p, bytes: typeof c === "string" ? enc.encode(c) : c })) };
}
