/**
 * A justfile's recipes as the shell script they are: `just <recipe>` hands each indented line to
 * the shell after putting in the file's variables (`host := "…"` read into `{{host}}`). Like a
 * Makefile's recipes (light.ts), so a download and its run in one recipe read as one script.
 */
const MAX_TEXT = 256 * 1024;

export function isJustfile(file: string): boolean {
  return /(?:^|\/)(?:[Jj]ustfile|\.justfile)$|\.just$/.test(file);
}

/** The recipe lines with `{{name}}` replaced by the file's string variables (others by a placeholder). */
export function justRecipes(file: string, text: string): { text: string; offset: number; length: number; expanded: boolean } | undefined {
  if (!isJustfile(file) || text.length > MAX_TEXT) return undefined;
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(?:"([^"\n]*)"|'([^'\n]*)')\s*$/gm)) vars.set(m[1]!, m[2] ?? m[3]!);
  const first = text.search(/^[A-Za-z_@][\w-]*(?:\s+[^:\n=]*)?:(?!=)[^\n]*\n[ \t]+\S/m);
  if (first < 0) return undefined;
  const lines: string[] = [];
  let inRecipe = false;
  for (const line of text.slice(first).split("\n")) {
    if (/^[A-Za-z_@][\w-]*(?:\s+[^:\n=]*)?:(?!=)/.test(line)) inRecipe = true;
    else if (/^\S/.test(line)) inRecipe = false;
    else if (inRecipe && /^[ \t]+\S/.test(line)) lines.push(line.trim().replace(/^[@-]+/, "").replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_all, n: string) => vars.get(n) ?? "x"));
  }
  const end = text.indexOf("\n", first);
  return lines.length ? { text: lines.join("\n"), offset: first, length: (end < 0 ? text.length : end) - first, expanded: /\{\{/.test(text) } : undefined;
}
