import { SkillregError } from "../../core/index.js";
import { readRegistryFacts } from "../../index/index.js";
import { SIGNERS_PATH, describeRoot, readRootChain, readTrustFile, rootPathInRepo, signerSetTrustState, verifySignerSet, type RootPin, type TrustState } from "../../trust/index.js";
import { rootLine } from "../signed-index.js";

/**
 * How a client trusts a registry it reads from the repository itself (a Git URL or a folder):
 * from the root the project pinned, through the chain in trust/ and the admins' signed signer
 * set (trust/signers.json, registry/trust/tuf/signers.ts), never from the repository's own
 * say-so. Without a pin, a repository whose admins sign a signer set is trusted as it holds
 * its newest root, said in one line like ssh meeting a new host, and the lock records that
 * root; one without is read unauthenticated (the checkpoint's first-contact line says so).
 */

export interface RepositoryTrustInput {
  repoDir: string;
  /** The commit of main the index will be built from; everything is read there. */
  commit: string;
  /** How the registry is named in messages and in `registry add`. */
  shown: string;
  pin: RootPin | undefined;
  /** The newest root the project's checkpoint recorded for this registry: held even when nothing else pins it. */
  held: RootPin | undefined;
  notice: (message: string) => void;
}

/**
 * The trust state of a repository at `commit`, or undefined when nothing is pinned and its
 * admins sign nothing.
 */
export async function repositoryTrust(input: RepositoryTrustInput): Promise<TrustState | undefined> {
  const { repoDir, commit, shown } = input;
  const [roots, signers] = await Promise.all([readRootChain(repoDir, commit), readTrustFile(repoDir, commit, SIGNERS_PATH)]).catch((e: unknown) => {
    throw e instanceof SkillregError ? new SkillregError(`${shown}: ${e.message}`) : e;
  });
  // A checkpoint that verified a root stands for a pin: dropping the pin from .skillreg.yaml and
  // skillreg.lock is no first contact.
  let pin = input.pin ?? input.held;
  if (pin === undefined) {
    if (roots.length === 0 || signers === undefined) return undefined;
    const summary = describeRoot(roots.at(-1)!, `${shown}: ${rootPathInRepo(roots.length)}`);
    pin = { fingerprint: summary.fingerprint, version: summary.version };
    input.notice(
      `first contact with ${shown}: no trust root pinned; trusting ${rootLine(summary)} as the repository holds it; pin it with 'skillreg registry add ${shown} --trust ${summary.fingerprint}'`,
    );
  }
  const facts = await readRegistryFacts(repoDir, { ref: commit, only: [] });
  return signerSetTrustState(verifySignerSet({
    pin,
    roots,
    signersText: signers?.toString("utf8"),
    ...(input.held ? { held: input.held } : {}),
    files: { allowedSigners: facts.allowedSignersText, config: facts.configText, scopes: facts.scopeTexts },
    now: new Date(),
    shown,
  }));
}
