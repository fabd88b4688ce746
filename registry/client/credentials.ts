import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { configDir } from "./config.js";
import { SkillregError } from "../core/index.js";
import { writeFileAtomic } from "../core/index.js";
import { parseJsonWithSchema } from "../core/index.js";

/**
 * Tokens for registries, each bound to one host so it is never sent anywhere else (not to a
 * Git URL a hostile index names, not across a redirect). Sources, first found wins:
 *   SKILLREG_TOKEN     for the host of the registry the user asked for (--registry or config)
 *   GITHUB_TOKEN       for github.com only
 *   the store          ~/.config/skillreg/credentials.json (0600), written by `skillreg login`
 *   git credentials    `git credential fill`, asked only after the server answers 401
 * Tokens are never printed and never written to the lock.
 */

export const credentialsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "hosts"],
  properties: {
    version: { const: 1 },
    hosts: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["token"],
        properties: { token: { type: "string", minLength: 1 } },
      },
    },
  },
} as const satisfies JSONSchema;
export type CredentialsFile = FromSchema<typeof credentialsSchema>;

export type TokenSource = "SKILLREG_TOKEN" | "GITHUB_TOKEN" | "store";

export interface Token {
  host: string;
  token: string;
  source: TokenSource;
}

export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), "credentials.json");
}

/** The host a token belongs to: host[:port] of an http(s) URL, lower-case; undefined otherwise. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function isGitHubHost(host: string): boolean {
  return host === "github.com" || host.endsWith(".github.com") || host === "githubusercontent.com" || host.endsWith(".githubusercontent.com");
}

async function readCredentials(env: NodeJS.ProcessEnv): Promise<CredentialsFile> {
  const file = credentialsPath(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, hosts: {} };
    throw e;
  }
  return parseJsonWithSchema<CredentialsFile>(text, credentialsSchema, {
    notJson: () => `${file}: not valid JSON; remove it and run 'skillreg login' again`,
    mismatch: (problems) => `${file}: ${problems.join("; ")}`,
  });
}

/** Write the store with mode 0600 (always a new file, so an older, wider one is not kept). */
async function writeCredentials(env: NodeJS.ProcessEnv, data: CredentialsFile): Promise<void> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  await writeFileAtomic(credentialsPath(env), JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
}

export async function storeToken(env: NodeJS.ProcessEnv, registryUrl: string, token: string): Promise<string> {
  const host = hostOf(registryUrl);
  if (!host) throw new SkillregError(`'${registryUrl}' is not an http(s) URL; tokens are stored per host`);
  if (token.trim() === "" || /\s/.test(token.trim())) throw new SkillregError("the token is empty or contains whitespace");
  const data = await readCredentials(env);
  data.hosts[host] = { token: token.trim() };
  await writeCredentials(env, data);
  return host;
}

/** Remove the host's token; returns whether there was one. */
export async function removeToken(env: NodeJS.ProcessEnv, registryUrl: string): Promise<boolean> {
  const host = hostOf(registryUrl) ?? registryUrl.toLowerCase();
  const data = await readCredentials(env);
  if (!Object.hasOwn(data.hosts, host)) return false;
  delete data.hosts[host];
  await writeCredentials(env, data);
  return true;
}

/**
 * The token to send to `url`, or undefined. `registryHost` is the host of the registry the
 * user chose, the only host SKILLREG_TOKEN is for.
 */
export async function tokenFor(url: string, env: NodeJS.ProcessEnv, registryHost?: string): Promise<Token | undefined> {
  const host = hostOf(url);
  if (!host) return undefined;
  // A token never travels in clear text: over http only to this machine (a local test server).
  const https = new URL(url).protocol === "https:";
  if (!https && !isLoopback(new URL(url).hostname)) return undefined;
  if (env.SKILLREG_TOKEN && registryHost !== undefined && host === registryHost) return { host, token: env.SKILLREG_TOKEN, source: "SKILLREG_TOKEN" };
  if (env.GITHUB_TOKEN && https && isGitHubHost(host)) return { host, token: env.GITHUB_TOKEN, source: "GITHUB_TOKEN" };
  const stored = (await readCredentials(env)).hosts;
  if (Object.hasOwn(stored, host)) return { host, token: stored[host]!.token, source: "store" };
  return undefined;
}

/** Ask git's credential helpers for `url` (never prompting). */
export function gitCredentialFill(url: string, env: NodeJS.ProcessEnv): Promise<{ username: string; password: string } | undefined> {
  const u = new URL(url);
  const input = `protocol=${u.protocol.replace(":", "")}\nhost=${u.host}\npath=${u.pathname.replace(/^\//, "")}\n\n`;
  return new Promise((resolvePromise) => {
    const child = execFile(
      "git",
      ["credential", "fill"],
      { env: { ...env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" }, timeout: 10_000 },
      (error, stdout) => {
        if (error) return resolvePromise(undefined);
        const fields = Object.fromEntries(
          String(stdout)
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        resolvePromise(fields.password ? { username: fields.username ?? "x-access-token", password: fields.password } : undefined);
      },
    );
    child.stdin?.end(input);
  });
}

/** Header values for a token: Bearer for index files, Basic for Git smart HTTP. */
export function bearer(token: Token): Record<string, string> {
  return { authorization: `Bearer ${token.token}` };
}

export function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
}

/** The user:password@ of a URL (percent-decoded), or undefined when it has none. */
export function urlCredentials(url: string): { username: string; password: string } | undefined {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return undefined;
    return { username: decodeURIComponent(u.username) || "x-access-token", password: decodeURIComponent(u.password) };
  } catch {
    return undefined;
  }
}

/** A URL with any user:password@ removed, for messages and the lock. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}
