import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { basicAuth, redactUrl, tokenFor, hostOf, urlCredentials } from "../credentials.js";
import { homeDir, trustKey } from "../config.js";
import type { TrustState } from "../../trust/index.js";
import { runGit } from "../../git/index.js";
import { MAIN_REF } from "../../core/index.js";
import type { FetchedTag } from "../fetch-tag.js";
import type { IndexAll, IndexConfig, IndexSkill } from "../../index/index.js";
import { LocalRegistrySource } from "./local.js";
import type { RegistrySource, RepositoryHead, SourceContext } from "./types.js";

/**
 * Credentials given inside a registry URL, by the URL without them, for this process only: the
 * lock and messages name the registry without them, and a later source for the same registry
 * (install after resolve) still authenticates.
 */
const CREDENTIALS_BY_REMOTE = new Map<string, { username: string; password: string }>();

/**
 * A registry named by its Git URL alone (no site): mirrored into the user's cache with git,
 * then read like a local registry, so the index is built from its own tags and publish
 * records. Slower than a site, the same checks.
 */
export class GitUrlSource implements RegistrySource {
  readonly id: string;
  /** The URL git is given: the registry string without a `git+` prefix. */
  private readonly remote: string;
  private local?: Promise<LocalRegistrySource>;
  private readonly urlCredentials: { username: string; password: string } | undefined;
  /** The registry as written (config keys pins by it). */
  private readonly given: string;

  constructor(
    url: string,
    private readonly ctx: SourceContext,
  ) {
    // Credentials in the URL never reach git's command line or the mirror's config file (where
    // `clone` would store them, readable by anyone): git gets the URL without them and the
    // credentials as a header in its environment.
    this.given = url;
    const given = url.replace(/^git\+/, "");
    this.remote = redactUrl(given);
    this.id = this.remote;
    const inUrl = urlCredentials(given);
    if (inUrl) CREDENTIALS_BY_REMOTE.set(this.remote, inUrl);
    this.urlCredentials = CREDENTIALS_BY_REMOTE.get(this.remote);
  }

  private cacheDir(): string {
    const base = this.ctx.env.XDG_CACHE_HOME && isAbsolute(this.ctx.env.XDG_CACHE_HOME) ? this.ctx.env.XDG_CACHE_HOME : join(homeDir(this.ctx.env), ".cache");
    return join(base, "skillreg", "git", createHash("sha256").update(this.id).digest("hex").slice(0, 24));
  }

  /** Git config for this URL's credentials, passed in the environment (never on a command line). */
  private async gitEnv(): Promise<NodeJS.ProcessEnv> {
    const token = await tokenFor(this.remote, this.ctx.env, hostOf(this.remote));
    const header = this.urlCredentials
      ? basicAuth(this.urlCredentials.username, this.urlCredentials.password)
      : token
        ? basicAuth("x-access-token", token.token)
        : undefined;
    if (!header || !/^https?:/.test(this.remote)) return {};
    return {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${new URL(this.remote).origin}/.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: ${header.authorization}`,
    };
  }

  private mirror(): Promise<LocalRegistrySource> {
    this.local ??= (async () => {
      const dir = this.cacheDir();
      const env = await this.gitEnv();
      if (existsSync(dir)) {
        this.ctx.progress?.(`fetching ${this.id}`);
        await runGit(["fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], { cwd: dir, env });
      } else {
        await mkdir(join(dir, ".."), { recursive: true, mode: 0o700 });
        const tmp = `${dir}.${process.pid}.tmp`;
        await rm(tmp, { recursive: true, force: true });
        this.ctx.progress?.(`cloning ${this.id}`);
        await runGit(["clone", "--quiet", "--mirror", this.remote, tmp], { cwd: join(dir, ".."), env });
        await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
      }
      const pin = this.ctx.pins?.[trustKey(this.id)] ?? this.ctx.pins?.[trustKey(this.given)];
      const held = this.ctx.held?.[trustKey(this.id)] ?? this.ctx.held?.[trustKey(this.given)];
      return new LocalRegistrySource(this.id, dir, { ...(pin ? { pin } : {}), ...(held ? { held } : {}), ...(this.ctx.notice ? { notice: this.ctx.notice } : {}), ...(this.ctx.progress ? { progress: this.ctx.progress } : {}) });
    })();
    return this.local;
  }

  async config(): Promise<IndexConfig> {
    return (await this.mirror()).config();
  }

  async skill(scope: string, name: string): Promise<IndexSkill> {
    return (await this.mirror()).skill(scope, name);
  }

  async all(): Promise<IndexAll> {
    return (await this.mirror()).all();
  }

  async fetchTag(tag: string): Promise<FetchedTag> {
    return (await this.mirror()).fetchTag(tag);
  }

  /** What main was verified from: the pinned root (or, on first contact, the repository's newest). */
  async trust(): Promise<TrustState | undefined> {
    return (await this.mirror()).trust();
  }

  async rootChain(): Promise<string[]> {
    return (await this.mirror()).rootChain();
  }

  async sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined> {
    return (await this.mirror()).sealedEnvelope(scope, name, version);
  }

  async repositoryHead(): Promise<RepositoryHead> {
    await this.mirror();
    const cwd = this.cacheDir();
    const commit = (await runGit(["rev-parse", "--verify", `${MAIN_REF}^{commit}`], { cwd })).stdout;
    return {
      commit,
      // 1: not an ancestor; 128: the commit is gone (a force-push, then a fresh clone). Both are a rewrite.
      descendsFrom: async (older) => (await runGit(["merge-base", "--is-ancestor", older, commit], { cwd, okCodes: [1, 128] })).code === 0,
    };
  }
}
