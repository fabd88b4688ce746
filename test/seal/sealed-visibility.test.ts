import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git, runGit } from "../../registry/git/cli.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { discloseSealed, loadSealIdentity } from "../../registry/seal/index.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { makeChange, proposeSealing } from "../helpers/registry-change.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `skillreg visibility` on a registry that seals, both ways. Making a public skill private
 * seals its next versions and warns that the earlier ones stay readable in Git history (and,
 * before the registry seals, that private is no access control). Making a sealed skill public
 * discloses its versions' file keys in the same change: a non-member with no key at all then
 * pulls the versions as published, the signed tag and tree untouched; the gate refuses a
 * disclosure of a skill that stays private.
 */

type Who = "admin" | "admin2" | "alice" | "bob" | "nina";

const MARKER = "heron-basalt-31f0 sealed procedure";

describe("visibility in a registry that seals", () => {
  let root: string;
  let reg: string;
  let gateKey: TestKey;
  const keys = {} as Record<Who, TestKey>;
  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = reg) => runCli(argv, { cwd, env });
  const gate = { SKILLREG_GATE_KEY: "" };

  async function mustRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
    const r = await cli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    return r;
  }

  function skillFolder(name: string, version: string): string {
    const dir = join(root, `${name}-${version}`, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), skillMd(name, version, `Follow the ${MARKER}.`, { description: `The ${name} procedure` }));
    return dir;
  }

  /** bob publishes, alice (another owner) reviews with the gate key. */
  async function publish(name: string, version: string): Promise<void> {
    await mustRun(["push", skillFolder(name, version), "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["registry", "merge", `publish/acme/${name}/${version}`, "--key", keys.alice.privatePath], gate);
  }

  beforeAll(async () => {
    root = tempDir();
    mkdirSync(join(root, "keys"));
    for (const who of ["admin", "admin2", "alice", "bob", "nina"] as const) keys[who] = makeSshKey(join(root, "keys"), who);
    gateKey = makeSshKey(join(root, "keys"), "gate");
    gate.SKILLREG_GATE_KEY = gateKey.privatePath;
    reg = join(root, "registry");
    await mustRun(["init", reg, "--name", "acme", "--admin", "admin", "--admin", "admin2"]);
    for (const who of ["admin", "admin2", "alice", "bob", "nina"] as const) await mustRun(["keys", "add", who, keys[who].publicPath, "--registry", reg]);
    await mustRun(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
    await mustRun(["access", "grant", "@acme", "bob", "--role", "owner", "--key", keys.alice.privatePath]);
    await mustRun(["registry", "merge", "access/acme/grant-bob-owner", "--key", keys.admin.privatePath]);
    // @acme/guide is public, published in plaintext.
    await mustRun(["visibility", "@acme/guide", "public", "--key", keys.alice.privatePath, "--registry", reg]);
    await mustRun(["registry", "merge", "access/acme/visibility-guide-public", "--key", keys.bob.privatePath]);
    await publish("guide", "1.0.0");
  }, 600_000);

  it("before the registry seals, making a skill private warns that it stays readable to everyone with the repository", async () => {
    const r = await mustRun(["visibility", "@acme/guide", "private", "--key", keys.alice.privatePath, "--registry", reg]);
    expect(r.stderr).toContain("this registry does not seal: @acme/guide leaves public builds, but everyone who can read the repository still reads its files");
    await git(["branch", "-D", "access/acme/visibility-guide-private"], { cwd: reg });
  });

  it("once it seals, making a skill private names the versions that stay in Git history and how to start clean; its next version is sealed", async () => {
    await proposeSealing(reg, await loadSigner(keys.admin.privatePath), gateKey.publicKey);
    await mustRun(["registry", "merge", "admin/sealing", "--key", keys.admin2.privatePath]);

    const r = await mustRun(["visibility", "@acme/guide", "private", "--key", keys.alice.privatePath, "--registry", reg]);
    expect(r.stderr).toContain(
      "only versions pushed from now on are sealed: the earlier versions published unsealed (@acme/guide@1.0.0) stay readable to everyone with the repository, in Git history and their tags; for secret material start a clean registry",
    );
    const message = await git(["log", "-1", "--format=%B", "access/acme/visibility-guide-private"], { cwd: reg });
    expect(message).toContain("Note: only versions pushed from now on are sealed: the earlier versions published unsealed (@acme/guide@1.0.0)");
    await mustRun(["registry", "merge", "access/acme/visibility-guide-private", "--key", keys.bob.privatePath]);

    await publish("guide", "1.1.0");
    expect(await git(["ls-tree", "--name-only", "@acme/guide@1.1.0^{tree}"], { cwd: reg })).toBe("payload.age-body\nsealed.json");
    expect(await git(["ls-tree", "--name-only", "@acme/guide@1.0.0^{tree}"], { cwd: reg })).toBe("SKILL.md");
  });

  it("the gate refuses a disclosed file key for a skill that stays private", async () => {
    await publish("vault", "1.0.0");
    const disclosed = await discloseSealed(
      {
        manifestText: await git(["show", "@acme/vault@1.0.0^{tree}:sealed.json"], { cwd: reg }),
        payload: (await runGit(["cat-file", "blob", "@acme/vault@1.0.0^{tree}:payload.age-body"], { cwd: reg, raw: true })).bytes,
        envelopeText: await git(["show", "main:sealed/acme/vault/1.0.0.json"], { cwd: reg }),
      },
      await loadSealIdentity(keys.alice.privatePath),
    );
    await makeChange(reg, {
      branch: "leak/vault",
      signer: await loadSigner(keys.alice.privatePath),
      edit: (work) => work.write("sealed/acme/vault/1.0.0.json", disclosed.envelopeText),
    });
    const r = await cli(["registry", "check", "--base", "main", "--head", "leak/vault"], gate);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("sealed/acme/vault/1.0.0.json discloses the file key of @acme/vault@1.0.0, but @acme/vault is not public after this change");
  });

  it("making a sealed skill public discloses its file keys: a non-member with no key pulls it, signed tag and tree as published", async () => {
    const treeBefore = await git(["rev-parse", "@acme/vault@1.0.0^{tree}"], { cwd: reg });
    const r = await mustRun(["visibility", "@acme/vault", "public", "--key", keys.alice.privatePath, "--registry", reg]);
    expect(r.stderr).toContain("discloses the file keys of @acme/vault@1.0.0: once this lands everyone with the repository reads them, for good");
    const merged = await mustRun(["registry", "merge", "access/acme/visibility-vault-public", "--key", keys.bob.privatePath], gate);
    expect(merged.stdout).toContain("Merged access/acme/visibility-vault-public into main");

    // nina is no member and has no SSH key at all.
    const dir = join(root, "nina-project");
    mkdirSync(dir);
    const env = { HOME: join(root, "nina-home") };
    const pull = await cli(["pull", "@acme/vault", "--registry", reg, "--agent", "claude"], env, dir);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(dir, ".claude", "skills", "vault", "SKILL.md"), "utf8")).toContain(MARKER);
    expect((await cli(["verify"], env, dir)).code).toBe(0);
    expect(await git(["rev-parse", "@acme/vault@1.0.0^{tree}"], { cwd: reg })).toBe(treeBefore);
    expect(await git(["ls-tree", "--name-only", "-r", "main", "skills/acme/vault/"], { cwd: reg })).toBe("skills/acme/vault/payload.age-body\nskills/acme/vault/sealed.json");

    // The public build lists it with its description; guide stays private and absent.
    const site = join(root, "site-public");
    const build = await cli(["build", "--out", site]);
    expect(build.code, build.stderr).toBe(0);
    const entry = JSON.parse(readFileSync(join(site, "index", "v1", "skills", "acme", "vault.json"), "utf8")) as { description: string; versions: { version: string }[] };
    expect(entry).toMatchObject({ description: "The vault procedure", versions: [{ version: "1.0.0" }] });
    expect(readdirSync(join(site, "index", "v1", "skills", "acme"))).toEqual(["vault.json"]);
    expect(readFileSync(join(site, "index", "v1", "sealed", "acme", "vault", "1.0.0.json"), "utf8")).toContain("disclosedFileKey");
  });
});
