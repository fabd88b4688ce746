/**
 * A credential used with its own vendor's API: the GitHub CLI's token read from its config to
 * list the user's stars, a token kept in the keychain under "github-api" sent to
 * api.github.com. That is the credential's purpose, not exfiltration (issue 10: "a Telegram
 * skill calling the Telegram API is not exfiltration"). The demotion rests on the whole skill,
 * never on wording:
 *
 * - every high or critical finding is a credential read (or the chain built from it) whose line
 *   names one vendor: a store that belongs to it (`~/.config/gh/hosts.yml`, `~/.npmrc`) or a
 *   keychain item named after it (`-s github-api`);
 * - every URL anywhere in the skill, code and prose alike, is on that vendor's hosts (the
 *   registrable domain, so `github.evil.example` is not GitHub), and there is at least one;
 * - nothing in the skill sends a body (no POST, `-d`, `-F`, `data=`, `body:`...): a token in a
 *   header to its vendor is a use, a token written into a gist or an issue is a publication;
 * - no other finding is medium or above (guardrails notes aside) and every file is one the
 *   scanner reads.
 *
 * Such findings go to medium, still shown.
 */
import { hostOf, isPurposeHost } from "./allowlist.js";
import type { FileKind, Finding } from "./types.js";

const OPAQUE = new Set<FileKind>(["binary", "other-code"]);
/** Words of a keychain item's name that say nothing about whose secret it is. */
const GENERIC = new Set(["api", "token", "key", "secret", "cli", "app", "my", "personal", "access", "auth", "pat", "password", "login"]);
/** A keychain or secret-service item read by name. */
const KEYCHAIN_ITEM = /\bsecurity\s+find-(?:generic|internet)-password\b[^\n]*?\s-s\s+["']?([\w.-]+)|\bsecret-tool\s+lookup\s+(?:\w+\s+)*?service\s+["']?([\w.-]+)|\bkeyring\.get_password\(\s*["']([\w.-]+)/;
/** Stores that belong to one vendor, by the kind allowlist.ts knows its hosts for. */
const STORES: [RegExp, string][] = [
  [/\.config\/gh\/hosts\.yml\b|\.config\/hub\b/, "git"],
  [/(?:^|[/~"'\s])\.npmrc\b/, "npm"],
  [/(?:^|[/~"'\s])\.pypirc\b/, "pypi"],
  [/\.docker\/config\.json\b/, "docker"],
  [/\.cargo\/credentials(?:\.toml)?\b/, "cargo"],
  [/\.gem\/credentials\b/, "rubygems"],
];
/** A request that carries a body, in any of the languages a skill's scripts are written in. */
const SENDS_BODY =
  /(?:-X\s*|--request\s+|\bmethod\s*[:=]\s*["'`]?|-Method\s+)(?:POST|PUT|PATCH)\b|\s(?:-d|-F|-T|--data(?:-\w+)?|--form|--upload-file|-Body|-InFile)(?=[\s=])|\b(?:body|data|json|files)\s*[:=]\s*[^\s=]|\.(?:post|put|patch)\s*\(/i;
const URL = /\bhttps?:\/\/[^\s"'`<>)\]]+/gi;

/** A check on hosts for the vendor the credential on this line belongs to, named by a key. */
function vendorOf(line: string): { key: string; owns: (host: string) => boolean } | undefined {
  const item = KEYCHAIN_ITEM.exec(line);
  if (item) {
    const word = (item[1] ?? item[2] ?? item[3]!).toLowerCase().split(/[-_.]/).find((w) => w.length > 1 && !GENERIC.has(w));
    if (!word) return undefined;
    // The registrable domain's name (last two labels): api.github.com is github, github.evil.example is not.
    return { key: `word:${word}`, owns: (host) => host.split(".").slice(-2)[0] === word };
  }
  const store = STORES.find(([re]) => re.test(line));
  return store ? { key: `kind:${store[1]}`, owns: (host) => isPurposeHost(store[1], host) } : undefined;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteOwnVendorUse(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const uses = findings.filter((f) => f.severity !== "low" && (f.category === "credential-access" || f.ruleId === "SR-EXFIL-001" || f.ruleId === "SR-EXFIL-009"));
  if (!uses.some((f) => f.severity === "critical" || f.severity === "high") || uses.some((f) => f.suppressed)) return findings;
  if (findings.some((f) => !uses.includes(f) && f.severity !== "low" && f.category !== "guardrails")) return findings;
  if (files.some((f) => OPAQUE.has(f.kind))) return findings;
  const vendors = uses.map((f) => vendorOf(f.evidence));
  const vendor = vendors[0];
  if (!vendor || vendors.some((v) => v?.key !== vendor.key)) return findings;
  const texts = files.map((f) => textOf(f.path));
  if (texts.some((t) => t === undefined)) return findings;
  const urls = texts.flatMap((t) => t!.match(URL) ?? []);
  if (urls.length === 0 || !urls.every((u) => { const h = hostOf(u); return h !== undefined && vendor.owns(h); })) return findings;
  if (texts.some((t) => SENDS_BODY.test(t!))) return findings;
  const reason = "a credential used with its own vendor's API only: every URL in the skill is the vendor's and nothing sends a body";
  return findings.map((f) => (uses.includes(f) && (f.severity === "critical" || f.severity === "high") ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
