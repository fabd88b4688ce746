import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Metadata, MetadataKind, Signature, type Root, type Targets } from "@tufjs/models";
import { signWith } from "../../registry/trust/tuf/keys.js";
import { loadSigningKey, rootFingerprint } from "../../registry/trust/tuf/index.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture, allowedSignersText } from "../helpers/registry-fixture.js";
import { messages, pinnedAndPulledFrom, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team: metadata the registry's own admins really signed, but for another registry (an
 * organisation's admins reuse their SSH keys for a sandbox registry), and roots whose threshold
 * or expiry says less than it seems. A Git server serves them to a project that pinned the
 * production registry's root, or meets the registry for the first time.
 */

type Project = { cwd: string; env: NodeJS.ProcessEnv };
type MetadataJson = Parameters<typeof Metadata.fromJSON>[1];

let s: SignedRegistry;
let copies = 0;
const copy = () => RegistryFixture.cloneOf(s.reg, join(s.dir, `replay-${++copies}`));
const served = (reg: RegistryFixture) => s.server.gitUrl(`${relative(s.dir, reg.dir)}/.git`);
const malloryAsAlice = (): TestKey => ({ ...s.mallory, principal: s.alice.principal });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await runCli(args, { cwd });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

const sign = (reg: RegistryFixture, keys: readonly TestKey[]) => ok(["registry", "trust", "sign", "--registry", reg.dir, ...keys.flatMap((k) => ["--sign-key", k.privatePath])], reg.dir);

beforeAll(async () => {
  s = await signedRegistry();
  await sign(s.reg, s.admins);
  await s.reg.commit("trust: the admins sign the signer set");
});

const pinnedAndPulled = (url: string): Promise<Project> => pinnedAndPulledFrom(s, url);

/** The acme-sandbox registry: the same admins (own release key), its trust/ made with the CLI. */
async function sandbox(): Promise<RegistryFixture> {
  const box = await copy();
  rmSync(join(box.dir, "trust"), { recursive: true });
  const online = makeSshKey(s.dir, `sandbox-release-${copies}@ci.acme.example`);
  await ok(["registry", "trust", "init", "--registry", box.dir, "--admin-key", s.admins[0].privatePath, "--admin-key", s.admins[1].privatePath, "--threshold", "2", "--online-key", online.publicPath], box.dir);
  return box;
}

async function expectPullRefused(p: Project, message: RegExp): Promise<void> {
  const before = readdirSync(p.cwd).sort();
  const lock = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
  const r = await runCli(["pull", "@acme/deploy@3.0.0"], p);
  expect(messages(r.stderr)).toEqual([expect.stringMatching(message)]);
  expect(r.code).toBe(2);
  expect(readdirSync(p.cwd).sort()).toEqual(before);
  expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toBe(lock);
  expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 2.0.0\n");
}

describe("red team: metadata signed by the same admins for another registry", () => {
  it("refuses the sandbox registry's signer set (admitting mallory as alice) served as this registry's", async () => {
    const box = await sandbox();
    box.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice() }]));
    await sign(box, s.admins);
    const hostile = await copy();
    const p = await pinnedAndPulled(served(hostile));
    for (const file of ["trust/signers.json", "allowed_signers"]) hostile.write(file, readFileSync(join(box.dir, file), "utf8"));
    await hostile.commit("the sandbox's signer set");
    await hostile.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice(), files: { "run.sh": "echo mallory was here\n" } });
    await expectPullRefused(p, new RegExp(`^skillreg: error: ${escape(served(hostile))}: trust/signers\\.json was not signed for trust/1\\.root\\.json \\(${escape(s.rootFingerprint)}\\) of this registry; refusing its keys$`));
  });

  it("refuses the sandbox registry's next root (handed to mallory) served as this registry's root 2", async () => {
    const box = await sandbox();
    // The admins hand the sandbox to mallory: its root 2, signed by both of them and by her.
    await ok(["registry", "trust", "rotate", "--registry", box.dir, "--admin-key", s.mallory.privatePath, "--sign-key", s.admins[0].privatePath, "--sign-key", s.admins[1].privatePath, "--online-key", s.online.publicPath], box.dir);
    box.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice() }]));
    await sign(box, [s.mallory]);
    const hostile = await copy();
    const p = await pinnedAndPulled(served(hostile));
    for (const file of ["trust/2.root.json", "trust/signers.json", "allowed_signers"]) hostile.write(file, readFileSync(join(box.dir, file), "utf8"));
    await hostile.commit("root 2: the sandbox's");
    await hostile.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice(), files: { "run.sh": "echo mallory was here\n" } });
    await expectPullRefused(
      p,
      new RegExp(`^skillreg: error: ${escape(served(hostile))}: the root chain does not hold from the pinned root: trust/2\\.root\\.json does not name trust/1\\.root\\.json \\(${escape(s.rootFingerprint)}\\) as the root before it: it was made for another chain; refusing its keys$`),
    );
  });
});

describe("red team: a root that says more than it holds, at first contact", () => {
  /** Serve a registry whose trust/1.root.json is mallory's, edited by `edit` and signed again by her; `registry add` must refuse it. */
  async function firstContactRefused(edit: (root: Record<string, unknown>, malloryKeyId: string) => string[], message: RegExp): Promise<void> {
    const hostile = await copy();
    rmSync(join(hostile.dir, "trust"), { recursive: true });
    await ok(["registry", "trust", "init", "--registry", hostile.dir, "--admin-key", s.mallory.privatePath, "--online-key", s.online.publicPath], hostile.dir);
    hostile.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice() }]));
    await sign(hostile, [s.mallory]);
    const mallory = await loadSigningKey(s.mallory.privatePath);
    const resign = (md: Metadata<Root> | Metadata<Targets>, also: string[]): string => {
      md.signatures = {};
      signWith(md, [mallory]);
      const sig = md.signatures[mallory.key.keyID]!.sig;
      for (const keyID of also) md.signatures[keyID] = new Signature({ keyID, sig });
      return JSON.stringify(md.toJSON(), null, 2);
    };
    const root = JSON.parse(readFileSync(join(hostile.dir, "trust/1.root.json"), "utf8")) as { signed: Record<string, unknown> };
    const alsoSignedAs = edit(root.signed, mallory.key.keyID);
    const rootText = resign(Metadata.fromJSON(MetadataKind.Root, { signed: root.signed, signatures: [] } as MetadataJson), alsoSignedAs);
    hostile.write("trust/1.root.json", rootText);
    // The signer set names the edited root, signed as the root says it must be.
    const signers = JSON.parse(readFileSync(join(hostile.dir, "trust/signers.json"), "utf8")) as { signed: Record<string, unknown> };
    signers.signed.skillreg_root = rootFingerprint(rootText);
    hostile.write("trust/signers.json", resign(Metadata.fromJSON(MetadataKind.Targets, { signed: signers.signed, signatures: [] } as MetadataJson), alsoSignedAs));
    await hostile.commit("a root of mallory's");
    const p = s.project();
    const add = await runCli(["registry", "add", served(hostile)], p);
    expect(messages(add.stderr)).toEqual([expect.stringMatching(message)]);
    expect(add.code).toBe(2);
    expect(readdirSync(p.cwd)).toEqual([]);
  }

  it("refuses a root whose threshold of 2 one key meets (listed under two key ids)", async () => {
    await firstContactRefused(
      (signed, id) => {
        const keys = signed.keys as Record<string, unknown>;
        const roles = signed.roles as Record<string, { keyids: string[]; threshold: number }>;
        const twin = "f".repeat(64);
        keys[twin] = keys[id];
        roles.root!.keyids.push(twin);
        roles.root!.threshold = 2;
        return [twin];
      },
      /^skillreg: error: .*trust\/1\.root\.json lists one admin key under two key ids/,
    );
  });

  it("refuses a root whose expiry does not parse (it would never expire)", async () => {
    await firstContactRefused(
      (signed) => {
        signed.expires = "2020-01-01T00:00:00Z, or never";
        return [];
      },
      /^skillreg: error: .*trust\/1\.root\.json has an expiry that is not a UTC time \(YYYY-MM-DDTHH:MM:SSZ\)/,
    );
  });
});
