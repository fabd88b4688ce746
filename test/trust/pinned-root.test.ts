import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { git } from "../../registry/git/cli.js";
import type { IndexConfig, IndexSkill } from "../../registry/index/schema.js";
import { parseLock } from "../../registry/client/lock.js";
import { createRoot, loadPublicKey, loadSigningKey, readRootChain, signIndex } from "../../registry/trust/tuf/index.js";
import { runBin, runCli } from "../helpers/cli.js";
import { makeSshKey } from "../helpers/keys.js";
import { messages, pullCleanly, signedRegistry, type SignedRegistry } from "./signed-registry.js";

/**
 * A project that pinned a registry's root trusts what the root's keys signed and nothing a
 * host serves besides: each attack of the outside review (issue #11, item 3) on a real
 * served site, refused with one error line and nothing installed.
 */

let s: SignedRegistry;

beforeAll(async () => {
  s = await signedRegistry();
});

const pinnedProject = () => s.pinnedProject();

/** Pull and expect one error line matching `message`, and nothing written but the config. */
async function expectRefused(p: { cwd: string; env: NodeJS.ProcessEnv }, spec: string, message: RegExp): Promise<string> {
  const before = readdirSync(p.cwd).sort();
  const r = await runCli(["pull", spec], p);
  expect(r.code).not.toBe(0);
  const errors = messages(r.stderr).filter((l) => l.startsWith("skillreg: error:"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(readdirSync(p.cwd).sort()).toEqual(before);
  return errors[0]!;
}

function edit<T>(files: Map<string, string>, path: string, change: (value: T) => void): Map<string, string> {
  const out = new Map(files);
  const value = JSON.parse(out.get(path)!) as T;
  change(value);
  out.set(path, JSON.stringify(value) + "\n");
  return out;
}

describe("registry add", () => {
  it("first contact prints the root's fingerprints and pins it in .skillreg.yaml", async () => {
    const p = s.project();
    const r = await runCli(["registry", "add", s.url, "--scope", "@acme"], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`first contact with ${s.url}`);
    expect(r.stdout).toContain(`2 of 2 admin keys`);
    for (const admin of s.admins) expect(r.stdout).toContain(sshFingerprint(admin.publicPath));
    expect(r.stdout).toContain(sshFingerprint(s.online.publicPath));
    const config = parse(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")) as { scopes: Record<string, string>; trust: Record<string, { root: string; version: number }> };
    expect(config.scopes["@acme"]).toBe(s.url);
    expect(config.trust[s.url]).toEqual({ root: s.rootFingerprint, version: 1 });
    const again = await runCli(["registry", "add", s.url, "--scope", "@acme"], p);
    expect(again.stdout).toContain(`already pinned: root ${s.rootFingerprint} (version 1)`);
    expect(again.stdout).not.toContain("first contact");

    const pull = await runCli(["pull", "@acme/deploy"], p);
    expect(messages(pull.stderr)).toEqual([]);
    expect(pull.code).toBe(0);
    const lock = parseLock(readFileSync(join(p.cwd, "skillreg.lock"), "utf8"), "skillreg.lock");
    expect(lock.skills["@acme/deploy"]!.root).toEqual({ fingerprint: s.rootFingerprint, version: 1 });
  });

  it("the bundled binary (what npm installs) pins and pulls the same way", async () => {
    const p = await s.pinnedProject(runBin);
    await pullCleanly(runBin, p, "@acme/deploy");
    expect(parseLock(readFileSync(join(p.cwd, "skillreg.lock"), "utf8"), "skillreg.lock").skills["@acme/deploy"]!.root?.fingerprint).toBe(s.rootFingerprint);
  });

  it("--trust with another fingerprint: exit 2, one line, nothing written", async () => {
    const p = s.project();
    const wrong = `SHA256:${"x".repeat(43)}`;
    const r = await runCli(["registry", "add", s.url, "--trust", wrong], p);
    expect(r.code).toBe(2);
    expect(messages(r.stderr)).toEqual([expect.stringMatching(new RegExp(`--trust ${wrong.replace("+", "\\+")} does not match .* serves root ${s.rootFingerprint.replace(/[+/]/g, "\\$&")}`))]);
    expect(readdirSync(p.cwd)).toEqual([]);
  });

  it("a folder registry whose admins signed no signer set is added without a pin; --trust on it: exit 2, nothing written", async () => {
    const p = s.project();
    const r = await runCli(["registry", "add", s.reg.dir, "--scope", "@acme"], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("not pinned: its admins signed no signer set (trust/signers.json) for a root to vouch for, so whoever can push to it chooses its signing keys");
    const config = parse(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")) as { scopes: Record<string, string>; trust?: unknown };
    expect(join(p.cwd, config.scopes["@acme"]!)).toBe(s.reg.dir);
    expect(config.trust).toBeUndefined();
    expect((await runCli(["pull", "@acme/deploy"], p)).code).toBe(0);

    const q = s.project();
    const refused = await runCli(["registry", "add", s.reg.dir, "--trust", s.rootFingerprint], q);
    expect(refused.code).toBe(2);
    expect(messages(refused.stderr)).toEqual([`skillreg: error: ${s.reg.dir} holds no trust/signers.json: its admins signed no signer set, so the pinned root vouches for none of its keys; refusing it`]);
    expect(readdirSync(q.cwd)).toEqual([]);
  });

  it("a pull without a pin says in one line that it trusts the served root on first contact", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/deploy", "--registry", s.url], p);
    expect(r.code).toBe(0);
    expect(messages(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^warning: first contact with ${s.url}: no trust root pinned; trusting root ${s.rootFingerprint.replace(/[+/]/g, "\\$&")} .* pin it with 'skillreg registry add`))]);
    // The lock keeps the root it trusted, so the next pull holds the site to it.
    const lock = parseLock(readFileSync(join(p.cwd, "skillreg.lock"), "utf8"), "skillreg.lock");
    expect(lock.skills["@acme/deploy"]!.root?.fingerprint).toBe(s.rootFingerprint);
  });
});

/** What `ssh-keygen -l` prints for a key: the fingerprint a person compares with their own. */
function sshFingerprint(publicPath: string): string {
  return /SHA256:\S+/.exec(execFileSync("ssh-keygen", ["-l", "-f", publicPath], { encoding: "utf8" }))![0];
}

describe("a compromised host cannot make a pinned client install what the root's keys did not sign", () => {
  it("its own key for alice in config.json and a tag signed with it: refused", async () => {
    const p = await pinnedProject();
    const good = await s.publishSite();
    // The attacker re-signs a tag of alice's name with mallory's key and lists that key as alice's.
    const mirror = join(s.dir, "evil.git");
    await git(["clone", "--quiet", "--mirror", s.reg.dir, mirror], { cwd: s.dir });
    const tree = await git(["rev-parse", "@acme/deploy@2.0.0^{tree}"], { cwd: mirror });
    await git(["-c", "gpg.format=ssh", "-c", `user.signingkey=${s.mallory.privatePath}`, "tag", "-f", "-s", "@acme/deploy@2.0.0", tree, "-m", "release"], { cwd: mirror });
    const evilTag = await git(["rev-parse", "refs/tags/@acme/deploy@2.0.0"], { cwd: mirror });
    let files = edit<IndexConfig>(good, "index/v1/config.json", (c) => {
      c.gitUrl = s.server.gitUrl("evil.git");
      c.signers = c.signers.map((x) => ({ ...x, key: readFileSync(s.mallory.publicPath, "utf8").split(" ").slice(0, 2).join(" ") }));
    });
    files = edit<IndexSkill>(files, "index/v1/skills/acme/deploy.json", (k) => {
      k.versions.find((v) => v.version === "2.0.0")!.tagObject = evilTag;
    });
    s.serveFiles(files);
    // Both files were changed; whichever is read first is refused.
    await expectRefused(p, "@acme/deploy@2.0.0", /index\/v1\/(config|skills\/acme\/deploy)\.json refused by the signed index metadata: a file differs from its signed length or sha256/);

    // Re-signing the metadata with a key of its own does not help: the pin names the admins' keys.
    const evilOnline = makeSshKey(s.dir, `evil-online-${Date.now()}`);
    const evilRoot = createRoot({ admins: [await loadPublicKey(s.mallory.publicPath)], threshold: 1, online: await loadPublicKey(evilOnline.publicPath), expires: new Date(Date.now() + 864e5), signers: [await loadSigningKey(s.mallory.privatePath)] });
    const resigned = signIndex(files, { roots: [evilRoot], online: await loadSigningKey(evilOnline.privatePath), now: new Date() });
    s.serveFiles(new Map([...files, ...resigned]));
    const fresh = await pinnedProjectAfter(p);
    await expectRefused(fresh, "@acme/deploy@2.0.0", /root version 1 has fingerprint .* but this project pinned/);
    // And the first project, which already trusts the real metadata, refuses the impostor's too.
    await expectRefused(p, "@acme/deploy@2.0.0", /signed index metadata refused: not signed by the keys the trusted root names/);
    await s.publishSite();
  });

  it("a served index hiding a yank: refused", async () => {
    const p = await pinnedProject();
    await s.reg.updateScope({ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" }, skills: { deploy: { yanked: { "2.0.0": "leaks the deploy token" } } } });
    const signed = await s.publishSite();
    const hidden = edit<IndexSkill>(signed, "index/v1/skills/acme/deploy.json", (k) => {
      k.versions.find((v) => v.version === "2.0.0")!.yanked = null;
    });
    s.serveFiles(hidden);
    await expectRefused(p, "@acme/deploy@^2", /index\/v1\/skills\/acme\/deploy\.json refused by the signed index metadata: a file differs from its signed length or sha256/);
    s.serveFiles(signed);
    await expectRefused(p, "@acme/deploy@2.0.0", /@acme\/deploy@2\.0\.0 is yanked: leaks the deploy token/);
    await s.reg.updateScope({ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } });
  });

  it("a changed scan decision: refused", async () => {
    const p = await pinnedProject();
    const signed = await s.publishSite();
    const softened = edit<IndexSkill>(signed, "index/v1/skills/acme/pusher.json", (k) => {
      k.versions[0]!.scan = { decision: "pass", counts: { critical: 0, high: 0, medium: 0, low: 0 }, flags: [] };
    });
    s.serveFiles(softened);
    await expectRefused(p, "@acme/pusher", /index\/v1\/skills\/acme\/pusher\.json refused by the signed index metadata: a file differs/);
    s.serveFiles(signed);
  });

  it("an expired timestamp (a frozen site): refused", async () => {
    const p = await pinnedProject();
    await s.publishSite({ now: new Date(Date.now() - 8 * 86_400_000) });
    // On the machine that saw a newer index, the old one is also a rollback; a fresh one sees the expiry.
    await expectRefused(p, "@acme/deploy", /rollback: New timestamp version/);
    await expectRefused(await pinnedProjectAfter(p), "@acme/deploy", /timestamp\.json is expired: the index has not been re-signed in time/);
    await s.publishSite();
  });

  it("a rolled-back snapshot: refused by tuf-js's trusted state, and by the checkpoint on a fresh machine", async () => {
    const old = await s.publishSite({ now: new Date(Date.now() - 3_600_000) });
    const p = await pinnedProject();
    expect((await runCli(["pull", "@acme/deploy"], p)).code).toBe(0);
    await s.publishSite();
    expect((await runCli(["pull", "@acme/deploy"], p)).code).toBe(0);
    s.serveFiles(old);
    await expectRefused(p, "@acme/deploy", /rollback: New timestamp version \d+ is less than current version \d+/);
    // A CI machine has no tuf-js cache; the checkpoint committed beside the lock remembers.
    const freshHome = { ...p, env: { ...p.env, HOME: join(s.dir, `home-ci-${Date.now()}`) } };
    await expectRefused(freshHome, "@acme/deploy", /rolled back: .*signed timestamp version \d+ is older than version \d+ seen at the last checkpoint/);
    await s.publishSite();
  });

  it("a pinned site that stops signing: refused, never read unsigned", async () => {
    const p = await pinnedProject();
    const signed = await s.publishSite();
    s.serveFiles(new Map([...signed].filter(([path]) => !path.startsWith("index/v1/tuf/"))));
    const fresh = await pinnedProjectAfter(p);
    await expectRefused(fresh, "@acme/deploy", /serves no index\/v1\/tuf\/1\.root\.json, the root this project pinned/);
    s.serveFiles(signed);
  });
});

/** Another project pinned to the same root as `p` (copying its config), with a fresh HOME. */
async function pinnedProjectAfter(p: { cwd: string }): Promise<{ cwd: string; env: NodeJS.ProcessEnv }> {
  const fresh = s.project();
  writeFileSync(join(fresh.cwd, ".skillreg.yaml"), readFileSync(join(p.cwd, ".skillreg.yaml")));
  return fresh;
}

describe("root rotation", () => {
  it("a chain signed by the old and the new thresholds is followed; a root signed by the new keys alone is refused", async () => {
    const p = await pinnedProject();
    expect((await runCli(["pull", "@acme/deploy"], p)).code).toBe(0);
    const admin3 = makeSshKey(s.dir, "admin3@acme.example");
    const rotated = await runCli(
      ["registry", "trust", "rotate", "--registry", s.reg.dir, "--admin-key", s.admins[0].privatePath, "--admin-key", admin3.privatePath,
        "--sign-key", s.admins[1].privatePath, "--threshold", "2", "--online-key", s.online.publicPath],
      { cwd: s.dir },
    );
    expect(rotated.stderr).toBe("");
    expect(rotated.stdout).toContain("wrote trust/2.root.json");
    await s.reg.commit("trust: admin2 hands over to admin3");
    await s.publishSite();
    const pull = await runCli(["pull", "@acme/deploy"], p);
    expect(messages(pull.stderr)).toEqual([]);
    expect(pull.code).toBe(0);
    // A project added now pins by the v1 fingerprint the admins published and walks to v2.
    const ci = await pinnedProject();
    expect((await runCli(["pull", "@acme/deploy"], ci)).code).toBe(0);

    expect(await readRootChain(s.reg.dir, "main")).toHaveLength(2);

    // An attacker's next root, signed only by a key of its own, breaks the chain.
    const mallory = [await loadSigningKey(s.mallory.privatePath)];
    const forged = createRoot({ admins: [await loadPublicKey(s.mallory.publicPath)], threshold: 1, online: await loadPublicKey(admin3.publicPath), expires: new Date(Date.now() + 864e5), signers: mallory });
    const files = await s.publishSite();
    files.set("index/v1/tuf/3.root.json", forged.replace('"version": 1', '"version": 3'));
    s.serveFiles(files);
    await expectRefused(await pinnedProjectAfter(p), "@acme/deploy", /the root chain does not hold from the trusted root \(version \d\): root version 3 is not signed by the threshold of root version 2 \(root was signed by 0\/2 keys\); refusing the site's index$/);
  });
});
