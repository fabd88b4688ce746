import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SkillregError } from "../core/index.js";
import { runGit } from "./cli.js";

/**
 * A registry named on the command line: a checkout, a bare repository, or a Git URL (cloned
 * bare into a temporary folder, tags included, and removed by `close`). Reading commands
 * (audit, verify --registry) work from git objects only, so all three look the same.
 */
export interface OpenedRepo {
  /** Where to run git: the checkout, the bare repository or the temporary clone. */
  dir: string;
  /** The repository's git folder (the checkout's .git, or `dir` itself when bare). */
  gitDir: string;
  /** True when `dir` is a temporary clone of a URL. */
  cloned: boolean;
  close(): void;
}

/** A URL (`scheme://...`) or scp-like address (`git@host:path`) rather than a path. */
export function isGitUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || /^[^/\s:]+@[^/\s:]+:/.test(spec);
}

export async function openRepo(spec: string, cwd: string): Promise<OpenedRepo> {
  const local = resolve(cwd, spec);
  if (!isGitUrl(spec) || existsSync(local)) {
    if (!existsSync(local)) throw new SkillregError(`${spec}: no such folder or Git URL`);
    const inside = await runGit(["rev-parse", "--absolute-git-dir"], { cwd: local, okCodes: [128] });
    if (inside.code !== 0) throw new SkillregError(`${local}: not a Git repository (give a registry checkout, a bare repository or a Git URL)`);
    return { dir: local, gitDir: inside.stdout, cloned: false, close: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), "skillreg-clone-"));
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    // `--` keeps a hostile "URL" from being read as an option; --bare brings refs/tags/* too.
    await runGit(["clone", "--bare", "--quiet", "--", spec, dir], { cwd });
  } catch (e) {
    close();
    throw new SkillregError(`cannot clone ${spec}: ${(e as Error).message}`);
  }
  return { dir, gitDir: dir, cloned: true, close };
}
