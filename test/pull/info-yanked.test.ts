import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { acmeDeployRegistry } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `skillreg info` reads; `skillreg pull` installs. Someone told "1.0.0 was yanked" asks info
 * about it and expects to read why, as `npm view` shows a deprecated version; pull still
 * refuses it.
 */

const root = tempDir("skillreg-info-yanked-");
let registry = "";

beforeAll(async () => {
  const { reg } = await acmeDeployRegistry(root, ["1.0.0", "1.1.0"]);
  await reg.updateScope({ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" }, skills: { deploy: { yanked: { "1.0.0": "deletes the wrong folder; fixed in 1.1.0" } } } });
  registry = reg.dir;
}, 120_000);

describe("info about a yanked version", () => {
  it("shows the version and why it was yanked, and offers no install command", async () => {
    const r = await runCli(["info", "@acme/deploy@1.0.0", "--registry", registry], { env: { HOME: root } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`@acme/deploy@1.0.0 (public) from ${registry}\n`);
    expect(r.stdout).toContain("yanked: deletes the wrong folder; fixed in 1.1.0\n");
    expect(r.stdout).toContain("versions: 1.0.0 (yanked), 1.1.0\n");
    expect(r.stdout).not.toContain("install:");
  });

  it("still picks no yanked version for a range, and pull still refuses the exact one", async () => {
    const range = await runCli(["info", "@acme/deploy@^1.0.0", "--registry", registry], { env: { HOME: root } });
    expect(range.stdout).toContain("@acme/deploy@1.1.0 (public)");
    const pull = await runCli(["pull", "@acme/deploy@1.0.0", "--registry", registry], { cwd: root, env: { HOME: root } });
    expect(pull.code).toBe(2);
    expect(pull.stderr).toContain("skillreg: error: @acme/deploy@1.0.0 is yanked: deletes the wrong folder; fixed in 1.1.0\n");
  });
});
