import type { Hit, Rule, Segment } from "../types.js";
import { hitsOf } from "./common.js";

/** One frontmatter key's line; group 1 is its value (single-line or block scalar). */
function fieldOf(segment: Segment, key: string): RegExpExecArray | null {
  return new RegExp(`^${key}\\s*:([^\\n]*(?:\\n[ \\t]+[^\\n]*)*)`, "m").exec(segment.text);
}

/** Hits inside the value of one frontmatter key. */
function inField(segment: Segment, key: string, re: RegExp): Hit[] {
  const field = fieldOf(segment, key);
  if (!field) return [];
  const start = field.index + field[0].length - field[1]!.length;
  return hitsOf(re, field[1]!).map((h) => ({ ...h, index: start + h.index }));
}

export const manifestRules: Rule[] = [
  {
    id: "SR-MANIFEST-001",
    title: "Wildcard allowed-tools",
    category: "manifest",
    severity: "high",
    message: "allowed-tools grants every tool (\"*\"): the skill runs with no restriction and no prompt.",
    fix: "List only the tools the skill needs, scoped (e.g. Bash(git status:*) Read).",
    fileKinds: ["frontmatter"],
    context: "fact",
    keywords: ["allowed-tools"],
    match: (segment) => inField(segment, "allowed-tools", /(?:^|[\s,'"[(-])\*(?=$|[\s,'"\]])|\bBash\(\s*\*\s*(?::\s*\*)?\s*\)|\ball\b/gi),
    examples: {
      positive: ["---\nname: x\ndescription: y\nallowed-tools: \"*\"\n---\nBody", "---\nname: x\ndescription: y\nallowed-tools: Bash(*) Read\n---\nBody"],
      negative: ["---\nname: x\ndescription: y\nallowed-tools: Bash(git status:*) Read\n---\nBody"],
    },
  },
  {
    id: "SR-MANIFEST-002",
    title: "Unscoped shell in allowed-tools",
    category: "manifest",
    severity: "medium",
    message: "allowed-tools grants the shell without a command scope: any command runs without asking.",
    fix: "Scope it to the commands the skill runs, e.g. Bash(python scripts/build.py:*).",
    fileKinds: ["frontmatter"],
    context: "fact",
    keywords: ["allowed-tools"],
    match: (segment) => inField(segment, "allowed-tools", /(?:^|[\s,'"[-])(?:Bash|Shell|PowerShell|Exec|run_shell_command)(?=$|[\s,'"\]])/g),
    examples: {
      positive: ["---\nname: x\ndescription: y\nallowed-tools: Bash Read Write\n---\nBody", "---\nname: x\ndescription: y\nallowed-tools:\n  - Bash\n  - Read\n---\nBody"],
      negative: ["---\nname: x\ndescription: y\nallowed-tools: Bash(npm test:*) Read\n---\nBody"],
    },
  },
  {
    id: "SR-MANIFEST-003",
    title: "Trigger baiting",
    category: "manifest",
    severity: "medium",
    message: "The description tries to make the agent load this skill for everything or ahead of others.",
    fix: "Describe precisely when the skill applies.",
    fileKinds: ["frontmatter"],
    context: "fact",
    keywords: ["description"],
    match: (segment) =>
      inField(
        segment,
        "description",
        /\b(?:use|invoke|trigger|activate|load|run|apply)\s+(?:this\s+skill\s+)?(?:for|on|in|with|before)\s+(?:every|all|any)\s+(?:requests?|tasks?|prompts?|messages?|queries|query|conversations?|questions?|turns?)\b|\balways\s+(?:use|invoke|activate|load|run|apply)\s+(?:this|me)\b|\b(?:before|instead of)\s+(?:any|all|every)\s+other\s+skills?\b|\b(?:highest|top|maximum)\s+priority\b|\bmust\s+(?:always\s+)?be\s+(?:used|loaded|invoked)\b/gi,
      ),
    examples: {
      positive: ["---\nname: x\ndescription: Always use this skill first, for every request.\n---\nBody"],
      negative: ["---\nname: x\ndescription: Use when the user asks to rotate PDF pages.\n---\nBody"],
    },
  },
  {
    id: "SR-MANIFEST-004",
    title: "Keyword-stuffed description",
    category: "manifest",
    severity: "low",
    message: "The description is a long list of trigger words rather than a description.",
    fix: "Write one or two sentences saying what the skill does and when to use it.",
    fileKinds: ["frontmatter"],
    context: "fact",
    keywords: ["description"],
    match: (segment) => {
      const field = fieldOf(segment, "description");
      if (!field) return [];
      const separators = (field[1]!.match(/[,|;]/g) ?? []).length;
      return separators >= 25 ? [{ index: field.index, length: 11 }] : [];
    },
    examples: {
      positive: ["---\nname: x\ndescription: " + Array.from({ length: 30 }, (_, i) => `kw${i}`).join(", ") + "\n---\nBody"],
      negative: ["---\nname: x\ndescription: Converts CSV to JSON, keeping types.\n---\nBody"],
    },
  },
];
