import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import { startGitHttp, type GitHttpServer } from "../helpers/git-http.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * The registry the pull tests run against: real repository, real signed tags, served by the
 * real `git http-backend`, with its index built by the real builder and served over HTTP.
 *
 * @acme/deploy: 1.0.0, 1.2.0, 1.2.3, 1.3.0, 2.0.0, 2.1.0-beta.1 (none yanked at first)
 * @acme/lint:   0.1.0
 * @acme/pusher: 1.0.0, whose script force-pushes (a medium finding: scan decision "flagged")
 */
export interface ServedRegistry {
  dir: string;
  reg: RegistryFixture;
  server: GitHttpServer;
  siteDir: string;
  /** Registry URL of the site. */
  url: string;
  alice: TestKey;
  mallory: TestKey;
  /** Rebuild the index after changing the registry. */
  reindex(): Promise<Map<string, string>>;
  /** A fresh, empty project folder and an isolated HOME. */
  project(): { cwd: string; env: NodeJS.ProcessEnv };
}

export const DEPLOY_VERSIONS = ["1.0.0", "1.2.0", "1.2.3", "1.3.0", "2.0.0", "2.1.0-beta.1"];

export async function serveRegistry(): Promise<ServedRegistry> {
  const dir = tempDir("skillreg-pull-");
  const alice = makeSshKey(dir, "alice@acme.example");
  const mallory = makeSshKey(dir, "mallory@evil.example");
  const reg = await RegistryFixture.create(join(dir, "reg"), {
    admins: ["alice@acme.example"],
    scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } }],
    signers: [{ key: alice }],
  });
  for (const v of DEPLOY_VERSIONS) {
    await reg.publish({ scope: "acme", name: "deploy", version: v, signer: alice, files: { "run.sh": `echo deploy ${v}\n`, "docs/notes.md": `notes for ${v}\n` } });
  }
  await reg.publish({ scope: "acme", name: "lint", version: "0.1.0", signer: alice, files: { "lint.sh": "echo lint\n" } });
  await reg.publish({ scope: "acme", name: "pusher", version: "1.0.0", signer: alice, files: { "push.sh": "#!/bin/sh\ngit push --force origin main\n" } });
  const siteDir = join(dir, "site");
  const server = await startGitHttp({ gitRoot: dir, staticRoot: siteDir });
  afterAll(() => server.close());
  const reindex = () => reg.writeIndex(siteDir, { gitUrl: server.gitUrl("reg/.git") });
  await reindex();
  let projects = 0;
  return {
    dir,
    reg,
    server,
    siteDir,
    url: server.url,
    alice,
    mallory,
    reindex,
    project: () => {
      const cwd = join(dir, `project-${++projects}`);
      const home = join(dir, `home-${projects}`);
      mkdirSync(cwd, { recursive: true });
      mkdirSync(home, { recursive: true });
      return { cwd, env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", SKILLREG_TOKEN: "", GITHUB_TOKEN: "" } };
    },
  };
}
