import { createHash } from "node:crypto";
import { renderMarkdown, renderSarif, type SkillScan } from "@skillreg/scanner";
import { CONFIG_FILE } from "../../core/index.js";
import type { GateDecision, Reason } from "./decide.js";

/**
 * What the gate writes for people and for GitHub: a Markdown summary (job summary, pull request
 * comment) and SARIF (code scanning), each holding both the scanner's findings and the gate's
 * own reasons.
 */

/**
 * Text from the change (file names, messages that quote them) as inert Markdown: control
 * characters shown as escapes, and every character Markdown or HTML gives meaning to
 * backslash-escaped, so a file name cannot add links, images, tables, headings or HTML to
 * the summary a reviewer reads.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

/** Reasons that quote a skill's files: for a sealed version they stay out of shared reports. */
const CONTENT_REASONS: ReadonlySet<Reason["code"]> = new Set(["format", "scan-blocked", "version-mismatch"]);

/**
 * The summary and SARIF are read by everyone with the repository (job summary, code
 * scanning), so a sealed version's findings and content reasons are left out of them; its
 * members see them in full from 'registry check' or 'registry merge' on their machine.
 */
function shared(gate: GateDecision): { blocks: Reason[]; scans: SkillScan[] } {
  const sealed = new Set(gate.skills.filter((s) => s.sealed).map((s) => s.id));
  const blocks = gate.blocks.map((r) =>
    r.skill !== undefined && sealed.has(r.skill) && CONTENT_REASONS.has(r.code)
      ? { code: r.code, skill: r.skill, message: `${r.skill} is sealed: details are shown only to its members ('skillreg registry check' with the gate key)` }
      : r,
  );
  return { blocks, scans: gate.skills.filter((s) => !s.sealed).map((s) => s.scan).filter((s): s is SkillScan => s !== undefined) };
}

function reasonLine(r: Reason): string {
  return `- **${r.code}**${r.skill ? ` ${markdownText(r.skill)}` : ""}: ${markdownText(r.message)}`;
}

export function gateMarkdown(gate: GateDecision, range: { base: string; head: string }): string {
  const lines = [
    "# SkillReg publish gate",
    "",
    gate.ok
      ? `**Passed**: nothing blocks ${range.base.slice(0, 12)}..${range.head.slice(0, 12)}. Scan decision: **${gate.decision}**.`
      : `**Blocked**: ${gate.blocks.length} reason${gate.blocks.length === 1 ? "" : "s"} (${range.base.slice(0, 12)}..${range.head.slice(0, 12)}). Scan decision: **${gate.decision}**.`,
    "",
  ];
  const { blocks, scans } = shared(gate);
  if (blocks.length > 0) lines.push("## What blocks", "", ...blocks.map(reasonLine), "");
  const published = gate.skills.filter((s) => s.version !== undefined);
  if (published.length > 0) {
    lines.push("## Versions", "", "| skill | version | tag object | tree | signer | scan |", "|---|---|---|---|---|---|");
    for (const s of published) {
      lines.push(
        `| ${markdownText(s.id)} | ${markdownText(s.version ?? "")} | ${s.tagObjectId?.slice(0, 12) ?? "-"} | ${s.treeId?.slice(0, 12) ?? "-"} | ${markdownText(s.publisher ?? "not verified")} | ${s.scan?.decision ?? "-"} |`,
      );
    }
    lines.push("");
  }
  if (gate.touchedScopes.length > 0 || gate.adminPaths.length > 0) {
    lines.push(`Scopes touched: ${markdownText(gate.touchedScopes.map((s) => `@${s}`).join(", ") || "none")}. Registry files touched: ${markdownText(gate.adminPaths.join(", ") || "none")}.`, "");
  }
  if (gate.commits.length > 0) {
    // Each commit with its signer: a commit someone added to another person's change shows here.
    lines.push("## Commits", "", "| commit | signed by | changes |", "|---|---|---|");
    for (const c of gate.commits) {
      lines.push(`| ${c.id.slice(0, 12)} | ${markdownText(c.signer ?? "not verified")} | ${markdownText(c.paths.join(", ") || "nothing that stays in the change")} |`);
    }
    lines.push("");
  }
  if (gate.notes.length > 0) lines.push("## Notes", "", ...gate.notes.map((n) => `- ${markdownText(n)}`), "");
  if (scans.length > 0) lines.push("## Scan report", "", renderMarkdown(scans));
  return lines.join("\n").trimEnd() + "\n";
}

interface SarifLog {
  runs: { tool: { driver: { rules: unknown[] } }; results: unknown[] }[];
}

/** The scanner's SARIF with the gate's reasons added to the same run as error results. */
export function gateSarif(gate: GateDecision): string {
  const { blocks, scans } = shared(gate);
  const log = JSON.parse(renderSarif(scans)) as SarifLog;
  const run = log.runs[0]!;
  const codes = [...new Set(blocks.map((b) => b.code))];
  const first = run.tool.driver.rules.length;
  run.tool.driver.rules.push(
    ...codes.map((code) => ({
      id: `SKILLREG-GATE/${code}`,
      name: `Gate${code.replace(/(^|-)(.)/g, (_, _d: string, c: string) => c.toUpperCase())}`,
      shortDescription: { text: `Publish gate: ${code}` },
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.0", tags: ["security", "publish-gate"] },
    })),
  );
  run.results.push(
    ...blocks.map((b) => ({
      ruleId: `SKILLREG-GATE/${b.code}`,
      ruleIndex: first + codes.indexOf(b.code),
      level: "error",
      message: { text: b.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: b.file ?? CONFIG_FILE }, region: { startLine: 1 } } }],
      partialFingerprints: { "skillregGate/v1": createHash("sha256").update(`${b.code}\0${b.file ?? ""}\0${b.message}`).digest("hex").slice(0, 32) },
    })),
  );
  return JSON.stringify(log, null, 2) + "\n";
}
