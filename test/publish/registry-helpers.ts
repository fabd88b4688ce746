import { join } from "node:path";
import { git } from "../../registry/git/cli.js";
import { SIGNERS_PATH } from "../../registry/trust/tuf/index.js";
import { loadSigner, type Signer } from "../../registry/trust/signer.js";
import { buildTagPayload, signTag, tagName, taggerFor } from "../../registry/trust/tags.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { makeChange, type WorkTree } from "../helpers/registry-change.js";

/**
 * Real registries for the publishing tests: the demo makes one (keys, scopes with owners and
 * maintainers, every example skill released, a yank, a deprecation), and these helpers craft
 * publish changes to it by hand (test/helpers/registry-change.ts), each part open to tampering.
 */

export interface DemoRegistry {
  dir: string;
  registry: string;
  keys: Record<"alice" | "bob" | "carol" | "admin", string>;
  signer: (who: "alice" | "bob" | "carol" | "admin") => Promise<Signer>;
}

/**
 * The demo registry, as `skillreg demo` makes it. With `withoutSignerSet`, the admin then
 * removes the signer set (trust/signers.json) in a commit of his own on main: a test of the
 * gate's authorship, review and merge rules then makes its member and flag changes without an
 * admin signing the signer set again in each of them (the signer set's own gate rule is tested
 * in test/trust/signer-set-gate.test.ts and test/redteam/git-root-yank.test.ts).
 */
export async function makeDemo(dir: string, opts: { withoutSignerSet?: boolean } = {}): Promise<DemoRegistry> {
  const r = await runCli(["demo", "--dir", dir, "--no-serve"]);
  if (r.code !== 0) throw new Error(`demo failed (${r.code}): ${r.stderr}`);
  if (opts.withoutSignerSet) {
    const registry = join(dir, "registry");
    await git(["rm", "--quiet", "--", SIGNERS_PATH], { cwd: registry });
    await git(["commit", "--quiet", "-m", "trust: no signer set (a registry read through its site only)"], { cwd: registry });
  }
  const keysDir = join(dir, "keys");
  const keys = { alice: join(keysDir, "alice"), bob: join(keysDir, "bob"), carol: join(keysDir, "carol"), admin: join(keysDir, "admin") };
  return { dir, registry: join(dir, "registry"), keys, signer: (who) => loadSigner(keys[who]) };
}

export interface CraftedPublish {
  branch: string;
  scope: string;
  name: string;
  version: string;
  /** Signs the tag; an unsigned tag when null. */
  tagSigner: Signer | null;
  principal: string;
  /** Signs the commit (default: the tag signer). */
  commitSigner?: Signer;
  from?: string;
  /** Change the skill's files (default: bump metadata.version in SKILL.md to `version`). */
  editSkill?: (work: WorkTree, folder: string) => Promise<void>;
  /** Other edits in the same change. */
  alsoEdit?: (work: WorkTree) => Promise<void>;
  /** Which tree the tag names (default: the skill's folder). */
  tagTree?: (skillTree: string, work: WorkTree) => Promise<string>;
  tagName?: string;
  /** The version in the publish path (default: `version`). */
  pathVersion?: string;
}

/** Set metadata.version in a SKILL.md text. */
export function withVersion(skillMd: string, version: string): string {
  return skillMd.replace(/^(\s+version:\s*)"?[^"\n]*"?\s*$/m, `$1"${version}"`);
}

/** A publish change made by hand (what `skillreg push` does, with every part open to tampering). */
export async function craftPublish(registry: string, p: CraftedPublish): Promise<string> {
  const folder = `skills/${p.scope}/${p.name}`;
  return makeChange(registry, {
    branch: p.branch,
    ...(p.from !== undefined && { from: p.from }),
    ...((p.commitSigner ?? p.tagSigner) && { signer: (p.commitSigner ?? p.tagSigner)! }),
    edit: async (work) => {
      if (p.editSkill) await p.editSkill(work, folder);
      else await work.write(`${folder}/SKILL.md`, withVersion(await work.read(`${folder}/SKILL.md`), p.version));
      if (p.alsoEdit) await p.alsoEdit(work);
      const skillTree = await work.treeOf(folder);
      const object = p.tagTree ? await p.tagTree(skillTree, work) : skillTree;
      const payload = buildTagPayload({
        object,
        type: "tree",
        tag: p.tagName ?? tagName(p.scope, p.name, p.version),
        tagger: taggerFor(p.principal, new Date()),
        message: `Publish @${p.scope}/${p.name}@${p.version}\n`,
      });
      const bytes = p.tagSigner ? await signTag(payload, p.tagSigner) : payload;
      await work.write(`publish/${p.scope}/${p.name}/${p.pathVersion ?? p.version}.tag`, bytes);
    },
  });
}

export function check(registry: string, head: string, base = "main", extra: string[] = []): Promise<CliResult> {
  return runCli(["registry", "check", "--base", base, "--head", head, "--registry", registry, ...extra]);
}
