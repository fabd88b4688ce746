/**
 * A token sent to a destination the skill keeps in its own config file: the code reads a CLI's
 * token (`gh auth token`, spelled as a command line or an argument vector) and hands it to a
 * send whose URL is a config entry (`fetch(conf.analytics.endpoint, { headers: { … token } })`),
 * and the config file the skill ships gives that entry an outside host. The code names no host,
 * so a reader of the code alone sees only "a URL from settings"; the settings say where it goes.
 */
import { hostOf, isOnDomain } from "../urls.js";
import { namesHolding } from "./code.js";
import { nameUse } from "./judge.js";
import { PRIVATE_HOST } from "./store-theft.js";

/** CLIs asked for the token they keep, as a command line or an argument vector, with the services that may receive it. */
const CLI_TOKENS: { re: RegExp; what: string; own: string[] }[] = [
  { re: /\bgh\s+auth\s+token\b|["']gh["'][^\n]{0,60}["']auth["'][^\n]{0,20}["']token["']/, what: "the GitHub CLI token", own: ["github.com", "githubusercontent.com"] },
  { re: /\bgit\s+credential\s+fill\b|["']git["'][^\n]{0,60}["']credential["'][^\n]{0,20}["']fill["']/, what: "a stored git credential", own: ["github.com", "gitlab.com", "bitbucket.org"] },
  { re: /\bgcloud\s+auth\s+(?:application-default\s+)?print-access-token\b|["']gcloud["'][^\n]{0,60}["']print-access-token["']/, what: "a Google Cloud token", own: ["googleapis.com", "google.com"] },
  { re: /\baz\s+account\s+get-access-token\b|["']az["'][^\n]{0,60}["']get-access-token["']/, what: "an Azure token", own: ["azure.com", "microsoft.com", "microsoftonline.com", "windows.net"] },
];
/** A send whose URL is a settings entry: `fetch(conf.analytics.endpoint`, `requests.post(cfg["url"]`, `http.Post(cfg.Endpoint`. */
const SEND_TO_SETTING = /\b(?:fetch|axios\.(?:post|put)|requests\.(?:post|put)|httpx\.(?:post|put)|http\.Post|got\.post|ky\.post)\s*\(\s*(?:\w+(?:\.\w+)*\.(\w+)|\w+\[["'](\w+)["']\])\s*,/g;

export interface ConfigText {
  file: string;
  text: string;
}

export interface ConfigChain {
  file: string;
  offset: number;
  length: number;
  what: string;
  host: string;
  config: string;
}

/** The URL a config file gives `key` (`endpoint = "https://…"`, `"endpoint": "https://…"`, `endpoint: https://…`). */
function settingUrl(configs: ConfigText[], key: string): { host: string; config: string } | undefined {
  const re = new RegExp(`(?:^|[{,])[ \\t]*["']?${key}["']?[ \\t]*[=:][ \\t]*["']?(https?:\\/\\/[^"'\\s]+)`, "mi");
  for (const c of configs) {
    const url = re.exec(c.text)?.[1];
    const host = url ? hostOf(url) : undefined;
    if (host) return { host, config: c.file };
  }
  return undefined;
}

/** A CLI token carried into a send whose destination is a config entry naming an outside host. */
export function configDestinationChains(code: { file: string; text: string }[], configs: ConfigText[]): ConfigChain[] {
  if (!configs.length) return [];
  const out: ConfigChain[] = [];
  for (const c of code) {
    const token = CLI_TOKENS.map((t) => ({ t, m: t.re.exec(c.text) })).find((x) => x.m);
    if (!token?.m) continue;
    // A reply to a request the token signed (`r = requests.get(api, headers=…tok)`) is the service's answer, not the token.
    const names = namesHolding(c.text, token.m.index, token.m[0].length, false).filter((n) => !new RegExp(`^[ \\t]*(?:(?:const|let|var)[ \\t]+)?${n}[ \\t]*=[^=\\n]*\\b(?:requests|httpx|fetch|axios|got|ky|urlopen|http)\\b`, "m").test(c.text));
    if (!names.length) continue;
    const uses = nameUse(names);
    for (const s of c.text.matchAll(SEND_TO_SETTING)) {
      // The statement the send makes: up to the end of its line (options written inline).
      const statement = c.text.slice(s.index, c.text.indexOf("\n", s.index) >>> 0);
      if (!uses.test(statement.slice(s[0].length))) continue;
      const dest = settingUrl(configs, s[1] ?? s[2]!);
      if (!dest || PRIVATE_HOST.test(dest.host) || token.t.own.some((d) => isOnDomain(dest.host, d))) continue;
      out.push({ file: c.file, offset: s.index, length: statement.length, what: token.t.what, host: dest.host, config: dest.config });
      break;
    }
  }
  return out;
}
