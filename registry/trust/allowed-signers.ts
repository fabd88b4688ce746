import { SkillregError } from "../core/index.js";
import { parsePublicKey, type SshPublicKey } from "./ssh-keys.js";

/**
 * The OpenSSH allowed_signers file (ssh-keygen(1) "ALLOWED SIGNERS"), parsed and matched the
 * way `ssh-keygen -Y verify` / `find-principals` do it, so a file that works with
 * `git verify-tag` means the same thing to the registry:
 *
 *   principals [options] ssh-ed25519 AAAA... [comment]
 *
 * principals: comma-separated patterns (`*`, `?`, a leading `!` negates), optionally in double
 * quotes. Options: `namespaces="git,file"` (a pattern list), `valid-after="YYYYMMDD[HHMM[SS]][Z]"`,
 * `valid-before="..."` (no Z or UTC suffix: the machine's local time, as in OpenSSH). Names are
 * case-insensitive and values must be quoted, as OpenSSH requires.
 *
 * Revoking a key means giving its line a valid-before, not deleting it: tags signed while the key
 * was valid keep verifying, because tag signatures are judged at the time the release recorded
 * them (KeyUse.at), not at the tagger's claimed date.
 *
 * Deliberate refusals (fail closed): `cert-authority` lines (the registry verifies plain keys, not
 * certificates, and a CA line would silently match nothing) and non-ed25519 keys are errors.
 */

export interface AllowedSigner {
  /** 1-based line in the file, for messages. */
  line: number;
  /** Principal patterns as written, negations included ("!bob"). */
  principals: string[];
  /** Namespace patterns, or undefined when the line allows every namespace. */
  namespaces?: string[];
  validAfter?: Date;
  validBefore?: Date;
  key: SshPublicKey;
}

export interface KeyUse {
  /** The signature namespace ("git" for tags). */
  namespace: string;
  /** The moment the key must have been valid (for tags: when the release recorded them). */
  at: Date;
}

/** OpenSSH match_pattern: `*` any run, `?` one character, case-sensitive, whole string. */
function matchPattern(value: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "s").test(value);
}

/** OpenSSH match_pattern_list: true when some pattern matches and no negated one does. */
export function matchPatternList(value: string, patterns: readonly string[]): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith("!")) {
      if (matchPattern(value, p.slice(1))) return false;
    } else if (matchPattern(value, p)) {
      positive = true;
    }
  }
  return positive;
}

/** OpenSSH parse_absolute_time: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, then Z/UTC or local time. */
export function parseSignerTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z|UTC)?$/i.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const utc = m[7] !== undefined;
  const date = utc ? new Date(Date.UTC(y!, mo! - 1, d, h, mi, s)) : new Date(y!, mo! - 1, d, h, mi, s);
  // Reject what strptime rejects (month 13, hour 25) instead of letting Date roll it over.
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  if (parts.join() !== [y, mo, d, h, mi, s].join() || date.getTime() <= 0) return undefined;
  return date;
}

/** The Z form of a time for valid-after/valid-before: YYYYMMDDHHMMSSZ (UTC, whole seconds). */
export function formatSignerTime(date: Date): string {
  return `${date.toISOString().replace(/\.\d{3}Z$/, "").replace(/[-:T]/g, "")}Z`;
}

/**
 * One allowed_signers line for an entry (principals quoted when they hold blanks), the inverse
 * of parseAllowedSigners for the entries this registry writes.
 */
export function formatAllowedSigner(entry: Omit<AllowedSigner, "line">): string {
  if (entry.principals.length === 0) throw new SkillregError("an allowed_signers line needs at least one principal");
  for (const p of [...entry.principals, ...(entry.namespaces ?? [])]) {
    if (p === "" || /[,"\n\r\0]/.test(p)) throw new SkillregError(`'${p}' cannot be written in allowed_signers (empty, or holds , " or a newline)`);
  }
  const principals = entry.principals.join(",");
  const options = [
    entry.namespaces && `namespaces="${entry.namespaces.join(",")}"`,
    entry.validAfter && `valid-after="${formatSignerTime(entry.validAfter)}"`,
    entry.validBefore && `valid-before="${formatSignerTime(entry.validBefore)}"`,
  ].filter(Boolean);
  return [/[ \t]/.test(principals) ? `"${principals}"` : principals, options.join(","), entry.key.line].filter(Boolean).join(" ");
}

const KEY_START = /^(ssh-|ecdsa-|sk-)\S*[ \t]/;

/** Split off one whitespace-delimited word, or a double-quoted one (OpenSSH strdelimw). */
function takeWord(rest: string): { word: string; rest: string } | undefined {
  if (rest.startsWith('"')) {
    const close = rest.indexOf('"', 1);
    if (close < 0) return undefined;
    return { word: rest.slice(1, close), rest: rest.slice(close + 1).replace(/^[ \t]+/, "") };
  }
  const m = /^([^ \t"]+)[ \t]*(.*)$/s.exec(rest);
  return m ? { word: m[1]!, rest: m[2]! } : undefined;
}

interface LineOptions {
  namespaces?: string[];
  validAfter?: Date;
  validBefore?: Date;
  rest: string;
}

/** Parse `opt[,opt...]` up to the first unquoted blank, as OpenSSH's sshsigopt_parse does. */
function parseOptions(text: string, fail: (msg: string) => never): LineOptions {
  const out: LineOptions = { rest: "" };
  let s = text;
  for (;;) {
    const name = /^[A-Za-z-]+/.exec(s)?.[0] ?? "";
    const lower = name.toLowerCase();
    s = s.slice(name.length);
    if (lower === "cert-authority") {
      fail("cert-authority lines are not supported: the registry verifies plain ed25519 keys, not certificates");
    }
    if (!["namespaces", "valid-after", "valid-before"].includes(lower) || !s.startsWith("=")) {
      fail(`unknown option '${(name + s).split(/[ \t,]/)[0]}' (expected namespaces=, valid-after= or valid-before=)`);
    }
    if (!s.startsWith('="')) fail(`option ${lower} needs a double-quoted value`);
    let value = "";
    let i = 2;
    for (; i < s.length && s[i] !== '"'; i++) {
      if (s[i] === "\\" && s[i + 1] === '"') i++;
      value += s[i];
    }
    if (i >= s.length) fail(`option ${lower}: missing closing quote`);
    s = s.slice(i + 1);
    if (lower === "namespaces") {
      if (out.namespaces) fail('more than one "namespaces" option');
      out.namespaces = value.split(",");
    } else {
      const field = lower === "valid-after" ? "validAfter" : "validBefore";
      if (out[field]) fail(`more than one "${lower}" option`);
      const date = parseSignerTime(value);
      if (!date) fail(`invalid ${lower} time '${value}' (expected YYYYMMDD[HHMM[SS]][Z])`);
      out[field] = date;
    }
    if (s === "" || /^[ \t]/.test(s)) break;
    if (!s.startsWith(",")) fail(`unexpected '${s[0]}' after option ${lower}`);
    s = s.slice(1);
  }
  if (out.validAfter && out.validBefore && out.validBefore <= out.validAfter) fail("valid-before is not after valid-after");
  out.rest = s.replace(/^[ \t]+/, "");
  return out;
}

/** Parse a whole allowed_signers file. Errors read `<file>:<line>: message`. */
export function parseAllowedSigners(text: string, file = "allowed_signers"): AllowedSigner[] {
  const signers: AllowedSigner[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const where = `${file}:${line}`;
    const fail = (msg: string): never => {
      throw new SkillregError(`${where}: ${msg}`);
    };
    const content = raw.replace(/\r$/, "").replace(/^[ \t]+/, "");
    if (content === "" || content.startsWith("#")) return;
    const first = takeWord(content);
    if (!first || first.word === "") fail("expected principals, then a key");
    const { word: principalList, rest } = first!;
    if (rest === "") fail("missing key after the principals");
    const options = KEY_START.test(rest) ? { rest } : parseOptions(rest, fail);
    if (options.rest === "") fail("missing key after the options");
    const key = parsePublicKey(options.rest, where);
    const { namespaces, validAfter, validBefore } = options as LineOptions;
    signers.push({
      line,
      principals: principalList.split(","),
      key,
      ...(namespaces && { namespaces }),
      ...(validAfter && { validAfter }),
      ...(validBefore && { validBefore }),
    });
  });
  return signers;
}

/**
 * allowed_signers as a registry reads it: OpenSSH's format, plus one key, one principal. A key
 * listed for two principals (on one line, as a pattern, or on several lines) would let one
 * person's signature speak for another, so every reader of a registry's file (gate, merge,
 * push, audit, verify, index) refuses it, not only `keys add`. The same key may appear on
 * several lines for the same principal (a revoked line and its successor).
 */
export function parseRegistrySigners(text: string, file = "allowed_signers"): AllowedSigner[] {
  const signers = parseAllowedSigners(text, file);
  const holders = new Map<string, { principal: string; line: number }>();
  for (const s of signers) {
    const where = `${file}:${s.line}`;
    const [principal = ""] = s.principals;
    if (s.principals.length !== 1 || /[*?!]/.test(principal)) {
      throw new SkillregError(`${where}: key ${s.key.fingerprint} is listed for '${s.principals.join(",")}'; a registry key signs for exactly one principal (no lists or patterns)`);
    }
    const held = holders.get(s.key.fingerprint);
    if (held && held.principal !== principal) {
      throw new SkillregError(`${where}: key ${s.key.fingerprint} is listed for ${principal}, but line ${held.line} lists it for ${held.principal}; one key signs for one principal`);
    }
    holders.set(s.key.fingerprint, { principal, line: s.line });
  }
  return signers;
}

/**
 * A registry's allowed_signers from history, where an unreadable file must not stop the reading
 * of the rest: it admits nobody, so nothing signed under it proves anything.
 */
export function registrySignersOrNone(text: string, file = "allowed_signers"): AllowedSigner[] {
  try {
    return parseRegistrySigners(text, file);
  } catch (e) {
    if (e instanceof SkillregError) return [];
    throw e;
  }
}

/** Why an entry for this key does not apply to this use, or undefined when it does. */
function refusal(entry: AllowedSigner, use: KeyUse): string | undefined {
  if (entry.namespaces && !matchPatternList(use.namespace, entry.namespaces)) {
    return `line ${entry.line} does not allow namespace '${use.namespace}' (namespaces="${entry.namespaces.join(",")}")`;
  }
  // OpenSSH compares whole seconds: valid-after <= t <= valid-before.
  const t = Math.floor(use.at.getTime() / 1000);
  if (entry.validAfter && t < entry.validAfter.getTime() / 1000) {
    return `line ${entry.line} makes the key valid only from ${entry.validAfter.toISOString()}`;
  }
  if (entry.validBefore && t > entry.validBefore.getTime() / 1000) {
    return `line ${entry.line} made the key valid only until ${entry.validBefore.toISOString()}`;
  }
  return undefined;
}

function entriesFor(signers: readonly AllowedSigner[], publicKeyBlob: Buffer): AllowedSigner[] {
  return signers.filter((s) => s.key.blob.equals(publicKeyBlob));
}

/**
 * The principal patterns allowed to use this key for this namespace at this time (like
 * `ssh-keygen -Y find-principals`). Negated patterns are left out; the rest are returned as
 * written, so a pattern such as `*@acme.example` can appear: test a concrete name with isAllowed.
 */
export function principalsForKey(signers: readonly AllowedSigner[], publicKeyBlob: Buffer, use: KeyUse): string[] {
  const out = new Set<string>();
  for (const entry of entriesFor(signers, publicKeyBlob)) {
    if (refusal(entry, use)) continue;
    for (const p of entry.principals) if (!p.startsWith("!")) out.add(p);
  }
  return [...out];
}

/** Whether `principal` may sign with this key in this namespace at this time (`ssh-keygen -Y verify -I`). */
export function isAllowed(signers: readonly AllowedSigner[], principal: string, publicKeyBlob: Buffer, use: KeyUse): boolean {
  return entriesFor(signers, publicKeyBlob).some((e) => matchPatternList(principal, e.principals) && !refusal(e, use));
}

/** A sentence saying why no principal may use this key here (for error messages). */
export function whyKeyRefused(signers: readonly AllowedSigner[], publicKeyBlob: Buffer, use: KeyUse): string {
  const entries = entriesFor(signers, publicKeyBlob);
  if (entries.length === 0) return "the key is not in allowed_signers";
  const reasons = entries.map((e) => refusal(e, use)).filter((r): r is string => r !== undefined);
  return `allowed_signers ${reasons.join("; ") || "lists the key for no principal"}`;
}
