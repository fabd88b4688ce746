import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git, runGit } from "../../registry/git/cli.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { proposeSealing } from "../helpers/registry-change.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A reader rotates their SSH key in a registry that seals: an admin who owns the scope runs
 * `keys add rita <new.pub> --replaces <old fingerprint>`, which in the same change revokes the
 * old key and re-wraps the scope's sealed versions to the keys valid after it. The new key
 * opens the versions published before the rotation (with skillreg and with the age CLI); the
 * old key is in none of the re-wrapped envelopes nor in any later version's.
 */

type Who = "alice" | "bob" | "rita";

const MARKER = "walrus-cobalt-9a2e sealed checklist";

describe("rotating a member's key re-wraps sealed versions", () => {
  let root: string;
  let reg: string;
  let gateKey: TestKey;
  let ritaNew: TestKey;
  const keys = {} as Record<Who, TestKey>;
  const gate = { SKILLREG_GATE_KEY: "" };
  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = reg) => runCli(argv, { cwd, env });

  async function mustRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
    const r = await cli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    return r;
  }

  const fingerprint = (key: TestKey) => execFileSync("ssh-keygen", ["-lf", key.publicPath]).toString().split(" ")[1]!;

  async function publish(version: string): Promise<void> {
    const dir = join(root, `deploy-${version}`, "deploy");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), skillMd("deploy", version, `Follow the ${MARKER}.`));
    await mustRun(["push", dir, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["registry", "merge", `publish/acme/deploy/${version}`, "--key", keys.alice.privatePath], gate);
  }

  async function envelopeFingerprints(version: string): Promise<string[]> {
    const envelope = JSON.parse(await git(["show", `main:sealed/acme/deploy/${version}.json`], { cwd: reg })) as { recipients: { fingerprint: string }[] };
    return envelope.recipients.map((r) => r.fingerprint);
  }

  async function ageFile(version: string): Promise<Buffer> {
    const envelope = JSON.parse(await git(["show", `main:sealed/acme/deploy/${version}.json`], { cwd: reg })) as { header: string };
    const payload = (await runGit(["cat-file", "blob", `@acme/deploy@${version}^{tree}:payload.age-body`], { cwd: reg, raw: true })).bytes;
    return Buffer.concat([Buffer.from(envelope.header), payload]);
  }

  const pull = (version: string, key: TestKey, project: string) => {
    const dir = join(root, "projects", project);
    mkdirSync(dir, { recursive: true });
    return cli(["pull", `@acme/deploy@${version}`, "--registry", reg, "--agent", "claude", "--identity", key.privatePath], {}, dir);
  };

  beforeAll(async () => {
    root = tempDir();
    mkdirSync(join(root, "keys"));
    for (const who of ["alice", "bob", "rita"] as const) keys[who] = makeSshKey(join(root, "keys"), who);
    ritaNew = makeSshKey(join(root, "keys"), "rita-2026");
    gateKey = makeSshKey(join(root, "keys"), "gate");
    gate.SKILLREG_GATE_KEY = gateKey.privatePath;
    reg = join(root, "registry");
    // alice and bob are registry admins and the owners of @acme; rita reads it.
    await mustRun(["init", reg, "--name", "acme", "--admin", "alice", "--admin", "bob"]);
    for (const who of ["alice", "bob", "rita"] as const) await mustRun(["keys", "add", who, keys[who].publicPath, "--registry", reg]);
    await mustRun(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
    for (const [who, role] of [["bob", "owner"], ["rita", "reader"]] as const) {
      await mustRun(["access", "grant", "@acme", who, "--role", role, "--key", keys.alice.privatePath]);
      await mustRun(["registry", "merge", `access/acme/grant-${who}-${role}`, "--key", keys.bob.privatePath]);
    }
    await proposeSealing(reg, await loadSigner(keys.alice.privatePath), gateKey.publicKey);
    await mustRun(["registry", "merge", "admin/sealing", "--key", keys.bob.privatePath]);
    await publish("1.0.0");
  }, 600_000);

  it("keys add --replaces revokes the old key and re-wraps the sealed versions for the new one", async () => {
    const old = fingerprint(keys.rita);
    expect(await envelopeFingerprints("1.0.0")).toContain(old);
    const r = await mustRun(["keys", "add", "rita", ritaNew.publicPath, "--replaces", old, "--key", keys.alice.privatePath, "--registry", reg]);
    expect(r.stdout).toMatch(/pushed access\/keys\/add-rita-/);
    const branch = /pushed (access\/keys\/add-rita-\S+)/.exec(r.stdout)![1]!;
    const message = await git(["log", "-1", "--format=%B", branch], { cwd: reg });
    expect(message).toContain("Rotate the signing key of rita");
    expect(message).toContain(`Re-wraps 1 sealed version(s) so rita's new key ${fingerprint(ritaNew)} can read them: @acme/deploy@1.0.0.`);
    const merged = await mustRun(["registry", "merge", branch, "--key", keys.bob.privatePath], gate);
    expect(merged.stdout).toContain(`Merged ${branch} into main`);

    const after = await envelopeFingerprints("1.0.0");
    expect(after).toContain(fingerprint(ritaNew));
    expect(after).not.toContain(old);
    expect(readFileSync(join(reg, "allowed_signers"), "utf8")).toMatch(/^rita [^\n]*valid-before="\d{14}Z"/m);
  });

  it("the new key opens the version published before the rotation, with skillreg and with age; its signature still verifies", async () => {
    const r = await pull("1.0.0", ritaNew, "rita-new-1.0.0");
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, "projects", "rita-new-1.0.0", ".claude", "skills", "deploy", "SKILL.md"), "utf8")).toContain(MARKER);
    expect((await cli(["verify"], {}, join(root, "projects", "rita-new-1.0.0"))).code).toBe(0);
    expect(execFileSync("age", ["-d", "-i", ritaNew.privatePath], { input: await ageFile("1.0.0") }).toString()).toContain("SKILL.md");
  });

  it("later versions are sealed to the new key and not to the old one", async () => {
    await publish("1.1.0");
    expect(await envelopeFingerprints("1.1.0")).not.toContain(fingerprint(keys.rita));
    expect((await pull("1.1.0", ritaNew, "rita-new-1.1.0")).code).toBe(0);
    const oldKey = await pull("1.1.0", keys.rita, "rita-old-1.1.0");
    expect(oldKey.code).toBe(2);
    expect(oldKey.stderr).toMatch(/@acme\/deploy@1\.1\.0 is sealed and the key SHA256:\S+ \(.*rita\) is not one of its 4 recipients/);
    const sealed = await ageFile("1.1.0");
    expect(() => execFileSync("age", ["-d", "-i", keys.rita.privatePath], { input: sealed, stdio: "pipe" })).toThrow(/no identity matched/);
  });

  it("a key that opens none of the versions re-wraps nothing and says what to pass instead", async () => {
    const stranger = makeSshKey(join(root, "keys"), "stranger");
    const third = makeSshKey(join(root, "keys"), "rita-third");
    const r = await mustRun(["keys", "add", "rita", third.publicPath, "--key", keys.alice.privatePath, "--identity", stranger.privatePath, "--registry", reg]);
    expect(r.stderr).toContain(
      `warning: 2 sealed version(s) were not re-wrapped for the new key, ${stranger.privatePath} does not open them (@acme/deploy@1.0.0, @acme/deploy@1.1.0); pass --identity with the key of a member of their scope`,
    );
  });
});
