import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git } from "../../registry/git/cli.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { loadSigningKey, readRootChain, signSignerSet } from "../../registry/trust/tuf/index.js";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { makeChange } from "../helpers/registry-change.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A registry whose admins sign its signers (trust/signers.json) is read by Git-URL clients only
 * while that signature covers main's allowed_signers, skillreg.yaml and scope members. The gate
 * keeps it so: a change to those files (a scope's visibility, yanks and deprecations included)
 * that leaves the signer set stale is refused before the
 * merge (where an admin can still sign again), instead of locking every Git-URL client out after.
 */

type Who = "admin" | "admin2" | "alice" | "erin";

describe("the gate and the signer set", () => {
  let reg: string;
  const keys = {} as Record<Who, TestKey>;
  const cli = (argv: string[]) => runCli(argv, { cwd: reg });
  const check = (branch: string) => cli(["registry", "check", "--base", "main", "--head", branch, "--registry", reg]);
  const blocked = (stderr: string, code: string) => stderr.split("\n").filter((l) => l.startsWith(`blocked: [${code}]`));

  /** The signer set the admins would sign for `branch`'s files, as `registry trust sign` writes it. */
  async function signedFor(branch: string): Promise<string> {
    const at = async (path: string) => git(["show", `${branch}:${path}`], { cwd: reg });
    return signSignerSet(
      { allowedSigners: `${await at("allowed_signers")}\n`, config: `${await at("skillreg.yaml")}\n`, scopes: new Map([["acme", `${await at("scopes/acme.yaml")}\n`]]) },
      { roots: await readRootChain(reg, branch), signers: [await loadSigningKey(keys.admin.privatePath)], now: new Date() },
    );
  }

  beforeAll(async () => {
    const root = tempDir();
    mkdirSync(join(root, "keys"));
    for (const who of ["admin", "admin2", "alice", "erin"] as const) keys[who] = makeSshKey(join(root, "keys"), who);
    const online = makeSshKey(join(root, "keys"), "release");
    reg = join(root, "registry");
    const run = async (argv: string[]) => {
      const r = await runCli(argv, { cwd: root });
      if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    };
    await run(["init", reg, "--name", "acme", "--admin", "admin", "--admin", "admin2"]);
    for (const who of ["admin", "admin2", "alice"] as const) await run(["keys", "add", who, keys[who].publicPath, "--registry", reg]);
    await run(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
    await run(["registry", "trust", "init", "--registry", reg, "--admin-key", keys.admin.privatePath, "--admin-key", keys.admin2.privatePath, "--online-key", online.publicPath]);
    await run(["registry", "trust", "sign", "--registry", reg, "--sign-key", keys.admin.privatePath]);
    await git(["add", "-A"], { cwd: reg });
    await git(["-c", "user.name=admin", "-c", "user.email=admin@acme.example", "commit", "-q", "-m", "trust: root and signer set"], { cwd: reg });
  });

  it("refuses a new key that the admins did not sign into the signer set, and passes once they do", async () => {
    const add = await cli(["keys", "add", "erin", keys.erin.publicPath, "--key", keys.admin.privatePath, "--json"]);
    expect(add.code, add.stderr).toBe(0);
    const { branch } = JSON.parse(add.stdout) as { branch: string };

    const stale = await check(branch);
    expect(stale.code).toBe(1);
    expect(blocked(stale.stderr, "signer-set-stale")).toEqual([
      "blocked: [signer-set-stale] the change leaves trust/signers.json stale: allowed_signers is not vouched for by the admins' root (trust/signers.json: it differs from what the admins signed); an admin signs it again in this change ('skillreg registry trust sign --sign-key <admin key>') and commits trust/signers.json",
    ]);
    const merge = await cli(["registry", "merge", branch, "--key", keys.admin2.privatePath]);
    expect(merge.code).toBe(1);
    expect(readFileSync(join(reg, "allowed_signers"), "utf8")).not.toContain("erin");

    const resigned = `${branch}-signed`;
    const signers = await signedFor(branch);
    await makeChange(reg, { branch: resigned, from: `origin/${branch}`, signer: await loadSigner(keys.admin.privatePath), edit: (work) => work.write("trust/signers.json", signers) });
    const ok = await check(resigned);
    expect(blocked(ok.stderr, "signer-set-stale")).toEqual([]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await cli(["registry", "merge", resigned, "--key", keys.admin2.privatePath])).code).toBe(0);
    expect(readFileSync(join(reg, "allowed_signers"), "utf8")).toContain("erin");
  });

  it("refuses a visibility change the admins did not sign, naming it, and passes once they do", async () => {
    const change = await cli(["visibility", "@acme", "public", "--key", keys.alice.privatePath, "--json"]);
    expect(change.code, change.stderr).toBe(0);
    const { branch } = JSON.parse(change.stdout) as { branch: string };
    const stale = await check(branch);
    expect(stale.code).toBe(1);
    expect(blocked(stale.stderr, "signer-set-stale")).toEqual([
      "blocked: [signer-set-stale] the change leaves trust/signers.json stale: @acme is public, but the admins signed it private (trust/signers.json); an admin signs it again in this change ('skillreg registry trust sign --sign-key <admin key>') and commits trust/signers.json",
    ]);

    const resigned = `${branch}-signed`;
    const signers = await signedFor(branch);
    await makeChange(reg, { branch: resigned, from: `origin/${branch}`, signer: await loadSigner(keys.admin.privatePath), edit: (work) => work.write("trust/signers.json", signers) });
    const ok = await check(resigned);
    expect(blocked(ok.stderr, "signer-set-stale")).toEqual([]);
  });

  it("refuses a change that deletes the signer set", async () => {
    await makeChange(reg, { branch: "trust/drop-signers", signer: await loadSigner(keys.admin.privatePath), edit: (work) => work.remove("trust/signers.json") });
    const r = await check("trust/drop-signers");
    expect(r.code).toBe(1);
    expect(blocked(r.stderr, "signer-set-stale")).toEqual([
      "blocked: [signer-set-stale] the change deletes trust/signers.json, so clients of the registry's Git URL would refuse every key; restore it",
    ]);
  });
});
