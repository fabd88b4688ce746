/**
 * Evidence excerpts: a short, single-line, terminal-safe slice of the matched line with any
 * secret masked, so reports (which end up in CI logs and PR comments) never leak a key.
 */

/** Token shapes whose value is masked in every excerpt (prefix kept, rest starred). */
const SECRET_SHAPES: RegExp[] = [
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bpypi-AgE[A-Za-z0-9_-]{40,}/g,
  /\bsk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{20,}/g,
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bhf_[A-Za-z]{30,}\b/g,
  /\bgsk_[A-Za-z0-9]{40,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b\d{8,10}:AA[0-9A-Za-z_-]{33}\b/g,
  /\bSG\.[\w-]{16,}\.[\w-]{16,}/g,
  /\bdckr_pat_[A-Za-z0-9_-]{20,}/g,
  /\bhooks\.slack\.com\/services\/[A-Za-z0-9/]{10,}/g,
  /\bdiscord(?:app)?\.com\/api\/webhooks\/[\w/-]{10,}/g,
  // key = "value" assignments of secret-named variables
  /(?<=\b[\w.-]*(?:secret|token|passw(?:or)?d|api_?key|access_?key|private_?key|auth)[\w.-]*["']?\s*[:=]\s*["']?)[^\s"',;]{8,}/gi,
  // the body of a PEM block
  /(?<=-----BEGIN [A-Z ]{0,30}PRIVATE KEY[A-Z ]{0,10}-----(?:\\n|\s)*)[A-Za-z0-9+/=]{8,}/g,
];

const KEEP_PREFIX = /^(?:[a-z]{2,12}[_-](?:[a-z0-9]{2,8}[_-])?|AKIA|ASIA|ABIA|ACCA|AIza|SG\.)/i;

/** Keep a recognisable prefix (the token type plus two characters), star the rest. */
export function mask(secret: string): string {
  const prefix = KEEP_PREFIX.exec(secret)?.[0] ?? "";
  const keep = Math.min(prefix.length + 2, Math.floor(secret.length / 3));
  return secret.slice(0, keep) + "*".repeat(Math.min(12, Math.max(4, secret.length - keep)));
}

function redact(text: string): string {
  let out = text;
  for (const re of SECRET_SHAPES) out = out.replace(re, (s) => mask(s));
  return out;
}

/** Invisible and control characters made visible, so a report can't hide or inject anything. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]/gu;

function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

const MAX_EVIDENCE = 160;

/**
 * A fresh copy of a short string. V8 keeps a slice's whole parent alive, and an excerpt of a
 * 1 MiB window must not hold the window in memory.
 */
export function detach(s: string): string {
  return s.length === 0 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The excerpt for a match at [start, end) inside `line`. */
export function excerpt(line: string, start: number, end: number): string {
  let from = 0;
  let to = line.length;
  if (to - from > MAX_EVIDENCE) {
    from = Math.max(0, start - 40);
    to = Math.min(line.length, Math.max(end, start + 80) + 40, from + MAX_EVIDENCE);
  }
  const body = line.slice(from, to).trim();
  return detach(`${from > 0 ? "…" : ""}${escapeInvisible(redact(body))}${to < line.length ? "…" : ""}`);
}
