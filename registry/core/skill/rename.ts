import { parseSkillMd } from "./parse.js";
import { skillNameProblem } from "./schema.js";

/**
 * Installing a skill under another folder name (`skillreg pull @acme/deploy --as acme-deploy`).
 * Agents' skills folders are flat and the Agent Skills spec wants SKILL.md's `name` to equal
 * the folder's, so an alias changes exactly one thing: the value of the top-level `name:`
 * line of the frontmatter. The change is a byte-level swap of that one token (quotes and
 * everything else kept), so it is its own inverse: `verify` swaps the alias back and
 * compares the result with the hash of the signed file.
 */

// ignoreBOM keeps a byte-order mark in the text: dropping it would change a second byte.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The `name:` line: a top-level key, a plain or quoted scalar, an optional comment. */
function nameLine(name: string): RegExp {
  return new RegExp(`^(name:[ \\t]*)(["']?)${name}\\2([ \\t]*(?:#.*)?\\r?)$`);
}

/**
 * SKILL.md with its frontmatter `name` changed from `from` to `to`, or a reason it cannot be:
 * the frontmatter does not say `name: <from>` on a line of its own, or the result would not
 * read back as the name `to` (YAML reads `name: 123` as a number, `name: true` as a boolean).
 */
export function renameSkillMd(bytes: Uint8Array, from: string, to: string): { bytes: Buffer } | { problem: string } {
  const toProblem = skillNameProblem(to);
  if (toProblem) return { problem: toProblem };
  if (skillNameProblem(from)) return { problem: `'${from}' is not a skill name` };
  const parsed = parseSkillMd(bytes, "SKILL.md");
  const fields = parsed.frontmatter as Record<string, unknown> | undefined;
  const line = parsed.lineAt("/name");
  if (fields?.name !== from || line === undefined) return { problem: `SKILL.md's frontmatter does not name the skill '${from}'` };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: "SKILL.md is not UTF-8" };
  }
  // Split on \n only: CRLF files keep their \r, and the swap touches nothing but the token.
  const lines = text.split("\n");
  const match = nameLine(from).exec(lines[line - 1] ?? "");
  if (!match) return { problem: `SKILL.md writes its name in a form only a plain 'name: ${from}' line can be renamed from` };
  const [, key, quote, rest] = match as unknown as [string, string, string, string];
  lines[line - 1] = `${key}${quote}${to}${quote}${rest}`;
  const renamed = Buffer.from(lines.join("\n"), "utf8");
  const check = parseSkillMd(renamed, "SKILL.md");
  if ((check.frontmatter as Record<string, unknown> | undefined)?.name !== to || check.errors.some((p) => p.code.startsWith("name-"))) {
    return { problem: `'name: ${to}' does not read as a skill name in YAML (it reads as a ${typeof (check.frontmatter as Record<string, unknown> | undefined)?.name}); choose a name with a letter or a hyphen in it` };
  }
  return { bytes: renamed };
}
