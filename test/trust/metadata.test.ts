import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkRootChain,
  createRoot,
  describeRoot,
  loadPublicKey,
  loadSigningKey,
  rotateRoot,
  signIndex,
} from "../../registry/trust/index.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * The registry side of the trust root refuses to write metadata a client would refuse, with
 * one line saying why: thresholds that cannot be met, a chain link not signed by the link
 * before it, an index signed by a key the root does not name, an expired root.
 */

const dir = tempDir("skillreg-tuf-");
const key = (name: string) => makeSshKey(dir, `${name}@acme.example`);
const [a1, a2, a3, online, stranger] = [key("admin1"), key("admin2"), key("admin3"), key("online"), key("stranger")];
const pub = (k: { publicPath: string }) => loadPublicKey(k.publicPath);
const priv = (k: { privatePath: string }) => loadSigningKey(k.privatePath);
const YEAR = new Date(Date.now() + 365 * 86_400_000);

async function rootOf(admins: TestKey[], threshold: number, signers: TestKey[]): Promise<string> {
  return createRoot({ admins: await Promise.all(admins.map(pub)), threshold, online: await pub(online), expires: YEAR, signers: await Promise.all(signers.map(priv)) });
}

describe("root metadata", () => {
  it("names the admins' SSH keys by the fingerprints ssh-keygen prints, and the threshold", async () => {
    const root = describeRoot(await rootOf([a1, a2], 2, [a1, a2]), "root");
    expect(root.threshold).toBe(2);
    expect(root.admins).toEqual(expect.arrayContaining([(await pub(a1)).fingerprint, (await pub(a2)).fingerprint]));
    expect(root.online).toEqual([(await pub(online)).fingerprint]);
    expect(root.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("refuses a threshold it cannot meet, fewer signatures than the threshold, and the online key as an admin", async () => {
    await expect(rootOf([a1, a2], 3, [a1, a2])).rejects.toThrow("threshold must be between 1 and the number of admin keys (2), not 3");
    await expect(rootOf([a1, a2], 2, [a1])).rejects.toThrow(/root version 1 is not signed by the threshold of its own admin keys \(root was signed by 1\/2 keys\)/);
    const onlineAsAdmin = { admins: [await pub(online)], threshold: 1, online: await pub(online), expires: YEAR, signers: [await priv(online)] };
    expect(() => createRoot(onlineAsAdmin)).toThrow("the online key must not be an admin key");
  });

  it("a rotation needs the previous root's threshold as well as its own", async () => {
    const v1 = await rootOf([a1, a2], 2, [a1, a2]);
    const next = { admins: [await pub(a1), await pub(a3)], threshold: 2, online: await pub(online), expires: YEAR };
    // a1 and a3 satisfy the new root, but only one of the old root's two keys signed.
    const newKeysOnly = { ...next, signers: [await priv(a1), await priv(a3)] };
    expect(() => rotateRoot(v1, newKeysOnly)).toThrow(/not signed by the threshold of the previous root \(version 1\) \(root was signed by 1\/2 keys\)/);
    const v2 = rotateRoot(v1, { ...next, signers: [await priv(a1), await priv(a2), await priv(a3)] });
    expect(v2.version).toBe(2);
    expect(checkRootChain([v1, v2.text])).toHaveLength(2);
    expect(() => checkRootChain([v2.text])).toThrow("trust/1.root.json says it is version 2");
    expect(() => checkRootChain([])).toThrow("the registry has no trust/1.root.json; create it with 'skillreg registry trust init'");
  });
});

describe("signing the index", () => {
  const files = new Map([
    ["index/v1/config.json", "{}\n"],
    ["index/v1/skills/acme/deploy.json", "{\"versions\":[]}\n"],
    [".well-known/skills/index.json", "{}\n"],
  ]);

  it("lists every index file under index/v1/ with its length and sha256, and nothing else", async () => {
    const out = signIndex(files, { roots: [await rootOf([a1], 1, [a1])], online: await priv(online), now: new Date() });
    expect([...out.keys()].sort()).toEqual(["1.root.json", "root.json", "snapshot.json", "targets.json", "timestamp.json"].map((f) => `index/v1/tuf/${f}`).sort());
    const targets = JSON.parse(out.get("index/v1/tuf/targets.json")!) as { signed: { targets: Record<string, { length: number; hashes: { sha256: string } }> } };
    expect(Object.keys(targets.signed.targets).sort()).toEqual(["config.json", "skills/acme/deploy.json"]);
    expect(targets.signed.targets["config.json"]).toEqual({ length: 3, hashes: { sha256: "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356" } });
  });

  it("refuses a key that is not the root's online key, and an expired root", async () => {
    const root = await rootOf([a1], 1, [a1]);
    const strangerKey = await priv(stranger);
    expect(() => signIndex(files, { roots: [root], online: strangerKey, now: new Date() })).toThrow(
      `the online key ${strangerKey.fingerprint} is not the targets key of trust/1.root.json (${(await pub(online)).fingerprint})`,
    );
    await expect(priv(online).then((k) => signIndex(files, { roots: [root], online: k, now: new Date(YEAR.getTime() + 86_400_000) }))).rejects.toThrow(
      /trust\/1\.root\.json expired at .*; the admins must sign a new root \('skillreg registry trust rotate'\)/,
    );
  });

  it("a passphrase-protected key is refused with what to do", async () => {
    const locked = makeSshKey(dir, "locked@acme.example", "correct horse");
    await expect(priv(locked)).rejects.toThrow(/the key is passphrase-protected; signing trust metadata needs an unencrypted copy/);
  });
});

describe("skillreg registry trust", () => {
  it("init with a threshold above the admin keys: exit 2, one line, no trust/ written", async () => {
    const reg = join(tempDir(), "reg");
    mkdirSync(reg);
    writeFileSync(join(reg, "skillreg.yaml"), "name: r\n");
    const r = await runCli(["registry", "trust", "init", "--registry", reg, "--admin-key", a1.privatePath, "--admin-key", a2.publicPath, "--threshold", "3", "--online-key", online.publicPath]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("skillreg: error: threshold must be between 1 and the number of admin keys (2), not 3");
    expect(existsSync(join(reg, "trust"))).toBe(false);
  });

  it("init, then show: the fingerprint clients pin", async () => {
    const reg = join(tempDir(), "reg");
    mkdirSync(reg);
    writeFileSync(join(reg, "skillreg.yaml"), "name: r\n");
    const init = await runCli(["registry", "trust", "init", "--registry", reg, "--admin-key", a1.privatePath, "--online-key", online.publicPath]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote trust/1.root.json");
    const show = await runCli(["registry", "trust", "show", "--registry", reg, "--json"]);
    const fingerprint = (JSON.parse(show.stdout) as { root: { fingerprint: string } }).root.fingerprint;
    expect(init.stdout).toContain(`skillreg registry add <site-url|git-url> --trust ${fingerprint}`);
    const again = await runCli(["registry", "trust", "init", "--registry", reg, "--admin-key", a1.privatePath, "--online-key", online.publicPath]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a root; use 'skillreg registry trust rotate'/);
  });
});
