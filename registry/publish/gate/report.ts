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
  if (gate.blocks.length > 0) lines.push("## What blocks", "", ...gate.blocks.map(reasonLine), "");
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
  const scans = scansOf(gate);
  if (scans.length > 0) lines.push("## Scan report", "", renderMarkdown(scans));
  return lines.join("\n").trimEnd() + "\n";
}

function scansOf(gate: GateDecision): SkillScan[] {
  return gate.skills.map((s) => s.scan).filter((s): s is SkillScan => s !== undefined);
}

interface SarifLog {
  runs: { tool: { driver: { rules: unknown[] } }; results: unknown[] }[];
}

/** The scanner's SARIF with the gate's reasons added to the same run as error results. */
export function gateSarif(gate: GateDecision): string {
  const log = JSON.parse(renderSarif(scansOf(gate))) as SarifLog;
  const run = log.runs[0]!;
  const codes = [...new Set(gate.blocks.map((b) => b.code))];
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
    ...gate.blocks.map((b) => ({
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
