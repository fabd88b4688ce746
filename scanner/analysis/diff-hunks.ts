/**
 * What a patch writes: a unified diff's hunks, per target file, as the new side reads (context
 * and added lines, without their markers). A `postinstall` added to `package.json` by a "perf"
 * patch is an install hook once the patch is applied, so it is scanned as the file it lands in.
 */
const MAX_TEXT = 1024 * 1024;
const MAX_TARGETS = 50;

/** Whether a text is a unified diff (`--- a/x`, `+++ b/x`, `@@ … @@`). */
export function isUnifiedDiff(text: string): boolean {
  return /^\+\+\+ \S/m.test(text) && /^--- \S/m.test(text) && /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m.test(text);
}

/** The new side of each file the diff changes, by its path (`b/` prefix dropped). Deleted files are left out. */
export function patchedFiles(text: string): { target: string; text: string }[] {
  if (text.length > MAX_TEXT || !isUnifiedDiff(text)) return [];
  const out: { target: string; text: string }[] = [];
  let current: { target: string; lines: string[] } | undefined;
  const flush = () => {
    if (current && current.lines.length) out.push({ target: current.target, text: current.lines.join("\n") });
    current = undefined;
  };
  for (const line of text.split("\n")) {
    const plus = /^\+\+\+ (?:[bw]\/)?([^\t\n]+?)\s*(?:\t.*)?$/.exec(line);
    if (plus) {
      flush();
      if (plus[1] !== "/dev/null" && out.length < MAX_TARGETS) current = { target: plus[1]!.replace(/^\/+/, "").replace(/(?:^|\/)\.\.(?=\/|$)/g, "_"), lines: [] };
      continue;
    }
    if (!current || line.startsWith("--- ") || line.startsWith("@@")) continue;
    if (line.startsWith("+") || line.startsWith(" ")) current.lines.push(line.slice(1));
  }
  flush();
  return out;
}
