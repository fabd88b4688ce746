import { basicAuth, bearer, gitCredentialFill, hostOf, redactUrl, tokenFor } from "../credentials.js";
import { SkillregError, userCacheDir } from "../../core/index.js";
import { fetchTagsOverHttp, type FetchedTag } from "../fetch-tag.js";
import { skillKey } from "../../core/index.js";
import { indexAllSchema, indexConfigSchema, indexPaths, indexSkillSchema, parseIndexFile, type IndexAll, type IndexConfig, type IndexSkill } from "../../index/index.js";
import type { RegistrySource, SourceContext } from "./types.js";
import { HttpIndexCache } from "./http-cache.js";
import { skillNotFound } from "./not-found.js";
import { join } from "node:path";
import { openSignedIndex } from "../signed-index.js";
import { trustKey } from "../config.js";
import { TARGETS_SITE_DIR, TUF_SITE_DIR, type SignedIndex, type TrustState } from "../../trust/index.js";
import { isSealedIndexFile, openSealedIndexFile } from "../../seal/index.js";
import { readBodyCapped, requestHttp } from "../http-request.js";

/** Index files are small (one skill each); anything bigger is refused before parsing. */
const MAX_INDEX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * A registry's static site: the index under /index/v1/, the tags from the Git URL that
 * config.json names. Every downloaded file is checked against its schema before use.
 */
export class HttpIndexSource implements RegistrySource {
  readonly id: string;
  private readonly base: string;
  private readonly registryHost: string | undefined;
  private configPromise?: Promise<IndexConfig>;
  private readonly cache: HttpIndexCache;
  private signedPromise?: Promise<SignedIndex | undefined>;

  constructor(
    url: string,
    private readonly ctx: SourceContext,
  ) {
    this.base = url.replace(/\/+$/, "") + "/";
    this.id = trustKey(redactUrl(url));
    this.registryHost = hostOf(url);
    this.cache = new HttpIndexCache(join(userCacheDir(ctx.env), "index"));
  }

  /** What git's credential helper answered after a 401, reused for the signed metadata's requests. */
  private filledAuth?: Record<string, string>;

  private async authHeaders(url: string): Promise<Record<string, string>> {
    if (this.filledAuth) return this.filledAuth;
    const token = await tokenFor(url, this.ctx.env, this.registryHost);
    return token ? bearer(token) : {};
  }

  /** GET one index file: undefined on 404, an error naming the URL on anything else odd. */
  private async getText(path: string): Promise<string | undefined> {
    const url = new URL(path, this.base).toString();
    const shown = redactUrl(url);
    const cached = await this.cache.get(url);
    const conditional: Record<string, string> = cached ? { "if-none-match": cached.etag } : {};
    const get = (headers: Record<string, string>) =>
      requestHttp(url, { headers: { accept: "application/json", ...conditional, ...headers } }).catch((e: Error) => {
        throw new SkillregError(`cannot reach ${shown}: ${e.message}; check the registry's URL and that its site is up`);
      });
    let res = await get(await this.authHeaders(url));
    if (res.status === 401) {
      res.discard();
      const cred = await gitCredentialFill(url, this.ctx.env);
      if (cred) {
        this.filledAuth = { authorization: `Bearer ${cred.password}` };
        res = await get(this.filledAuth);
      }
    }
    if (res.status !== 200) res.discard();
    if (res.status === 304 && cached) return cached.body;
    if (res.status === 404) return undefined;
    if (res.status === 401 || res.status === 403) {
      throw new SkillregError(`${shown} refused access (HTTP ${res.status}); run 'skillreg login ${this.id}' or set SKILLREG_TOKEN`);
    }
    if (res.status >= 300 && res.status < 400) {
      throw new SkillregError(`${shown} redirects to ${res.headers.location ?? "?"}; configure the registry's final URL instead`);
    }
    if (res.status !== 200) throw new SkillregError(`${shown} answered HTTP ${res.status}`);
    const length = Number(res.headers["content-length"] ?? "0");
    if (length > MAX_INDEX_FILE_BYTES) {
      res.discard();
      throw new SkillregError(`${shown} is ${length} bytes; index files over ${MAX_INDEX_FILE_BYTES} are refused`);
    }
    const text = (await readBodyCapped(res, MAX_INDEX_FILE_BYTES, () => new SkillregError(`${shown} is over ${MAX_INDEX_FILE_BYTES} bytes; refused`))).toString("utf8");
    const etag = res.headers.etag;
    if (etag) await this.cache.put(url, etag, text);
    return text;
  }

  /** The site's signed index, read from the pinned root; undefined when the site signs nothing and nothing is pinned. */
  private signed(): Promise<SignedIndex | undefined> {
    this.signedPromise ??= openSignedIndex({
      siteBase: this.base,
      id: this.id,
      // Pins are keyed as the registry was written (config) or as the lock records it (redacted).
      // The root the checkpoint verified the site from holds it too, as for a repository: else a
      // pull request that drops the pin from .skillreg.yaml and skillreg.lock lets the host stop signing.
      pin: this.ctx.pins?.[this.base.slice(0, -1)] ?? this.ctx.pins?.[this.id] ?? this.ctx.held?.[trustKey(this.id)],
      env: this.ctx.env,
      headersFor: (url) => this.authHeaders(url),
      currentRoot: () => this.getText(`${TUF_SITE_DIR}/root.json`),
      notice: this.ctx.notice ?? (() => undefined),
    });
    return this.signedPromise;
  }

  async trust(): Promise<TrustState | undefined> {
    return (await this.signed())?.state();
  }

  /** GET one index file (through the signed index when the site signs it); `missing` is the error (or makes it) when the site has none. */
  private async getIndexText(path: string, missing: string | (() => Promise<SkillregError>)): Promise<string> {
    const signed = await this.signed();
    const text = signed ? await signed.target(path.slice(`${TARGETS_SITE_DIR}/`.length)) : await this.getText(path);
    if (text === undefined) throw typeof missing === "string" ? new SkillregError(missing) : await missing();
    return text;
  }

  /** GET one index file and check it against its schema. */
  private async getIndexFile<T>(path: string, schema: object, missing: string): Promise<T> {
    return parseIndexFile<T>(await this.getIndexText(path, missing), schema, redactUrl(new URL(path, this.base).toString()));
  }

  config(): Promise<IndexConfig> {
    this.configPromise ??= this.getIndexFile<IndexConfig>(
      indexPaths.config,
      indexConfigSchema,
      `${this.id} serves no ${indexPaths.config}; is it a SkillReg registry site?`,
    );
    return this.configPromise;
  }

  async skill(scope: string, name: string): Promise<IndexSkill> {
    const path = indexPaths.skill(scope, name);
    const where = redactUrl(new URL(path, this.base).toString());
    // A private skill is absent from a public catalog too: the search names what this reader may see.
    let text = await this.getIndexText(path, () => skillNotFound(scope, name, this.id, async () => (await this.all()).skills.map((s) => skillKey(s.scope, s.name))));
    // An internal catalog seals a sealed skill's index file to the scope's readers.
    if (isSealedIndexFile(text)) text = await openSealedIndexFile(text, { scope, name }, where, await this.identity(skillKey(scope, name)));
    const skill = parseIndexFile<IndexSkill>(text, indexSkillSchema, where);
    if (skill.scope !== scope || skill.name !== name) {
      throw new SkillregError(`${path}: describes ${skillKey(skill.scope, skill.name)}, not ${skillKey(scope, name)}`);
    }
    return skill;
  }

  private async identity(skill: string) {
    if (!this.ctx.sealIdentity) throw new SkillregError(`${skill} is sealed in the catalog ${this.id}; open it with a member's key (--identity)`);
    try {
      return await this.ctx.sealIdentity();
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      throw new SkillregError(`${skill} is sealed in the catalog ${this.id} and needs your SSH key to open: ${e.message}`);
    }
  }

  /** Served by internal builds only; the envelope is checked against its schema when it is opened. */
  sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined> {
    return this.getText(indexPaths.sealedEnvelope(scope, name, version));
  }

  all(): Promise<IndexAll> {
    return this.getIndexFile<IndexAll>(indexPaths.all, indexAllSchema, `${this.id} serves no ${indexPaths.all}; is it a SkillReg registry site?`);
  }

  async fetchTag(tag: string): Promise<FetchedTag> {
    return (await this.fetchTags([tag])).get(tag)!;
  }

  async fetchTags(tags: readonly string[]): Promise<Map<string, FetchedTag>> {
    const config = await this.config();
    if (!config.gitUrl) throw new SkillregError(`${this.id}: config.json names no gitUrl to fetch tags from`);
    const gitUrl = new URL(config.gitUrl, this.base).toString();
    if (!/^https?:/.test(gitUrl)) throw new SkillregError(`${this.id}: gitUrl ${config.gitUrl} is not an http(s) URL`);
    const token = await tokenFor(gitUrl, this.ctx.env, this.registryHost);
    const headers = token ? basicAuth("x-access-token", token.token) : {};
    return fetchTagsOverHttp(gitUrl, tags, { headers, env: this.ctx.env });
  }
}
