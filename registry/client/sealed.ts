import { join } from "node:path";
import { SkillregError } from "../core/index.js";
import { isDisclosedEnvelope, loadSealIdentity, openSealedTree, plaintextBinding, type SealIdentity } from "../seal/index.js";
import { homeDir } from "./config.js";
import type { PlannedVersion } from "./install.js";
import type { RegistrySource } from "./sources/index.js";
import type { VerifiedVersion } from "./verify-version.js";

/**
 * Pulling a sealed version: after the usual four checks (which judge the ciphertext tree the
 * publisher signed), open it with the user's SSH key and check the plaintext against the hash
 * the signed tree and the signed tag message bind. Nothing is written before this succeeds.
 */

/** The SSH key that opens sealed versions: --identity, else ~/.ssh/id_ed25519; read once, only when needed. */
export function sealIdentityLoader(at: { env: NodeJS.ProcessEnv; identity?: string }): () => Promise<SealIdentity> {
  let loaded: Promise<SealIdentity> | undefined;
  return () => (loaded ??= loadSealIdentity(at.identity ?? join(homeDir(at.env), ".ssh", "id_ed25519")));
}

export async function openSealedVersion(
  source: RegistrySource,
  plan: PlannedVersion,
  verified: VerifiedVersion,
  identity: () => Promise<SealIdentity>,
): Promise<VerifiedVersion> {
  const id = { scope: plan.scope, name: plan.name, version: plan.entry.version };
  const at = `${plan.key}@${id.version}`;
  const envelope = await source.sealedEnvelope(id.scope, id.name, id.version);
  // A version of a skill made public discloses its file key: anyone opens it, no key needed.
  let key: SealIdentity | undefined;
  if (envelope === undefined || !isDisclosedEnvelope(envelope)) {
    try {
      key = await identity();
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      throw new SkillregError(`${at} is sealed and needs your SSH key to open: ${e.message}`);
    }
  }
  const opened = await openSealedTree(id, verified.files, envelope, key);
  if (!verified.tagMessage.split("\n").includes(plaintextBinding(opened.manifest))) {
    throw new SkillregError(`${at}: the signed tag does not bind the plaintext hash (${plaintextBinding(opened.manifest)}); nothing was installed`);
  }
  return { ...verified, files: opened.files.map((f) => ({ path: f.path, executable: f.executable, bytes: Buffer.from(f.bytes) })) };
}
