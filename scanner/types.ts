/**
 * The scanner's data model. The scanner imports nothing of the project: its input is plain
 * file bytes, its output plain values, so the gate, the CLI and the site can all call it.
 */

import type { ProseDoc, ProseHit } from "./prose/rules.js";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Decision = "blocked" | "review" | "flagged" | "pass";

export const CATEGORIES = [
  "instruction-override",
  "concealment",
  "hidden-text",
  "remote-instructions",
  "download-execute",
  "decode-execute",
  "reverse-shell",
  "credential-access",
  "env-harvesting",
  "exfiltration",
  "send-instructions",
  "destructive",
  "privilege-escalation",
  "agent-tampering",
  "persistence",
  "crypto-mining",
  "hardcoded-secret",
  "supply-chain",
  "manifest",
  "guardrails",
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * What a piece of text is. A file yields one or more segments: SKILL.md splits into its
 * frontmatter, its prose and its fenced code blocks (typed by the info string).
 */
export const FILE_KINDS = [
  "frontmatter",
  "skill-body",
  "markdown",
  "text",
  "shell",
  "python",
  "javascript",
  "powershell",
  "config",
  "other-code",
  "binary",
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface SkillFile {
  /** POSIX path relative to the skill folder. */
  path: string;
  /** The file's bytes; empty for a symbolic link. */
  bytes: Uint8Array;
  /** A symbolic link's target as written in the link (never followed). */
  symlink?: string;
  /** The file's real size when `bytes` holds only its first part (a reader's cap). */
  size?: number;
}

export interface ScanInput {
  /** Where the skill lives (shown in reports). */
  path: string;
  files: SkillFile[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default column kind). */
  column: number;
  /** A short excerpt of the line, with any secret masked. */
  evidence: string;
  fix: string;
  /** The other ends of a chain (the source of a source-to-sink finding, the download of a run). */
  related?: { file: string; line: number }[];
  /** Why the severity is lower than the rule's (quoted as a warning, reference document). */
  demoted?: string;
  /** Present when an inline `skillreg-ignore` comment covers this finding. */
  suppressed?: { reason: string };
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface SkillScan {
  path: string;
  /** The frontmatter `name`, or the folder name when SKILL.md has none. */
  name: string;
  decision: Decision;
  findings: Finding[];
  skipped: SkippedFile[];
}

export type SeverityOverride = Severity | "off";

/** From skillreg.yaml `policy.rules`. */
export interface ScanPolicy {
  rules?: Record<string, SeverityOverride>;
}

/** One piece of a file, typed, with where it starts in the file. */
export interface Segment {
  file: string;
  kind: FileKind;
  text: string;
  /** Offset of `text` in the file's decoded text (UTF-16 units). */
  offset: number;
  /** A fenced code block inside Markdown. */
  fenced: boolean;
  /** The fenced block follows prose that warns against it ("Never run this:"). */
  warned: boolean;
  /** The instruction block: the Markdown section (by heading) or 0 for a whole file. */
  block: number;
  /** Lower-cased `text`, computed once for keyword prefilters. */
  lower: string;
}

/** A match a rule reports: where in the segment text, and optionally a message of its own. */
export interface Hit {
  index: number;
  length: number;
  message?: string;
}

export type Capability = "network" | "shell" | "write" | "write-outside";

/** A place in a file, resolved while the file's text is at hand. */
export interface Location {
  file: string;
  line: number;
  column: number;
  evidence: string;
}

/** Something a piece of code does (found by scanner/capabilities.ts), with where. */
export interface CapabilityUse extends Location {
  capability: Capability;
  block: number;
  fenced: boolean;
}

/** What whole-skill rules see: the declaration and what the files do. */
export interface SkillContext {
  /** Declared `allowed-tools`, split into entries; undefined when the frontmatter has none. */
  allowedTools?: string[];
  /** Where `allowed-tools` is declared (or SKILL.md line 1). */
  manifest: Location;
  /** The SKILL.md body text. */
  body: string;
  files: { path: string; kind: FileKind; size: number; head: Uint8Array }[];
  /** Capabilities of script files (not Markdown examples). */
  capabilities: CapabilityUse[];
}

/** A whole-skill rule's hit. */
export interface SkillHit extends Location {
  message?: string;
}

/**
 * How a rule reacts to context. `payload` is a signature of malice and is never demoted nor
 * lowered below high by policy. `command` is demoted when quoted as a warning or in a
 * reference document. `instruction` is agent-directed text, demoted only when quoted.
 */
export type RuleContext = "payload" | "command" | "instruction" | "fact";

export interface Rule {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  message: string;
  fix: string;
  fileKinds: readonly FileKind[];
  context: RuleContext;
  /** Composite escalation roles: secret/env sources and network sinks. */
  signal?: "source" | "sink";
  /**
   * Lower-case substrings at least one of which every match contains. The matcher then runs
   * only on the lines around them (see `reach`), which keeps the scanner fast.
   */
  keywords?: readonly string[];
  /** How far (characters, widened to whole lines) a match may extend from its keyword; default 240. */
  reach?: number;
  /**
   * For a rule that reads the whole segment (no `keywords`): lower-case substrings at least one
   * of which the segment's lower-case text holds whenever the rule can report anything. The
   * engine finds them in the same single pass as every rule's keywords and skips the rule on a
   * segment that has none; the rule still reads the whole segment. A rule without `triggers`
   * (or `keywords`) runs on every segment of its kinds.
   */
  triggers?: readonly string[];
  /** A global regex, or a function for checks a regex can't express. */
  pattern?: RegExp;
  match?: (segment: Segment) => Hit[];
  /** Whole-skill checks run once per skill rather than per segment. */
  matchSkill?: (skill: SkillContext) => SkillHit[];
  /** Prose rules judge the instructions as clause facts (scanner/prose/), once per skill. */
  matchProse?: (doc: ProseDoc) => ProseHit[];
  /** The composite escalation rule: a source and a sink in one file or instruction block. */
  composite?: true;
  /** Reported by the engine when other rules' hits in one file complete a chain (persistence with its payload). */
  escalation?: true;
  /** Reported by the code analysis (scanner/analysis/) from parsed facts, not by a pattern. */
  analysis?: true;
  /** Proof in the rule's own entry: each positive must fire, each negative must not. */
  examples: { positive: string[]; negative: string[] };
}
