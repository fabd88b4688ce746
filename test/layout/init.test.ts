import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBin, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { loadRegistryConfig, loadScopes } from "../../registry/core/config/load.js";
import { gitOut, oneLineError } from "./helpers.js";

describe("skillreg init", () => {
  const root = tempDir();

  it("creates the layout as a git repository on main with one commit", async () => {
    const dir = join(root, "registry");
    const r = await runCli(["init", dir, "--name", "acme-skills", "--admin", "alice", "--admin", "sec@acme.example",
      "--git-url", "git@github.com:acme/skills.git", "--site-url", "https://skills.acme.example"]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created registry acme-skills");

    expect(gitOut(dir, "branch", "--show-current")).toBe("main");
    expect(gitOut(dir, "log", "--format=%s")).toBe("Initialise registry acme-skills");
    expect(gitOut(dir, "status", "--porcelain")).toBe("");
    expect(gitOut(dir, "ls-files").split("\n").sort()).toEqual([
      ".github/CODEOWNERS",
      ".github/workflows/skillreg-check.yml",
      ".github/workflows/skillreg-release.yml",
      ".github/workflows/skillreg-review.yml",
      "allowed_signers",
      "publish/.gitkeep",
      "scopes/.gitkeep",
      "skillreg.yaml",
      "skills/.gitkeep",
    ]);

    const config = await loadRegistryConfig(dir);
    expect(config).toEqual({
      name: "acme-skills",
      gitUrl: "git@github.com:acme/skills.git",
      siteUrl: "https://skills.acme.example",
      admins: ["alice", "sec@acme.example"],
      limits: { maxFileBytes: 1048576, maxSkillBytes: 10485760, maxFiles: 500 },
      policy: { securityReviewers: ["alice", "sec@acme.example"], rules: {} },
    });
    expect((await loadScopes(dir)).size).toBe(0);
    expect(readFileSync(join(dir, ".github/CODEOWNERS"), "utf8")).toContain("\n* @alice sec@acme.example\n");
    expect(readFileSync(join(dir, "allowed_signers"), "utf8")).toMatch(/^# SkillReg allowed signers/);
    // No staging folder is left next to the registry.
    expect(readdirSync(root)).toEqual(["registry"]);
  });

  it("pins the running skillreg version in the workflows", async () => {
    const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    for (const f of ["skillreg-check.yml", "skillreg-release.yml", "skillreg-review.yml"]) {
      const text = readFileSync(join(root, "registry/.github/workflows", f), "utf8");
      expect(text).toContain(`SKILLREG_VERSION: "${version}"`);
      expect(text).not.toContain("__");
    }
  });

  it("accepts an existing empty folder, and works from the built binary", async () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    const r = await runBin(["init", dir, "--name", "solo", "--admin", "bob", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { commit: string; files: string[] };
    expect(out.commit).toBe(gitOut(dir, "rev-parse", "HEAD"));
    expect(out.files).toContain(".github/workflows/skillreg-check.yml");
  });

  const refusals: [string, string[], RegExp][] = [
    ["missing --name", ["--admin", "alice"], /^missing --name <registry-name>/],
    ["missing --admin", ["--name", "acme"], /^missing --admin <principal>/],
    ["a bad registry name", ["--name", "Acme--Skills", "--admin", "alice"], /^--name 'Acme--Skills' is not a valid registry name: use lowercase/],
    ["a bad admin", ["--name", "acme", "--admin", "@alice"], /^--admin '@alice' is not a valid principal/],
    ["a site URL that is not http", ["--name", "acme", "--admin", "a", "--site-url", "ftp://x"], /^skillreg\.yaml:\d+: siteUrl: must be an http:\/\/ or https:\/\/ URL$/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what}: exit 2, one line, nothing written`, async () => {
      const dir = join(root, "refused");
      expect(oneLineError(await runCli(["init", dir, ...args]))).toMatch(message);
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(root).filter((n) => n.includes("refused"))).toEqual([]);
    });
  }

  it("refuses a folder that is not empty and leaves it as it was", async () => {
    const dir = join(root, "busy");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    expect(oneLineError(await runCli(["init", dir, "--name", "acme", "--admin", "alice"]))).toBe(
      `${dir} is not empty; skillreg init needs a new or empty folder`,
    );
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
    expect(readdirSync(root).filter((n) => n.startsWith(".busy"))).toEqual([]);
  });
});
