/**
 * The optional semantic reviewer, off by default. When an LLM endpoint is configured
 * (SKILLREG_LLM_URL, SKILLREG_LLM_KEY, SKILLREG_LLM_MODEL, SKILLREG_LLM_PROVIDER anthropic |
 * openai), it reads the skill's prose and code and may ADD findings: at most high (review),
 * each with its reasoning. It never removes, lowers or suppresses a static finding, whatever
 * it answers; a reply that fails its schema, an HTTP error or a timeout leaves the static scan
 * as it was, with a one-line warning. Plain fetch, no SDK: two small JSON APIs.
 */
import type { ValidateFunction } from "ajv";
import { decisionOf } from "../words.js";
import { CATEGORIES, type Category, type Finding, type ScanInput, type Severity, type SkillScan } from "../types.js";
import { SYSTEM_PROMPT, userPrompt } from "./prompt.js";

export type LlmProvider = "anthropic" | "openai";

export interface LlmConfig {
  provider: LlmProvider;
  /** The full endpoint: Anthropic's /v1/messages or an OpenAI-compatible /v1/chat/completions. */
  url: string;
  key: string;
  model: string;
  /** Per request; default 60 s. */
  timeoutMs?: number;
}

export const LLM_RULE_ID = "SR-LLM-001";
const DEFAULT_MODEL: Record<LlmProvider, string> = { anthropic: "claude-sonnet-4-5", openai: "gpt-4o" };
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_REPLY_CHARS = 200_000;
const MAX_FINDINGS = 20;

export class LlmConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LlmConfigError";
  }
}

/** The reviewer's configuration from the environment, or undefined when none is set (the default). */
export function llmConfigFromEnv(env: Record<string, string | undefined>): LlmConfig | undefined {
  const url = env.SKILLREG_LLM_URL;
  const key = env.SKILLREG_LLM_KEY;
  if (!url && !key) return undefined;
  if (!url || !key) throw new LlmConfigError("the LLM reviewer needs both SKILLREG_LLM_URL and SKILLREG_LLM_KEY");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: the value comes from a secret, and the gate's notes reach a public job summary.
    throw new LlmConfigError("SKILLREG_LLM_URL is not a URL (give the endpoint's full https URL)");
  }
  if (parsed.protocol !== "https:" && !/^(?:127\.0\.0\.1|localhost|\[::1\])$/.test(parsed.hostname)) throw new LlmConfigError("SKILLREG_LLM_URL must use https (plain http only to localhost)");
  // Empty is unset: a workflow passes a repository secret that does not exist as "".
  const named = env.SKILLREG_LLM_PROVIDER || undefined;
  if (named !== undefined && named !== "anthropic" && named !== "openai") throw new LlmConfigError(`SKILLREG_LLM_PROVIDER must be anthropic or openai, not '${named}'`);
  const provider: LlmProvider = named ?? (/anthropic/i.test(parsed.hostname) || /\/v1\/messages\/?$/.test(parsed.pathname) ? "anthropic" : "openai");
  return { provider, url, key, model: env.SKILLREG_LLM_MODEL || DEFAULT_MODEL[provider] };
}

/** The one JSON format the reviewer answers in. */
const REPLY_SCHEMA = {
  type: "object",
  required: ["findings"],
  properties: {
    findings: {
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        required: ["file", "severity", "title", "reasoning"],
        properties: {
          file: { type: "string", maxLength: 500 },
          line: { type: "integer", minimum: 1 },
          severity: { type: "string", enum: ["critical", "high", "medium", "low"] },
          category: { type: "string" },
          title: { type: "string", minLength: 1, maxLength: 300 },
          reasoning: { type: "string", minLength: 1, maxLength: 4000 },
        },
      },
    },
  },
} as const;

interface ReplyFinding {
  file: string;
  line?: number;
  severity: Severity;
  category?: string;
  title: string;
  reasoning: string;
}

/**
 * Compiled on the first reply, with ajv imported only then: every scan loads this module
 * (`skillreg scan` paid about 30 ms of start-up for ajv), few ask a reviewer.
 */
let replyValidator: ValidateFunction<{ findings: ReplyFinding[] }> | undefined;
async function replyValidatorOnce(): Promise<ValidateFunction<{ findings: ReplyFinding[] }>> {
  if (!replyValidator) {
    const { Ajv } = await import("ajv");
    replyValidator = new Ajv({ allErrors: false }).compile<{ findings: ReplyFinding[] }>(REPLY_SCHEMA);
  }
  return replyValidator;
}

function requestOf(config: LlmConfig, input: ScanInput, scan: SkillScan): { headers: Record<string, string>; body: string } {
  const user = userPrompt(input, scan);
  if (config.provider === "anthropic") {
    return {
      headers: { "content-type": "application/json", "x-api-key": config.key, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: config.model, max_tokens: 2048, temperature: 0, system: SYSTEM_PROMPT, messages: [{ role: "user", content: user }] }),
    };
  }
  return {
    headers: { "content-type": "application/json", authorization: `Bearer ${config.key}` },
    body: JSON.stringify({ model: config.model, temperature: 0, max_tokens: 2048, messages: [{ role: "system", content: SYSTEM_PROMPT }, { role: "user", content: user }] }),
  };
}

/** The model's text from either API's response body. */
function replyText(provider: LlmProvider, body: unknown): string | undefined {
  const b = body as { content?: { type?: string; text?: unknown }[]; choices?: { message?: { content?: unknown } }[] };
  const text = provider === "anthropic" ? b.content?.find((c) => c.type === "text")?.text : b.choices?.[0]?.message?.content;
  return typeof text === "string" ? text : undefined;
}

/** The first JSON object in the text (models sometimes wrap it in a code fence). */
function jsonIn(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

function toFinding(r: ReplyFinding, files: Set<string>): Finding {
  // At most high: the reviewer can send a skill to a human, never block or clear it.
  const severity: Severity = r.severity === "critical" ? "high" : r.severity;
  const category: Category = (CATEGORIES as readonly string[]).includes(r.category ?? "") ? (r.category as Category) : "instruction-override";
  const file = files.has(r.file) ? r.file : "SKILL.md";
  const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
  return {
    ruleId: LLM_RULE_ID,
    severity,
    category,
    message: `Semantic reviewer: ${oneLine(r.title)}. Reasoning: ${oneLine(r.reasoning)}`,
    file,
    line: r.line ?? 1,
    column: 1,
    evidence: "",
    fix: "Read the reasoning; remove the behaviour or explain it in the skill's description, then have a security reviewer confirm.",
  };
}

export interface LlmReview {
  /** The static scan with the reviewer's findings added and the decision recomputed (never lower). */
  scan: SkillScan;
  /** One line when the reviewer could not be used; the static scan then stands alone. */
  warning?: string;
}

/** What the reviewer said about one skill: the findings it adds (each at most high), or why it could not answer. */
export type ReviewerAnswer = { findings: Finding[] } | { unavailable: string };

/**
 * Ask the reviewer about one skill, given its static scan (shown to it, so it adds rather than
 * repeats). Never throws for anything the endpoint does: an error, a timeout or a malformed
 * reply is `unavailable` with the reason in a few words.
 */
export async function askReviewer(input: ScanInput, scan: SkillScan, config: LlmConfig, fetchImpl: typeof fetch = fetch): Promise<ReviewerAnswer> {
  const { headers, body } = requestOf(config, input, scan);
  let text: string;
  try {
    const res = await fetchImpl(config.url, { method: "POST", headers, body, signal: AbortSignal.timeout(config.timeoutMs ?? DEFAULT_TIMEOUT_MS), redirect: "error" });
    const raw = (await res.text()).slice(0, MAX_REPLY_CHARS);
    if (!res.ok) return { unavailable: `HTTP ${res.status}` };
    const reply = replyText(config.provider, jsonIn(raw) ?? {});
    if (reply === undefined) return { unavailable: "the response has no message text" };
    text = reply;
  } catch (e) {
    const err = e as Error;
    return { unavailable: err.name === "TimeoutError" || err.name === "AbortError" ? `no answer within ${config.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : `request failed (${err.message.split("\n")[0]})` };
  }
  const parsed = jsonIn(text);
  const validateReply = await replyValidatorOnce();
  if (!validateReply(parsed)) return { unavailable: "the reply is not the expected JSON" };
  const files = new Set(input.files.map((f) => f.path));
  return { findings: parsed.findings.slice(0, MAX_FINDINGS).map((r) => toFinding(r, files)) };
}

/** askReviewer for `scan --llm`: the static scan with the reviewer's findings added, or unchanged with a warning. */
export async function reviewWithLlm(input: ScanInput, scan: SkillScan, config: LlmConfig, fetchImpl: typeof fetch = fetch): Promise<LlmReview> {
  const answer = await askReviewer(input, scan, config, fetchImpl);
  if ("unavailable" in answer) return { scan, warning: `LLM review of ${scan.name} skipped: ${answer.unavailable}; the static scan stands` };
  const findings = [...scan.findings, ...answer.findings];
  // decisionOf over a superset of findings can only stay or rise.
  return { scan: { ...scan, findings, decision: decisionOf(findings) } };
}
