/**
 * Whether a piece of text is something the skill runs, as opposed to a document's example.
 *
 * Analyses that judge what a skill *does* (grants, fleet-wide deletes, tunnels, downloads run)
 * skip Markdown snippets because a reference page or README shows commands it does not run. But
 * a fenced block in the skill's own SKILL.md is not an example: it is the text the agent is told
 * to execute, the same as a script the skill ships. Only a block the prose before it warns
 * against ("Never do this:") stays an example there, and only command blocks (shell,
 * PowerShell) count: a Python or JavaScript block in SKILL.md is as often code the agent is to
 * write or a vulnerable sample a checker should flag as code it is to run.
 */
import type { Segment } from "./types.js";

/** SKILL.md at the root of the skill: the agent's instructions. */
const SKILL_FILE = /^SKILL\.md$/i;

/** True for a skill's script, or a code block of its SKILL.md that nothing warns against. */
export function runsAsSkillCode(segment: Pick<Segment, "fenced" | "warned" | "file" | "kind">): boolean {
  if (!segment.fenced) return true;
  return SKILL_FILE.test(segment.file) && !segment.warned && (segment.kind === "shell" || segment.kind === "powershell");
}
