import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture, allowedSignersText } from "../helpers/registry-fixture.js";
import { messages, pinnedAndPulledFrom, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team of the pinned trust root of a registry read by its Git URL: the attacker runs the
 * Git server (any content, any history on top of main) and may hold keys the admins retired.
 * The project's pin lives in .skillreg.yaml, skillreg.lock and skillreg.checkpoint.json; once
 * it has verified a root, no server content and no edit of one of those files alone may take
 * it back to an older or another root.
 */

type Project = { cwd: string; env: NodeJS.ProcessEnv };

let s: SignedRegistry;
let copies = 0;
const copy = () => RegistryFixture.cloneOf(s.reg, join(s.dir, `copy-${++copies}`));
const served = (reg: RegistryFixture) => s.server.gitUrl(`${relative(s.dir, reg.dir)}/.git`);
const malloryAsAlice = (): TestKey => ({ ...s.mallory, principal: s.alice.principal });

async function cli(args: string[], p: Project | { cwd: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, p);
}

async function signSignerSet(reg: RegistryFixture, keys: readonly TestKey[]): Promise<void> {
  const r = await cli(["registry", "trust", "sign", "--registry", reg.dir, ...keys.flatMap((k) => ["--sign-key", k.privatePath])], { cwd: reg.dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

beforeAll(async () => {
  s = await signedRegistry();
  await signSignerSet(s.reg, s.admins);
  await s.reg.commit("trust: the admins sign the signer set");
});

const pinnedAndPulled = (url: string): Promise<Project> => pinnedAndPulledFrom(s, url);

/** `args` fails with exactly one error line matching `message`, exit 2, the project untouched. */
async function expectRefused(p: Project, args: string[], message: RegExp): Promise<void> {
  const before = new Map(readdirSync(p.cwd).filter((f) => f !== ".agents").map((f) => [f, readFileSync(join(p.cwd, f), "utf8")]));
  const r = await cli(args, p);
  expect(messages(r.stderr)).toEqual([expect.stringMatching(message)]);
  expect(r.code).toBe(2);
  expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 2.0.0\n");
  expect(new Map(readdirSync(p.cwd).filter((f) => f !== ".agents").map((f) => [f, readFileSync(join(p.cwd, f), "utf8")]))).toEqual(before);
}

/** The server replaces trust/ with a root and signer set of mallory's, lists her key for alice, and publishes 3.0.0 with it. */
async function ownRoot(hostile: RegistryFixture): Promise<void> {
  rmSync(join(hostile.dir, "trust"), { recursive: true });
  const init = await cli(["registry", "trust", "init", "--registry", hostile.dir, "--admin-key", s.mallory.privatePath, "--online-key", s.online.publicPath], { cwd: hostile.dir });
  expect(init.code, init.stderr).toBe(0);
  hostile.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice() }]));
  await signSignerSet(hostile, [s.mallory]);
  await hostile.commit("trust: a root of our own");
  await hostile.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice(), files: { "run.sh": "echo mallory was here\n" } });
}

/** Edit the project's files the way a pull request could: drop the pin from .skillreg.yaml and every `root` from skillreg.lock. */
function dropPinFromConfigAndLock(p: Project, url: string): void {
  writeFileSync(join(p.cwd, ".skillreg.yaml"), `registry: ${url}\n`);
  const lockPath = join(p.cwd, "skillreg.lock");
  const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { skills: Record<string, { root?: unknown }> };
  for (const entry of Object.values(lock.skills)) delete entry.root;
  writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
}

describe("red team: the root chain of a pinned Git-URL registry", () => {
  it("refuses a root chain cut back to the root before a rotation the project already verified", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulled(url);
    // The admins retire both keys of root 1 (say, laptops gone): root 2 names admin3 and admin4.
    const admin3 = makeSshKey(s.dir, "admin3@acme.example");
    const admin4 = makeSshKey(s.dir, "admin4@acme.example");
    const rotate = await cli(
      ["registry", "trust", "rotate", "--registry", hostile.dir, "--admin-key", admin3.privatePath, "--admin-key", admin4.privatePath, "--sign-key", s.admins[0].privatePath, "--sign-key", s.admins[1].privatePath, "--threshold", "2", "--online-key", s.online.publicPath],
      { cwd: hostile.dir },
    );
    expect(rotate.code, rotate.stderr).toBe(0);
    await signSignerSet(hostile, [admin3, admin4]);
    await hostile.commit("trust: root 2");
    const seen = await cli(["pull", "@acme/deploy@2.0.0"], p);
    expect(messages(seen.stderr)).toEqual([]);
    expect(seen.code).toBe(0);

    // Whoever holds the retired keys runs the server: on top of main (no rewind), root 2 is
    // gone, root 1's admins sign a signer set listing mallory's key for alice.
    rmSync(join(hostile.dir, "trust/2.root.json"));
    hostile.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice() }]));
    await signSignerSet(hostile, s.admins);
    await hostile.commit("trust: back to root 1");
    await hostile.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice(), files: { "run.sh": "echo mallory was here\n" } });

    await expectRefused(p, ["pull", "@acme/deploy@3.0.0"], new RegExp(`^skillreg: error: ${url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the root chain was cut back: trust/2\\.root\\.json \\(root version 2, SHA256:\\S+\\) was verified at the last checkpoint and is gone; refusing its keys$`));
  });

  it("holds the root the checkpoint recorded when a pull request drops the pin from .skillreg.yaml and skillreg.lock", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulled(url);
    await ownRoot(hostile);
    dropPinFromConfigAndLock(p, url);
    await expectRefused(p, ["pull", "@acme/deploy@3.0.0"], /^skillreg: error: .*trust\/1\.root\.json has fingerprint SHA256:\S+, but this project's checkpoint recorded SHA256:\S+; refusing its keys$/);
    const checkpoint = readFileSync(join(p.cwd, "skillreg.checkpoint.json"), "utf8");
    expect(checkpoint).toContain(s.rootFingerprint);
  });

  it("does not let `registry add` pin another root over the one the lock and checkpoint recorded", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulled(url);
    await ownRoot(hostile);
    writeFileSync(join(p.cwd, ".skillreg.yaml"), "{}\n");
    const add = await cli(["registry", "add", url], p);
    expect(messages(add.stderr)).toEqual([expect.stringMatching(/^skillreg: error: .*which does not chain back to the root this project pinned/)]);
    expect(add.code).toBe(2);
    expect(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")).toBe("{}\n");
  });
});

describe("red team: commands that read a pinned Git-URL registry agree with pull", () => {
  it("info, search and verify --registry refuse the repository pull refuses", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulled(url);
    await ownRoot(hostile);
    const refusal = new RegExp(`^skillreg: error: ${url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: trust/1\\.root\\.json has fingerprint SHA256:\\S+, but this project pinned ${s.rootFingerprint.replace(/[+/]/g, "\\$&")}; refusing its keys$`);
    for (const args of [["info", "@acme/deploy@3.0.0"], ["search", "deploy"], ["verify", "--registry", url], ["verify", "--registry", hostile.dir]]) {
      const r = await cli(args, p);
      expect(messages(r.stderr), args.join(" ")).toEqual([expect.stringMatching(refusal)]);
      expect(r.stdout, args.join(" ")).not.toContain("3.0.0");
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});

describe("red team: hostile trust files", () => {
  it("refuses a signer set padded past the size a trust file may have, before parsing it", async () => {
    const hostile = await copy();
    const url = served(hostile);
    const p = await pinnedAndPulled(url);
    // Padding outside `signed`: the signature still verifies; only the size gives it away.
    const signers = JSON.parse(readFileSync(join(hostile.dir, "trust/signers.json"), "utf8")) as Record<string, unknown>;
    signers.padding = "x".repeat(2 * 1024 * 1024);
    hostile.write("trust/signers.json", JSON.stringify(signers));
    await hostile.commit("trust: a padded signer set");
    await expectRefused(p, ["pull", "@acme/deploy@2.0.0", "--force"], /^skillreg: error: \S+: trust\/signers\.json is \d+ bytes, more than a trust file may hold \(1048576\); refusing it$/);
  });
});
