import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { acmeDeployRegistry } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A registry's folder (or Git URL) has no index files: the client builds the index from its
 * Git, checking every tag's signature and scan, which takes seconds on a real registry. The
 * user sees a progress line saying so on stderr instead of a silent wait; --json stays quiet.
 */

const root = tempDir("skillreg-folder-progress-");
let registry = "";

beforeAll(async () => {
  registry = (await acmeDeployRegistry(root, ["1.0.0"])).reg.dir;
}, 120_000);

function project(name: string): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = join(root, name);
  mkdirSync(cwd);
  return { cwd, env: { HOME: join(root, `${name}-home`) } };
}

const progressLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("› "));

describe("reading a registry from its folder", () => {
  it("says it is checking signatures and scans while search, info and pull build the index", async () => {
    const p = project("search");
    const search = await runCli(["search", "deploy", "--registry", registry], p);
    expect(search.code, search.stderr).toBe(0);
    expect(progressLines(search.stderr)).toEqual([`› reading every skill from ${registry}: checking tag signatures and scans`]);

    const info = await runCli(["info", "@acme/deploy", "--registry", registry], p);
    expect(info.code, info.stderr).toBe(0);
    expect(progressLines(info.stderr)).toEqual([`› reading @acme/deploy from ${registry}: checking tag signatures and scans`]);

    const pull = await runCli(["pull", "@acme/deploy", "--registry", registry], p);
    expect(pull.code, pull.stderr).toBe(0);
    expect(progressLines(pull.stderr)).toEqual([
      "› resolving @acme/deploy@latest",
      `› reading @acme/deploy from ${registry}: checking tag signatures and scans`,
      `› fetching @acme/deploy@1.0.0 from ${registry}`,
    ]);
  });

  it("names the skill a typo was meant to be, from the registry's folders", async () => {
    const info = await runCli(["info", "@acme/deplyo", "--registry", registry], project("typo"));
    expect(info.code).toBe(2);
    expect(info.stderr.trimEnd().split("\n").at(-1)).toBe(`skillreg: error: @acme/deplyo is not in the registry ${registry}; did you mean @acme/deploy?`);
  });

  it("prints no progress with --json", async () => {
    const search = await runCli(["search", "deploy", "--registry", registry, "--json"], project("json"));
    expect(search.code, search.stderr).toBe(0);
    expect(progressLines(search.stderr)).toEqual([]);
  });
});

describe("output into a closed pipe (skillreg ... | head -1)", () => {
  it("finishes the command without a stack trace", async () => {
    const p = project("pipe");
    const child = spawn(process.execPath, [BIN, "pull", "@acme/deploy", "--registry", registry], { cwd: p.cwd, env: { ...process.env, ...p.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    // The reader goes away before the first line, as `head` does after its lines.
    child.stdout!.destroy();
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => child.once("close", done));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(code).toBe(0);
    expect(existsSync(join(p.cwd, ".agents", "skills", "deploy", "SKILL.md"))).toBe(true);
  });
});
