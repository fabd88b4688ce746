import { existsSync } from "node:fs";
import { buildIndexModel, readRegistryFacts, type IndexModel } from "../index/index.js";
import { readRootChain, rootFingerprint } from "../trust/index.js";
import { readCheckpoint, compareSkill, type Checkpoint, type Rewrite } from "./checkpoint.js";

/**
 * `verify --registry` against the project's checkpoint: the registry's repository, read now,
 * must still hold every version the project saw, with the same tag object, and every yank.
 * A force-pushed history that agrees with itself passes the tamper checks; it does not pass
 * this one. A checkout has no site URL, so a checkpoint entry is this registry when it has the
 * same name (skillreg.yaml), pinned a root of the checkout's trust/ chain, or saw a version the
 * checkout still publishes as the same tag object: a rewrite that also renames the registry is
 * still compared.
 */
export async function rewritesSinceCheckpoint(repoDir: string, checkpointPath: string): Promise<{ compared: number; rewrites: Rewrite[] }> {
  if (!existsSync(checkpointPath)) return { compared: 0, rewrites: [] };
  const checkpoint = await readCheckpoint(checkpointPath);
  const keys = new Set(Object.values(checkpoint.registries).flatMap((r) => Object.keys(r.skills)));
  const only = [...keys].map((k) => ({ scope: k.slice(1, k.indexOf("/")), name: k.slice(k.indexOf("/") + 1) }));
  const model = buildIndexModel(await readRegistryFacts(repoDir, { only }), { audience: "internal" });
  const roots = new Set((await readRootChain(repoDir, "HEAD")).map(rootFingerprint));
  const rewrites: Rewrite[] = [];
  let compared = 0;
  for (const seen of Object.values(checkpoint.registries).filter((r) => isThisRegistry(r, model, roots))) {
    for (const key of Object.keys(seen.skills).sort()) {
      const now = model.skills.find((s) => `@${s.entry.scope}/${s.entry.name}` === key);
      rewrites.push(...compareSkill(seen, key, now?.entry.versions));
      compared += Object.keys(seen.skills[key]!).length;
    }
  }
  return { compared, rewrites };
}

function isThisRegistry(seen: Checkpoint["registries"][string], model: IndexModel, roots: ReadonlySet<string>): boolean {
  if (seen.name === model.registry.name || (seen.root !== undefined && roots.has(seen.root.fingerprint))) return true;
  return model.skills.some((s) => {
    const versions = Object.hasOwn(seen.skills, `@${s.entry.scope}/${s.entry.name}`) ? seen.skills[`@${s.entry.scope}/${s.entry.name}`]! : {};
    return s.entry.versions.some((v) => Object.hasOwn(versions, v.version) && versions[v.version]!.tagObject === v.tagObject);
  });
}
