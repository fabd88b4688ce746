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
 * - nothing in the skill sends a body (no POST, `-d`, `-F`, `data=`, `body:`...), or every read
 *   of the token in a script stores it in a shell variable used only in a request header: a
 *   token in a header to its vendor is a use, a token written into a gist or an issue is a
 *   publication;
 * - no URL a script builds carries the token as data (`?text=$T`, `/ping/$T`, `?cb=$T`, through
 *   one variable holding it): a message or a path to the vendor's host lands in whatever
 *   account or bucket the URL names, the attacker's as well (Slack's `chat.postMessage?
 *   token=<theirs>&text=$T`, an S3 bucket's access log); only an auth parameter
 *   (`?access_token=$T`, `?key=$T`) next to no other credential in the URL is a use;
 * - no request grants someone access to the account (`/user/keys`, a deploy key, a collaborator,
 *   a member or an invitation, a webhook, a token, a CI secret) and no file spells an SSH public
 *   key: with the user's token in the header, the vendor plants the author's key or admin seat;
 * - no other finding is medium or above (guardrails notes aside) and every file is one the
 *   scanner reads.
 *
 * Such findings go to medium, still shown.
 */
import { isPurposeHost } from "./allowlist.js";
import { domainName, isOnDomain, urlsIn, writtenHostOf } from "./urls.js";
import type { FileKind, Finding } from "./types.js";
import { escapeRegExp } from "./escape-regexp.js";
import { weighs } from "./weighs.js";

/** Files whose text says nothing the checks below can read (code in other languages is read: its sends are spelled below). */
const OPAQUE = new Set<FileKind>(["binary"]);
/** Words of a keychain item's name that say nothing about whose secret it is. */
const GENERIC = new Set(["api", "token", "key", "secret", "cli", "app", "my", "personal", "access", "auth", "pat", "password", "login"]);
/** Short names of a vendor in item names (`gh-api-token`) and the domain name they stand for. */
const SHORT_NAMES: Record<string, string> = { gh: "github", npm: "npmjs" };
/** Registries a vendor runs under another domain: GitHub's container registry takes the GitHub token. */
const SIBLING_DOMAINS: Record<string, string[]> = { github: ["ghcr.io"], git: ["ghcr.io"] };
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
  [/\bgh\s+auth\s+token\b/, "git"],
];
/**
 * A request that carries a body, in any of the languages a skill's scripts are written in
 * (`"POST"` as a method name in Go or Java, Ruby's `Net::HTTP::Post`, Perl's `->post(`). A
 * statement that starts with `body =` names a reply read (`body = Net::HTTP.start(…).body`);
 * the request that would send it is a POST, `data=` or `.post(` this finds anyway.
 */
const SENDS_BODY =
  /(?:-X\s*|--request\s+|\bmethod\s*[:=]\s*["'`]?|-Method\s+)(?:POST|PUT|PATCH)\b|\s(?:-d|-F|-T|--data(?:-\w+)?|--form|--upload-file|-Body|-InFile)(?=[\s=])|(?<!^[ \t]*)\bbody\s*[:=]\s*[^\s=]|\b(?:data|json|files)\s*[:=]\s*[^\s=]|(?:\.|->)(?:post|put|patch)(?:Async|AsJsonAsync|Form)?\s*\(|\bHTTP::(?:Post|Put|Patch)\b|["'](?:POST|PUT|PATCH)["']|\bMethod::(?:POST|PUT|PATCH)\b|\bPOSTFIELDS\b/im;

/** Requests that give someone else a way into the account, and SSH public keys a request could plant. */
const GRANTS_ACCESS =
  /\/(?:user\/(?:keys|gpg_keys|ssh_signing_keys)|keys|deploy_keys|collaborators|members|memberships|invitations|invites|hooks|access_tokens|personal_access_tokens|impersonation_tokens|authorizations|installations)\b|\/actions\/secrets\b|\b(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+AAAA/;

/** `svc=github-api-token` on a line of its own: a shell constant (group 1 the name, 2 the word). */
const SHELL_CONSTANT = /^\s*(?:readonly\s+|local\s+|export\s+)?([A-Za-z_]\w*)=["']?([\w.-]+)["']?\s*(?:#.*)?$/;
/** Any shell assignment, wherever it stands (`[ -n "$2" ] && svc=$2`, `read -r svc`, `for svc in …`): group 1 or 2 the name. */
const SHELL_ASSIGNMENT = /(?:^|[\s;&|(])([A-Za-z_]\w*)=(?!=)|\b(?:read\s+(?:-\w+\s+|["'][^"'\n]*["']\s+)*|for\s+)([A-Za-z_]\w*)/gm;

/**
 * The line with `$name`/`${name}` written out for each shell variable the file assigns exactly
 * once, to a plain word (`svc=github-api-token; security find-generic-password -s "$svc"`).
 * Assigned twice or from anything else, the name stays unread, so the item names no vendor.
 */
function withShellConstants(line: string, fileText: string): string {
  if (!line.includes("$")) return line;
  const assignments = new Map<string, number>();
  for (const m of fileText.matchAll(SHELL_ASSIGNMENT)) assignments.set(m[1] ?? m[2]!, (assignments.get(m[1] ?? m[2]!) ?? 0) + 1);
  const values = new Map<string, string>();
  for (const l of fileText.split("\n")) {
    const m = SHELL_CONSTANT.exec(l);
    if (m && assignments.get(m[1]!) === 1) values.set(m[1]!, m[2]!);
  }
  return line.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (whole, name: string) => values.get(name) ?? whole);
}

/** The `machine` entry a script picks from ~/.netrc (`machine api.heroku.com … password (\S+)`): group 1 the host, dots maybe escaped. */
const NETRC_MACHINE = /\bmachine\\?s?[+*]?\s*["'(]?((?:[a-z0-9-]+\\?\.)+[a-z]{2,})/gi;

/**
 * The vendor of the skill's ~/.netrc reads: the one host whose `machine` entry its files pick
 * (a netrc holds many hosts' passwords; a script selecting one entry reads that host's). Files
 * naming no machine or several read the whole store and name no vendor.
 */
function netrcVendorOf(texts: string[]): Vendor | undefined {
  const readers = texts.filter((t) => /\.netrc\b/.test(t));
  const hosts = new Set(readers.flatMap((t) => [...t.matchAll(NETRC_MACHINE)].map((m) => m[1]!.replace(/\\/g, "").toLowerCase())));
  if (hosts.size !== 1) return undefined;
  const name = domainName([...hosts][0]!);
  return { key: `word:${name}`, owns: (host) => domainName(host) === name };
}

/** The domain name a vendor word stands for, and the sibling domains it also owns. */
function ownsByName(name: string): (host: string) => boolean {
  return (host) => domainName(host) === name || (SIBLING_DOMAINS[name] ?? []).some((d) => isOnDomain(host, d));
}

interface Vendor {
  key: string;
  owns: (host: string) => boolean;
}

/** A check on hosts for the vendor the credential on this line belongs to, named by a key. */
function vendorOf(written: string, fileText: string, netrc: Vendor | undefined): Vendor | undefined {
  if (netrc && /\.netrc\b/.test(fileText)) return netrc;
  const line = withShellConstants(written, fileText);
  const item = KEYCHAIN_ITEM.exec(line);
  if (item) {
    const word = (item[1] ?? item[2] ?? item[3]!).toLowerCase().split(/[-_.]/).find((w) => w.length > 1 && !GENERIC.has(w));
    if (!word) return undefined;
    // The registrable domain's name (last two labels): api.github.com is github, github.evil.example is not.
    const name = SHORT_NAMES[word] ?? word;
    return { key: `word:${name}`, owns: ownsByName(name) };
  }
  const store = STORES.find(([re]) => re.test(line));
  return store ? { key: `kind:${store[1]}`, owns: (host) => isPurposeHost(store[1], host) || (SIBLING_DOMAINS[store[1]] ?? []).some((d) => isOnDomain(host, d)) } : undefined;
}

/** `https://api.github.com${1:-/user}`: a written host, then the script's first argument (group 1: the host). */
const HOST_THEN_ARGUMENT = /^https?:\/\/([a-z0-9.-]+)\$(?:1\b|\{1(?::-\/[^}]*)?\})/i;

/**
 * The host of a URL that a script ends with its first argument, when SKILL.md calls that script
 * (at least once) and only ever with a path (`bash scripts/gh-api.sh /user`): the argument then
 * continues the path, not the host name (`.evil.example/x` would).
 */
function hostBeforePathArgument(url: string, script: string, skillMd: string): string | undefined {
  const host = HOST_THEN_ARGUMENT.exec(url)?.[1]?.toLowerCase();
  if (!host) return undefined;
  const calls = [...skillMd.matchAll(new RegExp(`${escapeRegExp(script)}(?:[\\s"'\`]|$)\\s*["']?(\\S*)`, "g"))];
  return calls.length > 0 && calls.every((c) => c[1]!.startsWith("/")) ? host : undefined;
}

function lineOf(f: Finding, textOf: (path: string) => string | undefined): string {
  return textOf(f.file)?.split("\n")[f.line - 1] ?? f.evidence;
}

/** `token=${GITHUB_TOKEN:-$(gh auth token)}`, `tok=$(security …)`: group 1 names the variable a shell line stores the credential in. */
const STORED_IN = /^\s*(?:local\s+|export\s+)?([A-Za-z_]\w*)=/;

/**
 * Whether every credential read of a script is stored in a shell variable used only in an
 * HTTP header line (`-H "Authorization: Bearer $token"`, `--header "PRIVATE-TOKEN: $tok"`),
 * never in a body, a file or another variable; and at least one such read exists (SKILL.md
 * naming the token alone proves nothing).
 */
function onlyInHeaders(uses: Finding[], textOf: (path: string) => string | undefined): boolean {
  const scripts = uses.filter((f) => f.file !== "SKILL.md");
  return scripts.length > 0 && scripts.every((f) => {
    const name = STORED_IN.exec(lineOf(f, textOf))?.[1];
    const text = textOf(f.file);
    if (!name || text === undefined) return false;
    const use = new RegExp(`\\$\\{?${name}\\b`);
    const header = new RegExp(`^(?:-H|--header)\\s*["'](?:Authorization:\\s*(?:Bearer|token)|PRIVATE-TOKEN:|X-[\\w-]+:)\\s*\\$\\{?${name}\\}?["']$`, "i");
    return text.split("\n").every((line) => !use.test(line) || line.replace(/(?:-H|--header)\s*(["'])[^"'\n]*\1/g, (h) => (header.test(h) ? " " : h)).search(use) < 0);
  });
}

/** The variable a line stores a read in, shell or Python/JavaScript (`tok = keyring.get_password(…)`). */
/** The variable a read is stored in: at the line's start, or after a case arm, `;`, `&&`, `then` or `do`. */
const STORED_AS = /(?:^|[;&)]|\bthen\b|\bdo\b)\s*(?:local\s+|export\s+|const\s+|let\s+|var\s+)?([A-Za-z_]\w*)\s*=(?!=)/;
/** A URL as a script writes it, up to a quote or space. */
const URL_IN_SCRIPT = /https?:\/\/[^\s"'<>`]+/gi;
/** Query parameters that carry the caller's own credential to the API. */
const AUTH_PARAMETER = "(?:access_token|api_key|apikey|key|token|auth)";

/**
 * Whether a script puts a credential read into a URL as data: the read inline in a URL, or the
 * variable it is stored in (or one variable built from it) anywhere in a URL but as the value
 * of an auth parameter, or beside another credential parameter written in the URL (the sender's
 * own token, so the read one is the message). Unknown shapes count as carried (fail closed).
 */
function carriedInUrl(uses: Finding[], textOf: (path: string) => string | undefined): boolean {
  return uses.filter((f) => f.file !== "SKILL.md").some((f) => {
    const read = lineOf(f, textOf);
    const text = textOf(f.file) ?? "";
    if ([...read.matchAll(URL_IN_SCRIPT)].some((m) => m[0].includes("$("))) return true;
    const name = STORED_AS.exec(read)?.[1];
    if (!name) return true;
    const names = [name];
    for (const m of text.matchAll(new RegExp(`^\\s*(?:local\\s+|export\\s+)?([A-Za-z_]\\w*)=[^\\n]*\\$\\{?${name}\\b`, "gm"))) if (m[1] !== name) names.push(m[1]!);
    return [...text.matchAll(URL_IN_SCRIPT)].some(({ 0: url }) => names.some((n) => {
      // `$n`, `${n}` (shell, JavaScript templates) or `{n}` (a Python f-string).
      const use = `(?:\\$\\{?|\\{)${n}\\b\\}?`;
      if (!new RegExp(use).test(url)) return false;
      const rest = url.replace(new RegExp(`[?&]${AUTH_PARAMETER}=${use}`, "gi"), "");
      return new RegExp(use).test(rest) || new RegExp(`[?&]${AUTH_PARAMETER}=`, "i").test(rest);
    }));
  });
}

/**
 * Hosts a registry client logs in to or publishes with a token for, where no URL is written:
 * `docker login ghcr.io --password-stdin`, `helm registry login`, `npm publish
 * --//registry.npmjs.org/:_authToken=…`. The credential goes to that host, so it counts with the
 * URLs (an attacker's registry is a host like any other).
 */
const LOGIN_HOST = /\b(?:docker|podman|buildah|nerdctl|oras|crane|skopeo|helm\s+registry)\s+login\b(?:\s+-{1,2}[\w-]+(?:[= ](?:"[^"\n]*"|'[^'\n]*'|[^\s"'-]\S*))?)*\s+([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?\b|(?:^|[\s"'=-])\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?\/:_(?:authToken|auth|password)\b/gim;

function loginHostsIn(text: string): string[] {
  return [...text.matchAll(LOGIN_HOST)].map((m) => (m[1] ?? m[2]!).toLowerCase());
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteOwnVendorUse(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const uses = findings.filter((f) => f.severity !== "low" && (f.category === "credential-access" || f.ruleId === "SR-EXFIL-001" || f.ruleId === "SR-EXFIL-009"));
  if (!uses.some((f) => f.severity === "critical" || f.severity === "high") || uses.some((f) => f.suppressed)) return findings;
  if (findings.some((f) => !uses.includes(f) && weighs(f))) return findings;
  if (files.some((f) => OPAQUE.has(f.kind))) return findings;
  // The line as written: evidence masks secrets (`token=${****** auth token)}`).
  const texts = files.map((f) => textOf(f.path));
  if (texts.some((t) => t === undefined)) return findings;
  const netrc = netrcVendorOf(texts as string[]);
  const vendors = uses.map((f) => vendorOf(lineOf(f, textOf), textOf(f.file) ?? "", netrc));
  const vendor = vendors[0];
  if (!vendor || vendors.some((v) => v?.key !== vendor.key)) return findings;
  const skillMd = textOf("SKILL.md") ?? "";
  const hosts = files.flatMap((f, i) => [...urlsIn(texts[i]!).map((u) => writtenHostOf(u) ?? hostBeforePathArgument(u, f.path, skillMd)), ...loginHostsIn(texts[i]!)]);
  if (hosts.length === 0 || !hosts.every((h) => h !== undefined && vendor.owns(h))) return findings;
  // A body (an issue's text) may go to the vendor when the token only ever rides in a header.
  if (texts.some((t) => SENDS_BODY.test(t!)) && !onlyInHeaders(uses, textOf)) return findings;
  if (carriedInUrl(uses, textOf)) return findings;
  if (texts.some((t) => GRANTS_ACCESS.test(t!))) return findings;
  const reason = "a credential used with its own vendor's API only: every URL in the skill is the vendor's and nothing sends a body";
  return findings.map((f) => (uses.includes(f) && (f.severity === "critical" || f.severity === "high") ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
