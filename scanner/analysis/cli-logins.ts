/**
 * The login any command-line tool keeps in the user's home folder, recognised by the shape of
 * its path rather than by a list of tools: a tool's own folder (`~/.jfrog/`, `~/.config/glab-cli/`,
 * `~/Library/Preferences/netlify/`, `%APPDATA%\tool\`) holding a file named for a login
 * (`credentials`, `auth.toml`, `hosts.yml`, `cli.yml`, `connections.toml`, `jfrog-cli.conf.v6`),
 * a `~/.<tool>cfg` (`.databrickscfg`), or a plain `config.json|yml|toml` there when the code reads
 * a token or password out of it. New tools appear every month; their login files look alike.
 *
 * The tool's name is the vendor's: a host whose domain is named so may receive it. Such a
 * source counts only when the file's contents travel as data (a body, a query), not when a
 * value from it signs a request (which is how every client of the tool's API uses it).
 */

/** A reference to the user's home folder, in the languages skills ship. */
const HOME = /~[/\\]|\$\{?HOME\b|%USERPROFILE%|%APPDATA%|%LOCALAPPDATA%|\$env:(?:USERPROFILE|APPDATA|LOCALAPPDATA|HOME)\b|\bhomedir\b|\bhome_dir\b|\bUserHomeDir\b|\bexpanduser\b|\bPath\.home\b|\buser\.home\b|\bgetenv\s*\(\s*["']HOME["']|\bENV\s*\[\s*["']HOME["']|\benviron(?:\.get)?\s*[[(]\s*["']HOME["']|\bGetFolderPath\b|\bhome::home_dir\b|\bdirs::\w*home|\bPath\.expand\s*\(\s*["']~|\bos\.homedir\b|\bhomeDirectoryForCurrentUser\b|\bNSHomeDirectory\b|["'](?:HOME|USERPROFILE|APPDATA)["']/;
/** A folder under which tools keep their settings, named outside the path's literal (`Join-Path $env:APPDATA "tool\auth.json"`). */
const SETTINGS_VARIABLE = /%(?:LOCAL)?APPDATA%|\$env:(?:LOCAL)?APPDATA\b|\bGetFolderPath\b|\bXDG_CONFIG_HOME\b|\bos\.UserConfigDir\b|\bconfig_dir\s*\(|\buser_config_dir\b/i;
/** A login file's own name. */
const LOGIN_FILE = /^(?:(?:credentials?|auth|tokens?|hosts|cli|connections|logins?|session|secrets?|accounts?)(?:[\w-]{0,20})?\.(?:json|ya?ml|toml|conf|cfg|ini|properties|xml)|[\w-]{2,30}-cli\.conf(?:\.v\d{1,2})?|\.[a-z]{3,20}cfg)$/i;
/** A plain settings file, a login only when the code takes a secret out of it. */
const CONFIG_FILE = /^config\.(?:json|ya?ml|toml|ini)$/i;
/** The code takes a secret-named value (`cfg.auth.token`, `server.accessToken`, `profile["token"]`, a sed pattern on `token:`). */
const SECRET_KEY = /\b(?:token|access_?token|accessToken|auth_?token|authToken|password|passwd|secret|api_?key|apiKey|refresh_?token)\b/i;
/** Folders every tool shares (not a tool's name). */
const GENERIC_DIR = /^(?:config|local|share|cache|library|preferences|application support|appdata|roaming|users?|home|documents|desktop|tmp|temp|var|etc|opt|usr|data|state|default|profiles?|servers?|\w)$/i;
const ALIAS: Record<string, string> = { glab: "gitlab", gh: "github", hub: "github", az: "azure", gcloud: "google", doctl: "digitalocean", hcloud: "hetzner", flyctl: "fly", wrangler: "cloudflare", databricks: "databricks" };

export interface CliLogin {
  what: string;
  /** The tool's name, the word a domain of its vendor is named by. */
  vendor: string;
}

/** The folders and file of a path as written: literals joined (`join(home, ".jfrog", "x.conf")`) or a path operand. */
function pathsOf(statement: string): string[] {
  const literals = [...statement.matchAll(/["'`]([^"'`\n]{1,200})["'`]/g)].map((m) => m[1]!);
  const raw = statement.match(/(?:~|\$\{?HOME\}?|%\w{4,12}%|\$env:\w{4,12})?[/\\][\w.\\/ -]{2,200}/g) ?? [];
  // Pieces joined up to each one in turn: a path's pieces may be followed by other literals (`…, "config.json"), "utf8")`).
  const pieces = literals.filter((l) => /^[\w. -]+$/.test(l) || /^[\w.-]+(?:[/\\][\w. -]+)+$/.test(l)).slice(0, 12);
  const joined = pieces.map((_, k) => pieces.slice(0, k + 1).join("/"));
  return [...literals, ...raw, ...joined].map((p) => p.replace(/\\/g, "/").replace(/\$\{\w{1,40}:-([^}]{1,200})\}/g, "$1").replace(/[{}]/g, ""));
}

/** Folders a project keeps its own files in (a repository's `.github/`), not a tool's login under the home folder. */
const PROJECT_DIR = /^\.(?:git|github|gitlab|vscode|idea|venv|env|cache|tox|next|nuxt|svelte-kit|terraform|devcontainer|husky)$/i;
/** Folders under which a tool keeps its settings (`~/.config/<tool>`, `~/Library/Preferences/<tool>`, `%APPDATA%\<tool>`). */
const SETTINGS_ROOT = /^(?:\.config|preferences|application support|roaming|appdata|local)$/i;

/** The tool a login path belongs to: the nearest dot-folder above the file, or the folder under a settings root. */
function toolOf(dirs: string[]): string | undefined {
  for (let i = dirs.length - 1; i >= 0; i--) {
    const raw = dirs[i]!;
    const underRoot = i > 0 && SETTINGS_ROOT.test(dirs[i - 1]!);
    if (!(raw.startsWith(".") || underRoot) || PROJECT_DIR.test(raw)) continue;
    const d = raw.replace(/^\./, "").toLowerCase();
    if (!d || GENERIC_DIR.test(d) || !/^[a-z][\w.-]{1,30}$/.test(d)) continue;
    const bare = d.replace(/[-_]?cli$/, "").replace(/^(?:com|org|io)\./, "");
    return ALIAS[bare] ?? bare;
  }
  return undefined;
}

/**
 * An agent's own folder or a connector's (`~/.clawdbot/…`, `~/.config/outlook-mcp/…`): the
 * skills of that agent keep the logins they set up there, for the service they are about.
 */
const AGENT_TOOL = /claw|molt|mcp|claude|codex|cursor|gemini|agent|skill|bot$/i;

/** A write: a write or dump call, an open for writing, a shell redirection, PowerShell's writers. */
const WRITE = /\b(?:write\w*|dump|Set-Content|Out-File|WriteAllText|tee)\b|>\s*["'$]|["'][wa]\+?["']/;

/**
 * Whether the code writes the login file itself (`json.dump(tok, open(TOKEN_FILE, "w"))`,
 * `echo "$json" > "$CONF"`): a store the skill sets up for its own service, not a tool's login it
 * takes. Judged on the lines naming the file or a name assigned its path, and the line after.
 */
function writesFile(fileText: string, file: string): boolean {
  const lines = fileText.split("\n", 4000);
  const holders = lines.filter((l) => l.includes(file)).map((l) => /^\s*(?:export\s+|const\s+|let\s+|var\s+|local\s+|my\s+)?\$?([A-Za-z_]\w{0,60})\s*:?=/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  const names = (l: string) => l.includes(file) || holders.some((n) => new RegExp(`(?<![\\w.])\\$?\\{?${n}\\b`).test(l));
  return lines.some((l, k) => names(l) && (WRITE.test(l.replace(/\bwrite_?only\b/gi, "")) || /^\s*(?:\w+\.)?(?:write\w*|dump)\s*\(/.test(lines[k + 1] ?? "")) && !/^\s*(?:#|\/\/)/.test(l));
}

/** A tool's login file the statement names, read in a file that refers to the home folder. */
export function cliLoginIn(statement: string, fileText: string): CliLogin | undefined {
  const found = loginIn(statement, fileText);
  if (!found || AGENT_TOOL.test(found.vendor) || writesFile(fileText, found.file)) return undefined;
  return { what: found.what, vendor: found.vendor };
}

/**
 * Whether a file refers to the home folder, remembered for the last file asked about: the
 * question is asked once per statement of the same file, and HOME (an alternation of twenty
 * spellings, most behind `\b`) tried at every position of a long file made the scan quadratic
 * (19% of the bench corpus's CPU).
 */
let lastHomeText: string | undefined;
let lastHomeAnswer = false;
function refersToHome(fileText: string): boolean {
  if (fileText !== lastHomeText) {
    lastHomeText = fileText;
    lastHomeAnswer = HOME.test(fileText);
  }
  return lastHomeAnswer;
}

function loginIn(statement: string, fileText: string): (CliLogin & { file: string }) | undefined {
  if (!refersToHome(fileText)) return undefined;
  for (const p of pathsOf(statement)) {
    const parts = p.split("/").filter((x) => x.length > 0);
    if (SETTINGS_VARIABLE.test(statement) && parts.length > 1 && !parts[0]!.startsWith(".")) parts.unshift("appdata");
    const file = parts.at(-1);
    if (!file) continue;
    if (/^\.[a-z]{3,20}cfg$/i.test(file) && file.length > 4) {
      const tool = file.slice(1, -3).toLowerCase();
      if (!/^(?:s3|git|py|my)$/.test(tool)) return { what: `the ${tool} CLI login (~/${file})`, vendor: ALIAS[tool] ?? tool, file };
      continue;
    }
    const named = LOGIN_FILE.test(file) || (CONFIG_FILE.test(file) && SECRET_KEY.test(fileText));
    if (!named) continue;
    // The folder may be spelled in the statement or elsewhere in the file (`SERVERS = joinpath(homedir(), ".julia", "servers")`).
    // A login file joined onto a folder another statement names under the home folder (`SERVERS = joinpath(homedir(), ".julia", "servers")`).
    const homeDir = () => fileText.split("\n").filter((l) => HOME.test(l)).map((l) => /["'`/\\](\.[a-z][\w-]{1,30})["'`/\\]/.exec(l)?.[1]).find((d) => d !== undefined);
    const tool = toolOf(parts.slice(0, -1)) ?? (parts.length === 1 && LOGIN_FILE.test(file) ? toolOf([homeDir() ?? ""]) : undefined);
    if (tool) return { what: `the ${tool} CLI login (${file})`, vendor: tool, file };
  }
  return undefined;
}
