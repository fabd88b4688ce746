/**
 * URLs and hosts as the scanner reads them, in one place: code, prose and command lines all
 * use these, so "which host does this go to" has one answer. Written by hand rather than with
 * WHATWG `URL`: the text is code (`"https://api.github.com${path}"`, `https://$HOST/x`,
 * `curl get.chezmoi.io`), where `URL` would either throw or read a shell expansion as part of
 * the host name; here an expansion inside the host name makes the host unknown.
 */

/** Where a URL ends in code and prose: white space, quotes, brackets that close it, a shell pipe or separator. */
const URL_END = String.raw`\s"'\`<>)\]|;`;
/** An absolute http(s) URL. */
const ABSOLUTE = new RegExp(String.raw`\bhttps?:\/\/[^${URL_END}]+`, "gi");
/** A host name with a path and no scheme (`get.example.dev/install.sh`): curl and wget read it as http. */
const SCHEMELESS = new RegExp(String.raw`(?<![\w@./:-])(?:[a-z0-9-]+\.)+[a-z]{2,}\/[^${URL_END}]*`, "gi");
/** A host name standing alone as a download's argument (`curl -fsLS get.chezmoi.io`). */
const BARE_HOST = /^(?:[a-z0-9-]+\.)+[a-z]{2,}$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Every absolute http(s) URL in the text. */
export function urlsIn(text: string): string[] {
  return text.match(ABSOLUTE) ?? [];
}

/** Absolute URLs and scheme-less `host.tld/path` ones (given the http:// a download tool would add). */
export function urlsWithSchemelessIn(text: string): string[] {
  const absolute = urlsIn(text);
  const rest = text.replace(ABSOLUTE, " ");
  return [...absolute, ...(rest.match(SCHEMELESS) ?? []).map((u) => `http://${u}`)];
}

/**
 * The URLs a download command fetches: its absolute and scheme-less URLs, and an argument of
 * curl or wget that is only a host name (`curl -fsLS get.chezmoi.io`), fetched over http.
 */
export function downloadUrlsIn(command: string): string[] {
  const urls = urlsWithSchemelessIn(command);
  const args = [...command.matchAll(/\b(?:curl|wget)\b([^|;&)\n]*)/g)].flatMap((m) => m[1]!.split(/[\s"'`(]+/));
  const bare = args.filter((w) => BARE_HOST.test(w) && !/\.(?:sh|py|ps1|js|txt|json|zip|gz|tgz)$/.test(w));
  return [...urls, ...bare.map((h) => `http://${h}`)];
}

/**
 * The host of a URL as written, lower case, or undefined when it is not an absolute http(s)
 * URL. An expansion stays part of it (`$host` for `https://$HOST/x`): a host no vendor owns.
 */
export function hostOf(url: string): string | undefined {
  const m = /^(?:https?:)?\/\/([^/?#\s"'`]+)/i.exec(url.trim());
  if (!m) return undefined;
  const authority = m[1]!.replace(/^[^@]*@/, "").replace(/:\d+$/, "").toLowerCase();
  return authority.replace(/\.$/, "") || undefined;
}

/**
 * The host only when it is fully written out: a DNS name or an address. `https://$HOST/x` and
 * `https://api.example.com${suffix}` (the expansion could continue the name) have none.
 */
export function writtenHostOf(url: string): string | undefined {
  const host = hostOf(url);
  return host && /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(host) ? host : undefined;
}

/** The path of a URL ("/" when it has none). */
export function pathOf(url: string): string {
  const m = /^(?:https?:)?\/\/[^/?#\s]+([^?#\s]*)/i.exec(url.trim());
  return m?.[1] || "/";
}

/** Whether the host is an IPv4 address rather than a name. */
export function isAddress(host: string): boolean {
  return IPV4.test(host) || host.startsWith("[");
}

/** The name of the registrable domain: `github` for api.github.com, `evil` for github.evil.example. */
export function domainName(host: string): string {
  return host.split(".").slice(-2)[0] ?? "";
}

/** Whether the host is `domain` or one of its subdomains (dot boundaries: `notgithub.com` is not github.com). */
export function isOnDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
