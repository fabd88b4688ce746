/**
 * The scanner's public surface. Everything takes and returns plain data: the gate, the CLI
 * and the site call these; nothing here touches the filesystem or the project.
 */
export { scanSkill } from "./engine.js";
export { RULES } from "./rules/index.js";
export { resolvePolicy, isPinnedPayload, ScanPolicyError } from "./policy.js";
export { askReviewer, reviewWithLlm, llmConfigFromEnv, LlmConfigError, LLM_RULE_ID, type LlmConfig, type LlmProvider, type LlmReview, type ReviewerAnswer } from "./llm/review.js";
export { renderText } from "./report/text.js";
export { renderJson } from "./report/json.js";
export { renderSarif } from "./report/sarif.js";
export { renderMarkdown } from "./report/markdown.js";
export { summaryLine } from "./report/summary.js";
export type { TextColors } from "./report/text.js";
export type { Category, Decision, FileKind, Finding, Rule, ScanInput, ScanPolicy, Severity, SeverityOverride, SkillFile, SkillScan, SkippedFile } from "./types.js";
export { CATEGORIES, SEVERITIES } from "./types.js";
export { DECISION_WORDS, DECISION_MEANING, acceptRiskNeeded, decisionOf, countsTowardDecision } from "./words.js";
