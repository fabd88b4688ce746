import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { git, runGit } from "../../registry/git/cli.js";
import { buildIndex, type Audience } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { runCli } from "./cli.js";
import { makeSshKey, type TestKey } from "./keys.js";
import { skillMd } from "./skill-md.js";

/**
 * A real registry repository built with plain git, for tests of everything that reads a
 * registry (index, pull, site, audit). A publish here does what the release flow ends with:
 * the skill's files on main, a signed tag made by the real `git tag -s` (gpg.format=ssh)
 * pointing at the skill's tree, and the raw tag object committed as
 * publish/<scope>/<name>/<version>.tag. It can switch to the real push/merge later.
 */

export interface FixtureScope {
  scope: string;
  visibility?: "public" | "private";
  members: Record<string, "owner" | "maintainer" | "reader">;
  skills?: Record<string, { visibility?: "public" | "private"; yanked?: Record<string, string>; deprecated?: Record<string, string> }>;
}

export interface FixtureSigner {
  key: TestKey;
  /** allowed_signers valid-after / valid-before, as YYYYMMDD[HHMM[SS]][Z]. */
  validAfter?: string;
  validBefore?: string;
}

export interface PublishInput {
  scope: string;
  name: string;
  version: string;
  signer: TestKey;
  /** Files besides SKILL.md; SKILL.md is generated unless given here. */
  files?: Record<string, string | Uint8Array>;
  /** The generated SKILL.md's description and body. */
  description?: string;
  body?: string;
  /** Commit time of the release commit (becomes publishedAt), ISO or git date. */
  at?: string;
}

export interface Published {
  tag: string;
  tagObject: string;
  tree: string;
  commit: string;
}

/** Write `files` (path relative to `root` -> content) under `root`, creating folders. */
export function writeFiles(root: string, files: Iterable<[string, string | Uint8Array]>): void {
  for (const [path, content] of files) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export function allowedSignersText(signers: FixtureSigner[]): string {
  return signers
    .map((s) => {
      const opts = ['namespaces="git"'];
      if (s.validAfter) opts.push(`valid-after="${s.validAfter}"`);
      if (s.validBefore) opts.push(`valid-before="${s.validBefore}"`);
      const [type, blob] = s.key.publicKey.split(" ");
      return `${s.key.principal} ${opts.join(",")} ${type} ${blob}\n`;
    })
    .join("");
}

export class RegistryFixture {
  readonly dir: string;
  private clock = Date.parse("2026-01-01T00:00:00Z");

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** A new registry repository in `dir` (created), with config, scopes and signers on main. */
  static async create(
    dir: string,
    opts: { name?: string; gitUrl?: string; admins: string[]; scopes: FixtureScope[]; signers: FixtureSigner[] },
  ): Promise<RegistryFixture> {
    mkdirSync(dir, { recursive: true });
    const reg = new RegistryFixture(dir);
    await reg.git(["init", "-q", "-b", "main"]);
    reg.write(
      "skillreg.yaml",
      stringify({
        name: opts.name ?? "test-registry",
        ...(opts.gitUrl ? { gitUrl: opts.gitUrl } : {}),
        admins: opts.admins,
        limits: { maxFileBytes: 1048576, maxSkillBytes: 10485760, maxFiles: 500 },
        policy: { securityReviewers: opts.admins, rules: {} },
      }),
    );
    for (const s of opts.scopes) reg.writeScope(s);
    reg.write("allowed_signers", allowedSignersText(opts.signers));
    await reg.commit("registry: initial configuration");
    return reg;
  }

  /** A clone of `from` in `dir`, tags included: another copy of the registry (a hostile server's, or the admins' next change). */
  static async cloneOf(from: RegistryFixture, dir: string): Promise<RegistryFixture> {
    await git(["clone", "--quiet", from.dir, dir], { cwd: from.dir, env: from.env() });
    const copy = new RegistryFixture(dir);
    copy.clock = from.clock;
    return copy;
  }

  /** Run git in the registry (the fixture's own env: fixed identity, no prompts). */
  async git(args: string[], input?: string | Buffer): Promise<string> {
    return git(args, { cwd: this.dir, input, env: this.env() });
  }

  async gitBytes(args: string[]): Promise<Buffer> {
    return (await runGit(args, { cwd: this.dir, raw: true, env: this.env() })).bytes;
  }

  write(path: string, content: string | Uint8Array): void {
    writeFiles(this.dir, [[path, content]]);
  }

  writeScope(s: FixtureScope): void {
    this.write(`scopes/${s.scope}.yaml`, stringify({ scope: s.scope, visibility: s.visibility ?? "private", members: s.members, ...(s.skills ? { skills: s.skills } : {}) }));
  }

  /** Commit everything in the work tree; each commit is one (fake) minute after the last. */
  async commit(message: string, at?: string): Promise<string> {
    await this.git(["add", "-A"]);
    this.clock += 60_000;
    const when = at ?? new Date(this.clock).toISOString();
    await git(["commit", "-q", "--allow-empty", "-m", message], {
      cwd: this.dir,
      env: this.env({ GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when }),
    });
    return this.git(["rev-parse", "HEAD"]);
  }

  /** Publish one version the way a release ends: files on main, signed tag, publish record. */
  async publish(p: PublishInput): Promise<Published> {
    const skillDir = join(this.dir, "skills", p.scope, p.name);
    rmSync(skillDir, { recursive: true, force: true });
    const md = skillMd(p.name, p.version, p.body ?? "Explain what the skill does.", {
      description: p.description ?? `The ${p.name} skill for tests.`,
      allowedTools: null,
      guardrails: "Reads files in the project only.",
    });
    const files = { "SKILL.md": md, ...p.files };
    for (const [path, content] of Object.entries(files)) this.write(`skills/${p.scope}/${p.name}/${path}`, content);
    await this.commit(`publish @${p.scope}/${p.name}@${p.version}: files`);
    const tree = await this.git(["rev-parse", `HEAD:skills/${p.scope}/${p.name}`]);
    const tag = `@${p.scope}/${p.name}@${p.version}`;
    const tagObject = await this.signTag(tag, tree, p.signer);
    this.write(`publish/${p.scope}/${p.name}/${p.version}.tag`, await this.gitBytes(["cat-file", "tag", tagObject]));
    const commit = await this.commit(`release ${tag}`, p.at);
    return { tag, tagObject, tree, commit };
  }

  /** `git tag -s` with an SSH key over any object (a tree here); returns the tag object id. */
  async signTag(tag: string, object: string, signer: TestKey, opts: { force?: boolean; message?: string } = {}): Promise<string> {
    await this.git([
      "-c", "gpg.format=ssh",
      "-c", `user.signingkey=${signer.privatePath}`,
      "tag", "-s", ...(opts.force ? ["-f"] : []), tag, object, "-m", opts.message ?? `release ${tag}`,
    ]);
    return this.git(["rev-parse", `refs/tags/${tag}`]);
  }

  /** Rewrite a scope file (yank, deprecate, visibility, members) in one commit. */
  async updateScope(s: FixtureScope): Promise<string> {
    this.writeScope(s);
    return this.commit(`scope ${s.scope}: update`);
  }

  /**
   * Build the index (what the site serves under /index/v1/) into `siteDir`, pointing clients
   * at `gitUrl` for tags. Returns the files, for tests that tamper with them.
   */
  async writeIndex(siteDir: string, opts: { gitUrl: string; audience?: Audience }): Promise<Map<string, string>> {
    const files = buildIndex(await readRegistryFacts(this.dir), { audience: opts.audience ?? "internal", gitUrl: opts.gitUrl });
    rmSync(join(siteDir, "index"), { recursive: true, force: true });
    writeFiles(siteDir, files);
    return files;
  }

  /** The folder git http-backend serves when this registry's parent is GIT_PROJECT_ROOT. */
  get gitDir(): string {
    return join(this.dir, ".git");
  }

  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      GIT_AUTHOR_NAME: "Registry Bot",
      GIT_AUTHOR_EMAIL: "bot@registry.example",
      GIT_COMMITTER_NAME: "Registry Bot",
      GIT_COMMITTER_EMAIL: "bot@registry.example",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      ...extra,
    };
  }
}

/**
 * The smallest registry a client test needs: alice@acme.example owns the public scope @acme
 * and has published @acme/deploy at each of `versions` (its run.sh echoes the version).
 */
export async function acmeDeployRegistry(dir: string, versions: readonly string[]): Promise<{ reg: RegistryFixture; alice: TestKey }> {
  const alice = makeSshKey(dir, "alice@acme.example");
  const reg = await RegistryFixture.create(join(dir, "reg"), {
    admins: ["alice@acme.example"],
    scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } }],
    signers: [{ key: alice }],
  });
  for (const v of versions) await reg.publish({ scope: "acme", name: "deploy", version: v, signer: alice, files: { "run.sh": `echo ${v}\n` } });
  return { reg, alice };
}

/**
 * A registry ready for publish changes and the gate: alice@acme.example is its admin (and so
 * its security reviewer) and owns the public scope @acme, bob@acme.example maintains it, and
 * .github/CODEOWNERS is generated and committed.
 */
export async function acmeGateRegistry(root: string): Promise<{ dir: string; alice: TestKey; bob: TestKey }> {
  const alice = makeSshKey(root, "alice@acme.example");
  const bob = makeSshKey(root, "bob@acme.example");
  const reg = await RegistryFixture.create(join(root, "registry"), {
    admins: ["alice@acme.example"],
    signers: [{ key: alice }, { key: bob }],
    scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner", "bob@acme.example": "maintainer" } }],
  });
  const codeowners = await runCli(["registry", "codeowners", "--registry", reg.dir]);
  if (codeowners.code !== 0) throw new Error(`registry codeowners: ${codeowners.stderr}`);
  await reg.commit("registry: CODEOWNERS");
  return { dir: reg.dir, alice, bob };
}
