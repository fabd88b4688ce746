import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git } from "../../registry/git/cli.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";
import { loadExchanges, startReplay } from "../helpers/github-replay.js";
import { makeChange } from "../helpers/registry-change.js";
import { skillFiles } from "./history.js";

/**
 * Every access change through the pull-request path on a real registry: the CLI proposes a
 * signed branch, `registry merge` (the gate plus the approver rules) lands it or refuses.
 * Each refusal is shown twice: the CLI refuses before pushing anything, and a hand-made
 * branch carrying the same change is refused by the merge, so the rules hold for anyone.
 */

type Who = "admin" | "admin2" | "alice" | "bob" | "carol" | "erin";

describe("access changes through branches and registry merge", () => {
  let reg: string;
  const keys = {} as Record<Who, TestKey>;

  const cli = (argv: string[]) => runCli(argv, { cwd: reg });
  const propose = (argv: string[], who: Who) => cli([...argv, "--key", keys[who].privatePath]);
  const merge = (branch: string, who: Who) => cli(["registry", "merge", branch, "--key", keys[who].privatePath]);
  const errorLine = (stderr: string) => stderr.split("\n").find((l) => l.startsWith("skillreg: "));
  const branches = async () => (await git(["for-each-ref", "--format=%(refname:short)", "refs/heads/access/"], { cwd: reg })).split("\n").filter(Boolean);
  const scopeFile = () => readFileSync(join(reg, "scopes/acme.yaml"), "utf8");

  /** A branch made by hand (bypassing the CLI's own checks), its commit signed by `who`. */
  async function handMadeBranch(branch: string, files: Record<string, string>, who: Who): Promise<void> {
    await makeChange(reg, {
      branch,
      signer: await loadSigner(keys[who].privatePath),
      message: `${branch}\n`,
      edit: async (work) => {
        for (const [path, content] of Object.entries(files)) await work.write(path, content);
      },
    });
  }

  beforeAll(async () => {
    const root = tempDir();
    mkdirSync(join(root, "keys"));
    for (const who of ["admin", "admin2", "alice", "bob", "carol", "erin"] as const) keys[who] = makeSshKey(join(root, "keys"), who);
    reg = join(root, "registry");
    const run = async (argv: string[]) => {
      const r = await runCli(argv, { cwd: root });
      if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    };
    await run(["init", reg, "--name", "acme", "--admin", "admin", "--admin", "admin2"]);
    for (const who of ["admin", "admin2", "alice", "bob", "carol"] as const) await run(["keys", "add", who, keys[who].publicPath, "--registry", reg]);
    await run(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
    const skill = join(root, "deploy");
    mkdirSync(skill);
    writeFileSync(join(skill, "SKILL.md"), skillFiles("deploy", "1.0.0")["SKILL.md"]!);
    // bob becomes a maintainer through the path under test, then publishes 1.0.0.
    expect((await propose(["access", "grant", "@acme", "bob", "--role", "maintainer"], "alice")).code).toBe(0);
    expect((await merge("access/acme/grant-bob-maintainer", "admin")).code).toBe(0);
    const pushed = await runCli(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath], { cwd: root });
    if (pushed.code !== 0) throw new Error(pushed.stderr);
    const merged = await merge("publish/acme/deploy/1.0.0", "alice");
    if (merged.code !== 0) throw new Error(merged.stderr);
  });

  it("grants a role: an owner asks, a second owner or an admin approves, never the asker", async () => {
    const r = await propose(["access", "grant", "@acme", "carol", "--role", "reader"], "alice");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pushed access\/acme\/grant-carol-reader \(commit [0-9a-f]{12}, signed by alice\)\n/);
    expect(r.stdout).toContain("skillreg registry merge access/acme/grant-carol-reader --key <their-key>");
    expect(scopeFile()).not.toContain("carol");

    const self = await merge("access/acme/grant-carol-reader", "alice");
    expect(self.code).toBe(1);
    expect(errorLine(self.stderr)).toContain("alice made this change and cannot also review it");
    const maintainer = await merge("access/acme/grant-carol-reader", "bob");
    expect(maintainer.code).toBe(1);
    expect(errorLine(maintainer.stderr)).toContain("bob is not an owner of @acme or a registry admin, so cannot approve changes to scopes/acme.yaml");

    expect((await merge("access/acme/grant-carol-reader", "admin")).code).toBe(0);
    const list = JSON.parse((await cli(["access", "list", "@acme", "--json"])).stdout);
    expect(list.members).toEqual([
      { principal: "alice", role: "owner" },
      { principal: "bob", role: "maintainer" },
      { principal: "carol", role: "reader" },
    ]);
    // CODEOWNERS followed the scope file in the same change.
    expect((await cli(["registry", "codeowners", "--check"])).code).toBe(0);
  });

  it("refuses a maintainer granting ownership, in the CLI and in the gate", async () => {
    const r = await propose(["access", "grant", "@acme", "bob", "--role", "owner"], "bob");
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe("skillreg: error: refused: only an owner of @acme may grant the owner role (to bob); bob is a maintainer");
    expect(await branches()).not.toContain("access/acme/grant-bob-owner");

    await handMadeBranch("access/acme/bob-takes-over", { "scopes/acme.yaml": scopeFile().replace("bob: maintainer", "bob: owner") }, "bob");
    const m = await merge("access/acme/bob-takes-over", "admin");
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/blocked: \[access-rule\] commit [0-9a-f]{12} by bob changes scopes\/acme\.yaml: only an owner of @acme may grant the owner role \(to bob\); bob is a maintainer/);
    expect(scopeFile()).toContain("bob: maintainer");
  });

  it("refuses removing the last owner, in the CLI and in the gate", async () => {
    const r = await propose(["access", "revoke", "@acme", "alice"], "alice");
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe("skillreg: error: refused: @acme would have no owner: alice cannot be removed as the last owner; add another owner first");

    await handMadeBranch("access/acme/no-owner", { "scopes/acme.yaml": scopeFile().replace("  alice: owner\n", "") }, "alice");
    const m = await merge("access/acme/no-owner", "admin");
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/blocked: \[access-rule\] commit [0-9a-f]{12} by alice changes scopes\/acme\.yaml: @acme would have no owner: alice cannot be removed as the last owner; add another owner first/);
    expect(scopeFile()).toContain("alice: owner");
  });

  it("removes a member when an owner asks", async () => {
    expect((await propose(["access", "revoke", "@acme", "carol"], "alice")).code).toBe(0);
    const revoked = await merge("access/acme/revoke-carol", "admin2");
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(scopeFile()).not.toContain("carol");
    const again = await propose(["access", "revoke", "@acme", "carol"], "alice");
    expect(again.code).toBe(2);
    expect(errorLine(again.stderr)).toBe("skillreg: error: carol is not a member of @acme");
  });

  it("refuses a non-admin adding or revoking a signing key, in the CLI and in the gate", async () => {
    const r = await propose(["keys", "revoke", "carol"], "bob");
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^skillreg: error: refused: the change touches allowed_signers; .* need a registry admin, and bob is not one$/);

    const add = await propose(["keys", "add", "erin", keys.erin.publicPath], "bob");
    expect(add.code).toBe(1);
    expect(errorLine(add.stderr)).toMatch(/^skillreg: error: refused: the change touches allowed_signers; .* need a registry admin, and bob is not one$/);

    const signers = readFileSync(join(reg, "allowed_signers"), "utf8");
    await handMadeBranch("access/keys/add-erin", { allowed_signers: `${signers}erin namespaces="git" ${keys.erin.publicKey}\n` }, "bob");
    const m = await merge("access/keys/add-erin", "admin");
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/blocked: \[admin-required\] commit [0-9a-f]{12}: the change touches allowed_signers; .* need a registry admin, and bob is not one/);
    expect(readFileSync(join(reg, "allowed_signers"), "utf8")).not.toContain("erin");

    // An admin may: proposed with --key, approved by the other admin.
    const byAdmin = await propose(["keys", "add", "erin", keys.erin.publicPath, "--json"], "admin");
    expect(byAdmin.code).toBe(0);
    const { branch } = JSON.parse(byAdmin.stdout) as { branch: string };
    expect(branch).toMatch(/^access\/keys\/add-erin-/);
    expect((await merge(branch, "admin2")).code).toBe(0);
    expect(readFileSync(join(reg, "allowed_signers"), "utf8")).toContain(`erin namespaces="git" ${keys.erin.publicKey.split(" ").slice(0, 2).join(" ")}`);
  });

  it("changes a skill's visibility, then yanks and deprecates versions, as an owner", async () => {
    expect((await propose(["visibility", "@acme/deploy", "public"], "alice")).code).toBe(0);
    expect((await merge("access/acme/visibility-deploy-public", "admin")).code).toBe(0);
    const notOwner = await propose(["yank", "@acme/deploy@1.0.0", "--reason", "broken"], "bob");
    expect(notOwner.code).toBe(1);
    expect(errorLine(notOwner.stderr)).toBe("skillreg: error: refused: only owners of @acme yank or deprecate its versions; bob is a maintainer");
    const missing = await propose(["yank", "@acme/deploy@9.9.9", "--reason", "never existed"], "alice");
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr)).toBe("skillreg: error: @acme/deploy@9.9.9 is not published in this registry (no publish/acme/deploy/9.9.9.tag)");

    expect((await propose(["yank", "@acme/deploy@1.0.0", "--reason", "leaks the token, use 1.0.1"], "alice")).code).toBe(0);
    expect((await merge("access/acme/yank-deploy-1.0.0", "admin")).code).toBe(0);
    expect((await propose(["deprecate", "@acme/deploy@1.0.0", "--reason", "superseded"], "alice")).code).toBe(0);
    expect((await merge("access/acme/deprecate-deploy-1.0.0", "admin")).code).toBe(0);
    const list = JSON.parse((await cli(["access", "list", "@acme/deploy", "--json"])).stdout);
    expect(list.skill).toEqual({ name: "deploy", visibility: "public", yanked: { "1.0.0": "leaks the token, use 1.0.1" }, deprecated: { "1.0.0": "superseded" } });
  });

  it("never undoes a yank: a hand-made branch that drops one is refused, by whoever asks and approves", async () => {
    const yanked = scopeFile();
    expect(yanked).toContain("leaks the token, use 1.0.1");
    const dropped = yanked.replace(/\n    yanked:\n      1\.0\.0: leaks the token, use 1\.0\.1/, "");
    expect(dropped).not.toContain("leaks the token");
    for (const who of ["alice", "admin"] as const) {
      await handMadeBranch(`access/acme/unyank-by-${who}`, { "scopes/acme.yaml": dropped }, who);
      const m = await merge(`access/acme/unyank-by-${who}`, "admin2");
      expect(m.code).toBe(1);
      expect(m.stderr).toMatch(
        new RegExp(`blocked: \\[yank-dropped\\] commit [0-9a-f]{12} by ${who} drops the yank of @acme/deploy@1\\.0\\.0 from scopes/acme\\.yaml; a yank is never undone: publish a fixed version instead`),
      );
      expect(scopeFile()).toBe(yanked);
    }
    // Rewording the reason keeps the yank.
    await handMadeBranch("access/acme/reword-yank", { "scopes/acme.yaml": yanked.replace("leaks the token, use 1.0.1", "leaks the deploy token; use 1.0.1") }, "alice");
    const reworded = await merge("access/acme/reword-yank", "admin2");
    expect(reworded.code, reworded.stderr).toBe(0);
    expect(scopeFile()).toContain("leaks the deploy token; use 1.0.1");
  });

  it("revokes a key by valid-before: old tags stay valid, the key cannot publish again", async () => {
    const r = await propose(["keys", "revoke", "bob"], "admin");
    expect(r.code).toBe(0);
    const self = await merge("access/keys/revoke-bob", "admin");
    expect(self.code).toBe(1);
    expect((await merge("access/keys/revoke-bob", "admin2")).code).toBe(0);
    const line = readFileSync(join(reg, "allowed_signers"), "utf8").split("\n").find((l) => l.startsWith("bob "));
    expect(line).toMatch(/^bob namespaces="git",valid-before="\d{14}Z" ssh-ed25519 /);

    const verify = await cli(["verify", "--registry", "."]);
    expect(verify.stdout).toBe("ok: 1 publish records and 1 tags verified, history intact\n");
    expect(verify.code).toBe(0);

    const skill = join(tempDir(), "deploy");
    mkdirSync(skill);
    writeFileSync(join(skill, "SKILL.md"), skillFiles("deploy", "1.1.0")["SKILL.md"]!);
    const pushed = await runCli(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath], { cwd: reg });
    expect(pushed.code).not.toBe(0);
    expect(errorLine(pushed.stderr)).toMatch(/not in allowed_signers|valid only until/);

    const audit = JSON.parse((await cli(["audit", "--json"])).stdout) as { type: string; principal?: string; actor: string; approver?: string }[];
    expect(audit.filter((e) => e.type === "key-revoked")).toEqual([expect.objectContaining({ principal: "bob", actor: "admin", approver: "admin2" })]);
  });

  it("opens a pull request when the registry is on GitHub", async () => {
    const gh = await startReplay(loadExchanges("github-sync/access-pull.json"));
    const url = "https://github.com/acme/skills.git";
    // git itself reaches the registry through a URL rewrite; only the API goes to the replay.
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: `url.${reg}.insteadOf`, GIT_CONFIG_VALUE_0: url });
    try {
      const r = await runCli(["access", "grant", "@acme", "erin", "--registry", url, "--key", keys.alice.privatePath], {
        cwd: reg,
        env: { GITHUB_TOKEN: "github_pat_test", GITHUB_API_URL: gh.url },
      });
      expect(r.stderr).not.toContain("error");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("pull request #31: https://github.com/acme/skills/pull/31");
    } finally {
      for (const k of ["GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"]) if (!(k in saved)) delete process.env[k];
    }
    expect(gh.mutations()).toEqual([
      {
        method: "POST",
        path: "/repos/acme/skills/pulls",
        authorization: "token github_pat_test",
        body: { head: "access/acme/grant-erin-reader", base: "main", title: "Grant reader of @acme to erin", body: "Requested by alice.", maintainer_can_modify: false },
      },
    ]);
    expect(await branches()).toContain("access/acme/grant-erin-reader");
  });

  it("refuses bad usage with one line and exit 2", async () => {
    for (const [argv, message] of [
      [["access", "grant", "@acme", "dan", "--role", "boss", "--key", "k"], "--role must be owner, maintainer or reader, not 'boss'"],
      [["access", "grant", "@acme/deploy", "dan", "--key", "k"], "roles are per scope, not per skill: grant on @acme"],
      [["access", "grant", "@acme", "dan"], "missing --key <private-key>"],
      [["visibility", "@acme", "secret", "--key", "k"], "'secret' is not public or private"],
      [["yank", "@acme/deploy@^1.0.0", "--reason", "x", "--key", "k"], "names no exact version"],
      [["yank", "@acme/deploy@1.0.0", "--key", "k"], "missing --reason"],
      [["keys", "revoke", "bob", "MD5:00", "--key", "k"], "'MD5:00' is not a key fingerprint"],
      [["access", "list", "@nobody"], "scope @nobody does not exist in the registry"],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr)).toContain(message);
      expect(r.stderr.split("\n").filter((l) => l.startsWith("skillreg: error:"))).toHaveLength(1);
    }
  });
});
