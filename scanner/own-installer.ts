/**
 * The installer of the product a skill is for: the nodetool skill piping
 * `raw.githubusercontent.com/nodetool-ai/nodetool/…/install.sh` to bash, the pinchwork skill
 * running `https://pinchwork.dev/install.sh`. It is not on the reviewed allowlist
 * (scanner/allowlist.ts), so it is not medium; but a download-and-run of the very project the
 * skill names is the vendor's install step, not a dropper, so it is reviewed (high) rather than
 * blocked. A name costs an attacker nothing, which is why this never goes below high, and why
 * it needs all of:
 *
 * - the URL is https with a host name (no address), and its domain name or its GitHub
 *   repository is the skill's name (compared without separators: `private-connect` and
 *   `privateconnect.co`);
 * - every URL on the line is such a URL;
 * - no other finding of the skill is critical: a dropper that also reads secrets, opens a
 *   shell, unpacks a password-protected archive or hides text stays blocked.
 */
import { isInstallerLookAlike } from "./allowlist.js";
import { domainName, hostOf, isAddress, urlsWithSchemelessIn } from "./urls.js";
import type { Finding } from "./types.js";

// SR-DLEXEC-008 is the same act read by the data-flow analysis (`sh -c "$(curl …)"`, a fetch's reply run).
const PIPE_TO_SHELL = new Set(["SR-DLEXEC-001", "SR-DLEXEC-003", "SR-DLEXEC-004", "SR-DLEXEC-008"]);
/** Hosts that serve many owners' files: the repository path, not the host, says whose. */
const CODE_HOSTS = new Set(["raw.githubusercontent.com", "github.com", "gitlab.com", "codeberg.org"]);

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Whether a URL is the skill's own project: its domain name, or its repository on a code host. */
function ownProject(url: string, names: string[]): boolean {
  if (!/^https:\/\//i.test(url)) return false;
  const host = hostOf(url);
  if (!host || isAddress(host)) return false;
  const own = (word: string) => word.length >= 4 && names.includes(squash(word));
  if (CODE_HOSTS.has(host)) {
    const repo = /^https:\/\/[^/]+\/[^/]+\/([^/?#]+)/i.exec(url)?.[1];
    return repo !== undefined && own(repo.replace(/\.git$/, ""));
  }
  const labels = host.split(".");
  // The domain name (`pinchwork` of pinchwork.dev), with its ending (`inference.sh` for inference-sh), or with its subdomains.
  return own(domainName(host)) || own(labels.slice(-2).join("")) || own(labels.slice(0, -1).join(""));
}

/** A repository its project keeps under an organisation of the same name (`github.com/ohmyzsh/ohmyzsh`), named by the skill. */
function officialRepository(url: string, names: string[]): boolean {
  const host = hostOf(url);
  const path = /^https:\/\/[^/]+\/([^/?#]+)\/([^/?#]+)/i.exec(url);
  if (!host || !CODE_HOSTS.has(host) || !path) return false;
  const owner = squash(path[1]!);
  return owner.length >= 4 && owner === squash(path[2]!.replace(/\.git$/, "")) && names.includes(owner);
}

/** The words of a skill name (`ghcup-haskell`: ghcup, haskell). */
const wordsOf = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/**
 * Whether every word of a skill's name is a word of the URL's host, the registrable domain's
 * name being one of them (`ghcup-haskell` and get-ghcup.haskell.org, `rover-apollo` and
 * rover.apollo.dev), or, on a code host, of its owner and repository, the owner being one of them
 * (`botpress-adk` and github.com/botpress/adk, not someone/duck-pond-helper): the skill is named
 * for the project whose installer it runs. Words only in subdomains (`translation-sync` and
 * l10n-hooks.translation-sync.example.org) are the domain owner's to choose, and a host spelling
 * an installer's host first is a look-alike.
 */
function namedByAllWords(url: string, skillNames: string[]): boolean {
  if (!/^https:\/\//i.test(url)) return false;
  const host = hostOf(url);
  if (!host || isAddress(host) || isInstallerLookAlike(host)) return false;
  const repo = /^https:\/\/[^/]+\/([^/?#]+)\/([^/?#]+)/i.exec(url);
  const code = CODE_HOSTS.has(host);
  const place = code ? (repo ? `${repo[1]} ${repo[2]!.replace(/\.git$/, "")}` : "") : host.split(".").slice(0, -1).join(" ");
  const placeWords = new Set(wordsOf(place));
  // Who holds the place: the domain's name, or on a code host the owner (anyone may name a repository after a skill).
  const holder = code ? (repo?.[1] ?? "").toLowerCase() : domainName(host).toLowerCase();
  const named = (n: string) => wordsOf(n).includes(holder);
  return skillNames.some((n) => squash(n).length >= 4 && named(n) && wordsOf(n).every((w) => placeWords.has(w)));
}

/** A run sent to the background with its output discarded (`… | sh >/dev/null 2>&1 &`). */
const HIDDEN_RUN = />\s*\/dev\/null\b[^\n]{0,20}&\s*\)?\s*(?:;|$)|&>\s*\/dev\/null\s*&|\bnohup\b|\|\s*Out-Null\b[^\n]{0,40}-AsJob\b|\bStart-Job\b/;

/** The URLs of a finding's line, or, when the line only runs what was fetched (`python3 pow.py`), of the fetch it points to. */
function urlsOf(f: Finding, textOf?: (path: string) => string | undefined): string[] {
  const own = urlsWithSchemelessIn(f.evidence);
  if (own.length > 0 || !textOf || !f.related?.length) return own;
  return f.related.flatMap((r) => {
    if (r.file === undefined || r.line === undefined) return [];
    const line = (textOf(r.file) ?? "").split("\n", r.line)[r.line - 1] ?? "";
    return urlsWithSchemelessIn(line);
  });
}

export function reviewOwnInstallers(findings: Finding[], skillNames: string[], textOf?: (path: string) => string | undefined): Finding[] {
  // A skill for a product names it first (`opencode-acp-control` is for opencode): the leading word counts as the name.
  const names = [...new Set(skillNames.filter(Boolean).flatMap((n) => [squash(n), squash(n.split(/[-_\s]/)[0] ?? "")]))];
  // A name whose leading words are a project's (`oh-my-zsh-install`) counts only for the project's own repository on a code host (ohmyzsh/ohmyzsh).
  const leading = [...new Set(skillNames.filter(Boolean).flatMap((n) => n.split(/[-_\s]/).map((_, k, words) => squash(words.slice(0, k + 1).join("")))))];
  const installs = findings.filter((f) => {
    if (!PIPE_TO_SHELL.has(f.ruleId) || f.severity !== "critical") return false;
    const urls = urlsOf(f, textOf);
    // Run in the background with its output thrown away, it is not an install the user watches.
    return urls.length > 0 && !HIDDEN_RUN.test(f.evidence) && urls.every((u) => ownProject(u, names) || officialRepository(u, leading) || namedByAllWords(u, skillNames));
  });
  if (installs.length === 0 || findings.some((f) => f.severity === "critical" && !installs.includes(f))) return findings;
  const reason = "the installer of the project the skill is named for (not on the reviewed allowlist): reviewed, not blocked";
  return findings.map((f) => (installs.includes(f) ? { ...f, severity: "high", demoted: reason } : f));
}
