import { createHash } from "node:crypto";
import { renderMarkdown, renderSarif, type SkillScan } from "@skillreg/scanner";
import { CONFIG_FILE } from "../../core/index.js";
import type { GateDecision, Reason } from "./decide.js";

/**
 * What the gate writes for people and for GitHub: a Markdown summary (job summary, pull request
 * comment) and SARIF (code scanning), each holding both the scanner's findings and the gate's
 * own reasons.
 */

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
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
  return `- **${r.code}**${r.skill ? ` ${r.skill}` : ""}: ${r.message.replaceAll("\n", " ")}`;
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
        `| ${escapeCell(s.id)} | ${escapeCell(s.version ?? "")} | ${s.tagObjectId?.slice(0, 12) ?? "-"} | ${s.treeId?.slice(0, 12) ?? "-"} | ${escapeCell(s.publisher ?? "not verified")} | ${s.scan?.decision ?? "-"} |`,
      );
    }
    lines.push("");
  }
  if (gate.touchedScopes.length > 0 || gate.adminPaths.length > 0) {
    lines.push(`Scopes touched: ${gate.touchedScopes.map((s) => `@${s}`).join(", ") || "none"}. Registry files touched: ${gate.adminPaths.join(", ") || "none"}.`, "");
  }
  if (gate.notes.length > 0) lines.push("## Notes", "", ...gate.notes.map((n) => `- ${n.replaceAll("\n", " ")}`), "");
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
