import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { NAME_PATTERN } from "../core/index.js";
import { SkillregError } from "../core/index.js";
import { parseYamlWithSchema } from "../core/index.js";
import { ROOT_FINGERPRINT_PATTERN, type RootPin } from "../trust/index.js";

/**
 * The client's configuration, like npm's .npmrc with scoped registries:
 *   ~/.config/skillreg/config.yaml   (user; $XDG_CONFIG_HOME respected)
 *   <project>/.skillreg.yaml         (project; wins over the user's, key by key)
 *
 *   registry: https://skills.acme.example      # default for every scope
 *   scopes:
 *     "@acme-corp": https://skills.acme.example
 *     "@tools": /srv/registries/tools           # a local checkout or bare repository
 *   agent: claude                              # default --agent
 *   trust:                                     # pinned trust roots (skillreg registry add)
 *     https://skills.acme.example: { root: "SHA256:...", version: 1 }
 *     https://git.acme.example/skills.git: { root: "SHA256:...", version: 1, signers: 1796168485679 }
 *
 * `signers` (a Git URL or folder only) is the version of the admins' signer set
 * (trust/signers.json) that `registry add` verified: every later read refuses an older one,
 * so a fresh clone of the project with no checkpoint yet is not rolled back behind it.
 */

export const PROJECT_CONFIG_FILE = ".skillreg.yaml";
/** The project's lock (registry/client/lock.ts reads and writes it). */
export const LOCK_FILE = "skillreg.lock";

/**
 * The project a folder belongs to, as npm finds package.json: the nearest folder up from
 * `cwd` holding .skillreg.yaml or skillreg.lock, else `cwd` itself (a new project).
 */
export function findProjectRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, LOCK_FILE)) || existsSync(join(dir, PROJECT_CONFIG_FILE))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

export const clientConfigSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    registry: { type: "string", minLength: 1 },
    scopes: {
      type: "object",
      propertyNames: { pattern: `^@?${NAME_PATTERN.slice(1)}` },
      additionalProperties: { type: "string", minLength: 1 },
    },
    agent: { type: "string", minLength: 1 },
    trust: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["root", "version"],
        properties: { root: { type: "string", pattern: ROOT_FINGERPRINT_PATTERN }, version: { type: "integer", minimum: 1 }, signers: { type: "integer", minimum: 1 } },
      },
    },
  },
} as const satisfies JSONSchema;
export type ClientConfigFile = FromSchema<typeof clientConfigSchema>;

export interface ClientConfig {
  registry?: string;
  /** Scope (without '@') -> registry. */
  scopes: Record<string, string>;
  agent?: string;
  /** Registry (as resolved, no trailing slash) -> the trust root pinned for it. */
  trust: Record<string, RootPin>;
  /** Registry (keyed as `trust`) -> the signer set version `registry add` verified (a Git URL or folder). */
  signerSets: Record<string, number>;
}

/** $XDG_CONFIG_HOME/skillreg, else $HOME/.config/skillreg (from the given env, for tests). */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, "skillreg");
  return join(homeDir(env), ".config", "skillreg");
}

export function homeDir(env: NodeJS.ProcessEnv): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) throw new SkillregError("HOME is not set; set it so skillreg can find its configuration");
  return home;
}

/**
 * A registry as written in a config file or on the command line: URLs (and scp-like Git
 * addresses) as they are, paths relative to `baseDir` (the file's folder, or the cwd).
 */
export function resolveRegistry(value: string, baseDir: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^/\s]+@[^/\s]+:/.test(value) ? value : resolve(baseDir, value);
}

async function readConfigFile(file: string): Promise<ClientConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { scopes: {}, trust: {}, signerSets: {} };
    throw new SkillregError(`${file}: ${(e as Error).message}`);
  }
  if (text.trim() === "") return { scopes: {}, trust: {}, signerSets: {} };
  const data = parseYamlWithSchema<ClientConfigFile>(text, clientConfigSchema, file);
  const baseDir = resolve(file, "..");
  return {
    ...(data.registry ? { registry: resolveRegistry(data.registry, baseDir) } : {}),
    scopes: Object.fromEntries(Object.entries(data.scopes ?? {}).map(([k, v]) => [k.replace(/^@/, ""), resolveRegistry(v, baseDir)])),
    ...(data.agent ? { agent: data.agent } : {}),
    trust: Object.fromEntries(Object.entries(data.trust ?? {}).map(([k, v]) => [trustKey(resolveRegistry(k, baseDir)), { fingerprint: v.root, version: v.version }])),
    signerSets: Object.fromEntries(Object.entries(data.trust ?? {}).flatMap(([k, v]) => (v.signers === undefined ? [] : [[trustKey(resolveRegistry(k, baseDir)), v.signers]]))),
  };
}

/**
 * How a registry is keyed in `trust`: as resolved, without trailing slashes, and a site URL in
 * WHATWG form (scheme and host lower-cased, default port and a host's trailing dot dropped), so
 * that another spelling of a pinned site (HTTPS://Skills.Acme.Example.) is still held to its pin
 * instead of meeting it as a first contact.
 */
export function trustKey(registry: string): string {
  if (!/^https?:\/\//i.test(registry) || !URL.canParse(registry)) return registry.replace(/\/+$/, "");
  const url = new URL(registry);
  url.hostname = url.hostname.replace(/\.$/, "");
  return url.toString().replace(/\/+$/, "");
}

/** The user's config overlaid with that of the project `cwd` is in (found by walking up). */
export async function loadClientConfig(cwd: string, env: NodeJS.ProcessEnv): Promise<ClientConfig> {
  const user = await readConfigFile(join(configDir(env), "config.yaml"));
  const project = await readConfigFile(join(findProjectRoot(cwd), PROJECT_CONFIG_FILE));
  return {
    ...(project.registry ?? user.registry ? { registry: project.registry ?? user.registry } : {}),
    scopes: { ...user.scopes, ...project.scopes },
    ...(project.agent ?? user.agent ? { agent: project.agent ?? user.agent } : {}),
    trust: { ...user.trust, ...project.trust },
    signerSets: { ...user.signerSets, ...project.signerSets },
  };
}

/** The registry for a scope: --registry, else the scope's registry, else the default. */
export function registryFor(config: ClientConfig, scope: string, flag?: string): string {
  const chosen = flag ?? (Object.hasOwn(config.scopes, scope) ? config.scopes[scope] : undefined) ?? config.registry;
  if (!chosen) {
    throw new SkillregError(
      `no registry for @${scope}: pass --registry <url|path>, or run 'skillreg registry add <url> --scope @${scope}' once in this project`,
    );
  }
  return chosen;
}
