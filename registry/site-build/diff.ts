import { structuredPatch } from "diff";

/** What a version changed against the one before it, as the version page shows it. */

export interface FileChange {
  path: string;
  change: "added" | "removed" | "modified";
  /** Size in bytes at this version (null when removed). */
  size: number | null;
  /** Size in bytes at the previous version (null when added). */
  previousSize: number | null;
}

export interface DiffLine {
  kind: "context" | "add" | "del";
  text: string;
  /** 1-based line in the old text (context and deletions). */
  oldLine?: number;
  /** 1-based line in the new text (context and additions). */
  newLine?: number;
}

export interface DiffHunk {
  /** The unified-diff hunk header, "@@ -a,b +c,d @@". */
  header: string;
  lines: DiffLine[];
}

export type TextDiff = { hunks: DiffHunk[] } | { tooLarge: true };

interface FileRef {
  path: string;
  /** Git blob id: equal ids mean equal content. */
  oid: string;
  size: number;
}

/** Files added, removed or modified between two versions, sorted by path. */
export function changedFiles(previous: readonly FileRef[], current: readonly FileRef[]): FileChange[] {
  const before = new Map(previous.map((f) => [f.path, f]));
  const after = new Map(current.map((f) => [f.path, f]));
  const changes: FileChange[] = [];
  for (const f of current) {
    const old = before.get(f.path);
    if (!old) changes.push({ path: f.path, change: "added", size: f.size, previousSize: null });
    else if (old.oid !== f.oid) changes.push({ path: f.path, change: "modified", size: f.size, previousSize: old.size });
  }
  for (const f of previous) {
    if (!after.has(f.path)) changes.push({ path: f.path, change: "removed", size: null, previousSize: f.size });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Bounds on what a hostile SKILL.md can cost: the diff gives up past this many edits
 * (Myers' algorithm is O(N·D)) and a page never shows more lines than this.
 */
const MAX_EDIT_LENGTH = 1000;
const MAX_SHOWN_LINES = 2000;

/** A line diff of two texts with 3 lines of context, or `tooLarge` past the bounds. */
export function textDiff(oldText: string, newText: string): TextDiff {
  const patch = structuredPatch("a", "b", oldText, newText, "", "", { context: 3, maxEditLength: MAX_EDIT_LENGTH });
  if (!patch) return { tooLarge: true };
  const hunks: DiffHunk[] = [];
  let shown = 0;
  for (const h of patch.hunks) {
    let oldLine = h.oldStart;
    let newLine = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const mark = raw[0];
      const text = raw.slice(1);
      if (mark === "\\") continue; // "\ No newline at end of file"
      if (mark === "+") lines.push({ kind: "add", text, newLine: newLine++ });
      else if (mark === "-") lines.push({ kind: "del", text, oldLine: oldLine++ });
      else lines.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    }
    shown += lines.length;
    if (shown > MAX_SHOWN_LINES) return { tooLarge: true };
    hunks.push({ header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines });
  }
  return { hunks };
}
