import { SkillregError } from "../core/index.js";
import { openSealedTree, scopeRecipients, sealIndexFile, type PlainFile, type SealIdentity } from "../seal/index.js";
import { tagName } from "../trust/index.js";
import { hasSealedTree, isSealedVersion, sealedVersionKey, skillIndexText, type CatalogSkill, type IndexModel } from "./build.js";
import type { RegistryFacts } from "./gather.js";
import { indexPaths } from "./schema.js";

/**
 * The internal catalog of a registry that seals: its builder (a member with their key, or CI
 * with the gate key) opens the sealed versions to scan and describe them, and every sealed
 * skill's index file is sealed in turn to the scope's readers and the gate key.
 */

/**
 * Open every sealed version whose file key is disclosed and, with `identity`, every one it can
 * open; the others are told to `onProblem` (and left out of the index).
 */
export async function openSealedVersions(facts: RegistryFacts, identity: SealIdentity | undefined, onProblem: (message: string) => void): Promise<Map<string, PlainFile[]>> {
  const opened = new Map<string, PlainFile[]>();
  for (const v of facts.versions.filter(hasSealedTree)) {
    const secret = isSealedVersion(v);
    if (secret && !identity) continue;
    const id = { scope: v.scope, name: v.name, version: v.version };
    try {
      opened.set(sealedVersionKey(v.scope, v.name, v.version), (await openSealedTree(id, v.files, v.envelopeText, secret ? identity : undefined)).files);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      onProblem(`${tagName(v.scope, v.name, v.version)}: ${e.message}`);
    }
  }
  return opened;
}

/**
 * The sealed index files of the model's sealed skills (site path -> text), each sealed to the
 * readers of its scope with a key in allowed_signers at `now`, and the gate key.
 */
export async function sealedIndexFiles(
  model: Pick<IndexModel, "registry" | "scopes"> & { skills: readonly Pick<CatalogSkill, "entry" | "sealedEntry">[] },
  allowedSignersText: string,
  now: Date,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const s of model.skills) {
    if (!s.sealedEntry) continue;
    const { recipients } = scopeRecipients(model.registry, model.scopes.get(s.entry.scope)!, allowedSignersText, now);
    files.set(indexPaths.skill(s.entry.scope, s.entry.name), await sealIndexFile(s.entry.scope, s.entry.name, skillIndexText(s.sealedEntry), recipients));
  }
  return files;
}
