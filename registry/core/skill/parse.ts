import { checkYamlWithSchema } from "../schema.js";
import type { Problem } from "./problem.js";
import { describeFrontmatterError, skillFrontmatterSchema } from "./schema.js";

/** SKILL.md split into its parts, with everything wrong found on the way. */
export interface SkillMdParts {
  /** The parsed frontmatter; undefined when it is missing or is not valid YAML. */
  frontmatter: unknown;
  /** The Markdown after the closing '---' ("" when there is none). */
  body: string;
  /** The 1-based line of SKILL.md where `body` starts. */
  bodyLine: number;
  errors: Problem[];
  warnings: Problem[];
  /** The SKILL.md line of a frontmatter field ("/metadata/version"), when it is there. */
  lineAt(instancePath: string): number | undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Split and check SKILL.md: UTF-8 without BOM, a '---' frontmatter block of YAML that
 * matches the Agent Skills schema, then Markdown. Never throws: every defect is a Problem
 * naming `file` and, where it has one, the line.
 */
export function parseSkillMd(bytes: Uint8Array, file: string): SkillMdParts {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const none = { frontmatter: undefined, body: "", bodyLine: 1, errors, warnings, lineAt: () => undefined };

  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    errors.push({ file, line, code: "skill-md-encoding", message: "SKILL.md is not valid UTF-8; save it as UTF-8 (the bytes on this line are in another encoding)" });
    return none;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // TextDecoder already dropped the BOM; agents that split on '---' would not.
    errors.push({ file, line: 1, code: "skill-md-bom", message: "SKILL.md starts with a byte order mark (BOM); save it as UTF-8 without BOM so '---' is the first thing in the file" });
  }
  if (text.includes("\r\n")) {
    warnings.push({ file, line: 1, code: "line-endings", message: "SKILL.md uses Windows line endings (CRLF); some agents expect LF, convert it (e.g. git config core.autocrlf input)" });
    text = text.replaceAll("\r\n", "\n");
  }

  const lines = text.split("\n");
  if (lines[0]?.trimEnd() !== "---") {
    errors.push({ file, line: 1, code: "frontmatter-missing", message: "SKILL.md must start with a '---' line, then YAML fields (name, description), then a closing '---'" });
    return { ...none, body: text };
  }
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "---");
  if (close < 0) {
    errors.push({ file, line: 1, code: "frontmatter-unterminated", message: "the frontmatter opened on line 1 is never closed; add a '---' line after the last field" });
    return none;
  }

  // YAML line 1 is SKILL.md line 2: offset the lines by the opening '---'.
  const yaml = lines.slice(1, close).join("\n");
  const checked = checkYamlWithSchema(yaml, skillFrontmatterSchema, file, 1, describeFrontmatterError);
  const seen = new Set<string>();
  for (const p of checked.problems) {
    const key = `${p.code}\u0000${p.line}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Problems of the frontmatter as a whole (empty, alias bomb) belong to its opening line.
    errors.push({ ...p, line: p.line ?? 1, code: p.code ?? "frontmatter-invalid", message: p.message + yamlHint(p.code, lines[(p.line ?? 1) - 1]) });
  }
  return {
    frontmatter: checked.value,
    body: lines.slice(close + 1).join("\n"),
    bodyLine: close + 2,
    errors,
    warnings,
    lineAt: checked.lineAt,
  };
}

/** What the index and the catalog read of a published SKILL.md: its frontmatter and its body. */
export type SkillMdShown = Readonly<Pick<SkillMdParts, "frontmatter" | "body">>;

/** By the bytes object of a published version's SKILL.md: while its facts are held, it is parsed once. */
const shownOnce = new WeakMap<Uint8Array, SkillMdShown>();

/**
 * The frontmatter and body of a published SKILL.md (parseSkillMd's), parsed once for every
 * reader of the same bytes: the index describes a version from it and the catalog's skill page
 * shows it (YAML and its schema were about 3% of a first site build's CPU, read twice). Only
 * these two are kept, so the memo holds no parser state; callers only read them.
 */
export function skillMdShown(bytes: Uint8Array): SkillMdShown {
  let shown = shownOnce.get(bytes);
  if (shown === undefined) {
    const { frontmatter, body } = parseSkillMd(bytes, "SKILL.md");
    shown = { frontmatter, body };
    shownOnce.set(bytes, shown);
  }
  return shown;
}

/** What to do about the YAML mistakes people make most in SKILL.md. */
function yamlHint(code: string | undefined, line: string | undefined): string {
  if (code === "yaml-duplicate-key") return "; remove one of the two";
  if (code === "yaml-block-as-implicit-key" || (code?.startsWith("yaml-") && /:\s.*:\s/.test(line ?? ""))) {
    return "; a value containing ': ' must be quoted, e.g. description: \"Use when: ...\"";
  }
  if (code === "yaml-tab-as-indent") return "; indent with spaces";
  if (code === "yaml-resource-limit") return "; the frontmatter repeats aliases (*name) too often, write the values out instead";
  return "";
}

/** The line of the first byte sequence that is not UTF-8 (a newline byte never sits inside one). */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
    try {
      utf8.decode(slice);
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = end + 1;
    line += 1;
  }
}
