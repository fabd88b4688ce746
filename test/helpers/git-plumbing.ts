import { git } from "../../registry/git/cli.js";

/**
 * Trees written with git plumbing, as a hostile client would: `mktree` checks no names, so a
 * test can put any name (newlines, `.GIT`, escapes) or any file anywhere, without a work tree.
 */

/** Store `content` as a blob in `repo`; returns its id. */
export function writeBlob(repo: string, content: string | Buffer): Promise<string> {
  return git(["hash-object", "-w", "--stdin"], { cwd: repo, input: content });
}

/** `tree` (or an empty tree) with `path` set to `entry` ("mode type oid"), every tree on the way rewritten; returns the new root tree id. */
export async function setTreePath(repo: string, tree: string | undefined, path: readonly string[], entry: string): Promise<string> {
  const listing = tree ? (await git(["ls-tree", "-z", tree], { cwd: repo })).split("\0").filter(Boolean) : [];
  const [head, ...rest] = path;
  const named = (line: string) => line.slice(line.indexOf("\t") + 1) === head;
  const existing = listing.find(named)?.split(/\s/)[2];
  const value = rest.length === 0 ? entry : `040000 tree ${await setTreePath(repo, existing, rest, entry)}`;
  const entries = [...listing.filter((l) => !named(l)), `${value}\t${head}`];
  return git(["mktree", "-z"], { cwd: repo, input: entries.map((e) => `${e}\0`).join("") });
}
