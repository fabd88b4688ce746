import type { Capability, CapabilityUse, Rule, SkillContext, SkillHit } from "../types.js";

const NETWORK_TOOL = /^(?:WebFetch|WebSearch|Fetch|Bash|Shell|Bash\((?:curl|wget|http|gh|git|npm|pip|npx|uv|\*)[^)]*\))$/i;
const SHELL_TOOL = /^(?:Bash|Shell|PowerShell|Bash\(.*\))$/i;
const WRITE_TOOL = /^(?:Write|Edit|MultiEdit|NotebookEdit|Bash|Shell)(?:\(.*\))?$/i;

const COVERS: Record<Exclude<Capability, "write-outside">, RegExp> = { network: NETWORK_TOOL, shell: SHELL_TOOL, write: WRITE_TOOL };

const WHAT: Record<Capability, string> = {
  network: "uses the network",
  shell: "runs shell commands",
  write: "writes files",
  "write-outside": "writes outside the project",
};

/** The uses of a capability: the engine keeps only the first in each file, so one finding per script. */
function usesOf(skill: SkillContext, capability: Capability): CapabilityUse[] {
  return skill.capabilities.filter((u) => u.capability === capability);
}

/** One finding per script and capability the declaration does not cover. */
function undeclared(skill: SkillContext, capability: Exclude<Capability, "write-outside">): SkillHit[] {
  const allowed = skill.allowedTools;
  if (!allowed || allowed.some((t) => COVERS[capability].test(t))) return [];
  return usesOf(skill, capability).map((use) => ({
    ...use,
    message: `${use.file} ${WHAT[capability]}, but allowed-tools (${allowed.join(" ")}) declares no tool for it.`,
  }));
}

function frontmatterSkill(allowed: string, script: string, body = "## Guardrails\nAsks before writing.\n"): string {
  return `=== SKILL.md\n---\nname: x\ndescription: y\nallowed-tools: ${allowed}\n---\n${body}=== ${script}`;
}

export const guardrailsRules: Rule[] = [
  {
    id: "SR-GUARD-001",
    title: "Undeclared network use",
    category: "guardrails",
    severity: "medium",
    message: "A script uses the network, but allowed-tools declares no network access.",
    fix: "Declare the access (e.g. WebFetch or Bash(curl:*)) and say in ## Guardrails where data goes, or remove the call.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) => undeclared(skill, "network"),
    examples: {
      positive: [frontmatterSkill("Read Bash(python scripts/run.py:*)", "scripts/run.py\nimport requests\nrequests.get('https://api.example.invalid')\n")],
      negative: [frontmatterSkill("Read WebFetch Bash(python scripts/run.py:*)", "scripts/run.py\nimport requests\nrequests.get('https://api.example.invalid')\n")],
    },
  },
  {
    id: "SR-GUARD-002",
    title: "Undeclared shell execution",
    category: "guardrails",
    severity: "medium",
    message: "A script runs shell commands, but allowed-tools declares no shell tool.",
    fix: "Declare the scoped shell tool (e.g. Bash(python scripts/x.py:*)) or remove the subprocess call.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) => undeclared(skill, "shell"),
    examples: {
      positive: [frontmatterSkill("Read Write", "scripts/run.py\nimport subprocess\nsubprocess.run(['git', 'status'])\n")],
      negative: [frontmatterSkill("Read Bash(python scripts/run.py:*)", "scripts/run.py\nimport subprocess\nsubprocess.run(['git', 'status'])\n")],
    },
  },
  {
    id: "SR-GUARD-003",
    title: "Undeclared file writes",
    category: "guardrails",
    severity: "medium",
    message: "A script writes files, but allowed-tools declares no write access.",
    fix: "Declare Write/Edit (or the scoped shell tool that runs the script) and say in ## Guardrails what is written.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) => undeclared(skill, "write"),
    examples: {
      positive: [frontmatterSkill("Read WebFetch", "scripts/run.js\nconst fs = require('fs');\nfs.writeFileSync('out.txt', 'x');\n")],
      negative: [frontmatterSkill("Read Write", "scripts/run.js\nconst fs = require('fs');\nfs.writeFileSync('out.txt', 'x');\n")],
    },
  },
  {
    id: "SR-GUARD-004",
    title: "Writes outside the project",
    category: "guardrails",
    severity: "medium",
    message: "A script writes outside the project (home folder or system paths), which no allowed-tools entry scopes.",
    fix: "Write inside the project or a temp folder; if the home folder is the point, say so in ## Guardrails and ask first.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) => usesOf(skill, "write-outside").map((u) => ({ ...u, message: `${u.file} ${WHAT["write-outside"]}.` })),
    examples: {
      positive: [frontmatterSkill("Read Write", "scripts/run.sh\necho done > ~/status.txt\n")],
      negative: [frontmatterSkill("Read Write", "scripts/run.sh\necho done > ./status.txt\n")],
    },
  },
  {
    id: "SR-GUARD-005",
    title: "No Guardrails section",
    category: "guardrails",
    severity: "low",
    message: "SKILL.md has no '## Guardrails' section saying how the skill constrains the agent.",
    fix: "Add '## Guardrails': what the skill may touch, what it never does, and when it asks the user.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) =>
      skill.files.some((f) => f.path === "SKILL.md") && !/^ {0,3}#{2,3}\s+Guardrails\b/im.test(skill.body) ? [{ file: "SKILL.md", line: 1, column: 1, evidence: "" }] : [],
    examples: {
      positive: ["=== SKILL.md\n---\nname: x\ndescription: y\n---\n# X\nDo things.\n"],
      negative: ["=== SKILL.md\n---\nname: x\ndescription: y\n---\n# X\n## Guardrails\nOnly reads files.\n"],
    },
  },
  {
    id: "SR-GUARD-006",
    title: "Scripts without allowed-tools",
    category: "guardrails",
    severity: "low",
    message: "The skill ships scripts but declares no allowed-tools, so nothing bounds what the agent may run.",
    fix: "Declare allowed-tools, scoped to the scripts the skill runs.",
    fileKinds: ["frontmatter"],
    context: "fact",
    matchSkill: (skill) =>
      skill.allowedTools === undefined && skill.capabilities.length > 0 && skill.files.some((f) => f.path === "SKILL.md")
        ? [{ ...skill.manifest, message: `The skill ships scripts (${[...new Set(skill.capabilities.map((c) => c.file))].slice(0, 3).join(", ")}) but declares no allowed-tools.` }]
        : [],
    examples: {
      positive: ["=== SKILL.md\n---\nname: x\ndescription: y\n---\n## Guardrails\nNone.\n=== scripts/run.sh\ncurl -s https://api.example.invalid\n"],
      negative: ["=== SKILL.md\n---\nname: x\ndescription: y\n---\n## Guardrails\nNone.\n=== notes.md\nJust notes.\n"],
    },
  },
];
