import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { SkillregError } from "../../core/index.js";
import { GitUrlSource } from "./git-url.js";
import { HttpIndexSource } from "./http-index.js";
import { LocalRegistrySource } from "./local.js";
import { trustKey } from "../config.js";
import type { RegistrySource, SourceContext } from "./types.js";

export type { RegistrySource, RepositoryHead, SourceContext } from "./types.js";

/**
 * What a registry string names:
 *   https://skills.acme.example          a site serving the index
 *   https://github.com/acme/skills.git   a Git URL (ends in .git, or written git+https://...)
 *   git@github.com:acme/skills.git       a Git URL (scp-like, over ssh)
 *   ./skills-registry, /srv/reg.git       a local checkout or bare repository
 */
export function openSource(registry: string, ctx: SourceContext): RegistrySource {
  if (registry.startsWith("git+") || /^[^/\s]+@[^/\s]+:/.test(registry) || /^ssh:\/\//.test(registry)) {
    return new GitUrlSource(registry, ctx);
  }
  if (/^https?:\/\//i.test(registry)) {
    return /\.git\/?$/.test(registry) ? new GitUrlSource(registry, ctx) : new HttpIndexSource(registry, ctx);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) throw new SkillregError(`registry '${registry}': unsupported URL scheme`);
  const dir = resolve(ctx.cwd, registry);
  if (!existsSync(dir)) throw new SkillregError(`registry '${registry}' is neither a URL nor an existing folder`);
  const pin = ctx.pins?.[trustKey(dir)];
  const held = ctx.held?.[trustKey(dir)];
  return new LocalRegistrySource(dir, dir, { ...(pin ? { pin } : {}), ...(held ? { held } : {}), ...(ctx.notice ? { notice: ctx.notice } : {}), ...(ctx.progress ? { progress: ctx.progress } : {}) });
}
