import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeSignedCommit } from "../../registry/trust/commit-signature.js";
import { git } from "../../registry/git/cli.js";
import type { Signer } from "../../registry/trust/signer.js";

/**
 * A change to a real registry made the way a person (or an attacker) with a clone makes it:
 * a clone, edits, a commit (signed with a real key, or not), a branch pushed back. Nothing of
 * skillreg's own checks runs, so tests show that the gate and the merge refuse what the
 * commands would have refused earlier.
 */

export interface Change {
  branch: string;
  /** Start point: a commit id of the registry (default: its main). */
  from?: string;
  /** Signs the commit; unsigned when absent. */
  signer?: Signer;
  /** Edit the work tree; return nothing. Paths are relative to the registry root. */
  edit: (work: WorkTree) => Promise<void>;
  message?: string;
}

export interface WorkTree {
  dir: string;
  read(path: string): Promise<string>;
  write(path: string, content: string | Buffer): Promise<void>;
  remove(path: string): Promise<void>;
  /** Stage everything and return the tree id of a folder as it would be committed. */
  treeOf(folder: string): Promise<string>;
  git(args: string[]): Promise<string>;
}

/** Make a commit on a new branch of the registry, as someone with a clone would push it. */
export async function makeChange(registry: string, change: Change): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "skillreg-change-"));
  try {
    await git(["clone", "--quiet", registry, dir], { cwd: tmpdir() });
    await git(["checkout", "--quiet", "-b", change.branch, change.from ?? "origin/main"], { cwd: dir });
    const work: WorkTree = {
      dir,
      read: (p) => readFile(join(dir, p), "utf8"),
      write: async (p, content) => {
        await mkdir(dirname(join(dir, p)), { recursive: true });
        await writeFile(join(dir, p), content);
      },
      remove: (p) => rm(join(dir, p), { recursive: true, force: true }),
      treeOf: async (folder) => {
        await git(["add", "--all", "--force"], { cwd: dir });
        return git(["write-tree", `--prefix=${folder}/`], { cwd: dir });
      },
      git: (args) => git(args, { cwd: dir }),
    };
    await change.edit(work);
    await git(["add", "--all", "--force"], { cwd: dir });
    const tree = await git(["write-tree"], { cwd: dir });
    const parent = await git(["rev-parse", "HEAD"], { cwd: dir });
    const message = change.message ?? `change ${change.branch}\n`;
    const commit = change.signer
      ? await writeSignedCommit(dir, { tree, parents: [parent], message }, change.signer)
      : await git(["commit-tree", tree, "-p", parent], { cwd: dir, input: message });
    await git(["push", "--quiet", "origin", `${commit}:refs/heads/${change.branch}`], { cwd: dir });
    return commit;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An admin turns sealing on: the gate key's public half goes into skillreg.yaml, on a branch
 * `admin/sealing` signed by `admin`; the caller has it merged by a second admin.
 */
export async function proposeSealing(registryDir: string, admin: Signer, gatePublicKey: string): Promise<void> {
  await makeChange(registryDir, {
    branch: "admin/sealing",
    signer: admin,
    message: "Seal private skills\n",
    edit: async (work) => {
      const config = await work.read("skillreg.yaml");
      await work.write("skillreg.yaml", `${config}sealing:\n  gateRecipient: ${gatePublicKey.split(" ").slice(0, 2).join(" ")}\n`);
    },
  });
}
