/**
 * SARIF 2.1.0 for GitHub code scanning: every rule in tool.driver.rules with its
 * security-severity and precision, one result per finding with a level, a location,
 * partialFingerprints (stable across line moves) and in-source suppressions.
 */
import { createHash } from "node:crypto";
import { RULES } from "../rules/index.js";
import type { Rule, RuleContext, Severity, SkillScan } from "../types.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub maps >= 9.0 to critical, >= 7.0 high, >= 4.0 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0" };
const PRECISION: Record<RuleContext, string> = { payload: "very-high", fact: "high", command: "high", instruction: "medium" };

const TOOL_VERSION = "0.1.0";

function ruleName(rule: Rule): string {
  return rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : "")).replace(/^./, (ch) => ch.toUpperCase());
}

function sarifRule(rule: Rule) {
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.message },
    help: { text: rule.fix, markdown: `**${rule.title}** (${rule.category})\n\n${rule.message}\n\nFix: ${rule.fix}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: PRECISION[rule.context],
      "problem.severity": LEVEL[rule.severity] === "note" ? "recommendation" : LEVEL[rule.severity],
      tags: ["security", rule.category],
    },
  };
}

/** Repository-relative POSIX path of a file in a skill. */
function uriOf(skillPath: string, file: string): string {
  const base = skillPath.replace(/\\/g, "/").replace(/^\.\/+/, "").replace(/\/+$/, "");
  return base === "" || base === "." ? file : `${base}/${file}`;
}

export function renderSarif(scans: readonly SkillScan[]): string {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const results = scans.flatMap((scan) => {
    const seen = new Map<string, number>();
    return scan.findings.map((f) => {
      const uri = uriOf(scan.path, f.file);
      // The line can move; the rule, file and matched text identify the finding.
      const key = `${f.ruleId}\0${uri}\0${f.evidence}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: `${f.message}${f.demoted ? ` (severity lowered: ${f.demoted})` : ""} Fix: ${f.fix}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: f.line, startColumn: f.column, ...(f.evidence ? { snippet: { text: f.evidence } } : {}) },
            },
          },
        ],
        ...(f.related?.length
          ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: { artifactLocation: { uri: uriOf(scan.path, r.file) }, region: { startLine: r.line } } })) }
          : {}),
        partialFingerprints: { "skillregFinding/v1": `${createHash("sha256").update(key).digest("hex").slice(0, 32)}:${n}` },
        properties: { severity: f.severity, category: f.category, skill: scan.name },
        ...(f.suppressed ? { suppressions: [{ kind: "inSource", justification: f.suppressed.reason }] } : {}),
      };
    });
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "skillreg-scan", informationUri: "https://github.com/skillreg/skillreg", semanticVersion: TOOL_VERSION, version: TOOL_VERSION, rules: RULES.map(sarifRule) } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
