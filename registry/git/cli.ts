import { execFile } from "node:child_process";
import { SkillregError } from "../core/index.js";

/**
 * The registry side talks to git through its CLI (mktag, verify-tag, http-backend and the
 * rest are git's own), in one place so every call gets the same environment and errors.
 */
export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Return stdout as bytes instead of trimmed text (object contents, archives). */
  raw?: boolean;
  /** Exit codes that are answers, not failures (e.g. 1 for `git diff --quiet`). */
  okCodes?: number[];
}

export interface GitResult {
  code: number;
  stdout: string;
  bytes: Buffer;
  stderr: string;
}

/**
 * Used when the machine has no git identity (CI, fresh machines): commits made by the
 * registry tools must still succeed, and the identity that matters is the SSH signer.
 */
export const FALLBACK_IDENTITY = { name: "skillreg", email: "skillreg@localhost" };

export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? FALLBACK_IDENTITY.name,
    GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? FALLBACK_IDENTITY.email,
    GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? FALLBACK_IDENTITY.name,
    GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? FALLBACK_IDENTITY.email,
    // Never stop to ask for a password or open an editor from a registry operation.
    GIT_TERMINAL_PROMPT: "0",
    GIT_EDITOR: "true",
    LC_ALL: "C",
    ...extra,
  };
}

export function runGit(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      { cwd: opts.cwd, env: gitEnv(opts.env), encoding: "buffer", maxBuffer: 512 * 1024 * 1024 },
      (error, stdoutBuf, stderrBuf) => {
        const bytes = stdoutBuf as Buffer;
        const stderr = (stderrBuf as Buffer).toString("utf8");
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        if (code !== 0 && !(opts.okCodes ?? []).includes(code)) {
          const why = stderr.trim().split("\n").pop() || (error as Error).message;
          reject(new SkillregError(`git ${args[0]} failed in ${opts.cwd}: ${why}`, { exitCode: 2 }));
          return;
        }
        resolve({ code, bytes, stdout: opts.raw ? "" : bytes.toString("utf8").trimEnd(), stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Shorthand: run git and return trimmed stdout. */
export async function git(args: string[], opts: GitOptions): Promise<string> {
  return (await runGit(args, opts)).stdout;
}

/**
 * Whether a merge commit's tree is what git's own merge of its two parents makes: then it
 * brings in nothing its parents do not hold, whoever made it (GitHub's merge button and its
 * "Update branch" make such merges, signed with a key no registry admits). An octopus, a
 * conflict, or a tree edited while merging is not clean.
 */
export async function isCleanMerge(repo: string, tree: string, parents: readonly string[]): Promise<boolean> {
  if (parents.length !== 2) return false;
  const merged = await runGit(["merge-tree", "--write-tree", "--no-messages", parents[0]!, parents[1]!], { cwd: repo, okCodes: [1] });
  return merged.code === 0 && merged.stdout.split("\n")[0] === tree;
}
