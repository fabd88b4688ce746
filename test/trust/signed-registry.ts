import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { buildIndex } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { loadSigningKey, readRootChain, signIndex } from "../../registry/trust/tuf/index.js";
import { runCli } from "../helpers/cli.js";
import { startGitHttp, type GitHttpServer } from "../helpers/git-http.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture, writeFiles } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A registry whose site signs its index, as the release workflow would: admins' SSH keys in
 * trust/1.root.json (made with the real `skillreg registry trust init`), the index signed by
 * the online key, served with its Git over the real `git http-backend` on 127.0.0.1.
 *
 * @acme/deploy: 1.0.0, 1.2.0, 2.0.0 (all signed by alice)
 * @acme/pusher: 1.0.0, whose script force-pushes (scan decision "flagged")
 */
export interface SignedRegistry {
  dir: string;
  reg: RegistryFixture;
  server: GitHttpServer;
  /** The site URL (the served folder is `<dir>/site/<name>` for each `sign(name)`). */
  url: string;
  siteDir: string;
  gitUrl: string;
  alice: TestKey;
  mallory: TestKey;
  admins: [TestKey, TestKey];
  online: TestKey;
  /** The fingerprint `registry trust init` printed. */
  rootFingerprint: string;
  /**
   * Build the index from the registry now, sign it as of `now` (default: the real time) and
   * serve it; returns the files written (site path -> text), for tests that tamper with them.
   */
  publishSite(opts?: { now?: Date; online?: TestKey }): Promise<Map<string, string>>;
  /** Serve exactly these files as the site (an attacker's or an old copy). */
  serveFiles(files: ReadonlyMap<string, string>): void;
  project(): { cwd: string; env: NodeJS.ProcessEnv };
  /** A fresh project that pinned the registry with `registry add --trust`, as CI would (run: in-process or the bundled binary). */
  pinnedProject(run?: typeof runCli): Promise<{ cwd: string; env: NodeJS.ProcessEnv }>;
}

/** Pull with `run` and expect success with no warning or error; returns stdout. */
export async function pullCleanly(run: typeof runCli, p: { cwd: string; env: NodeJS.ProcessEnv }, spec: string): Promise<string> {
  const pull = await run(["pull", spec], p);
  expect(messages(pull.stderr)).toEqual([]);
  expect(pull.code).toBe(0);
  return pull.stdout;
}

export const DEPLOY = ["1.0.0", "1.2.0", "2.0.0"];

export async function signedRegistry(): Promise<SignedRegistry> {
  const dir = tempDir("skillreg-trust-");
  const alice = makeSshKey(dir, "alice@acme.example");
  const mallory = makeSshKey(dir, "mallory@evil.example");
  const admins: [TestKey, TestKey] = [makeSshKey(dir, "admin1@acme.example"), makeSshKey(dir, "admin2@acme.example")];
  const online = makeSshKey(dir, "release@ci.acme.example");
  const reg = await RegistryFixture.create(join(dir, "reg"), {
    admins: ["alice@acme.example"],
    scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } }],
    signers: [{ key: alice }],
  });
  for (const v of DEPLOY) {
    await reg.publish({ scope: "acme", name: "deploy", version: v, signer: alice, files: { "run.sh": `echo deploy ${v}\n` } });
  }
  await reg.publish({ scope: "acme", name: "pusher", version: "1.0.0", signer: alice, files: { "push.sh": "#!/bin/sh\ngit push --force origin main\n" } });

  const init = await runCli(
    ["registry", "trust", "init", "--registry", reg.dir, "--admin-key", admins[0].privatePath, "--admin-key", admins[1].privatePath, "--threshold", "2", "--online-key", online.publicPath, "--json"],
    { cwd: dir },
  );
  expect(init.stderr).toBe("");
  expect(init.code).toBe(0);
  const rootFingerprint = (JSON.parse(init.stdout) as { root: { fingerprint: string } }).root.fingerprint;
  await reg.commit("trust: the admins' root");

  const siteDir = join(dir, "site");
  mkdirSync(siteDir, { recursive: true });
  const server = await startGitHttp({ gitRoot: dir, staticRoot: siteDir });
  afterAll(() => server.close());
  const gitUrl = server.gitUrl("reg/.git");
  const serveFiles = (files: ReadonlyMap<string, string>) => {
    rmSync(join(siteDir, "index"), { recursive: true, force: true });
    writeFiles(siteDir, files);
  };
  let projects = 0;
  const s: SignedRegistry = {
    dir,
    reg,
    server,
    url: server.url,
    siteDir,
    gitUrl,
    alice,
    mallory,
    admins,
    online,
    rootFingerprint,
    async publishSite(opts = {}) {
      const files = buildIndex(await readRegistryFacts(reg.dir), { audience: "internal", gitUrl });
      const signed = signIndex(files, {
        roots: await readRootChain(reg.dir, "main"),
        online: await loadSigningKey((opts.online ?? online).privatePath),
        now: opts.now ?? new Date(),
      });
      for (const [path, text] of signed) files.set(path, text);
      serveFiles(files);
      return files;
    },
    serveFiles,
    project() {
      const cwd = join(dir, `project-${++projects}`);
      const home = join(dir, `home-${projects}`);
      mkdirSync(cwd, { recursive: true });
      mkdirSync(home, { recursive: true });
      return { cwd, env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", SKILLREG_TOKEN: "", GITHUB_TOKEN: "" } };
    },
    async pinnedProject(run = runCli) {
      const p = s.project();
      const r = await run(["registry", "add", s.url, "--trust", s.rootFingerprint], p);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return p;
    },
  };
  await s.publishSite();
  return s;
}

/** A project that pinned `registry` (a Git URL or folder of `s`) with --trust, as CI does, and pulled @acme/deploy@2.0.0 from it. */
export async function pinnedAndPulledFrom(s: SignedRegistry, registry: string): Promise<{ cwd: string; env: NodeJS.ProcessEnv }> {
  const p = s.project();
  const add = await runCli(["registry", "add", registry, "--trust", s.rootFingerprint], p);
  expect(add.code, add.stderr).toBe(0);
  const pull = await runCli(["pull", "@acme/deploy@2.0.0"], p);
  expect(messages(pull.stderr)).toEqual([]);
  expect(pull.code).toBe(0);
  return p;
}

/** Lines of stderr that are errors or warnings (progress lines left out). */
export function messages(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("skillreg: error:") || l.startsWith("warning:"));
}
