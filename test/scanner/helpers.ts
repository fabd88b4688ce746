import type { FileKind, Rule, ScanInput, SkillFile } from "../../scanner/index.js";

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
        return exampleFile(chunk.slice(0, nl), chunk.slice(nl + 1));
      });
    return { path: `examples/${rule.id}`, files };
  }
  return { path: `examples/${rule.id}`, files: [{ path: EXAMPLE_FILE[rule.fileKinds[0]!], bytes: enc.encode(example) }] };
}

/**
 * One example file. "path -> target" is a symbolic link, "path (encrypted)" an encrypted zip
 * archive, "path (truncated)" a file its reader cut short, "path (plain)" a plain zip archive.
 */
function exampleFile(header: string, text: string): SkillFile {
  const link = / -> (.*)$/.exec(header);
  if (link) return { path: header.slice(0, link.index), bytes: new Uint8Array(0), symlink: link[1]! };
  const note = / \((encrypted|plain|truncated)\)$/.exec(header);
  if (!note) return { path: header, bytes: enc.encode(text) };
  const path = header.slice(0, note.index);
  if (note[1] === "truncated") return { path, bytes: enc.encode("echo start\n"), size: 64 * 1024 * 1024 };
  return { path, bytes: zipOf([{ name: "run.sh", data: enc.encode("echo hi\n"), encrypted: note[1] === "encrypted" }]) };
}

/** A stored (uncompressed) zip archive; `encrypted` sets the encryption flag as a password-protected zip has it. */
export function zipOf(entries: { name: string; data: Uint8Array; encrypted?: boolean; mode?: number }[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.encrypted ? 1 : 0, 6);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(0x031e, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.encrypted ? 1 : 0, 8);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(e.data));
    central.push(cd, name);
    offset += 30 + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cdBytes, end]));
}

export function skill(path: string, files: Record<string, string | Uint8Array>): ScanInput {
  return { path, files: Object.entries(files).map(([p, c]) => ({ path: p, bytes: typeof c === "string" ? enc.encode(c) : c })) };
}
