import type { Hit, Rule } from "../types.js";
import { ALL_TEXT, hitsOf } from "./common.js";

/** Documented example keys (AWS's AKIAIOSFODNN7EXAMPLE...) and filler are not secrets. */
function isPlaceholder(value: string): boolean {
  return /example|sample|dummy|fake|placeholder|your[_-]?|redacted|<|\$\{|\{\{|x{6,}|\*{4,}|\.\.\./i.test(value) || /^(.)\1+$/.test(value.replace(/^[a-z]+[_-]/i, ""));
}

function tokens(re: RegExp, text: string): Hit[] {
  return hitsOf(re, text, (m) => !isPlaceholder(m[0]));
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

export const hardcodedSecretRules: Rule[] = [
  {
    id: "SR-SECRET-001",
    title: "Private key",
    category: "hardcoded-secret",
    severity: "critical",
    message: "Contains a private key block.",
    fix: "Remove the key, revoke it, and load keys from the user's own store at run time.",
    fileKinds: ALL_TEXT,
    context: "payload",
    keywords: ["private key"],
    reach: 600,
    match: (segment) =>
      hitsOf(/-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g, segment.text, (m) =>
        /^(?:\\n|\s|[A-Za-z-]+:[^\n]*\n)*[A-Za-z0-9+/=]{40,}/.test(segment.text.slice(m.index + m[0].length, m.index + m[0].length + 400)),
      ),
    examples: {
      positive: ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----"],
      negative: ["A key file starts with -----BEGIN OPENSSH PRIVATE KEY----- followed by base64."],
    },
  },
  {
    id: "SR-SECRET-002",
    title: "AWS access key",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains an AWS access key ID (or its secret access key).",
    fix: "Remove and rotate the key; use the AWS credential chain.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["akia", "asia", "abia", "acca", "aws_secret_access_key"],
    match: (segment) => [
      ...tokens(/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, segment.text),
      ...tokens(/\baws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}\b/gi, segment.text),
    ],
    examples: {
      positive: ["AWS_ACCESS_KEY_ID=AKIAQQQQRRRRSSSSTTTT"],
      negative: ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    },
  },
  {
    id: "SR-SECRET-003",
    title: "Forge token",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains a GitHub or GitLab access token.",
    fix: "Remove and revoke the token; read it from the environment (GITHUB_TOKEN).",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-"],
    match: (segment) => tokens(/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b|\bglpat-[A-Za-z0-9_-]{20}\b/g, segment.text),
    examples: {
      positive: ["token = \"ghp_abcdABCD1234abcdABCD1234abcdABCD1234\""],
      negative: ["token = os.environ['GITHUB_TOKEN']", "token = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""],
    },
  },
  {
    id: "SR-SECRET-004",
    title: "Package registry token",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains an npm, PyPI, RubyGems or Docker Hub token.",
    fix: "Remove and revoke the token; use the registry's trusted publishing or an env var.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["npm_", "pypi-", "rubygems_", "dckr_pat_"],
    match: (segment) => tokens(/\bnpm_[A-Za-z0-9]{36}\b|\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}|\brubygems_[a-f0-9]{48}\b|\bdckr_pat_[A-Za-z0-9_-]{27}\b/g, segment.text),
    examples: {
      positive: ["//registry.npmjs.org/:_authToken=npm_abcdABCD1234abcdABCD1234abcdABCD1234"],
      negative: ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}"],
    },
  },
  {
    id: "SR-SECRET-005",
    title: "LLM API key",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains an AI provider API key (Anthropic, OpenAI, Google, Hugging Face, Groq...).",
    fix: "Remove and revoke the key; read it from the environment.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["sk-", "aiza", "hf_", "gsk_", "xai-"],
    match: (segment) =>
      tokens(/\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b|\bAIza[0-9A-Za-z_-]{35}\b|\bhf_[A-Za-z]{34}\b|\bgsk_[A-Za-z0-9]{52}\b|\bxai-[A-Za-z0-9]{80}\b/g, segment.text),
    examples: {
      positive: ["ANTHROPIC_API_KEY=sk-ant-api03-" + "abcdEFGH1234".repeat(8) + "-AAAA"],
      negative: ["ANTHROPIC_API_KEY=sk-ant-api03-..."],
    },
  },
  {
    id: "SR-SECRET-006",
    title: "Chat or messaging token",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains a Slack or Telegram bot token.",
    fix: "Remove and revoke the token; read it from the environment.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["xox", ":aa"],
    match: (segment) => tokens(/\bxox[abposr]-[0-9]{8,}-[0-9A-Za-z-]{10,}|\b\d{8,10}:AA[0-9A-Za-z_-]{33}\b/g, segment.text),
    examples: {
      positive: ["SLACK_BOT_TOKEN=xoxb-123456789012-abcdABCD1234abcd"],
      negative: ["SLACK_BOT_TOKEN=$SLACK_BOT_TOKEN"],
    },
  },
  {
    id: "SR-SECRET-007",
    title: "Payment or e-mail API key",
    category: "hardcoded-secret",
    severity: "high",
    message: "Contains a Stripe live key or a SendGrid API key.",
    fix: "Remove and revoke the key; read it from the environment.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["sk_live_", "rk_live_", "sg."],
    match: (segment) => tokens(/\b[sr]k_live_[0-9a-zA-Z]{24,}\b|\bSG\.[\w-]{22}\.[\w-]{43}\b/g, segment.text),
    examples: {
      positive: ["stripe.api_key = 'sk_live_abcdABCD1234abcdABCD1234'"],
      negative: ["stripe.api_key = os.environ['STRIPE_KEY']  # sk_test_ keys in CI only"],
    },
  },
  {
    id: "SR-SECRET-008",
    title: "Generic secret assignment",
    category: "hardcoded-secret",
    severity: "medium",
    message: "A secret-named variable is assigned a long, random-looking literal.",
    fix: "Read the value from the environment or a secret store.",
    fileKinds: ALL_TEXT,
    context: "fact",
    keywords: ["secret", "token", "passw", "api_key", "apikey", "api-key", "access_key", "accesskey", "access-key", "auth"],
    match: (segment) =>
      hitsOf(/(?:secret|token|passw(?:or)?d|api[_-]?key|access[_-]?key|auth[_-]?key)[\w.-]{0,20}["']?\s*[:=]\s*["']([^"'\s]{16,120})["']/gi, segment.text, (m) => {
        const v = m[1]!;
        return !isPlaceholder(v) && !/^(?:\$|%|https?:|\/|\.\/)/.test(v) && entropy(v) >= 3.5 && /\d/.test(v) && /[a-zA-Z]/.test(v);
      }),
    examples: {
      positive: ["API_TOKEN = \"q8Zr2LmX0vT9wKp4Nd7Yb3Hs\""],
      negative: ["API_TOKEN = \"your-token-here\"", "password: \"${DB_PASSWORD}\""],
    },
  },
];
