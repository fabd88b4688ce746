/** File-kind groups and small helpers shared by the rule tables. */
import type { FileKind, Hit } from "../types.js";

export const PROSE: readonly FileKind[] = ["skill-body", "markdown", "text"];
export const CODE: readonly FileKind[] = ["shell", "python", "javascript", "powershell", "other-code"];
export const SCRIPTS_AND_PROSE: readonly FileKind[] = [...CODE, ...PROSE];
/** Scripts, prose and config files: where commands and paths appear. */
export const SCRIPTS_PROSE_CONFIG: readonly FileKind[] = [...SCRIPTS_AND_PROSE, "config"];
export const ALL_TEXT: readonly FileKind[] = [...PROSE, ...CODE, "config", "frontmatter"];

/** Every match of a global regex, optionally filtered, as hits. */
export function hitsOf(re: RegExp, text: string, keep: (m: RegExpExecArray) => boolean = () => true): Hit[] {
  const hits: Hit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    if (keep(m)) hits.push({ index: m.index, length: m[0].length });
  }
  return hits;
}
