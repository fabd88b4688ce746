import semver from "semver";
import { SkillregError, skillKey } from "../core/index.js";
import type { IndexAll, IndexSkill, IndexVersion } from "../index/index.js";
import type { TrustState } from "../trust/index.js";
import { loadClientConfig, registryFor, resolveRegistry, trustKey } from "./config.js";
import { redactUrl } from "./credentials.js";
import { repositoryTrust } from "./sources/repo-trust.js";
import { parseSkillSpec, resolveVersion } from "./resolve.js";
import { openSource } from "./sources/index.js";
import { sealIdentityLoader } from "./sealed.js";
import { installTarget } from "./install.js";
import { readLock } from "./lock.js";
import { loadClientTrust } from "./trust.js";
import { CheckpointedSource, type CheckpointBook } from "./checkpoint.js";
import type { SourceContext } from "./sources/index.js";

/**
 * `skillreg search` and `skillreg info`: reading a registry's catalog from the terminal, as
 * `npm search` and `npm view` do, from the same index files pull resolves against.
 */

/**
 * What search and info read a registry through: the project's pins and checkpoint, as pull
 * does, so they show nothing of a registry that pull would refuse.
 */
async function projectSources(at: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Pick<SourceContext, "pins" | "held"> & { checkpoint: CheckpointBook }> {
  const { lockPath } = installTarget(at.cwd, at.env, false);
  const { pins, held, checkpoint } = await loadClientTrust(await loadClientConfig(at.cwd, at.env), await readLock(lockPath), lockPath);
  return { pins, held, checkpoint };
}

/**
 * A registry's repository read at `commit` (by `access list`), held to the project's pin and
 * checkpoint as pull holds it: refused in one line when main's members or flags are not what
 * the admins signed; `trust` is undefined when nothing vouches for them (no pin, no signer
 * set). `shown` names the registry without credentials.
 */
export async function repositoryTrustForProject(
  at: { cwd: string; env: NodeJS.ProcessEnv },
  req: { registry: string; repoDir: string; commit: string; notice: (message: string) => void },
): Promise<{ trust: TrustState | undefined; shown: string }> {
  const { pins = {}, held = {}, checkpoint } = await projectSources(at);
  const resolved = resolveRegistry(req.registry, at.cwd);
  const shown = redactUrl(resolved.replace(/^git\+/, ""));
  const keys = [trustKey(resolved), trustKey(shown)];
  const first = (by: Readonly<Record<string, TrustState["pin"]>>) => keys.map((k) => (Object.hasOwn(by, k) ? by[k] : undefined)).find((v) => v !== undefined);
  const trust = await repositoryTrust({ repoDir: req.repoDir, commit: req.commit, shown, pin: first(pins), held: first(held), notice: req.notice });
  // A main served as it was before the admins removed a member carries the (valid) signer set
  // of then: only the checkpoint tells it is older than one this project already trusted.
  // `shown` is the id pull records the registry under (a Git URL without credentials, a folder's path).
  if (trust) checkpoint.refuseRollback(shown, trust);
  return { trust, shown };
}

export type SearchHit = IndexAll["skills"][number] & { registry: string };

/**
 * Skills whose `@scope/name` or description holds every word of `text` (any case), from
 * --registry or every registry the config names, best first: name matches, then the newest.
 */
export async function searchSkills(at: { cwd: string; env: NodeJS.ProcessEnv; progress?: (step: string) => void }, req: { text: string; registry?: string }): Promise<SearchHit[]> {
  const config = await loadClientConfig(at.cwd, at.env);
  const registries = req.registry !== undefined ? [resolveRegistry(req.registry, at.cwd)] : [...new Set([...(config.registry ? [config.registry] : []), ...Object.values(config.scopes)])];
  if (registries.length === 0) throw new SkillregError(`no registry to search: pass --registry <url|path>, or run 'skillreg registry add <url>' once in this project`);
  const words = req.text.toLowerCase().split(/\s+/).filter(Boolean);
  const hits: SearchHit[] = [];
  const { checkpoint, ...trust } = await projectSources(at);
  for (const registry of registries) {
    const all = await new CheckpointedSource(openSource(registry, { ...at, ...trust }), checkpoint).all();
    for (const s of all.skills) {
      const haystack = `${skillKey(s.scope, s.name)} ${s.description}`.toLowerCase();
      if (words.every((w) => haystack.includes(w))) hits.push({ ...s, registry });
    }
  }
  const inName = (h: SearchHit) => words.every((w) => skillKey(h.scope, h.name).includes(w));
  return hits.sort((a, b) => Number(inName(b)) - Number(inName(a)) || (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}

export interface SkillInfo {
  skill: string;
  registry: string;
  description: string;
  visibility: IndexSkill["visibility"];
  /** The version the range picks (default: latest). */
  version: IndexVersion;
  /** Every version, oldest first, with its state. */
  versions: { version: string; publishedAt: string; decision: IndexVersion["scan"]["decision"]; yanked: boolean; deprecated: boolean }[];
}

/** One skill's index entry and the version `@scope/name[@range]` picks. */
export async function skillInfo(at: { cwd: string; env: NodeJS.ProcessEnv; progress?: (step: string) => void }, req: { spec: string; registry?: string; prerelease?: boolean }): Promise<SkillInfo> {
  const spec = parseSkillSpec(req.spec);
  const registry = registryFor(await loadClientConfig(at.cwd, at.env), spec.scope, req.registry === undefined ? undefined : resolveRegistry(req.registry, at.cwd));
  // A sealed skill's index file in an internal catalog opens with the user's default SSH key.
  const { checkpoint, ...trust } = await projectSources(at);
  // Compared with the checkpoint as pull compares it (a rollback, a dropped yank), recording nothing.
  const source = new CheckpointedSource(openSource(registry, { ...at, ...trust, sealIdentity: sealIdentityLoader(at) }), checkpoint);
  const skill = await source.skill(spec.scope, spec.name);
  const key = skillKey(spec.scope, spec.name);
  return {
    skill: key,
    registry: source.id,
    description: skill.description,
    visibility: skill.visibility,
    // An exact version is shown even when yanked (with its reason), as `npm view` shows a
    // deprecated one: info reads, it installs nothing, and it offers no install command for it.
    version: resolveVersion(key, skill.versions, spec.range, { prerelease: req.prerelease === true, ...(semver.valid(spec.range) !== null ? { locked: semver.valid(spec.range)! } : {}) }),
    versions: skill.versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt, decision: v.scan.decision, yanked: v.yanked !== null, deprecated: v.deprecated !== null })),
  };
}
