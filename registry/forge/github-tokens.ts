import { Octokit } from "@octokit/rest";
import { SkillregError } from "../core/index.js";

/**
 * GitHub identity and token lifetime. GitHub tells a client when its token expires in the
 * `github-authentication-token-expiration` response header (fine-grained and expiring classic
 * tokens); a token without the header never expires.
 */

export const DEFAULT_GITHUB_API = "https://api.github.com";

/** The API root: `GITHUB_API_URL` (set by GitHub Actions, also GitHub Enterprise) or github.com's. */
export function githubApiUrl(env: NodeJS.ProcessEnv): string {
  return (env.GITHUB_API_URL || DEFAULT_GITHUB_API).replace(/\/+$/, "");
}

/** A token from the environment, as GitHub Actions and the gh CLI provide it. */
export function githubTokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/**
 * An authenticated client. With `warn`, the first response that shows the token expiring
 * within EXPIRY_WARNING_DAYS is reported once, so every GitHub-using command warns in time.
 */
export function githubClient(token: string, env: NodeJS.ProcessEnv, warn?: (message: string) => void): Octokit {
  const octokit = new Octokit({ auth: token, baseUrl: githubApiUrl(env), userAgent: "skillreg", log: { debug() {}, info() {}, warn() {}, error() {} } });
  if (warn) {
    let warned = false;
    octokit.hook.after("request", (response) => {
      const header = response.headers["github-authentication-token-expiration"] as string | undefined;
      const message = warned ? undefined : tokenExpiryWarning(parseTokenExpiration(header), new Date());
      if (message) {
        warned = true;
        warn(message);
      }
    });
  }
  return octokit;
}

/** Parse the header: `2026-03-31 00:00:00 UTC` or with a numeric offset `... -0800`. */
export function parseTokenExpiration(header: string | undefined): Date | undefined {
  if (!header) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|[+-]\d{4})$/.exec(header.trim());
  if (!m) return undefined;
  const offset = m[3] === "UTC" ? "Z" : `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}`;
  const date = new Date(`${m[1]}T${m[2]}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const EXPIRY_WARNING_DAYS = 7;

/** A warning when the token expires within `days` of `now` (or already has), else undefined. */
export function tokenExpiryWarning(expiresAt: Date | undefined, now: Date, days = EXPIRY_WARNING_DAYS): string | undefined {
  if (!expiresAt) return undefined;
  const msLeft = expiresAt.getTime() - now.getTime();
  if (msLeft <= 0) return `the GitHub token expired on ${expiresAt.toISOString()}; create a new one and run 'skillreg login'`;
  if (msLeft > days * 86_400_000) return undefined;
  const hours = Math.floor(msLeft / 3_600_000);
  const left = hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`;
  return `the GitHub token expires in ${left} (${expiresAt.toISOString()}); create a new one and run 'skillreg login'`;
}

export interface GithubIdentity {
  login: string;
  name?: string;
  /** When the token expires; undefined for a token that does not expire. */
  expiresAt?: Date;
  /** OAuth scopes of a classic token (`x-oauth-scopes`); undefined for fine-grained tokens. */
  scopes?: string[];
}

/** GET /user with the token: who it belongs to and when it expires. */
export async function githubIdentity(octokit: Octokit): Promise<GithubIdentity> {
  try {
    const res = await octokit.rest.users.getAuthenticated();
    const expiresAt = parseTokenExpiration(res.headers["github-authentication-token-expiration"] as string | undefined);
    const scopeHeader = res.headers["x-oauth-scopes"] as string | undefined;
    return {
      login: res.data.login,
      ...(res.data.name ? { name: res.data.name } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(scopeHeader !== undefined ? { scopes: scopeHeader.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
    };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 401) throw new SkillregError("GitHub rejected the token (401 Bad credentials); create a new one and run 'skillreg login'");
    throw new SkillregError(`GitHub request failed: ${(e as Error).message}`);
  }
}
