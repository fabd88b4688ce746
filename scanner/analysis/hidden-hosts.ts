/**
 * Destinations a program builds at run time rather than writes as a URL: base64 that decodes to
 * a URL, a string joined from quoted pieces (`"https://" + "host"`, `".".join(["a", "b", "c"])`,
 * `["https:", "", "h"].join("/")`, PowerShell's `-join ('h','t','t','p',…)`), character codes
 * (`String.fromCharCode(104, …)`, `chr(104) + chr(116)`, `[char]104`). The theft readers take
 * the hosts of this text as well as the literal ones: hiding where data goes is no reason to
 * miss it. Written over the text (no grammar for most languages a skill ships); every pattern is
 * bounded and the input is capped by the callers.
 */

/** Quoted literal pieces, `["a", "b"]` or `('a','b')`, of at most 80 characters each. */
const PIECES = String.raw`(?:["'\x60][^"'\x60\n]{0,80}["'\x60]\s*,\s*){1,60}["'\x60][^"'\x60\n]{0,80}["'\x60]`;
/** `["https:", "", "host"].join("/")` (JavaScript, Ruby) and `"/".join([...])` (Python), `-join (...)`/`-join @(...)` (PowerShell). */
const JOINED_AFTER = new RegExp(String.raw`[[(]\s*(${PIECES})\s*[\])]\s*\.join\s*\(\s*["'\x60]([^"'\x60\n]{0,4})["'\x60]\s*\)`, "g");
const JOINED_BEFORE = new RegExp(String.raw`["'\x60]([^"'\x60\n]{0,4})["'\x60]\s*\.join\s*\(\s*[[(]\s*(${PIECES})\s*[\])]\s*\)`, "g");
const JOINED_PS = new RegExp(String.raw`-join\s*@?\(\s*(${PIECES})\s*\)`, "gi");
/** Character codes: `String.fromCharCode(104, 116, …)`, `chr(104) + chr(116)…`, `[char]104 + [char]116…`. */
const CHAR_CODES = /\bfromCharCode\s*\(\s*((?:\d{2,3}\s*,\s*){3,200}\d{2,3})\s*\)/g;
const CHR_RUN = /(?:\b(?:chr|Chr|ChrW)\s*\(\s*\d{2,3}\s*\)|\[char\]\s*\d{2,3})(?:\s*[+.&,]\s*(?:\b(?:chr|Chr|ChrW)\s*\(\s*\d{2,3}\s*\)|\[char\]\s*\d{2,3})){3,200}/g;
const BASE64 = /["'`]([A-Za-z0-9+/]{16,400}={0,2})["'`]/g;

function literals(pieces: string): string[] {
  return [...pieces.matchAll(/["'`]([^"'`\n]*)["'`]/g)].map((p) => p[1]!);
}

/** The strings the text builds at run time that name a destination, one a line (empty when it builds none). */
export function revealedStrings(text: string): string {
  const out: string[] = [];
  const quoted = (s: string) => `"${s.replace(/["'`]/g, "")}"`;
  for (const line of text.split("\n")) {
    if (line.length > 4000) continue;
    // Each built piece put back in place as one literal, then literal pieces concatenated (`"https://" + "…" + "/x"`).
    const built = line
      .replace(JOINED_AFTER, (_m, pieces: string, sep: string) => quoted(literals(pieces).join(sep)))
      .replace(JOINED_BEFORE, (_m, sep: string, pieces: string) => quoted(literals(pieces).join(sep)))
      .replace(JOINED_PS, (_m, pieces: string) => quoted(literals(pieces).join("")))
      .replace(CHAR_CODES, (_m, codes: string) => quoted(String.fromCharCode(...codes.split(",").map((n) => Number(n.trim())))))
      .replace(CHR_RUN, (run) => quoted(String.fromCharCode(...[...run.matchAll(/\d{2,3}/g)].map((n) => Number(n[0])))));
    const joined = built.replace(/["'`]\s*[+.]\s*["'`]/g, "");
    if (joined !== line) out.push(joined);
  }
  for (const m of text.matchAll(BASE64)) {
    let plain = "";
    try {
      plain = atob(m[1]!);
    } catch {
      continue; // not base64 after all (a length no encoder writes)
    }
    if (/^(?:https?|wss?):\/\/[\w.-]+/.test(plain)) out.push(plain);
  }
  return out.join("\n");
}

/** A name with a file's extension, not a host (`"settings.json"`). */
const FILE_NAME = /\.(?:json|ya?ml|toml|txt|md|py|js|ts|go|rs|rb|php|sh|html?|xml|csv|db|sqlite|log|lock|cfg|ini|conf|exe|dll|so|png|jpe?g|gif|zip|gz|tar)$/i;

/** Hosts of the destinations the text builds at run time: in URLs, or a bare domain built alone (`String.fromCharCode(…)` = "collector.tld"). */
export function hiddenHosts(text: string): string[] {
  const shown = revealedStrings(text);
  if (!shown) return [];
  const hosts = new Set<string>();
  for (const m of shown.matchAll(/\b(?:https?|wss?):\/\/((?:[a-z0-9-]+\.)+[a-z]{2,24})\b/gi)) hosts.add(m[1]!.toLowerCase());
  for (const m of shown.matchAll(/["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})["'`]/gi)) if (!FILE_NAME.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  return [...hosts];
}
