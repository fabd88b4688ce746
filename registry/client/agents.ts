import { existsSync } from "node:fs";
import { join } from "node:path";
import { SkillregError } from "../core/index.js";

/**
 * Where each agent reads skills: one folder per skill (`<skills folder>/<name>/SKILL.md`),
 * at project level (relative to the project root) and user level (relative to $HOME).
 *
 * | agent    | project            | user                | detected by                          |
 * |----------|--------------------|---------------------|--------------------------------------|
 * | claude   | .claude/skills     | ~/.claude/skills    | .claude/ or CLAUDE.md                |
 * | codex    | .agents/skills     | ~/.agents/skills    | .codex/                              |
 * | cursor   | .cursor/skills     | ~/.cursor/skills    | .cursor/ or .cursorrules             |
 * | gemini   | .gemini/skills     | ~/.gemini/skills    | .gemini/ or GEMINI.md                |
 * | copilot  | .github/skills     | ~/.copilot/skills   | .github/copilot-instructions.md      |
 * | agents   | .agents/skills     | ~/.agents/skills    | .agents/ or AGENTS.md (the default)  |
 *
 * Sources: Claude Code docs (skills in .claude/skills and ~/.claude/skills); Codex docs
 * (repository .agents/skills, user $HOME/.agents/skills; ~/.codex/skills is its older user
 * folder); Cursor, Gemini CLI and GitHub Copilot agent-skills docs; `.agents/skills` is the
 * folder the open Agent Skills ecosystem shares.
 */

export interface AgentFolders {
  id: string;
  title: string;
  project: string;
  user: string;
  /** Paths (relative to the project) whose presence says the project uses this agent. */
  markers: string[];
}

export const AGENTS: readonly AgentFolders[] = [
  { id: "claude", title: "Claude Code", project: ".claude/skills", user: ".claude/skills", markers: [".claude", "CLAUDE.md"] },
  { id: "codex", title: "OpenAI Codex", project: ".agents/skills", user: ".agents/skills", markers: [".codex"] },
  { id: "cursor", title: "Cursor", project: ".cursor/skills", user: ".cursor/skills", markers: [".cursor", ".cursorrules"] },
  { id: "gemini", title: "Gemini CLI", project: ".gemini/skills", user: ".gemini/skills", markers: [".gemini", "GEMINI.md"] },
  { id: "copilot", title: "GitHub Copilot", project: ".github/skills", user: ".copilot/skills", markers: [".github/copilot-instructions.md", ".github/skills"] },
  { id: "agents", title: "Any Agent Skills client", project: ".agents/skills", user: ".agents/skills", markers: [".agents", "AGENTS.md"] },
];

export const DEFAULT_AGENT = "agents";

export function agentById(id: string): AgentFolders {
  const agent = AGENTS.find((a) => a.id === id);
  if (!agent) throw new SkillregError(`unknown agent '${id}'; use one of ${AGENTS.map((a) => a.id).join(", ")}`);
  return agent;
}

/**
 * The agents a project uses, from the files they leave in it; the generic `.agents/skills`
 * when none is found. Pure apart from existence checks under `projectDir`.
 */
function detectAgents(projectDir: string): AgentFolders[] {
  const found = AGENTS.filter((a) => a.markers.some((m) => existsSync(join(projectDir, m))));
  return found.length > 0 ? found : [agentById(DEFAULT_AGENT)];
}

/**
 * The skills folders to install into, as paths relative to the base (the project root, or
 * $HOME with `global`). Agents sharing a folder (codex and the generic one) give it once.
 */
function skillsFolders(agents: readonly AgentFolders[], global: boolean): string[] {
  return [...new Set(agents.map((a) => (global ? a.user : a.project)))].sort();
}

/**
 * The skills folders for an install: `agent` (one id or a comma-separated list, from --agent
 * or the config) if given, else the agents detected under `root` (the project, or $HOME).
 */
export function chooseSkillsFolders(root: string, opts: { agent?: string; global: boolean }): string[] {
  const agents = opts.agent ? opts.agent.split(",").map((a) => agentById(a.trim())) : detectAgents(root);
  return skillsFolders(agents, opts.global);
}
