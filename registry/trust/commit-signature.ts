import { SkillregError } from "../core/index.js";
import { git, runGit } from "../git/index.js";
import { principalsForKey, whyKeyRefused, type AllowedSigner } from "./allowed-signers.js";
import type { Signer } from "./signer.js";
import { verifySshsig } from "./sshsig.js";
import { taggerFor } from "./tags.js";

/**
 * SSH-signed commits as git writes them with gpg.format=ssh: the armoured SSHSIG sits in a
 * `gpgsig` header (continuation lines indented by one space) and the signed payload is the
 * commit object without that header. `git verify-commit` accepts what `writeSignedCommit`
 * makes, and `commitSigner` reads back who signed any commit.
 */

const NAMESPACE = "git";
const SIGNATURE_HEADERS = new Set(["gpgsig", "gpgsig-sha256"]);

export interface SplitCommit {
  /** The bytes that were signed: the commit object without its signature header. */
  payload: Buffer;
  signature?: string;
  /** Committer time (the commit's own record of when it was made). */
  committedAt: Date;
  /** "Name <email>" of the author. */
  author: string;
  message: string;
}

/** Split a raw commit object into its signed payload and signature. */
export function splitCommit(raw: Buffer): SplitCommit {
  const text = raw.toString("utf8");
  const headerEnd = text.indexOf("\n\n");
  const headerText = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const message = headerEnd < 0 ? "" : text.slice(headerEnd + 2);
  const kept: string[] = [];
  const sig: string[] = [];
  let inSignature = false;
  for (const line of headerText.split("\n")) {
    if (line.startsWith(" ") && inSignature) {
      sig.push(line.slice(1));
      continue;
    }
    const key = line.split(" ", 1)[0]!;
    inSignature = SIGNATURE_HEADERS.has(key);
    if (inSignature) sig.push(line.slice(key.length + 1));
    else kept.push(line);
  }
  const committer = /^committer (.*) <([^>]*)> (\d+) [+-]\d{4}$/m.exec(headerText);
  const author = /^author (.*) <([^>]*)> \d+ [+-]\d{4}$/m.exec(headerText);
  const payloadText = kept.join("\n") + (headerEnd < 0 ? "" : "\n\n" + message);
  return {
    payload: Buffer.from(payloadText, "utf8"),
    ...(sig.length > 0 ? { signature: sig.join("\n") + "\n" } : {}),
    committedAt: new Date(Number(committer?.[3] ?? 0) * 1000),
    author: author ? `${author[1]} <${author[2]}>` : "unknown",
    message,
  };
}

export type CommitSignerResult =
  | { verified: true; principal: string; fingerprint: string }
  | { verified: false; why: string };

/**
 * Who signed a commit, by allowed_signers, with the key judged at `at`. Never throws: an
 * unsigned commit or an unknown key is an answer (the caller falls back to the author and
 * says the actor is unverified).
 */
export function commitSigner(raw: Buffer, signers: readonly AllowedSigner[], at: Date): CommitSignerResult {
  const { payload, signature } = splitCommit(raw);
  if (!signature) return { verified: false, why: "the commit is not signed" };
  try {
    const { publicKeyBlob, fingerprint } = verifySshsig(payload, signature, NAMESPACE);
    const principals = principalsForKey(signers, publicKeyBlob, { namespace: NAMESPACE, at }).filter((p) => !/[*?]/.test(p));
    if (principals.length === 0) return { verified: false, why: `signed by key ${fingerprint}, but ${whyKeyRefused(signers, publicKeyBlob, { namespace: NAMESPACE, at })}` };
    return { verified: true, principal: principals[0]!, fingerprint };
  } catch (e) {
    if (e instanceof SkillregError) return { verified: false, why: e.message };
    throw e;
  }
}

/** Put an armoured signature into a commit payload as the `gpgsig` header, where git puts it. */
export function addCommitSignature(payload: Buffer, armored: string): Buffer {
  const text = payload.toString("utf8");
  const headerEnd = text.indexOf("\n\n");
  if (headerEnd < 0) throw new SkillregError("cannot sign a commit object without a message");
  const header = "gpgsig " + armored.trimEnd().split("\n").join("\n ");
  return Buffer.from(`${text.slice(0, headerEnd)}\n${header}${text.slice(headerEnd)}`, "utf8");
}

/** git's author and committer for a commit made as `principal`: the name and email its tags carry. */
export function identityEnv(principal: string, at: Date): NodeJS.ProcessEnv {
  const { name, email } = taggerFor(principal, at);
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
}

export interface NewCommit {
  tree: string;
  parents: string[];
  message: string;
  /** Author and committer identity; defaults to git's environment or the fallback identity. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Write a commit object signed by `signer` and return its id (the ref is the caller's).
 * git builds the unsigned object (`commit-tree`), we sign those exact bytes and store the
 * signed object with `hash-object`, so the result is what `git commit -S` would write.
 */
export async function writeSignedCommit(repoDir: string, commit: NewCommit, signer: Signer): Promise<string> {
  const env = commit.env ?? {};
  const unsigned = await git(["commit-tree", commit.tree, ...commit.parents.flatMap((p) => ["-p", p])], {
    cwd: repoDir,
    input: commit.message,
    env,
  });
  const payload = (await runGit(["cat-file", "commit", unsigned], { cwd: repoDir, raw: true })).bytes;
  const signed = addCommitSignature(payload, await signer.sign(payload, NAMESPACE));
  return git(["hash-object", "-t", "commit", "-w", "--stdin"], { cwd: repoDir, input: signed });
}
