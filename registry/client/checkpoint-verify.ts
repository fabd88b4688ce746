import { existsSync } from "node:fs";
import { runGit } from "../git/index.js";
import { DEFAULT_BRANCH, MAIN_REF, loadScanner } from "../core/index.js";
import { buildIndexModel, readRegistryFacts, type IndexModel } from "../index/index.js";
import { SIGNERS_PATH, readRootChain, readTrustFile, rootFingerprint, signerSetTrustState, verifySignerSet } from "../trust/index.js";
import { readCheckpoint, compareSkill, compareTrust, type Checkpoint, type Rewrite } from "./checkpoint.js";

/** The branch, never a tag named main (which git's lookup would prefer). */

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
  const [facts] = await Promise.all([readRegistryFacts(repoDir, { only }), loadScanner()]);
  const model = buildIndexModel(facts, { audience: "internal" });
  const roots = new Set((await readRootChain(repoDir, "HEAD")).map(rootFingerprint));
  const rewrites: Rewrite[] = [];
  let compared = 0;
  for (const [id, seen] of Object.entries(checkpoint.registries).filter(([, r]) => isThisRegistry(r, model, roots))) {
    if (seen.commit !== undefined) rewrites.push(...(await mainSince(repoDir, id, seen.commit)));
    // A registry the project read from its repository and verified from a root (a site's
    // repository need not hold a signer set): main is held to it as pull holds it, refused in
    // one line as pull refuses, so verify never passes a repository that pull refuses.
    if (seen.root !== undefined && seen.newestRoot !== undefined) {
      const [chain, signers] = await Promise.all([readRootChain(repoDir, MAIN_REF), readTrustFile(repoDir, MAIN_REF, SIGNERS_PATH)]);
      const state = signerSetTrustState(verifySignerSet({
        pin: seen.root,
        held: seen.newestRoot,
        roots: chain,
        signersText: signers?.toString("utf8"),
        files: { allowedSigners: facts.allowedSignersText, config: facts.configText, scopes: facts.scopeTexts },
        now: new Date(),
        shown: id,
      }));
      // A folder records no commit: only the signer set's version names a main served as it was
      // before (an older, still valid signer set), as pull names it.
      rewrites.push(...compareTrust(seen, id, state));
    }
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

/**
 * A registry read by its Git URL recorded the commit of main it verified: the checkout's main
 * must descend from it. A checkout behind it (main is its ancestor) is only stale; one that
 * does not hold it at all cannot tell a stale clone from a rewrite, and says both.
 */
async function mainSince(repoDir: string, id: string, commit: string): Promise<Rewrite[]> {
  const main = (await runGit(["rev-parse", "--verify", "--quiet", `${MAIN_REF}^{commit}`], { cwd: repoDir, okCodes: [1] })).stdout;
  if (main === "" || main === commit) return [];
  const isAncestor = async (older: string, newer: string) => (await runGit(["merge-base", "--is-ancestor", older, newer], { cwd: repoDir, okCodes: [1, 128] })).code;
  const descends = await isAncestor(commit, main);
  if (descends === 0 || (descends === 1 && (await isAncestor(main, commit)) === 0)) return [];
  const why =
    descends === 128
      ? `this repository does not hold commit ${commit}, the main of ${id} at the last checkpoint (fetch main; if it is fetched, the history was rewritten)`
      : `main ${main} does not descend from commit ${commit}, the main of ${id} at the last checkpoint`;
  return [{ kind: "rewound main", subject: DEFAULT_BRANCH, message: why }];
}
