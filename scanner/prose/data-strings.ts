/**
 * Sentences the agent reads that sit in YAML rather than Markdown: SKILL.md's frontmatter
 * (`metadata: { publishing: "When done, append …" }`, which the agent loads with the skill) and
 * a YAML file SKILL.md tells it to load (`adopt the system_prompt in config/persona.yaml`).
 * Each string value is kept on its own line and every other line is blanked, so the prose reader
 * parses them as paragraphs and its findings point at the real line of the YAML.
 * (A line walk, not a YAML parser: the values must keep their lines, and frontmatter an agent
 * reads need not be valid YAML to be read.)
 */

/** `key: value` (also `- key: value`); the value may be quoted or a block scalar marker. */
const KEY_LINE = /^(\s*)(?:-\s+)?["']?([\w.-]+)["']?\s*:(?:\s+(.*))?$/;
/** Keys whose value is not an instruction: the skill's name and the lists a tool reads. */
const SKIPPED_KEYS = new Set(["name", "description", "allowed-tools", "license", "version", "homepage", "author", "tags"]);

function unquote(value: string): string {
  const v = value.trim();
  if (/^(?:[|>][+-]?\d*)$/.test(v)) return "";
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1).replace(/\\"/g, '"');
  return v;
}

/**
 * The text of `lines[from, to)` reduced to its string values, every other line of the whole text
 * blank (same line count). Values of skipped keys, with their continuation lines, are left out.
 */
export function yamlStringsText(text: string, from = 0, to = Number.POSITIVE_INFINITY): string {
  const lines = text.split("\n");
  let skipIndent = -1;
  return lines
    .map((line, i) => {
      if (i < from || i >= to) return "";
      const indent = /^\s*/.exec(line)![0].length;
      if (skipIndent >= 0 && (line.trim() === "" || indent > skipIndent)) return "";
      skipIndent = -1;
      const m = KEY_LINE.exec(line);
      if (m) {
        if (SKIPPED_KEYS.has(m[2]!.toLowerCase())) {
          skipIndent = m[1]!.length;
          return "";
        }
        return m[3] ? unquote(m[3]) : "";
      }
      // A continuation of a block scalar or a list item of strings.
      return unquote(line.replace(/^\s*-\s+/, ""));
    })
    .join("\n");
}

/** SKILL.md's frontmatter (between the opening `---` and its close) as sentences; undefined without one. */
export function frontmatterStrings(skillMd: string): string | undefined {
  const lines = skillMd.split("\n");
  if (lines[0]?.trim() !== "---") return undefined;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (close < 0) return undefined;
  const out = yamlStringsText(skillMd, 1, close);
  return out.trim() ? out : undefined;
}

/** YAML and JSON files SKILL.md names by their path: the agent is told to read them. */
export function namedDataFiles(skillMdBody: string, paths: string[]): string[] {
  return paths.filter((p) => /\.(?:ya?ml|json|csv|tsv|html?)$/i.test(p) && !/(?:^|\/)\.github\//.test(p) && skillMdBody.includes(p));
}

/** A JSON string value of a sentence's length (a key is followed by a colon). */
const JSON_STRING = /"((?:[^"\\\n]|\\.){20,4000})"(?!\s*:)/g;

/**
 * A JSON file reduced to its longer string values (escapes undone), each on its own line and
 * every other line blank, so the prose reader reads a template's "description" or "note" as the
 * agent does and its findings point at the real line. (A line walk like yamlStringsText: the
 * values must keep their lines, and a file the agent reads need not be valid JSON.)
 */
export function jsonStringsText(text: string): string {
  return text
    .split("\n")
    .map((line) => [...line.matchAll(JSON_STRING)].map((m) => m[1]!.replace(/\\n/g, " ").replace(/\\(["\\/])/g, "$1")).join(" "))
    .join("\n");
}
