import { SkillregError } from "../core/index.js";
import { PROJECT_CONFIG_FILE, loadClientConfig, registryFor } from "./config.js";
import { openSource } from "./sources/index.js";

/**
 * Where `skillreg push @scope/name` sends a new version when no --registry is given: the
 * scope's registry from the project's config; for a registry site, the Git URL its index
 * names (a site is read-only, its Git repository takes publish branches).
 */
export async function publishRemoteFor(at: { cwd: string; env: NodeJS.ProcessEnv }, scope: string): Promise<string> {
  const registry = registryFor(await loadClientConfig(at.cwd, at.env), scope);
  if (!/^https?:\/\//i.test(registry) || /\.git\/?$/.test(registry)) return registry;
  const { gitUrl } = await openSource(registry, at).config();
  if (!gitUrl) throw new SkillregError(`${registry} names no Git URL to publish to; pass --registry <git-url> (see ${PROJECT_CONFIG_FILE})`);
  return new URL(gitUrl, registry.endsWith("/") ? registry : `${registry}/`).href;
}
