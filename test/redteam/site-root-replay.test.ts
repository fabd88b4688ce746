import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { loadSigningKey, readRootChain, signIndex } from "../../registry/trust/tuf/index.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture, allowedSignersText } from "../helpers/registry-fixture.js";
import { messages, pullCleanly, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team: a compromised static host replays, as this registry's root 2, a root that the same
 * admins really signed for another registry (a sandbox they handed to mallory). tuf-js checks
 * that root 2 is signed by root 1's threshold, and it is (the admins reuse their keys); only the
 * link each root carries to the one before it (skillreg_previous_root) tells the chains apart.
 */

type Project = { cwd: string; env: NodeJS.ProcessEnv };

let s: SignedRegistry;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

async function ok(args: string[], cwd: string): Promise<void> {
  const r = await runCli(args, { cwd });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

/**
 * The acme-sandbox registry: the same admins, then handed to mallory (root 2, signed by both
 * admins and by her, naming her release key), listing her key for alice and a 3.0.0 she signed.
 * Its site files signed by her release key, with this registry's root 1 in place of its own.
 */
async function replayedSite(): Promise<Map<string, string>> {
  const box = await RegistryFixture.cloneOf(s.reg, join(s.dir, "sandbox"));
  rmSync(join(box.dir, "trust"), { recursive: true });
  const sandboxRelease = makeSshKey(s.dir, "sandbox-release@ci.acme.example");
  const malloryRelease = makeSshKey(s.dir, "mallory-release@evil.example");
  await ok(["registry", "trust", "init", "--registry", box.dir, "--admin-key", s.admins[0].privatePath, "--admin-key", s.admins[1].privatePath, "--threshold", "2", "--online-key", sandboxRelease.publicPath], box.dir);
  await ok(["registry", "trust", "rotate", "--registry", box.dir, "--admin-key", s.mallory.privatePath, "--sign-key", s.admins[0].privatePath, "--sign-key", s.admins[1].privatePath, "--online-key", malloryRelease.publicPath], box.dir);
  const malloryAsAlice: TestKey = { ...s.mallory, principal: s.alice.principal };
  box.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice }]));
  await box.commit("the sandbox, handed to mallory");
  await box.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice, files: { "run.sh": "echo mallory was here\n" } });

  const files = buildIndex(await readRegistryFacts(box.dir), { audience: "internal", gitUrl: s.server.gitUrl(`${relative(s.dir, box.dir)}/.git`) });
  const signed = signIndex(files, { roots: await readRootChain(box.dir, "main"), online: await loadSigningKey(malloryRelease.privatePath), now: new Date() });
  for (const [path, text] of signed) files.set(path, text);
  files.set("index/v1/tuf/1.root.json", readFileSync(join(s.reg.dir, "trust/1.root.json"), "utf8"));
  return files;
}

async function expectRefused(p: Project, args: string[]): Promise<void> {
  const before = new Map(readdirSync(p.cwd).map((f) => [f, f === ".agents" ? "" : readFileSync(join(p.cwd, f), "utf8")]));
  const r = await runCli(args, p);
  expect(messages(r.stderr)).toEqual([
    expect.stringMatching(
      new RegExp(
        `^skillreg: error: ${escape(s.url)}: the root chain does not hold from the trusted root \\(version 1\\): trust/2\\.root\\.json does not name trust/1\\.root\\.json \\(${escape(s.rootFingerprint)}\\) as the root before it: it was made for another chain; refusing the site's index$`,
      ),
    ),
  ]);
  expect(r.code).toBe(2);
  expect(new Map(readdirSync(p.cwd).map((f) => [f, f === ".agents" ? "" : readFileSync(join(p.cwd, f), "utf8")]))).toEqual(before);
}

beforeAll(async () => {
  s = await signedRegistry();
});

describe("red team: a root replayed across registries on a pinned site", () => {
  it("refuses another registry's root 2, signed by the same admins: a pull of a project that pulled before, and `registry add --trust` of a new one", async () => {
    const p = await s.pinnedProject();
    await pullCleanly(runCli, p, "@acme/deploy@2.0.0");
    s.serveFiles(await replayedSite());

    await expectRefused(p, ["pull", "@acme/deploy@3.0.0"]);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 2.0.0\n");
    const fresh = s.project();
    await expectRefused(fresh, ["registry", "add", s.url, "--trust", s.rootFingerprint]);
    expect(readdirSync(fresh.cwd)).toEqual([]);
  });
});
