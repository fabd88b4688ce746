/**
 * A secret that is itself where the request goes: a Slack or Teams incoming webhook kept as a CI
 * credential (`withCredentials([string(credentialsId: 'slack-webhook', variable: 'HOOK')])`, then
 * `curl --data @msg.json "$HOOK"`), a Discord webhook from the keychain handed to
 * `requests.post(hook, json=…)`. The request carries the build's message to the user's own
 * endpoint; the secret leaves as the address it already is, not as data to someone else's host.
 *
 * `withoutAddressUses` blanks the uses of a secret's names that are a request's whole URL, so the
 * flow reader (`secret-flow.ts`) still sees every other use: inside a URL with another host
 * (`https://drop.example/?u=$HOOK`), after a data or header option (`-d "$HOOK"`, `-H`), in a
 * body, a query or a second argument, it is carried and the chain stands.
 */

/** curl/wget flags that take no value, alone or grouped (`-fsS`, `--silent`): a word after one is the URL. */
const NO_VALUE_FLAG = /^-[fsSLkvIiqgN]+$|^--(?:silent|fail|fail-with-body|show-error|location|insecure|verbose|compressed|quiet|no-verbose)$/;

/**
 * Whether a word after `before` is the URL of a curl or wget call: the command of its pipeline
 * segment (since the last `|`, `;`, `&` or line start) is curl or wget, and the word before it is
 * not an option that takes a value (`-d`, `-H`, `-T`, `-o`; PowerShell's `-InFile`), nor a
 * redirection (`<<<`). `echo "$K" | curl …` sends it as data.
 */
function urlWordOfClient(before: string, upTo: string): boolean {
  const segment = upTo.slice(Math.max(upTo.lastIndexOf("|"), upTo.lastIndexOf(";"), upTo.lastIndexOf("&"), upTo.lastIndexOf("\n")) + 1);
  if (!/^\s*(?:sh\s+["'])?(?:\w+=\S*\s+)*(?:sudo\s+)?(?:curl|wget)\s/.test(segment)) return false;
  return before.startsWith("-") ? NO_VALUE_FLAG.test(before) : !/[<>]/.test(before);
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The statement with each use of `names` as a request's whole URL replaced by a space. */
export function withoutAddressUses(text: string, names: Iterable<string>): string {
  let out = text;
  for (const name of names) {
    if (!/^[A-Za-z_]\w{0,60}$/.test(name) || !out.includes(name)) continue;
    const n = escape(name);
    // Shell: `"$HOOK"` as a word of its own, not the value of a data or header option.
    out = out.replace(new RegExp(`(\\S+)(\\s+)(["']?)\\$\\{?${n}\\}?\\3(?=[\\s;|&)'"\`]|$)`, "gm"), (whole, before: string, gap: string, _q: string, at: number, all: string) =>
      urlWordOfClient(before, all.slice(0, at)) ? `${before}${gap} ` : whole,
    );
    // A call whose first argument is the URL (`requests.post(hook, json=…)`, `fetch(HOOK, {…})`, `new URL(hook)`), or named as the URL.
    out = out.replace(new RegExp(`(\\b(?:post|put|patch|get|fetch|request|urlopen|Request|URL|URI|httpPost|httpRequest)\\s*\\(\\s*)${n}(?=\\s*[,)])`, "g"), "$1 ");
    out = out.replace(new RegExp(`(\\b(?:url|uri)\\s*[=:]\\s*|-Uri\\s+\\$)${n}\\b`, "gi"), "$1 ");
  }
  return out;
}
