/**
 * The rule engine: classify every file, run the rules that apply to each piece, escalate
 * source + sink combinations, apply context (demotion), policy and inline suppressions,
 * and decide. Pure: bytes in, findings out.
 */
import { decisionOf } from "./words.js";
import { isMap, isScalar, isSeq, parse as parseYaml, parseDocument, visit, type Scalar } from "yaml";
import { analyzeCode, chainIn, crossFileChains, maySend, worthReparsing, type CodeAnalysis, type CodeHit, type FileFlow } from "./analysis/code.js";
import { theftChains } from "./analysis/theft.js";
import { lookalikeRegistryAuth } from "./analysis/secret-flow.js";
import { crossModuleTheft } from "./analysis/cross-module.js";
import { configDestinationChains } from "./analysis/config-destination.js";
import { privateDataSends } from "./analysis/private-data.js";
import type { DataFlow } from "./analysis/judge.js";
import { expandFiles } from "./analysis/extract.js";
import { detectCapabilities } from "./capabilities.js";
import { isReferenceDoc, isSkillMd, isWarningLine, kindOfPath, lowerCase, segmentFile, splitFrontmatter, windowSegment } from "./classify.js";
import { detach, excerpt } from "./evidence.js";
import { resolvePolicy, type ResolvedPolicy } from "./policy.js";
import { withoutPadding } from "./analysis/padding.js";
import { MAX_PARSE_CHARS, isProhibitionOrDocumentary, quotesAnExample, readProse, type ProseSource } from "./prose/index.js";
import { frontmatterStrings, jsonStringsText, namedDataFiles, yamlStringsText } from "./prose/data-strings.js";
import { tableCellsText } from "./prose/data-cells.js";
import { jsonString, toolCommands } from "./analysis/tool-commands.js";
import { carriedGrants } from "./analysis/carried-grants.js";
import { crossFileDownloadRuns } from "./analysis/cross-download.js";
import { DATA_CODE_NOTE, dataStringCode, reviewUnrunDataCode } from "./analysis/data-code.js";
import { carriedCommands } from "./analysis/carried-commands.js";
import { persistedProgramPayloads } from "./analysis/persisted-program.js";
import { withMountedStores } from "./analysis/mount-alias.js";
import { CODE, PROSE } from "./rules/common.js";
import { warningClause } from "./warning-clause.js";
import { RULES } from "./rules/index.js";
import { applyPurpose } from "./purpose.js";
import { withoutMatchPatterns } from "./match-pattern.js";
import { demoteOwnVendorUse } from "./own-vendor.js";
import { demoteLocalKeyHandling } from "./local-key-handling.js";
import { demoteMembershipLists } from "./membership-list.js";
import { capLabReverseShells } from "./lab-address.js";
import { orderedReferenceDocs } from "./ordered-reference.js";
import { reviewOwnInstallers } from "./own-installer.js";
import { underCommandKey } from "./yaml-command-key.js";
import { demoteDetectorSamples } from "./hidden-sample.js";
import { demoteLocalPersistence } from "./local-persistence.js";
import { demoteTeachingMaterial } from "./teaching.js";
import { reviewQuotedLesson } from "./quoted-lesson.js";
import { demoteSudoersDefaults } from "./sudoers-defaults.js";
import { demoteOwnKeyMount } from "./own-key-mount.js";
import { demoteAgentDenyList } from "./agent-deny-list.js";
import { demoteLocalCredentialUse } from "./local-use.js";
import { reviewQuotedAttackData } from "./quoted-data.js";
import { reviewScriptInput } from "./script-input.js";
import { reviewScriptArguments } from "./script-argument.js";
import { demotePlaceholderOperands } from "./placeholder-operand.js";
import { demoteProjectAgentFile } from "./project-agent-file.js";
import { isInstallerLookAlike, isOfficialInstaller, isPurposeHost, keychainVendor } from "./allowlist.js";
import { hostOf, urlsIn } from "./urls.js";
import { escapeRegExp } from "./escape-regexp.js";
import {
  SEVERITIES,
  type CapabilityUse,
  type FileKind,
  type Finding,
  type Location,
  type Rule,
  type ScanInput,
  type ScanPolicy,
  type Segment,
  type Severity,
  type SkillContext,
  type SkillScan,
  type SkippedFile,
} from "./types.js";

/** Files above this are scanned in windows so memory stays bounded whatever their size. */
export const WINDOW_THRESHOLD = 2 * 1024 * 1024;
const WINDOW_BYTES = 1024 * 1024;
/** Characters re-scanned at each window boundary; longer than any rule's longest match. */
const WINDOW_OVERLAP = 4096;
/** More hits of one rule in one file add nothing a reader can use. */
const MAX_HITS_PER_RULE_FILE = 20;

/** Steps down the scale (two by default), never below low. */
function demote(severity: Severity, steps = 2): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + steps)]!;
}

/** Text with a line index, built only when a hit needs a line number. */
class TextUnit {
  private starts?: number[];
  constructor(
    readonly file: string,
    readonly text: string,
    /** Offset of `text` within the file. */
    readonly base: number,
    /** Newlines in the file before `text`. */
    readonly baseLine: number,
  ) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const s = [0];
      for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) s.push(i + 1);
      this.starts = s;
    }
    return this.starts;
  }

  /** Line index (0-based within the unit) of a unit-relative offset. */
  private lineIndex(pos: number): number {
    const s = this.lineStarts();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineText(i: number): string {
    const s = this.lineStarts();
    if (i < 0 || i >= s.length) return "";
    const end = i + 1 < s.length ? s[i + 1]! - 1 : this.text.length;
    return this.text.slice(s[i]!, end).replace(/\r$/, "");
  }

  /** Location of a file offset, with the line's text and the column within it. */
  locate(fileOffset: number, length = 0): Location & { lineIndex: number; lineText: string; col0: number } {
    const pos = fileOffset - this.base;
    const li = this.lineIndex(pos);
    const lineStart = this.lineStarts()[li]!;
    const lineText = this.lineText(li);
    const col0 = pos - lineStart;
    return {
      file: this.file,
      line: this.baseLine + li + 1,
      column: col0 + 1,
      evidence: excerpt(lineText, col0, col0 + Math.max(1, length)),
      lineIndex: li,
      lineText,
      col0,
    };
  }
}

interface RawHit {
  rule: Rule;
  segment: Segment;
  /** File offset. */
  offset: number;
  length: number;
  message?: string;
  /** The other ends of a chain. */
  related?: { file: string; line: number }[];
}

const SUPPRESS = /skillreg-ignore:\s*((?:SR-[A-Z]+-\d{3}\s*,?\s*)+)(.*)$/;

/** `skillreg-ignore: SR-X-001 reason` on the line before the finding. */
function suppressionFor(unit: TextUnit, lineIndex: number, ruleId: string): { reason: string } | undefined {
  const m = SUPPRESS.exec(unit.lineText(lineIndex - 1));
  if (!m) return undefined;
  const ids = m[1]!.split(/[\s,]+/).filter(Boolean);
  const reason = m[2]!.replace(/-->|\*\/|#\}/g, "").trim();
  return ids.includes(ruleId) && reason !== "" ? { reason } : undefined;
}

/** Inside quotes or backticks on its line: text about the phrase, not the phrase addressed to the agent. */
function isQuoted(line: string, col0: number): boolean {
  const before = line.slice(0, col0);
  const count = (ch: string) => before.split(ch).length - 1;
  return count("`") % 2 === 1 || count('"') % 2 === 1 || before.lastIndexOf("“") > before.lastIndexOf("”") || /['‘]\s*$/.test(before);
}

/**
 * Why a hit is demoted and by how much, or undefined. Payloads and facts never are. Only
 * context the text gives on its own terms lowers a finding two steps: a line that forbids or
 * describes the command, a code block introduced as a bad example. Signs an attacker can add
 * for free do not: a warning emoji or "Don't skip this step:" beside the command, "do not tell
 * the user" on its line, or quotes around an instruction the same line tells the agent to carry
 * out. A references/ folder lowers one step at most, never a critical below high.
 */
function demotionOf(rule: Rule, segment: Segment, lineText: string, col0: number, fenceInfo = "", sentence = lineText, fileText = segment.text, orderedDocs: ReadonlySet<string> = new Set()): { reason: string; steps: number } | undefined {
  if (isYaraString(segment.file, lineText)) return { reason: "a YARA rule's signature string (text a scanner looks for; nothing runs it)", steps: 2 };
  if (isDetectionRuleLine(fenceInfo, lineText)) return { reason: `a ${fenceInfo} rule's signature in a code block (text a scanner looks for; nothing runs it)`, steps: 2 };
  if (isSigmaRuleText(segment.file, fileText, lineText)) return { reason: "a Sigma rule's description or signature (text a SIEM looks for; nothing runs it)", steps: 2 };
  if (rule.context === "command") {
    const prose = PROSE.includes(segment.kind);
    // Only the clause the hit sits in: a turn ("; instead run …") ends what an earlier prohibition covers.
    const clause = warningClause(lineText, col0);
    if (prose && (isWarningLine(clause) || (clause === warningClause(lineText, 0) && isWarningLine(sentence)))) return { reason: "quoted in a warning", steps: 2 };
    if (segment.fenced && segment.warned) return { reason: "an example the text warns against", steps: 2 };
    // Read on demand, often quoting tools' docs: one step down, so a critical still needs review.
    if (isReferenceDoc(segment.file) && (prose || segment.fenced) && !orderedDocs.has(segment.file)) return { reason: "in a reference document", steps: 1 };
  }
  if (rule.context === "instruction" && isQuoted(lineText, col0) && quotesAnExample(lineText)) return { reason: "quoted, not addressed to the agent", steps: 2 };
  return undefined;
}

/**
 * The sentence of prose a hit sits in, when it began on the line before: "Attackers publish
 * READMEs that say\n`curl … | sh`. Explain …" is one sentence that describes the command. Only
 * the unfinished sentence of the line before counts (same paragraph, not a new list item or
 * heading), and only up to the end of the hit's own sentence: a warning one sentence earlier
 * does not cover the next command.
 */
function sentenceAround(unit: TextUnit, lineIndex: number, lineText: string, col0: number): string {
  const end = /[.!?](?:\s|$)/.exec(lineText.slice(col0));
  const own = end ? lineText.slice(0, col0 + end.index + 1) : lineText;
  const before = unit.lineText(lineIndex - 1);
  if (/^\s*$|^\s{0,3}#|[.!?:]\s*$/.test(before) || /^\s*(?:[-*+]|\d+[.)])\s/.test(lineText) || /[.!?]\s/.test(lineText.slice(0, col0))) return own;
  const start = before.search(/[^.!?]*$/);
  return `${before.slice(start).replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")} ${own}`;
}

/**
 * A line of a YARA rule file that only defines a string to look for: `$a = "…" ascii wide`,
 * a regular expression or hex bytes. No interpreter runs it: to a shell it is a command named
 * by an unset variable, so a payload written inside it does nothing.
 */
const YARA_STRING_LINE = /^\s*\$\w*\s*=\s*(?:"(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)+\/[is]*|\{[\s\dA-Fa-f?[\]()|~-]*\})(?:\s+(?:ascii|wide|nocase|fullword|private|xor(?:\(\s*\d+\s*(?:-\s*\d+\s*)?\))?|base64(?:wide)?(?:\(\s*"(?:[^"\\]|\\.)*"\s*\))?))*\s*(?:\/\/.*)?$/;

/** A YARA `meta:` entry (`description = "…"`, `score = 70`): text about the rule; no `$(`…`)` a shell would expand. */
const YARA_META_LINE = /^\s*[A-Za-z_]\w*\s*=\s*(?:"(?:[^"\\$`]|\\.)*"|-?\d+|true|false)\s*(?:\/\/.*)?$/;

function isYaraString(file: string, lineText: string): boolean {
  return /\.yara?$/i.test(file) && (YARA_STRING_LINE.test(lineText) || YARA_META_LINE.test(lineText));
}

/** A Snort/Suricata rule: an action, a protocol and options naming what to match. */
const SNORT_RULE_LINE = /^\s*(?:alert|drop|reject|pass|log)\s+(?:tcp|udp|icmp|ip|http|dns|tls)\s[^\n]*\((?:[^()\n]*;)?\s*(?:msg|content|pcre)\s*:[^\n]*\)\s*$/;
/** A Sigma detection value: a YAML list item or a `field|modifier:` line holding a quoted string. */
const SIGMA_VALUE_LINE = /^\s*(?:-\s+(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")|[\w.]+(?:\|\w+)*:\s*(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"))\s*$/;

/**
 * A line of a Markdown code block written in a detection-rule language (```yara, ```sigma,
 * ```snort) that only defines what to look for. Only lines with the rule language's own syntax
 * qualify: a shell command smuggled into such a block keeps its severity.
 */
function isDetectionRuleLine(fenceInfo: string, lineText: string): boolean {
  if (/^(?:yara|yar)$/.test(fenceInfo)) return YARA_STRING_LINE.test(lineText);
  if (fenceInfo === "sigma") return SIGMA_VALUE_LINE.test(lineText);
  if (/^(?:snort|suricata)$/.test(fenceInfo)) return SNORT_RULE_LINE.test(lineText);
  return false;
}

/** The keys every Sigma rule has at its top level. */
const SIGMA_KEYS = [/^title:/m, /^logsource:/m, /^detection:/m];

/**
 * A line of a Sigma rule file (`.yml` with top-level title, logsource and detection) that is its
 * description or a value it matches: a SIEM compares logs against them, nothing runs them. Any
 * other key of the file (a `run:` an attacker adds) keeps its severity.
 */
function isSigmaRuleText(file: string, text: string, lineText: string): boolean {
  // The whole file: a rule's segment is only the lines around its keywords.
  if (!/\.ya?ml$/i.test(file) || !SIGMA_KEYS.every((k) => k.test(text)) || underCommandKey(text, lineText)) return false;
  return /^description:\s/.test(lineText) || SIGMA_VALUE_LINE.test(lineText) || inSigmaDescriptionBlock(text, lineText);
}

/**
 * A line of the top-level `description: |` (or `>`) block of a Sigma rule: prose about what it
 * detects. Only a line found nowhere else in the file counts, so a copy of it under another key
 * keeps its severity.
 */
function inSigmaDescriptionBlock(text: string, lineText: string): boolean {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^description:\s*[|>][-+]?\s*$/.test(l));
  if (start < 0) return false;
  let end = start + 1;
  while (end < lines.length && (/^\s+\S/.test(lines[end]!) || lines[end]!.trim() === "")) end++;
  const inside = lines.slice(start + 1, end).filter((l) => l === lineText).length;
  return inside > 0 && inside === lines.filter((l) => l === lineText).length;
}

/** Attack words a detector compares text against (`$t -match 'IEX'`): data, like a YARA string. */
function matchPatternDemotion(hit: RawHit, loc: { lineText: string; col0: number }): { reason: string; steps: number } | undefined {
  if (!CODE.includes(hit.segment.kind) && !hit.segment.fenced) return undefined;
  const masked = withoutMatchPatterns(loc.lineText, loc.col0);
  if (masked === undefined) return undefined;
  const rule = hit.rule;
  const still = rule.pattern
    ? new RegExp(rule.pattern.source, rule.pattern.flags.replace("g", "")).test(masked)
    : rule.match
      ? rule.match({ ...hit.segment, text: masked, lower: lowerCase(masked), offset: 0 }).length > 0
      : true;
  return still ? undefined : { reason: "a pattern the code matches text against (a detector's signature; nothing runs it)", steps: 2 };
}

/** The info string (first word, lower case) of the fence that opens a fenced segment. */
function fenceInfoOf(unit: TextUnit, segment: Segment): string {
  if (!segment.fenced) return "";
  const start = segment.offset - unit.base;
  const before = unit.text.slice(Math.max(0, start - 200), Math.max(0, start - 1));
  return /(?:^|\n)[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*\{?\.?([^\s`{}]*)[^\n]*$/.exec(before)?.[1]?.toLowerCase() ?? "";
}

const DEFAULT_REACH = 240;

/**
 * One pass over a segment finds every rule keyword and every rule trigger: a keyword rule then
 * runs only near its own keywords, a trigger rule only on a segment holding one of its triggers.
 */
interface KeywordIndex {
  re: RegExp;
  /** For a matched word: every rule with a keyword contained in it. */
  rulesOf: Map<string, Rule[]>;
  /** For a matched word: every rule with a trigger contained in it. */
  triggeredBy: Map<string, Rule[]>;
}

let keywordIndex: KeywordIndex | undefined;

function buildKeywordIndex(rules: readonly Rule[]): KeywordIndex {
  const words = [...new Set(rules.flatMap((r) => [...(r.keywords ?? []), ...(r.triggers ?? [])]))].sort((a, b) => b.length - a.length);
  const rulesOf = new Map<string, Rule[]>();
  const triggeredBy = new Map<string, Rule[]>();
  for (const w of words) {
    rulesOf.set(w, rules.filter((r) => r.keywords?.some((rk) => w.includes(rk))));
    triggeredBy.set(w, rules.filter((r) => r.triggers?.some((rt) => w.includes(rt))));
  }
  const re = new RegExp(words.map(escapeRegExp).join("|"), "g");
  return { re, rulesOf, triggeredBy };
}

/**
 * Positions of each rule's keywords in a segment (overlapping matches included), and the rules
 * one of whose triggers it holds. Words are tried longest first at every position, so a word
 * hidden inside a longer one found there is counted through the longer one's lists.
 */
function keywordPositions(segment: Segment): { positions: Map<Rule, number[]>; triggered: Set<Rule> } {
  keywordIndex ??= buildKeywordIndex(RULES);
  const { re, rulesOf, triggeredBy } = keywordIndex;
  const positions = new Map<Rule, number[]>();
  const triggered = new Set<Rule>();
  re.lastIndex = 0;
  for (let m = re.exec(segment.lower); m; m = re.exec(segment.lower)) {
    for (const rule of rulesOf.get(m[0])!) {
      const list = positions.get(rule);
      if (list) {
        if (list[list.length - 1] !== m.index) list.push(m.index);
      } else positions.set(rule, [m.index]);
    }
    for (const rule of triggeredBy.get(m[0])!) triggered.add(rule);
    re.lastIndex = m.index + 1;
  }
  return { positions, triggered };
}

/**
 * Whole-line regions around keyword positions, merged. Linear in the text: a position inside
 * the current region never searches again, so a hostile megabyte-long line stays cheap.
 */
function regionsAround(text: string, positions: number[], reach: number): [number, number][] {
  const regions: [number, number][] = [];
  for (const p of positions) {
    const last = regions[regions.length - 1];
    if (last && p + reach <= last[1]) continue;
    const endNl = text.indexOf("\n", Math.min(text.length, Math.max(p + reach, last?.[1] ?? 0)));
    const end = endNl < 0 ? text.length : endNl;
    if (last && p - reach <= last[1]) {
      last[1] = end;
      continue;
    }
    // Searching back stops at the previous region's newline at the latest.
    const start = p - reach <= 0 ? 0 : text.lastIndexOf("\n", p - reach) + 1;
    regions.push([start, end]);
  }
  return regions;
}

/** The part of a segment a rule looks at: a whole segment, or one region of it. */
function view(segment: Segment, start: number, end: number): Segment {
  if (start === 0 && end >= segment.text.length) return segment;
  return { ...segment, text: segment.text.slice(start, end), offset: segment.offset + start, lower: segment.lower.slice(start, end) };
}

function runRule(rule: Rule, part: Segment, out: RawHit[], budget: number): number {
  let n = 0;
  if (rule.pattern) {
    const re = rule.pattern;
    re.lastIndex = 0;
    for (let m = re.exec(part.text); m && n < budget; m = re.global ? re.exec(part.text) : null) {
      if (m[0].length === 0) re.lastIndex++;
      out.push({ rule, segment: part, offset: part.offset + m.index, length: m[0].length });
      n++;
    }
  }
  if (rule.match) {
    for (const h of rule.match(part)) {
      if (n >= budget) break;
      out.push({ rule, segment: part, offset: part.offset + h.index, length: h.length, message: h.message });
      n++;
    }
  }
  return n;
}

/** Each rule list's rules by the file kind they apply to, in list order: most rules skip most kinds. */
const rulesByKind = new WeakMap<readonly Rule[], Map<FileKind, Rule[]>>();

function rulesFor(rules: readonly Rule[], kind: FileKind): Rule[] {
  let byKind = rulesByKind.get(rules);
  if (!byKind) rulesByKind.set(rules, (byKind = new Map()));
  let list = byKind.get(kind);
  if (!list) byKind.set(kind, (list = rules.filter((r) => r.fileKinds.includes(kind))));
  return list;
}

function runSegmentRules(segment: Segment, rules: readonly Rule[], out: RawHit[], counts: Map<Rule, number>): void {
  const { positions, triggered } = keywordPositions(segment);
  for (const rule of rulesFor(rules, segment.kind)) {
    const used = counts.get(rule) ?? 0;
    if (used >= MAX_HITS_PER_RULE_FILE) continue;
    let n = used;
    // Frontmatter is small and its rules read whole fields: always scan it whole.
    if (!rule.keywords || segment.kind === "frontmatter") {
      if (rule.keywords && !positions.has(rule)) continue;
      if (!rule.keywords && rule.triggers && !triggered.has(rule)) continue;
      n += runRule(rule, segment, out, MAX_HITS_PER_RULE_FILE - n);
    } else {
      const at = positions.get(rule);
      if (!at) continue;
      for (const [start, end] of regionsAround(segment.text, at, rule.reach ?? DEFAULT_REACH)) {
        n += runRule(rule, view(segment, start, end), out, MAX_HITS_PER_RULE_FILE - n);
        if (n >= MAX_HITS_PER_RULE_FILE) break;
      }
    }
    counts.set(rule, n);
  }
}

/** Dockerfiles and dev-container definitions: their commands run while an image is built. */
/** A line that starts by telling the agent to act (after list markers and emphasis): "Read ...", "1. Collect ...". */
const IMPERATIVE_LINE =
  /^\s*(?:[-*+>|]\s*|\d{1,2}[.)]\s*|#+\s*)*(?:\*\*|__)?(?:(?:first|then|next|now|also|finally|always|step \d+:?)[,:]?\s+)?(?:read|cat|collect|copy|gather|get|grab|load|open|upload|send|find|locate|extract|include|attach|take|save|store|zip|tar|archive|bundle|print|output|dump|export|post|encode|check|look|scan|search|list|fetch|append|add|put|paste|run|execute|use|source|base64)\b/i;

/** A list item's or report tree's marker at the start of a line (what a shell would take for the command). */
const FENCED_LIST_ITEM = /^\s*(?:[-*+•◦▪‣·]|[└├│─]+|\d{1,2}[.)])\s+(?:Line\s+\d+:\s*)?/;

function isContainerBuild(file: string): boolean {
  return /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$|(?:^|\/)\.devcontainer\//i.test(file);
}

/**
 * A chain found in a command quoted inline in a reference document, on a line that describes it
 * rather than asking for it ("`curl …$(env)…` -- exfiltrates the environment"): reviewed, not
 * blocked, as a command rule's hit there is. SKILL.md and scripts keep their severity.
 */
function documentedSpanDemotion(hit: RawHit, lineText: string): { reason: string; steps: number } | undefined {
  const span = hit.segment.kind === "shell" && !hit.segment.fenced && /\.(?:md|mdx|markdown)$/i.test(hit.segment.file);
  return span && hit.rule.context === "fact" && isReferenceDoc(hit.segment.file) && isProhibitionOrDocumentary(lineText) ? { reason: "quoted in a reference document that describes it", steps: 1 } : undefined;
}

/** A critical command in a container build is reviewed, not blocked: it runs inside the image being built. */
function containerDemotion(hit: RawHit, severity: Severity): { reason: string; steps: number } | undefined {
  // Code fetched over plain HTTP and run is a dropper inside an image too: anyone on the path
  // chooses what runs (the build's steps are judged together, so the address is looked for in all of
  // them, after a fetching command: an apt source line's http:// fetches packages apt verifies).
  if (hit.rule.category === "download-execute" && /\b(?:curl|wget|ADD|iwr|Invoke-WebRequest)\b[^\n]{0,200}?\bhttp:\/\/(?!(?:localhost|127\.\d+\.\d+\.\d+|host\.docker\.internal)\b|\[::1\])[\w-]+(?:\.[\w-]+)+/.test(hit.segment.text)) return undefined;
  // So is code from a host that borrows an official installer's name (`ollama.com.install-cdn.example`).
  if (hit.rule.category === "download-execute" && urlsIn(hit.segment.text).some((u) => isInstallerLookAlike(hostOf(u) ?? ""))) return undefined;
  return severity === "critical" && (hit.rule.context === "command" || hit.rule.category === "download-execute") && isContainerBuild(hit.segment.file) ? { reason: "in a container build (runs while an image is built)", steps: 1 } : undefined;
}

interface Collector {
  policy: ResolvedPolicy;
  findings: Finding[];
  capabilities: CapabilityUse[];
  segmentRules: readonly Rule[];
  composite?: Rule;
  /** Each code file's data flow, joined across files once all are read. */
  flows: FileFlow[];
  /** Code not parsed for lack of local ingredients that could still send what another file staged. */
  deferred: { unit: TextUnit; segment: Segment }[];
  analysisErrors: SkippedFile[];
  /** references/ documents SKILL.md orders the agent to carry out: no reference-folder demotion there. */
  orderedDocs: ReadonlySet<string>;
}

/** Code pieces larger than this get the pattern rules only: a grammar parse of megabytes is not bounded enough. */
const MAX_ANALYZED = 512 * 1024;
/** Where analysed text stands in the file when it is not there verbatim, and what it is (decoded text unless `note` says). */
interface CodeSite {
  offset: number;
  length: number;
  text: string;
  note?: string;
}

/** How many times decoded text is decoded again. */
const MAX_DECODE_DEPTH = 3;

const ruleById = new Map(RULES.map((r) => [r.id, r]));

/**
 * Analyses of code this process has met before, keyed by everything `analyzeCode` reads:
 * the same script shipped by several skills of a collection (a shared helper, a vendored
 * library), or by several versions of one skill, is parsed and judged once. Its results are
 * segment-relative and only read by the caller. An analysis keeps pieces of its text alive, so
 * the memo holds at most MEMO_CHARS of analysed text, the least recently used going first.
 */
const analysisMemo = new Map<string, { analysis: CodeAnalysis; chars: number }>();
let memoChars = 0;
const MEMO_CHARS = 4 * 1024 * 1024;

function analyzeCodeOnce(segment: Segment, force: boolean): CodeAnalysis {
  // The file's name matters only to the light analysis (Makefile recipes). The key is the text
  // itself, not a digest of it: a string key is hashed and compared natively, while a sha256
  // of every analysed piece cost more than the look-up saved on a corpus of unique scripts.
  const key = `${segment.kind}\0${segment.fenced ? 1 : 0}${force ? 1 : 0}\0${segment.kind === "other-code" ? segment.file : ""}\0${segment.text}`;
  const known = analysisMemo.get(key);
  if (known) {
    analysisMemo.delete(key);
    analysisMemo.set(key, known);
    return known.analysis;
  }
  const analysis = analyzeCode(segment, force);
  const chars = segment.text.length;
  if (chars > MEMO_CHARS) return analysis;
  for (const [oldest, entry] of analysisMemo) {
    if (memoChars + chars <= MEMO_CHARS) break;
    analysisMemo.delete(oldest);
    memoChars -= entry.chars;
  }
  analysisMemo.set(key, { analysis, chars });
  memoChars += chars;
  return analysis;
}

/** The rules that read a segment's text: one list for every scan, so its by-kind split is made once. */
const SEGMENT_RULES = RULES.filter((r) => r.pattern || r.match);

/**
 * Parse a code segment, add the analysis hits, and scan every string that folding decoded as
 * text again (bounded depth). A hit inside decoded text is reported where the encoded text is.
 */
function analyzeInto(c: Collector, unit: TextUnit, segment: Segment, out: RawHit[], depth: number, site?: CodeSite, force = false): DataFlow | undefined {
  if (segment.text.length > MAX_ANALYZED) {
    // Padded past the limit with comments: the code lines still run, so they are analysed (reported at the file's start).
    const code = depth === 0 ? withoutPadding(segment.text) : segment.text;
    if (code.length > MAX_ANALYZED) return undefined;
    const compact: Segment = { ...segment, text: code, lower: lowerCase(code), offset: 0 };
    return analyzeInto(c, unit, compact, out, depth + 1, site ?? { offset: segment.offset, length: 1, text: code, note: "In the code once its comment padding is set aside:" }, force);
  }
  let analysis: ReturnType<typeof analyzeCode>;
  try {
    const once = analyzeCodeOnce(segment, force);
    // The memo's analysis is shared by every file with this text; the theft readers look at the
    // file's name too, so their hits go on a copy.
    const theft = theftChains(segment, once.hits);
    analysis = theft.length > 0 ? { ...once, hits: [...once.hits, ...theft] } : once;
    if (!analysis.flow && !site && !segment.fenced && maySend(segment)) c.deferred.push({ unit, segment });
  } catch (e) {
    // A bug in the analysis must not hide the file: the pattern rules have run; say what did not.
    c.analysisErrors.push({ file: segment.file, reason: `code analysis failed (${(e as Error).message.slice(0, 120)}): pattern rules only` });
    return undefined;
  }
  pushCodeHits(unit, segment, analysis.hits, out, site);
  // Flows are kept in file offsets; what decoded text does is placed where the encoded text is.
  const flow: DataFlow | undefined = analysis.flow && (site ? relocate(analysis.flow, site.offset, site.length, true) : relocate(analysis.flow, segment.offset, 0));
  if (!site && flow) c.flows.push({ file: segment.file, flow, lineOf: (p) => unit.locate(p.offset).line });
  if (depth >= MAX_DECODE_DEPTH) {
    // Still more to decode at the limit: say so rather than pass what lies beneath.
    const deeper = analysis.derived[0];
    if (deeper && site) out.push({ rule: ruleById.get("SR-MANIFEST-005")!, segment, offset: site.offset, length: site.length, message: `Encoded text nested deeper than the ${MAX_DECODE_DEPTH} levels the scanner decodes.` });
    return flow;
  }
  const inner: DataFlow[] = [];
  for (const e of analysis.embedded) {
    // Verbatim in the file: scanned in place, as the language that runs it.
    const code: Segment = { ...segment, kind: e.kind, text: e.text, lower: lowerCase(e.text), offset: segment.offset + e.offset };
    const hits: RawHit[] = [];
    runSegmentRules(code, c.segmentRules, hits, new Map());
    for (const h of hits) out.push(site ? { ...h, segment, offset: site.offset, length: site.length } : h);
    const f = analyzeInto(c, unit, code, out, depth + 1, site, true);
    if (f) inner.push(f);
  }
  for (const d of analysis.derived) {
    const found: RawHit[] = [];
    const virtual: Segment = { ...segment, kind: d.kind, text: d.text, lower: lowerCase(d.text), offset: 0 };
    const innerSite = site ?? { offset: segment.offset + d.offset, length: d.length, text: d.text, note: d.note };
    if (!d.verbatim) runSegmentRules(virtual, c.segmentRules, found, new Map());
    // A rule the line already fires on as written says the same thing read through its decoding or
    // expansion: the finding keeps the words the reader sees in the file.
    const shownAsWritten = (h: RawHit) => out.some((o) => o.rule === h.rule && o.segment.file === segment.file && o.offset >= innerSite.offset && o.offset < innerSite.offset + innerSite.length);
    for (const h of found) if (!shownAsWritten(h)) out.push({ ...h, segment, offset: innerSite.offset, length: innerSite.length, message: `${d.note ?? site?.note ?? decodedNote(d.text)} ${h.message ?? h.rule.message}` });
    const f = worthReparsing(virtual.lower) ? analyzeInto(c, unit, virtual, out, depth + 1, innerSite, true) : undefined;
    if (f) inner.push(f);
  }
  if (!flow || inner.length === 0 || analysis.hits.some((h) => h.ruleId === "SR-EXFIL-009")) return flow;
  const combined: DataFlow = { ...flow, sources: [...flow.sources, ...inner.flatMap((f) => f.sources)], sinks: [...flow.sinks, ...inner.flatMap((f) => f.sinks)] };
  const chain = chainIn(combined);
  if (chain) out.push({ rule: ruleById.get(chain.ruleId)!, segment, offset: chain.offset, length: chain.length, message: chain.message, related: [{ file: segment.file, line: unit.locate(chain.related!.offset).line }] });
  return combined;
}

/** Analysis hits (segment-relative) as raw hits in the file; inside a site (decoded or embedded code), placed on it. */
function pushCodeHits(unit: TextUnit, segment: Segment, hits: readonly CodeHit[], out: RawHit[], site?: CodeSite): void {
  const where = (offset: number, length: number) => (site ? { offset: site.offset, length: site.length } : { offset: segment.offset + offset, length });
  for (const h of hits) {
    const rule = ruleById.get(h.ruleId)!;
    const related = h.related ? [{ file: segment.file, line: unit.locate(where(h.related.offset, h.related.length).offset).line }] : undefined;
    out.push({ rule, segment, ...where(h.offset, h.length), message: site ? `${site.note ?? decodedNote(site.text)} ${h.message}` : h.message, related });
  }
}

/** A flow's places moved by `offset` (or all put at one place when `collapse`: decoded text has no places of its own in the file). */
function relocate(flow: DataFlow, offset: number, length: number, collapse = false): DataFlow {
  // A whole file's code is already in file offsets: no copy of its places (its flow is only read).
  if (offset === 0 && !collapse) return flow;
  const move = <T extends { offset: number; length: number }>(p: T): T => (collapse ? { ...p, offset, length } : { ...p, offset: p.offset + offset });
  return { ...flow, sources: flow.sources.map(move), sinks: flow.sinks.map(move), writes: flow.writes.map(move) };
}

/** npm lifecycle scripts that run on their own when the package is installed or packed. */
const NPM_HOOK = /"((?:pre|post)?install|(?:pre|post)?prepare|prepublish)"\s*:\s*"((?:[^"\\\n]|\\.){1,4000})"/g;

/**
 * The install hooks of a package.json, as the shell commands npm runs (JSON escapes undone):
 * analysed like code, with findings placed on the hook's line.
 */
function installHooks(segment: Segment): { code: Segment; site: { offset: number; length: number; text: string } }[] {
  if (!/(?:^|\/)package\.json$/.test(segment.file) || !segment.text.includes("install") && !segment.text.includes("prepare") && !segment.text.includes("prepublish")) return [];
  const out: { code: Segment; site: { offset: number; length: number; text: string } }[] = [];
  NPM_HOOK.lastIndex = 0;
  for (let m = NPM_HOOK.exec(segment.text); m; m = NPM_HOOK.exec(segment.text)) {
    let command: string;
    try {
      command = JSON.parse(`"${m[2]!}"`) as string;
    } catch {
      continue;
    }
    const code: Segment = { ...segment, kind: "shell", text: command, lower: command.toLowerCase(), offset: 0 };
    out.push({ code, site: { offset: segment.offset + m.index, length: m[0].length, text: command } });
  }
  return out;
}


const JSON_STRING = /"(?:[^"\\\n]|\\.){0,4000}"/g;

/** A JSON command value: a string is a shell line, an array an argument vector (joined with spaces). */
function jsonCommand(value: string): string | undefined {
  if (value.startsWith('"')) return jsonString(value);
  const parts = (value.match(JSON_STRING) ?? []).map(jsonString);
  return parts.length && parts.every((p) => p !== undefined) ? parts.join(" ") : undefined;
}

/**
 * Dev-container lifecycle commands (devcontainer.json): run by the editor when the container
 * is created, started or attached, `initializeCommand` on the host itself. A value is a shell
 * line, an argument vector, or an object of named lines or vectors.
 */
const DEVCONTAINER_COMMAND = /"(initializeCommand|onCreateCommand|updateContentCommand|postCreateCommand|postStartCommand|postAttachCommand)"\s*:\s*("(?:[^"\\\n]|\\.){1,4000}"|\[[^\]]{1,4000}\]|\{[^}]{1,8000}\})/g;
const NAMED_COMMAND = /"(?:[^"\\\n]|\\.){0,200}"\s*:\s*("(?:[^"\\\n]|\\.){1,4000}"|\[[^\]]{1,4000}\])/g;

function devcontainerCommands(segment: Segment): EmbeddedCommand[] {
  if (!/(?:^|\/)\.?devcontainer\.json$/.test(segment.file)) return [];
  const out: EmbeddedCommand[] = [];
  DEVCONTAINER_COMMAND.lastIndex = 0;
  for (let m = DEVCONTAINER_COMMAND.exec(segment.text); m; m = DEVCONTAINER_COMMAND.exec(segment.text)) {
    const value = m[2]!;
    const values = value.startsWith("{") ? [...value.matchAll(NAMED_COMMAND)].map((n) => n[1]!) : [value];
    for (const v of values) {
      const command = jsonCommand(v);
      // A host secret store bound into the container is read under its mount path (analysis/mount-alias.ts).
      if (command) out.push(embedded(segment, withMountedStores(segment.text, command), m.index, m[0].length));
    }
  }
  return out;
}

/** An editor's task file (VS Code `tasks.json`): each task's `command` is a shell line the editor runs (on folder open, when so set). */
const TASK_COMMAND = /"command"\s*:\s*("(?:[^"\\\n]|\\.){1,4000}"|\[[^\]]{1,4000}\])/g;

function editorTaskCommands(segment: Segment): EmbeddedCommand[] {
  if (!/(?:^|\/)tasks\.json$/.test(segment.file)) return [];
  const out: EmbeddedCommand[] = [];
  for (const m of segment.text.matchAll(TASK_COMMAND)) {
    const command = jsonCommand(m[1]!);
    if (command) out.push(embedded(segment, command, m.index, m[0].length));
  }
  return out;
}

/**
 * A CI expression that hands the job every secret (`toJSON(secrets)`, the whole `secrets`
 * context): to the step's shell that is the whole environment, so it is read as one.
 */
const ALL_SECRETS = /\$\{\{\s*(?:toJSON\(\s*secrets\s*\)|secrets)\s*\}\}/gi;
const CI_EXPRESSION = /\$\{\{[^}]{0,400}\}\}/g;

function ciShell(text: string): string {
  return text.replace(ALL_SECRETS, '"$(printenv)"').replace(CI_EXPRESSION, "$CI_EXPRESSION");
}

/**
 * Keys whose values a CI runner hands to a shell: GitHub/Gitea `run`, GitLab's and Bitbucket's
 * `script`, Woodpecker/Drone/Buildkite `commands`, CircleCI/Buildkite `command`, Azure
 * Pipelines' `bash`/`pwsh`/`powershell`, Travis's `install` phases, Taskfile `cmds`, Cirrus `*_script`.
 */
const CI_SHELL_KEYS = new Set(["run", "script", "commands", "command", "cmds", "bash", "pwsh", "powershell", "install", "before_install", "after_success"]);
const isCiShellKey = (key: string) => CI_SHELL_KEYS.has(key) || /^\w+_script$/.test(key);

/**
 * The shell steps of a CI pipeline (a YAML file), each with the environment its step, job and
 * workflow give it, as the runner executes them.
 */
function ciCommands(segment: Segment): EmbeddedCommand[] {
  if (!/\.ya?ml$/i.test(segment.file) || !/^\s*-?\s*(?:run|script|before_script|after_script|commands|command|cmds|bash|pwsh|powershell|install|before_install|after_success|\w+_script)\s*:/m.test(segment.text)) return [];
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(segment.text, { logLevel: "error" });
  } catch {
    return [];
  }
  const out: EmbeddedCommand[] = [];
  visit(doc, {
    Pair(_, pair, path) {
      if (!isScalar(pair.key) || !isCiShellKey(String(pair.key.value))) return;
      const lines = isScalar(pair.value) ? [pair.value] : isSeq(pair.value) ? pair.value.items.filter(isScalar) : [];
      const env = path
        .filter(isMap)
        .flatMap((m) => ["variables", "env"].map((k) => m.get(k)))
        .filter(isMap)
        .flatMap((m) => m.items.filter((p) => isScalar(p.key) && isScalar(p.value)).map((p) => `${String((p.key as Scalar).value)}=${JSON.stringify(String((p.value as Scalar).value))}`));
      for (const line of lines) {
        if (typeof line.value !== "string" || !line.range) continue;
        const command = ciShell([...env, line.value].join("\n"));
        out.push(embedded(segment, command, line.range[0], line.range[1] - line.range[0]));
      }
    },
  });
  return out;
}

interface EmbeddedCommand {
  code: Segment;
  site: CodeSite;
}

function embedded(segment: Segment, command: string, at: number, length: number, kind: FileKind = "shell"): EmbeddedCommand {
  return { code: { ...segment, kind, text: command, lower: lowerCase(command), offset: 0 }, site: { offset: segment.offset + at, length, text: command, note: `A command this file hands to a shell (${JSON.stringify(command.length > 80 ? `${command.slice(0, 80)}…` : command)}):` } };
}

const DOCKERFILE = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$/i;
/** A RUN or ADD instruction with its continuation lines. */
const BUILD_STEP = /^[ \t]*(RUN|ADD|ENTRYPOINT|CMD)[ \t]+((?:[^\n\\]|\\\r?\n|\\.)*)/gim;

/**
 * A container build's steps as one shell script, in order: RUN lines as written (the exec
 * form's argument vector joined), and `ADD <url> <dest>` as the download it is, so a file
 * fetched by one step and run by a later one is a download run. Placed on the first step that
 * names a URL (else the first step): the steps are judged together.
 */
function dockerfileCommands(segment: Segment): EmbeddedCommand[] {
  if (!DOCKERFILE.test(segment.file)) return [];
  const lines: string[] = [];
  let at: { offset: number; length: number } | undefined;
  BUILD_STEP.lastIndex = 0;
  for (let m = BUILD_STEP.exec(segment.text); m && lines.length < 200; m = BUILD_STEP.exec(segment.text)) {
    const body = m[2]!.replace(/\\\r?\n/g, " ").trim();
    let line: string | undefined;
    // ENTRYPOINT and CMD run in every container of the image, after the build steps: the same script's last lines.
    if (m[1]!.toUpperCase() !== "ADD") line = body.startsWith("[") ? (shellDashC(body) ?? jsonCommand(body)) : body;
    else {
      const words = body.split(/\s+/).filter((w) => !w.startsWith("--"));
      const dest = words.at(-1);
      line = words.slice(0, -1).filter((w) => /^https?:\/\//.test(w)).map((u) => `curl -fsSL -o ${dest} ${u}`).join("\n") || undefined;
    }
    if (!line) continue;
    lines.push(line);
    if (!at || (/https?:\/\//.test(line) && !/https?:\/\//.test(segment.text.slice(at.offset, at.offset + at.length)))) at = { offset: m.index, length: m[0].length };
  }
  return at ? [embedded(segment, lines.join("\n"), at.offset, at.length)] : [];
}

/** `["/bin/sh", "-c", "a & b"]`: the exec form of a shell given a command line is that command line. */
function shellDashC(body: string): string | undefined {
  try {
    const argv: unknown = JSON.parse(body);
    if (Array.isArray(argv) && argv.length >= 3 && /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|z)?sh$/.test(String(argv[0])) && argv[1] === "-c" && typeof argv[2] === "string") return argv[2];
  } catch {
    return undefined;
  }
  return undefined;
}

/** Shell commands a config file hands to a shell on its own: install hooks, dev-container lifecycle commands, CI steps. */
function embeddedCommands(segment: Segment): EmbeddedCommand[] {
  // Code kept as a string of a JSON data file, read in its own language (scanner/analysis/data-code.ts).
  const dataCode = dataStringCode(segment.file, segment.text).map((d) => ({ code: { ...segment, kind: d.kind, text: d.code, lower: lowerCase(d.code), offset: 0 }, site: { offset: segment.offset + d.at, length: d.length, text: d.code, note: `${DATA_CODE_NOTE} (${d.kind}):` } }));
  return [...installHooks(segment), ...devcontainerCommands(segment), ...editorTaskCommands(segment), ...ciCommands(segment), ...toolCommands(segment.file, segment.text).map((t) => embedded(segment, t.command, t.at, t.length)), ...dataCode];
}

const INLINE_CODE = /`([^`\n]{6,500})`/g;

/** Inline code spans of prose (`wget … && bash x`): commands the reader is told to run, analysed as shell. */
function inlineCode(segment: Segment): Segment[] {
  if (!segment.text.includes("`")) return [];
  const spans: Segment[] = [];
  INLINE_CODE.lastIndex = 0;
  for (let m = INLINE_CODE.exec(segment.text); m; m = INLINE_CODE.exec(segment.text)) {
    const text = m[1]!;
    spans.push({ ...segment, kind: "shell", text, lower: lowerCase(text), offset: segment.offset + m.index + 1 });
  }
  return spans;
}

function decodedNote(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `Hidden by string building or encoding (it reads ${JSON.stringify(shown)}):`;
}

function toFinding(c: Collector, unit: TextUnit, hit: RawHit, severity: Severity): Finding {
  const loc = unit.locate(hit.offset, hit.length);
  const sentence = PROSE.includes(hit.segment.kind) ? sentenceAround(unit, loc.lineIndex, loc.lineText, loc.col0) : loc.lineText;
  const demotion = demotionOf(hit.rule, hit.segment, loc.lineText, loc.col0, fenceInfoOf(unit, hit.segment), sentence, unit.text, c.orderedDocs) ?? matchPatternDemotion(hit, loc) ?? containerDemotion(hit, severity) ?? documentedSpanDemotion(hit, loc.lineText);
  const demoted = demotion?.reason;
  // Text around code is the author's: it may lower a critical code finding to review, never below.
  const inCode = hit.segment.fenced || CODE.includes(hit.segment.kind) || isContainerBuild(hit.segment.file);
  // A detection rule's signature is data in any block: no interpreter runs a YARA string.
  const asData = demotion !== undefined && /signature/.test(demotion.reason);
  const finalSeverity = demotion ? (inCode && !asData && severity === "critical" ? "high" : demote(severity, demotion.steps)) : severity;
  const suppressed = finalSeverity === "critical" ? undefined : suppressionFor(unit, loc.lineIndex, hit.rule.id);
  return {
    ruleId: hit.rule.id,
    severity: finalSeverity,
    category: hit.rule.category,
    message: hit.message ?? hit.rule.message,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    evidence: loc.evidence,
    fix: hit.rule.fix,
    ...(hit.related?.length ? { related: hit.related } : {}),
    ...(demoted ? { demoted } : {}),
    ...(suppressed ? { suppressed } : {}),
  };
}

/**
 * Scan one text unit (a whole file, or one window of a large one). Hits at or after
 * `ownedUntil` (a file offset) belong to the next window, which sees what follows them.
 */
function scanUnit(c: Collector, unit: TextUnit, segments: Segment[], counts: Map<Rule, number>, ownedUntil = Infinity): void {
  const all: RawHit[] = [];
  /** Where each command a config file runs (install hook, CI step...) calls the network, by its block. */
  const hookNetwork = new Map<number, { offset: number } | undefined>();
  for (const segment of segments) {
    runSegmentRules(segment, c.segmentRules, all, counts);
    // A registry token configured for a host that borrows the registry's name (`.npmrc`, `pip.conf`…).
    if (!segment.fenced && (segment.kind === "text" || segment.kind === "config")) pushCodeHits(unit, segment, lookalikeRegistryAuth(segment.file, segment.text), all);
    // Desktop entries, units, plists, crontabs, containers, plays and VBScript strings: command lines they run on their own.
    const carried = segment.fenced ? [] : carriedCommands(segment.file, segment.text).map((t) => embedded(segment, t.command, t.at, t.length, t.kind));
    if (CODE.includes(segment.kind)) analyzeInto(c, unit, segment, all, 0);
    else if (PROSE.includes(segment.kind) && !DOCKERFILE.test(segment.file)) for (const span of inlineCode(segment)) analyzeInto(c, unit, span, all, 1);
    if (carried.length || segment.kind === "config" || DOCKERFILE.test(segment.file)) {
      // A playbook, a Terraform or cloud-init file reads and sends on its own (Ansible's `slurp` and `uri`).
      if (segment.kind === "config") pushCodeHits(unit, segment, theftChains(segment, []), all);
      for (const hook of [...carried, ...(segment.kind === "config" || DOCKERFILE.test(segment.file) ? [...embeddedCommands(segment), ...dockerfileCommands(segment)] : [])]) {
        // Each command is its own block: a source and a network call pair up only inside one command.
        const own: Segment = { ...segment, block: -1 - hookNetwork.size };
        const found: RawHit[] = [];
        runSegmentRules(hook.code, c.segmentRules, found, new Map());
        for (const h of found) all.push({ ...h, segment: own, offset: hook.site.offset, length: hook.site.length });
        hookNetwork.set(own.block, detectCapabilities(hook.code).some((cap) => cap.capability === "network") ? { offset: hook.site.offset } : undefined);
        analyzeInto(c, unit, hook.code, all, 1, hook.site, true);
      }
    }
  }
  // A startup file or hook written while an image is built is the image's, not the user's machine's.
  const kept = DOCKERFILE.test(unit.file) ? all.filter((h) => h.rule.category !== "persistence") : all;
  const hits = ownedUntil === Infinity ? kept : kept.filter((h) => h.offset < ownedUntil);

  const networkByBlock = new Map<number, { offset: number }>();
  for (const [block, at] of hookNetwork) if (at) networkByBlock.set(block, at);
  for (const segment of segments) {
    if (!CODE.includes(segment.kind)) continue;
    for (const cap of detectCapabilities(segment)) {
      const offset = segment.offset + cap.index;
      if (offset >= ownedUntil) continue;
      if (cap.capability === "network" && !networkByBlock.has(segment.block)) networkByBlock.set(segment.block, { offset });
      // The first use of each capability per file is all the guardrails rules report.
      if (!segment.fenced && !c.capabilities.some((u) => u.file === segment.file && u.capability === cap.capability)) {
        const loc = unit.locate(offset);
        c.capabilities.push({ capability: cap.capability, block: segment.block, fenced: false, file: loc.file, line: loc.line, column: loc.column, evidence: loc.evidence });
      }
    }
  }

  for (const hit of hits) {
    const severity = c.policy.severityOf(hit.rule);
    if (severity) c.findings.push(toFinding(c, unit, hit, severity));
  }

  persistencePayload(c, unit, hits);

  const composite = c.composite;
  const compositeSeverity = composite && c.policy.severityOf(composite);
  if (!composite || !compositeSeverity) return;
  const blocks = new Set<number>();
  // Sources a command reads first: a block's finding names the strongest one.
  const byStrength = [...hits].sort((a, b) => Number(!a.segment.fenced && PROSE.includes(a.segment.kind)) - Number(!b.segment.fenced && PROSE.includes(b.segment.kind)));
  for (const source of byStrength) {
    if (source.rule.signal !== "source" || blocks.has(source.segment.block) || !c.policy.severityOf(source.rule)) continue;
    // `grep -rE '~/\.ssh|~/\.aws' "$dir"`: a store named in a detector's pattern is not read.
    if (matchPatternDemotion(source, unit.locate(source.offset))) continue;
    const sinkHit = hits.find((h) => h.rule.signal === "sink" && h.segment.block === source.segment.block && c.policy.severityOf(h.rule));
    const sinkOffset = sinkHit?.offset ?? networkByBlock.get(source.segment.block)?.offset;
    if (sinkOffset === undefined) continue;
    // `gh auth token` beside calls to api.github.com only: the credential used where it belongs.
    const sourceText = unit.text.slice(source.offset - unit.base, source.offset - unit.base + source.length);
    if (!sinkHit && sendsOnlyToOwnVendor(credentialVendor(sourceText) ?? keychainVendor(unit.locate(source.offset).lineText), segments.filter((s) => s.block === source.segment.block))) continue;
    // `curl -sfL https://get.k3s.io | sh -` beside `cat k3s.yaml > ~/.kube/config`: the only network use fetches an official installer and carries nothing.
    if (!sinkHit && onlyFetchesInstallers(segments.filter((s) => s.block === source.segment.block))) continue;
    blocks.add(source.segment.block);
    const sinkLine = unit.locate(sinkOffset).line;
    const where = source.segment.kind === "skill-body" || source.segment.kind === "markdown" || source.segment.fenced ? "instruction block" : "file";
    const sinkWhat = sinkHit ? sinkHit.rule.title.toLowerCase() : "a network call";
    // A secret named in a description ("`~/.ssh/id_rsa` - SSH private key") beside a command in
    // the same section is a lead for review: that the instructions read and send it is the
    // prose reader's to prove (SR-PROSE-001). A line that tells the agent to do something with
    // it, and code that reads it, keep the full severity.
    // A block fenced without a language whose line is a list item (`• Reads ~/.ssh without clear reason`,
    // `└─ Line 89: Reads ~/.ssh/id_rsa`) is a checklist or a report, not a script: the bullet is no command a shell runs.
    const sourceLine = unit.locate(source.offset).lineText;
    const listedInFence = source.segment.fenced && fenceInfoOf(unit, source.segment) === "" && FENCED_LIST_ITEM.test(sourceLine);
    const unproven = where === "instruction block" && (!source.segment.fenced || listedInFence) && !IMPERATIVE_LINE.test(sourceLine.replace(FENCED_LIST_ITEM, ""));
    const severity = unproven && compositeSeverity === "critical" ? "high" : compositeSeverity;
    const unprovenNote = unproven ? " The secret is named in the text, not read by a command." : "";
    c.findings.push(
      toFinding(c, unit, {
        rule: composite,
        segment: source.segment,
        offset: source.offset,
        length: source.length,
        message: `${composite.message} ${source.rule.title} (line ${unit.locate(source.offset).line}) and ${sinkWhat} (line ${sinkLine}) in the same ${where}.${unprovenNote}`,
      }, severity),
    );
  }
}

/** The vendor a credential read belongs to, by the command or path that reads it. */
function credentialVendor(evidence: string): string | undefined {
  if (/\bgh\s+auth\s+token\b|git-credentials|\bGH_TOKEN\b|\bGITHUB_TOKEN\b/.test(evidence)) return "git";
  if (/\baws\s+configure\b|\.aws\//.test(evidence)) return "aws";
  if (/\bgcloud\s+auth\b/.test(evidence)) return "gcloud";
  if (/\baz\s+account\b/.test(evidence)) return "azure";
  if (/\bnpm\s+config\s+get\b|\.npmrc\b/.test(evidence)) return "npm";
  if (/\bdocker-credential-/.test(evidence)) return "docker";
  return keychainVendor(evidence);
}

/**
 * Whether every URL in the block goes to the vendor the credential belongs to (at least one,
 * host matched exactly or as a subdomain): using a token with its own API is its purpose.
 */
function sendsOnlyToOwnVendor(vendor: string | undefined, block: Segment[]): boolean {
  if (!vendor) return false;
  const urls = block.flatMap((s) => urlsIn(s.text));
  return urls.length > 0 && urls.every((u) => {
    const host = hostOf(u);
    return host !== undefined && isPurposeHost(vendor, host);
  });
}

/** Whether every URL in the block is an official installer (at least one) and nothing in it sends a body. */
function onlyFetchesInstallers(block: Segment[]): boolean {
  const urls = block.flatMap((s) => urlsIn(s.text));
  return urls.length > 0 && urls.every(isOfficialInstaller) && !block.some((s) => /\s(?:-d|-F|-T|--data[\w-]*|--form|--upload-file)(?=[\s=])|-X\s*(?:POST|PUT)|\b(?:nc|ncat|socat|scp|rsync)\b/i.test(s.text));
}

/** Hits that mean code runs again later, unasked: startup entries, schedules, hooks, agent hooks, package install hooks. */
const keepsRunning = (r: Rule) => (r.category === "persistence" && r.id !== "SR-PERSIST-009") || r.id === "SR-AGENT-003" || r.id === "SR-SUPPLY-003";
/** A download on one line (group 1: where from), also inside a string literal after an escaped `\n` ... */
const DOWNLOAD_LINE = /(?<=^|\W|\\[nrt])(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n]{0,200}?(https?:\/\/[^\s'"`)<>|;&]+|\b\d{1,3}(?:\.\d{1,3}){3}\b)[^\n]{0,200}/gi;
/** ... that is run, saved for later or carries data out; a bare GET (a health-check ping) is neither. */
const RUN_SAVE_OR_SEND = /\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\|\s*(?:iex|python3?|node)\b|\s-[a-zA-Z]*[oO]\b|\s-\w*O-|--output\b|\s>\s*\S|\s-[dFT]\b|--data|--upload|-X\s*POST|-Method\s+Post/i;
const PAYLOAD_CATEGORIES = new Set<Rule["category"]>(["download-execute", "reverse-shell", "exfiltration"]);

/**
 * Persistence is high on its own (a backup cron job is legitimate); with remote code or an
 * upload in the same shipped file it is the complete chain: critical, naming both ends.
 */
function persistencePayload(c: Collector, unit: TextUnit, hits: RawHit[]): void {
  const rule = ruleById.get("SR-PERSIST-009")!;
  const severity = c.policy.severityOf(rule);
  // A unit or launchd job shipped as a file is a carrier whatever its kind (`.service` is text).
  const stays = hits.find((h) => keepsRunning(h.rule) && (CODE.includes(h.segment.kind) || h.segment.kind === "config" || h.rule.id === "SR-PERSIST-011") && !h.segment.fenced && c.policy.severityOf(h.rule));
  if (!severity || !stays) return;
  let payload: { offset: number; what: string } | undefined;
  // A payload rule that is critical on its own (a reverse shell) blocks without this; a high one is what it completes.
  const other = hits.find((h) => PAYLOAD_CATEGORIES.has(h.rule.category) && h.rule.severity === "high");
  if (other) payload = { offset: other.offset, what: other.rule.title.toLowerCase() };
  const re = new RegExp(DOWNLOAD_LINE.source, DOWNLOAD_LINE.flags);
  for (let m = re.exec(unit.text); m && !payload; m = re.exec(unit.text)) {
    if (RUN_SAVE_OR_SEND.test(m[0]) && !isOfficialInstaller(m[1]!)) payload = { offset: unit.base + m.index, what: `a download from ${hostOf(m[1]!) ?? m[1]}` };
  }
  if (!payload) return;
  const stayLine = unit.locate(stays.offset).line;
  const payloadLine = unit.locate(payload.offset).line;
  c.findings.push(toFinding(c, unit, { rule, segment: stays.segment, offset: stays.offset, length: stays.length, message: `${rule.message} ${stays.rule.title} (line ${stayLine}) and ${payload.what} (line ${payloadLine}).`, related: [{ file: unit.file, line: payloadLine }] }, severity));
}

const decoder = () => new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

/** Scan a large text file window by window: memory stays near the window size. */
function scanLargeFile(c: Collector, path: string, bytes: Uint8Array, kind: FileKind): void {
  const dec = decoder();
  const counts = new Map<Rule, number>();
  let carry = "";
  let base = 0;
  let baseLine = 0;
  let window = 0;
  for (let at = 0; at < bytes.length; at += WINDOW_BYTES) {
    const last = at + WINDOW_BYTES >= bytes.length;
    const text = carry + dec.decode(bytes.subarray(at, at + WINDOW_BYTES), { stream: !last });
    // Hits starting in the tail are left to the next window, which sees what follows them.
    const owned = last ? text.length : Math.max(0, text.length - WINDOW_OVERLAP);
    const unit = new TextUnit(path, text, base, baseLine);
    scanUnit(c, unit, [windowSegment(path, text, base, kind, window++)], counts, last ? Infinity : base + owned);
    if (last) break;
    for (let i = text.indexOf("\n"); i >= 0 && i < owned; i = text.indexOf("\n", i + 1)) baseLine++;
    carry = detach(text.slice(owned));
    base += owned;
  }
}

/** A skill file's text, when it is text and small enough to be scanned whole. */
function textOfSmall(files: readonly { path: string; bytes: Uint8Array; binary?: boolean }[], path: string): string | undefined {
  const file = files.find((f) => f.path === path);
  return file && !file.binary && file.bytes.length <= WINDOW_THRESHOLD ? decoder().decode(file.bytes) : undefined;
}

/** A finding of a rule that reads the whole skill (skill-level and prose rules), located by its hit. */
function wholeSkillFinding(rule: Rule, severity: Severity, hit: Location & { message?: string }, extra: Pick<Finding, "demoted" | "suppressed"> = {}): Finding {
  return { ruleId: rule.id, severity, category: rule.category, message: hit.message ?? rule.message, file: hit.file, line: hit.line, column: hit.column, evidence: hit.evidence, fix: rule.fix, ...extra };
}

/** Sentences in data files the agent reads: SKILL.md's frontmatter beyond its description, and YAML and JSON files SKILL.md names. */
function dataFileProse(skillMd: ProseSource | undefined, dataTexts: Map<string, string>): ProseSource[] {
  if (!skillMd) return [];
  const front = frontmatterStrings(skillMd.text);
  const body = skillMd.text.slice(skillMd.bodyOffset ?? 0);
  return [...(front ? [{ path: skillMd.path, text: front }] : []), ...namedDataFiles(body, [...dataTexts.keys()]).map((p) => ({ path: p, text: dataFileText(p, dataTexts.get(p)!) }))];
}

/** A named data file as the prose reader takes it: JSON and YAML string values, table cells, HTML as it stands (its hidden elements are read as such). */
function dataFileText(path: string, text: string): string {
  if (/\.json$/i.test(path)) return jsonStringsText(text);
  if (/\.ya?ml$/i.test(path)) return yamlStringsText(text);
  return /\.(?:csv|tsv)$/i.test(path) ? tableCellsText(text) : text;
}

/** Rule files an agent loads into every session of a project. */
const AGENT_RULES_FILE = /(?:^|\/)\.(?:cursorrules|windsurfrules|clinerules|roorules|goosehints)$|(?:^|\/)\.(?:cursor|windsurf|clinerules|roo)\/rules\/[^/]+$/i;

/** The prose rules (scanner/prose/) over every instruction file, once per skill. */
function addProseFindings(c: Collector, units: Map<string, TextUnit>, skillMd: ProseSource | undefined, name: string, extra: ProseSource[] = []): void {
  const sources: ProseSource[] = [...units.values()].map((u) => (skillMd && u.file === skillMd.path ? skillMd : { path: u.file, text: u.text }));
  const doc = readProse([...sources, ...extra], { name, description: skillMd?.description ?? "" });
  // Instructions past the prose reader's bound are judged by the line rules only: say so, never a silent pass.
  const partial = ruleById.get("SR-MANIFEST-005")!;
  const partialSeverity = c.policy.severityOf(partial);
  for (const s of partialSeverity ? sources : []) {
    const start = (s.bodyOffset ?? 0) + MAX_PARSE_CHARS;
    if (s.text.length <= start) continue;
    // SKILL.md is what the agent follows; a padded reference document only risks hidden steps.
    const severity = s === skillMd ? partialSeverity! : demote(partialSeverity!, 1);
    const at = units.get(s.path)!.locate(start);
    c.findings.push(wholeSkillFinding(partial, severity, { ...at, message: `Only the first ${MAX_PARSE_CHARS} characters of this document were read as instructions (it has ${s.text.length - (s.bodyOffset ?? 0)}); the rest was only pattern-matched.` }));
  }
  for (const rule of RULES) {
    if (!rule.matchProse) continue;
    const severity = c.policy.severityOf(rule);
    if (!severity) continue;
    for (const hit of rule.matchProse(doc)) {
      const finalSeverity = hit.demoted ? demote(severity) : severity;
      const unit = units.get(hit.file);
      const suppressed = finalSeverity === "critical" || !unit ? undefined : suppressionFor(unit, hit.line - 1, rule.id);
      c.findings.push(wholeSkillFinding(rule, finalSeverity, hit, { ...(hit.demoted ? { demoted: hit.demoted } : {}), ...(suppressed ? { suppressed } : {}) }));
    }
  }
}

function parseAllowedTools(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value.map(String) : [String(value)];
  // "Bash(git:*) Read, Write": entries split on commas or spaces outside parentheses.
  const out: string[] = [];
  for (const item of items) {
    let depth = 0;
    let cur = "";
    for (const ch of item) {
      if (ch === "(") depth++;
      if (ch === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (ch === "," || /\s/.test(ch))) {
        if (cur) out.push(cur);
        cur = "";
      } else cur += ch;
    }
    if (cur) out.push(cur);
  }
  return out;
}

function frontmatterOf(text: string): { data: Record<string, unknown>; offset: number; raw: string } | undefined {
  const { frontmatter } = splitFrontmatter(text);
  if (!frontmatter) return undefined;
  try {
    const data: unknown = parseYaml(frontmatter.text, { maxAliasCount: 50, logLevel: "error" });
    return data && typeof data === "object" && !Array.isArray(data) ? { data: data as Record<string, unknown>, offset: frontmatter.offset, raw: frontmatter.text } : undefined;
  } catch {
    return undefined;
  }
}

export function scanSkill(input: ScanInput, policy: ScanPolicy = {}): SkillScan {
  const resolved = resolvePolicy(policy);
  const c: Collector = {
    policy: resolved,
    findings: [],
    capabilities: [],
    segmentRules: SEGMENT_RULES,
    composite: RULES.find((r) => r.composite),
    flows: [],
    deferred: [],
    analysisErrors: [],
    orderedDocs: new Set(),
  };
  const skipped: SkippedFile[] = [];
  const files: SkillContext["files"] = [];
  let name = input.path.replace(/\/+$/, "").split("/").pop() || input.path;
  let allowedTools: string[] | undefined;
  let manifest: Location = { file: "SKILL.md", line: 1, column: 1, evidence: "" };
  let body = "";
  let skillMd: ProseSource | undefined;
  const proseUnits = new Map<string, TextUnit>();
  const dataTexts = new Map<string, string>();
  const codeUnits = new Map<string, { unit: TextUnit; grammarless: boolean }>();
  const configTexts: { file: string; text: string }[] = [];

  const expanded = expandFiles(input.files);
  const sorted = expanded.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  c.orderedDocs = orderedReferenceDocs(textOfSmall(sorted, "SKILL.md"), sorted.map((f) => f.path));
  for (const f of expanded.findings) {
    const rule = ruleById.get(f.ruleId)!;
    const severity = resolved.severityOf(rule);
    if (severity) c.findings.push({ ruleId: rule.id, severity, category: rule.category, message: f.message, file: f.file, line: 1, column: 1, evidence: f.evidence, fix: rule.fix });
  }
  skipped.push(...expanded.skipped);
  for (const file of sorted) {
    const head = file.bytes.subarray(0, 64);
    if (file.binary) {
      files.push({ path: file.path, kind: "binary", size: file.bytes.length, head });
      skipped.push({ file: file.path, reason: `binary (${file.bytes.length} bytes): not scanned for text patterns` });
      continue;
    }
    const kind = file.kind ?? kindOfPath(file.path, new TextDecoder().decode(file.bytes.subarray(0, 200)));
    files.push({ path: file.path, kind, size: file.bytes.length, head });
    if (file.bytes.length > WINDOW_THRESHOLD) {
      const windowKind = isSkillMd(file.path) ? "skill-body" : kind;
      scanLargeFile(c, file.path, file.bytes, windowKind);
      skipped.push({ file: file.path, reason: `large file (${file.bytes.length} bytes): scanned in 1 MiB windows without Markdown structure or whole-file checks` });
      continue;
    }
    const text = decoder().decode(file.bytes);
    const unit = new TextUnit(file.path, text, 0, 0);
    // Documents the agent reads as instructions; data files (XML schemas, CSV, HTML exports) are not prose.
    // Agents' rule files (`.windsurfrules`, `.cursorrules`, `.clinerules`…) are instructions whatever their extension.
    if (isSkillMd(file.path) || kind === "markdown" || /\.(?:txt|rst|mdc)$/i.test(file.path) || AGENT_RULES_FILE.test(file.path)) proseUnits.set(file.path, unit);
    else if (/\.(?:ya?ml|json|csv|tsv|html?)$/i.test(file.path)) dataTexts.set(file.path, text);
    if (CODE.includes(kind) && !isSkillMd(file.path)) codeUnits.set(file.path, { unit, grammarless: kind === "other-code" });
    else if (kind === "config") configTexts.push({ file: file.path, text });
    if (isSkillMd(file.path)) {
      const fm = frontmatterOf(text);
      const bodyOffset = splitFrontmatter(text).bodyOffset;
      body = text.slice(bodyOffset);
      skillMd = { path: file.path, text, bodyOffset, description: typeof fm?.data.description === "string" ? fm.data.description : undefined };
      if (fm) {
        if (typeof fm.data.name === "string" && fm.data.name) name = fm.data.name;
        allowedTools = parseAllowedTools(fm.data["allowed-tools"]);
        const at = /^allowed-tools\s*:/m.exec(fm.raw);
        manifest = unit.locate(fm.offset + (at?.index ?? 0));
      }
    }
    scanUnit(c, unit, file.kind ? [windowSegment(file.path, text, 0, file.kind, 0)] : segmentFile(file.path, text), new Map());
  }

  // A file staged from a secret elsewhere: now parse the scripts that may send it. Taken off the list
  // first: a script whose forced parse still finds no flow (code no grammar reads) defers itself again,
  // and a loop over the growing list never ended.
  if (c.flows.some((f) => f.flow.sources.length > 0 && f.flow.writes.length > 0)) {
    for (const d of c.deferred.splice(0)) analyzeInto(c, d.unit, d.segment, [], MAX_DECODE_DEPTH, undefined, true);
  }
  skipped.push(...c.analysisErrors);
  const crossRule = ruleById.get("SR-EXFIL-010")!;
  const crossSeverity = resolved.severityOf(crossRule);
  for (const chain of crossSeverity ? crossFileChains(c.flows) : []) {
    c.findings.push({
      ruleId: crossRule.id,
      severity: crossSeverity!,
      category: crossRule.category,
      message: `${chain.source.file}:${chain.source.line} reads ${chain.source.what} and writes ${chain.write}; ${chain.sink.file}:${chain.sink.line} sends it (${chain.sink.what}).`,
      file: chain.source.file,
      line: chain.source.line,
      column: 1,
      evidence: chain.write,
      fix: crossRule.fix,
      related: [{ file: chain.sink.file, line: chain.sink.line }],
    });
  }

  // A store one module reads and another sends, wired by the skill (SR-EXFIL-010 unless a chain is already reported).
  const chained = c.findings.some((f) => /^SR-EXFIL-0(?:09|10)$/.test(f.ruleId) && f.severity === "critical");
  for (const chain of crossSeverity && !chained && codeUnits.size > 1 ? crossModuleTheft([...codeUnits.entries()].map(([file, u]) => ({ file, text: u.unit.text, grammarless: u.grammarless }))) : []) {
    const at = codeUnits.get(chain.source.file)!.unit.locate(chain.source.offset);
    const to = codeUnits.get(chain.sink.file)!.unit.locate(chain.sink.offset);
    c.findings.push({ ...wholeSkillFinding(crossRule, crossSeverity!, { ...at, message: `${chain.source.file}:${at.line} reads ${chain.source.what}; ${chain.sink.file}:${to.line} sends data to ${chain.sink.hosts.slice(0, 3).join(", ")}; ${chain.via} wires the two modules together.` }), related: [{ file: chain.sink.file, line: to.line }] });
  }

  // A CLI token sent to the destination the skill's own config file names.
  for (const chain of crossSeverity && !chained ? configDestinationChains([...codeUnits.entries()].map(([file, u]) => ({ file, text: u.unit.text })), configTexts) : []) {
    const at = codeUnits.get(chain.file)!.unit.locate(chain.offset);
    c.findings.push({ ...wholeSkillFinding(crossRule, crossSeverity!, { ...at, message: `Sends ${chain.what} to a destination ${chain.config} sets to ${chain.host}, outside the token's own service: a complete exfiltration chain.` }), related: [{ file: chain.config, line: 1 }] });
  }

  // Private data (notes, chats, mail, wallets, photos, the clipboard, shell history) sent out by the script or a module it loads.
  const sameFileRule = ruleById.get("SR-EXFIL-009")!;
  for (const send of crossSeverity && !chained ? privateDataSends([...codeUnits.entries()].map(([file, u]) => ({ file, text: u.unit.text })), configTexts) : []) {
    const at = codeUnits.get(send.file)!.unit.locate(send.offset);
    const to = codeUnits.get(send.sinkFile)!.unit.locate(send.sinkOffset);
    const rule = send.sinkFile === send.file ? sameFileRule : crossRule;
    c.findings.push({ ...wholeSkillFinding(rule, resolved.severityOf(rule) ?? crossSeverity!, { ...at, message: `Reads ${send.what} and ${send.sinkFile}:${to.line} sends data to ${send.hosts.slice(0, 3).join(", ")}: private data leaves the machine.` }), related: [{ file: send.sinkFile, line: to.line }] });
  }

  // A download one script saves and another runs.
  const dlRule = ruleById.get("SR-DLEXEC-008")!;
  const dlSeverity = resolved.severityOf(dlRule);
  for (const run of dlSeverity && codeUnits.size > 1 ? crossFileDownloadRuns([...codeUnits.values()].map(({ unit }) => ({ file: unit.file, text: unit.text }))) : []) {
    const at = codeUnits.get(run.runFile)!.unit.locate(run.runOffset);
    const from = codeUnits.get(run.fetchFile)!.unit.locate(run.fetchOffset);
    c.findings.push({ ...wholeSkillFinding(dlRule, dlSeverity!, { ...at, message: `Runs ${run.path}, which ${run.fetchFile}:${from.line} downloads from ${run.url}: a download run split across two scripts.` }), related: [{ file: run.fetchFile, line: from.line }] });
  }

  // A startup entry one script installs for a program the skill ships, whose own code carries the payload.
  const stayRule = ruleById.get("SR-PERSIST-009")!;
  const staySeverity = resolved.severityOf(stayRule);
  const stays = c.findings.filter((f) => f.category === "persistence" && f.severity !== "critical" && !f.demoted && codeUnits.has(f.file));
  for (const p of staySeverity && stays.length && codeUnits.size > 1 ? persistedProgramPayloads(stays.map((f) => f.file), [...codeUnits.values()].map(({ unit }) => ({ file: unit.file, text: unit.text }))) : []) {
    const stay = stays.find((f) => f.file === p.carrier)!;
    const to = codeUnits.get(p.program)!.unit.locate(p.offset);
    c.findings.push({ ...wholeSkillFinding(stayRule, staySeverity!, { ...stay, message: `${stayRule.message} ${p.carrier}:${stay.line} installs a startup entry for ${p.program}, and ${p.program}:${to.line} carries ${p.what}.` }), related: [{ file: p.program, line: to.line }] });
  }

  // Grants whose login or key another file carries: the documents' argument to the script, a vars file's key.
  for (const g of carriedGrants([...[...codeUnits.values()].map(({ unit }) => ({ file: unit.file, text: unit.text })), ...configTexts], [...proseUnits.values()].map((u) => u.text))) {
    const rule = ruleById.get(g.ruleId)!;
    const severity = resolved.severityOf(rule);
    const text = codeUnits.get(g.file)?.unit.text ?? configTexts.find((f) => f.file === g.file)!.text;
    const line = text.slice(0, g.offset).split("\n").length;
    if (severity && !c.findings.some((f) => f.ruleId === g.ruleId)) c.findings.push(wholeSkillFinding(rule, severity, { file: g.file, line, column: 1, evidence: text.slice(g.offset, g.offset + g.length), message: g.message }));
  }

  addProseFindings(c, proseUnits, skillMd, name, dataFileProse(skillMd, dataTexts));

  const skill: SkillContext = { allowedTools, manifest, body, files, capabilities: c.capabilities };
  for (const rule of RULES) {
    if (!rule.matchSkill) continue;
    const severity = resolved.severityOf(rule);
    if (!severity) continue;
    for (const hit of rule.matchSkill(skill)) c.findings.push(wholeSkillFinding(rule, severity, hit));
  }

  const identity = { names: [name, input.path.replace(/\/+$/, "").split("/").pop() ?? ""], files: files.map((f) => f.path), description: skillMd?.description ?? "" };
  const textOf = (path: string) => textOfSmall(sorted, path);
  // The whole-skill context (README, "Whole-skill context"), one pass after another: each sees
  // what the passes before it left, so a demotion cannot undo a review that comes later.
  const passes: ((findings: Finding[]) => Finding[])[] = [
    (f) => applyPurpose(f, identity, textOf),
    (f) => demoteLocalPersistence(f, c.capabilities, files, textOf),
    (f) => demoteLocalCredentialUse(f, c.capabilities, files, textOf),
    (f) => demoteProjectAgentFile(f, c.capabilities, files, textOf),
    (f) => demotePlaceholderOperands(f, files, textOf),
    (f) => demoteTeachingMaterial(f, files, textOf),
    (f) => reviewQuotedLesson(f, files, textOf),
    (f) => demoteSudoersDefaults(f, files.filter((x) => x.kind !== "binary").map((x) => x.path), textOf),
    (f) => demoteOwnVendorUse(f, files, textOf),
    demoteLocalKeyHandling,
    (f) => demoteOwnKeyMount(f, textOf),
    (f) => demoteAgentDenyList(f, textOf),
    (f) => demoteMembershipLists(f, files, textOf),
    (f) => capLabReverseShells(f, files.map((x) => x.path), textOf),
    (f) => reviewOwnInstallers(f, identity.names, textOf),
    (f) => demoteDetectorSamples(f, files, textOf),
    (f) => reviewQuotedAttackData(f, files, textOf),
    (f) => reviewScriptInput(f, files, textOf),
    (f) => reviewScriptArguments(f, files, textOf),
    (f) => reviewUnrunDataCode(f, files, textOf),
  ];
  const passed = passes.reduce((f, pass) => pass(f), c.findings);
  // One finding per rule and line: a second alternative of the same pattern adds nothing. The
  // strongest stays (the first by column on ties), so a warned-about example cannot hide the
  // command the same line orders after it.
  const strongest = new Map<string, Finding>();
  const weight = (f: Finding) => (f.suppressed ? 0 : SEVERITIES.length) + SEVERITIES.length - SEVERITIES.indexOf(f.severity);
  for (const f of [...passed].sort((a, b) => a.column - b.column)) {
    const key = `${f.ruleId}\0${f.file}\0${f.line}`;
    const kept = strongest.get(key);
    if (!kept || weight(f) > weight(kept)) strongest.set(key, f);
  }
  const findings = passed
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .filter((f) => strongest.get(`${f.ruleId}\0${f.file}\0${f.line}`) === f);
  return { path: input.path, name, decision: decisionOf(findings), findings, skipped };
}
