import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeSignedCommit } from "../../registry/trust/commit-signature.js";
import { git } from "../../registry/git/cli.js";
import { initRegistry } from "../../registry/publish/init.js";
import { loadSigner, type Signer } from "../../registry/trust/signer.js";
import { buildTagPayload, signTag, tagName, taggerFor, tagObjectId, writeTagObject } from "../../registry/trust/tags.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { skillMd } from "../helpers/skill-md.js";

/**
 * Scripted registry histories on real repositories: changes arrive as a branch commit signed
 * by the requester and a merge commit signed by the approver (the pull-request path), or as
 * direct commits. Every commit gets an explicit time so tests can reason about "before" and
 * "after" a revocation without reading the clock.
 */

export interface Person {
  principal: string;
  key: TestKey;
  signer: Signer;
}

export async function person(keysDir: string, principal: string): Promise<Person> {
  const key = makeSshKey(keysDir, principal);
  return { principal, key, signer: await loadSigner(key.privatePath) };
}

/** `@<seconds> +0000` for git's date variables. */
function gitDate(at: Date): string {
  return `@${Math.floor(at.getTime() / 1000)} +0000`;
}

export class RegistryHistory {
  constructor(readonly dir: string) {}

  static async create(dir: string, admins: string[]): Promise<RegistryHistory> {
    await initRegistry(dir, { name: "acme", admins, skillregVersion: "0.1.0" });
    return new RegistryHistory(dir);
  }

  private env(at: Date, who = "skillreg"): NodeJS.ProcessEnv {
    return {
      GIT_AUTHOR_DATE: gitDate(at),
      GIT_COMMITTER_DATE: gitDate(at),
      GIT_AUTHOR_NAME: who,
      GIT_AUTHOR_EMAIL: `${who.replace(/@.*/, "")}@example.invalid`,
      GIT_COMMITTER_NAME: who,
      GIT_COMMITTER_EMAIL: `${who.replace(/@.*/, "")}@example.invalid`,
    };
  }

  /** Write (or with null, delete) files in the work tree and stage them. */
  async stage(files: Record<string, string | Buffer | null>): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    await git(["add", "--all"], { cwd: this.dir });
    return git(["write-tree"], { cwd: this.dir });
  }

  async head(): Promise<string> {
    return git(["rev-parse", "HEAD"], { cwd: this.dir });
  }

  /** A direct commit on main, signed when `by` is given. */
  async commit(files: Record<string, string | Buffer | null>, message: string, at: Date, by?: Person): Promise<string> {
    const tree = await this.stage(files);
    const parents = [await this.head()];
    const env = this.env(at, by?.principal);
    const id = by
      ? await writeSignedCommit(this.dir, { tree, parents, message, env }, by.signer)
      : await git(["commit-tree", tree, "-p", parents[0]!], { cwd: this.dir, input: message, env });
    await git(["update-ref", "refs/heads/main", id], { cwd: this.dir });
    return id;
  }

  /**
   * The pull-request path: a branch commit signed by `requester`, then a merge commit signed by
   * `approver` on main. Returns the merge commit.
   */
  async merge(
    files: Record<string, string | Buffer | null>,
    opts: { branch: string; requester: Person; approver: Person; at: Date; message?: string; trailers?: string[] },
  ): Promise<string> {
    const tree = await this.stage(files);
    const main = await this.head();
    const branchCommit = await writeSignedCommit(
      this.dir,
      { tree, parents: [main], message: `${opts.message ?? opts.branch}\n`, env: this.env(opts.at, opts.requester.principal) },
      opts.requester.signer,
    );
    await git(["update-ref", `refs/heads/${opts.branch}`, branchCommit], { cwd: this.dir });
    const trailers = opts.trailers?.length ? `\n\n${opts.trailers.join("\n")}` : "";
    const merge = await writeSignedCommit(
      this.dir,
      { tree, parents: [main, branchCommit], message: `Merge branch '${opts.branch}'${trailers}\n`, env: this.env(opts.at, opts.approver.principal) },
      opts.approver.signer,
    );
    await git(["update-ref", "refs/heads/main", merge], { cwd: this.dir });
    return merge;
  }

  /** A signed tag object for the skill's tree as staged now (files must be staged first). */
  async signedTag(scope: string, name: string, version: string, publisher: Person, at: Date): Promise<Buffer> {
    const root = await git(["write-tree"], { cwd: this.dir });
    const tree = await git(["rev-parse", `${root}:skills/${scope}/${name}`], { cwd: this.dir });
    const payload = buildTagPayload({
      object: tree,
      type: "tree",
      tag: tagName(scope, name, version),
      tagger: taggerFor(publisher.principal, at),
      message: `${tagName(scope, name, version)}\n`,
    });
    return signTag(payload, publisher.signer);
  }

  /** Publish a version through a reviewed merge, as `push` + `registry merge` do. Returns the tag bytes. */
  async publish(
    scope: string,
    name: string,
    version: string,
    skillFiles: Record<string, string>,
    opts: { publisher: Person; reviewer: Person; at: Date; scan?: string; pr?: number },
  ): Promise<Buffer> {
    const files = Object.fromEntries(Object.entries(skillFiles).map(([p, c]) => [`skills/${scope}/${name}/${p}`, c]));
    await this.stage(files);
    const tag = await this.signedTag(scope, name, version, opts.publisher, opts.at);
    await this.merge(
      { ...files, [`publish/${scope}/${name}/${version}.tag`]: tag },
      {
        branch: `publish/${scope}/${name}/${version}`,
        requester: opts.publisher,
        approver: opts.reviewer,
        at: opts.at,
        message: `Publish @${scope}/${name}@${version}`,
        trailers: [
          ...(opts.pr ? [`Pull-Request: #${opts.pr}`] : []),
          `Skill: @${scope}/${name}@${version}`,
          `Publisher: ${opts.publisher.principal}`,
          `Reviewer: ${opts.reviewer.principal}`,
          `Scan-Decision: ${opts.scan ?? "pass"}`,
        ],
      },
    );
    return tag;
  }

  /** Create the tag ref for a publish record, as the release does. */
  async release(scope: string, name: string, version: string, tagBytes: Buffer): Promise<string> {
    const id = await writeTagObject(this.dir, tagBytes);
    if (id !== tagObjectId(tagBytes)) throw new Error("mktag changed the object");
    await git(["update-ref", `refs/tags/${tagName(scope, name, version)}`, id], { cwd: this.dir });
    return id;
  }
}

/** A minimal valid skill at a version, as the files of its folder. */
export function skillFiles(name: string, version: string, body?: string): Record<string, string> {
  return { "SKILL.md": skillMd(name, version, body) };
}
