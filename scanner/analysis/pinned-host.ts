/**
 * A request whose host comes from the user's setting, which the code itself pins to one vendor's
 * domains before it sends: Datadog's site (`if ($site -notmatch '^((us3|us5|ap1)\.)?datadoghq\.(com|eu)$')
 * { throw }`), a Shopify store (`if not re.fullmatch(r"[a-z0-9-]+\.myshopify\.com", store): sys.exit()`).
 * Folding cannot know the setting, so the host reads `api.…`; the guard says which hosts it can be.
 *
 * The guard counts only when it is what the code does, not what it says:
 * - it tests the very variable the URL's host is built from, and stops the program when the test
 *   fails (throw, exit, raise, return), and nothing assigns that variable after it;
 * - the pattern is anchored at both ends (`fullmatch`, or `^…$` around every alternative) and
 *   every alternative ends in a literal registrable domain after a dot or at its start
 *   (`[a-z]+myshopify\.com` would let `evilmyshopify.com` through; `.*` pins nothing).
 * The sink's host is then those domains; whose they are is judged as for a literal URL (a domain
 * the attacker lists beside the vendor's is not the vendor's).
 */
import { escapeRegExp } from "../escape-regexp.js";
import type { SinkFact } from "./judge.js";

/** The variable a URL's host is built from: `https://{store}/…`, `https://api.$site/…`, `${host}`, `" + host + "`. */
function hostVariable(sinkText: string): string | undefined {
  const m = /https?:\/\/([^/\s"'`]{0,120})/.exec(sinkText);
  if (!m) return undefined;
  const host = m[1]!;
  const v = /\{(\w+)\}|\$\{?(?:env:)?(\w+)\}?|\(\$(\w+)\)/.exec(host) ?? (host === "" ? /^["']\s*\+\s*(\w+)\s*\+/.exec(sinkText.slice(m.index + m[0].length)) : null);
  return v ? (v[1] ?? v[2] ?? v[3]) : undefined;
}

/** A guard on `name` that stops the program when the pattern does not match; the pattern and whether the call matches it whole. */
function guardOn(text: string, name: string): { pattern: string; whole: boolean; end: number } | undefined {
  const n = escapeRegExp(name);
  const stop = String.raw`(?:throw|exit|raise|return|sys\.exit|process\.exit|die|Write-Error[^\n]{0,80}-ErrorAction\s+Stop)\b`;
  const forms: RegExp[] = [
    // PowerShell: if ($site -notmatch '…') { throw … }
    new RegExp(String.raw`if\s*\(\s*\$${n}\s+-(?:c|i)?notmatch\s+'([^'\n]{1,300})'\s*\)\s*\{\s*${stop}`, "i"),
    // Python: if not re.fullmatch(r"…", store): sys.exit(…)
    new RegExp(String.raw`if\s+not\s+re\.(fullmatch|match|search)\(\s*r?(["'])([^"'\n]{1,300})\2\s*,\s*${n}\s*(?:,[^)\n]{0,40})?\)\s*:\s*(?:\n\s*)?${stop}`),
    // JavaScript: if (!/…/.test(host)) throw …
    new RegExp(String.raw`if\s*\(\s*!\s*\/([^/\n]{1,300})\/[a-z]*\.test\(\s*${n}\s*\)\s*\)\s*\{?\s*${stop}`),
    // Shell: [[ $host =~ … ]] || exit 1
    new RegExp(String.raw`\[\[\s*"?\$\{?${n}\}?"?\s*=~\s*([^\s\]]{1,300})\s*\]\]\s*\|\|\s*\{?\s*${stop}`),
  ];
  for (const re of forms) {
    const m = re.exec(text);
    if (!m) continue;
    if (m[3] !== undefined) return { pattern: m[3], whole: m[1] === "fullmatch", end: m.index + m[0].length };
    return { pattern: m[1]!, whole: false, end: m.index + m[0].length };
  }
  return undefined;
}

/** Top-level alternatives of a pattern (`a|b`, not inside a group). */
function alternatives(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) { out.push(pattern.slice(start, i)); start = i + 1; }
  }
  out.push(pattern.slice(start));
  return out;
}

/** The domains one anchored alternative ends in (`…datadoghq\.(com|eu)$` -> datadoghq.com, datadoghq.eu), or undefined. */
function domainsOf(alt: string, whole: boolean): string[] | undefined {
  let a = alt;
  // `^(?:a|b)$` wraps the alternatives in one group.
  if (!whole && !/^\^/.test(a)) return undefined;
  a = a.replace(/^\^/, "");
  if (!whole && !/\$$/.test(a)) return undefined;
  a = a.replace(/\$$/, "");
  const m = /(?:^|\\\.\)?\??)([a-z0-9-]{2,63})\\\.(?:([a-z]{2,24})|\((?:\?:)?((?:[a-z]{2,24}\|)*[a-z]{2,24})\))$/.exec(a);
  if (!m) return undefined;
  const tlds = m[2] ? [m[2]] : m[3]!.split("|");
  return tlds.map((t) => `${m[1]}.${t}`);
}

/**
 * The domains a sink's configured host is pinned to by a guard in `code`, or undefined.
 * Only for a host folding left unknown (`…`).
 */
export function pinnedHosts(sink: SinkFact, code: string): string[] | undefined {
  if (!sink.text || !sink.hosts.some((h) => h.includes("…")) || sink.hosts.some((h) => !h.includes("…"))) return undefined;
  const name = hostVariable(sink.text);
  if (!name) return undefined;
  const guard = guardOn(code, name);
  if (!guard) return undefined;
  // Nothing may set the variable again between the guard and the send.
  if (new RegExp(String.raw`(?<![\w.])\$?${escapeRegExp(name)}\s*(?:=(?!=)|:=)`).test(code.slice(guard.end))) return undefined;
  let pattern = guard.pattern;
  // `^(?:a|b)$`: one group around the alternatives.
  const wrapped = /^\^\((?:\?:)?(.*)\)\$$/.exec(pattern);
  if (wrapped && alternatives(wrapped[1]!).length > 1) pattern = alternatives(wrapped[1]!).map((x) => `^${x}$`).join("|");
  const domains: string[] = [];
  for (const alt of alternatives(pattern)) {
    const d = domainsOf(alt, guard.whole);
    if (!d) return undefined;
    domains.push(...d);
  }
  return domains.length ? domains : undefined;
}
