import { appendFileSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { messages, pullCleanly, signedRegistry, type SignedRegistry } from "./signed-registry.js";

/**
 * The release workflow's path end to end: `skillreg build --online-key` (the real Astro build)
 * writes the signed metadata beside the index, and a project that pinned the root with
 * `registry add --trust` pulls from the built site.
 */

let s: SignedRegistry;

beforeAll(async () => {
  s = await signedRegistry();
  appendFileSync(join(s.reg.dir, "skillreg.yaml"), `gitUrl: ${s.gitUrl}\n`);
  await s.reg.commit("config: the Git URL clients fetch tags from");
  rmSync(s.siteDir, { recursive: true, force: true });
}, 120_000);

describe("skillreg build --online-key", () => {
  it("signs the index it builds; a pinned project pulls from it", async () => {
    const built = await runCli(["build", "--registry", s.reg.dir, "--out", s.siteDir, "--online-key", s.online.privatePath, "--audience", "internal"]);
    expect(messages(built.stderr)).toEqual([]);
    expect(built.code).toBe(0);
    expect(readdirSync(join(s.siteDir, "index/v1/tuf")).sort()).toEqual(["1.root.json", "root.json", "snapshot.json", "targets.json", "timestamp.json"]);
    expect(readFileSync(join(s.siteDir, "index/v1/tuf/1.root.json"), "utf8")).toBe(readFileSync(join(s.reg.dir, "trust/1.root.json"), "utf8"));

    const p = await s.pinnedProject();
    expect(await pullCleanly(runCli, p, "@acme/deploy")).toContain("@acme/deploy@2.0.0  signed by alice@acme.example");
  }, 240_000);

  it("with a key the root does not name: exit 2 before Astro runs, nothing built", async () => {
    const out = join(s.dir, "wrong-key-site");
    const r = await runCli(["build", "--registry", s.reg.dir, "--out", out, "--online-key", s.mallory.privatePath]);
    expect(r.code).toBe(2);
    expect(messages(r.stderr)).toEqual([expect.stringMatching(/^skillreg: error: the online key SHA256:\S+ is not the targets key of trust\/1\.root\.json/)]);
    expect(() => readdirSync(out)).toThrow();
  });
});
