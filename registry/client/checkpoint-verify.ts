import { existsSync } from "node:fs";
import { buildIndexModel, readRegistryFacts } from "../index/index.js";
import { CheckpointBook, compareSkill, readCheckpoint, type Rewrite } from "./checkpoint.js";

/**
 * `verify --registry` against the project's checkpoint: the registry's repository, read now,
 * must still hold every version the project saw, with the same tag object, and every yank.
 * A force-pushed history that agrees with itself passes the tamper checks; it does not pass
 * this one. Registries are matched by name (skillreg.yaml), as a checkout has no site URL.
 */
export async function rewritesSinceCheckpoint(repoDir: string, checkpointPath: string): Promise<{ compared: number; rewrites: Rewrite[] }> {
  if (!existsSync(checkpointPath)) return { compared: 0, rewrites: [] };
  const checkpoint = await readCheckpoint(checkpointPath);
  const keys = new Set(Object.values(checkpoint.registries).flatMap((r) => Object.keys(r.skills)));
  const only = [...keys].map((k) => ({ scope: k.slice(1, k.indexOf("/")), name: k.slice(k.indexOf("/") + 1) }));
  const model = buildIndexModel(await readRegistryFacts(repoDir, { only }), { audience: "internal" });
  const book = await CheckpointBook.open(checkpointPath);
  const rewrites: Rewrite[] = [];
  let compared = 0;
  for (const seen of book.byName(model.registry.name)) {
    for (const key of Object.keys(seen.skills).sort()) {
      const now = model.skills.find((s) => `@${s.entry.scope}/${s.entry.name}` === key);
      rewrites.push(...compareSkill(seen, key, now?.entry.versions));
      compared += Object.keys(seen.skills[key]!).length;
    }
  }
  return { compared, rewrites };
}
