import { stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { SkillregError } from "../registry/core/index.js";
import { printable } from "../registry/core/index.js";
import { findSkillDirs } from "../registry/core/index.js";

/** A skill folder a command was pointed at, and how to show its paths to the user. */
export interface SkillTarget {
  dir: string;
  /** `dir`, or a path inside it, as the user would write it: relative when they gave a relative target. */
  shown(path: string): string;
}

/**
 * The skills behind one command-line argument (a skill's folder or a folder holding skills),
 * resolved against `cwd`. Bad input is a one-line SkillregError (exit 2).
 */
export async function skillTargets(target: string, cwd: string): Promise<SkillTarget[]> {
  const abs = resolve(cwd, target);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new SkillregError(`${printable(target)}: no such folder`);
  if (!st.isDirectory()) throw new SkillregError(`${printable(target)}: not a folder; give a skill's folder or a folder holding skills`);
  const dirs = await findSkillDirs(abs);
  if (dirs.length === 0) throw new SkillregError(`${printable(target)}: no SKILL.md found in it or below it; a skill is a folder holding SKILL.md`);
  // Folder names in a collection are hostile too: never print their control characters.
  const shown = (p: string) => printable(isAbsolute(target) ? p : relative(cwd, p) || ".");
  return dirs.map((dir) => ({ dir, shown }));
}
