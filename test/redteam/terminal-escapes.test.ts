import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeSshKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * Outside review, found by the red team: a yank or deprecation reason is registry data a scope
 * owner writes, and pull printed it raw, so escape sequences in it could clear the screen, set
 * the terminal's title or overwrite the error with a fake success line. Errors and warnings
 * now show control characters as \x.. escapes.
 */

const ESCAPES = "\u001b]0;owned\u0007\u001b[2J\u001b[1A\u001b[2K+ installed fine";

describe("registry text in errors and warnings cannot drive the terminal", () => {
  it("a yank reason and a deprecation reason with escape sequences are printed escaped", async () => {
    const dir = tempDir();
    const alice = makeSshKey(dir, "alice@acme.example");
    const reg = await RegistryFixture.create(join(dir, "reg"), {
      admins: ["alice@acme.example"],
      scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } }],
      signers: [{ key: alice }],
    });
    for (const v of ["1.0.0", "1.1.0"]) await reg.publish({ scope: "acme", name: "deploy", version: v, signer: alice, files: { "run.sh": `echo ${v}\n` } });
    await reg.updateScope({
      scope: "acme",
      visibility: "public",
      members: { "alice@acme.example": "owner" },
      skills: { deploy: { yanked: { "1.0.0": ESCAPES }, deprecated: { "1.1.0": ESCAPES } } },
    });
    const cwd = join(dir, "project");
    mkdirSync(cwd);
    const env = { HOME: join(dir, "home") };

    const yanked = await runCli(["pull", "@acme/deploy@1.0.0", "--registry", reg.dir], { cwd, env });
    expect(yanked.code).toBe(2);
    expect(yanked.stderr).not.toContain("\u001b");
    expect(yanked.stderr).toContain("is yanked: \\x1b]0;owned\\x07\\x1b[2J\\x1b[1A\\x1b[2K+ installed fine\n");

    const deprecated = await runCli(["pull", "@acme/deploy@1.1.0", "--registry", reg.dir], { cwd, env });
    expect(deprecated.code).toBe(0);
    expect(deprecated.stderr).not.toContain("\u001b");
    expect(deprecated.stderr).toContain("is deprecated: \\x1b]0;owned");
  });
});
