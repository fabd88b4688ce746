import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServe, cliAt, errorLines } from "../helpers/cli.js";
import type { TestKey } from "../helpers/keys.js";
import { acmeSealingRegistry, type AcmeMember } from "../helpers/sealing-registry.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * The internal catalog of a registry that seals, as a member serves it: `skillreg serve
 * --audience internal --identity <member's key>` opens the sealed versions to scan them and
 * seals the sealed skill's index file to the scope's readers and the gate key. A reader pulls
 * through the served site; a non-member who reaches the site gets one line and finds no
 * plaintext in any file of it. CI builds the same catalog with the gate key.
 */

const MARKER = "okapi-lantern-77c1 sealed runbook";
const DESCRIPTION = "Rotates the okapi-lantern credentials";

describe("the internal catalog of a sealing registry", () => {
  let root: string;
  let reg: string;
  let gateKey: TestKey;
  let server: ChildProcess | undefined;
  let url = "";
  let siteDir = "";
  let keys: Record<AcmeMember | "nina", TestKey>;
  const { cli, mustRun } = cliAt(() => reg);

  function project(name: string): string {
    const dir = join(root, "projects", name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Every file below `dir` that contains `text`. */
  function filesContaining(dir: string, text: string): string[] {
    return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => readFileSync(f).includes(Buffer.from(text)));
  }

  beforeAll(async () => {
    root = tempDir();
    mkdirSync(join(root, "home"));
    ({ reg, keys, gateKey } = await acmeSealingRegistry(root, ["nina"]));

    const skill = join(root, "deploy");
    mkdirSync(join(skill, "scripts"), { recursive: true });
    writeFileSync(join(skill, "SKILL.md"), skillMd("deploy", "1.0.0", `Follow the ${MARKER}.`, { description: DESCRIPTION }));
    writeFileSync(join(skill, "scripts", "check.sh"), `#!/bin/sh\necho "${MARKER}"\n`, { mode: 0o755 });
    await mustRun(["push", skill, "--scope", "@acme", "--registry", reg, "--key", keys.bob.privatePath]);
    await mustRun(["registry", "merge", "publish/acme/deploy/1.0.0", "--key", keys.alice.privatePath], { SKILLREG_GATE_KEY: gateKey.privatePath });

    siteDir = join(root, "site-internal");
    ({ child: server, url } = await startServe(reg, join(root, "home"), ["--audience", "internal", "--identity", keys.rita.privatePath, "--out", siteDir]));
  }, 600_000);

  afterAll(() => {
    server?.kill("SIGTERM");
  });

  it("an internal build needs a key that opens the sealed versions: one line, exit 2, nothing built", async () => {
    const out = join(root, "site-without-key");
    const r = await cli(["build", "--audience", "internal", "--out", out]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      "skillreg: error: the registry holds sealed versions (@acme/deploy@1.0.0 is one): an internal build opens them, so pass a member's key with --identity <ssh key> (or set SKILLREG_GATE_KEY in CI)",
    ]);
    expect(() => readdirSync(out)).toThrow();
  });

  it("a reader pulls the sealed skill through the served internal site and reads its description", async () => {
    const dir = project("rita");
    const r = await cli(["pull", "@acme/deploy", "--registry", url, "--agent", "claude", "--identity", keys.rita.privatePath], {}, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, ".claude", "skills", "deploy", "SKILL.md"), "utf8")).toContain(MARKER);

    // info opens the sealed index file with the default key, ~/.ssh/id_ed25519.
    const home = join(root, "rita-home");
    mkdirSync(join(home, ".ssh"), { recursive: true });
    writeFileSync(join(home, ".ssh", "id_ed25519"), readFileSync(keys.rita.privatePath), { mode: 0o600 });
    const info = await cli(["info", "@acme/deploy", "--registry", url, "--json"], { HOME: home }, dir);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ description: DESCRIPTION, version: { version: "1.0.0", scan: { decision: "flagged" } } });
  });

  it("a non-member who reaches the site gets one line naming the scope and the grant command, and nothing is written", async () => {
    const dir = project("nina");
    const r = await cli(["pull", "@acme/deploy", "--registry", url, "--agent", "claude", "--identity", keys.nina.privatePath], {}, dir);
    expect(r.code).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^skillreg: error: @acme\/deploy is sealed in this catalog and the key SHA256:\S+ \(.*nina\) is not one of its 4 readers; an owner of @acme grants read access with: skillreg access grant @acme <you> --role reader$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("no file of the built site holds the plaintext; the sealed index file opens with age and a reader's key", () => {
    expect(readdirSync(siteDir)).toContain("index");
    expect(filesContaining(siteDir, "okapi-lantern")).toEqual([]);
    const sealed = JSON.parse(readFileSync(join(siteDir, "index", "v1", "skills", "acme", "deploy.json"), "utf8")) as { format: string; recipients: { principal: string }[]; age: string };
    expect(sealed.format).toBe("skillreg-sealed-index/1");
    expect(sealed.recipients.map((r) => r.principal).sort()).toEqual(["alice", "bob", "registry-gate", "rita"]);
    const opened = JSON.parse(execFileSync("age", ["-d", "-i", keys.rita.privatePath], { input: sealed.age }).toString()) as { description: string; versions: { scan: { flags: unknown[] } }[] };
    expect(opened.description).toBe(DESCRIPTION);
    expect(opened.versions[0]!.scan.flags.length).toBeGreaterThan(0);
    // The catalog shows the name and the scan decision, not the description or the findings.
    const all = JSON.parse(readFileSync(join(siteDir, "index", "v1", "all.json"), "utf8")) as { skills: { name: string; description: string; decision: string }[] };
    expect(all.skills.find((s) => s.name === "deploy")).toMatchObject({ description: "", decision: "flagged" });
    expect(() => execFileSync("age", ["-d", "-i", keys.nina.privatePath], { input: sealed.age, stdio: "pipe" })).toThrow(/no identity matched/);
  });

  it("CI builds the same catalog with the gate key", async () => {
    const out = join(root, "site-ci");
    const r = await cli(["build", "--audience", "internal", "--out", out], { SKILLREG_GATE_KEY: gateKey.privatePath });
    expect(r.code, r.stderr).toBe(0);
    expect(filesContaining(out, "okapi-lantern")).toEqual([]);
    const sealed = JSON.parse(readFileSync(join(out, "index", "v1", "skills", "acme", "deploy.json"), "utf8")) as { age: string };
    expect(execFileSync("age", ["-d", "-i", gateKey.privatePath], { input: sealed.age }).toString()).toContain(DESCRIPTION);
  });
});
