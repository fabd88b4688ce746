import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const INVALID = fileURLToPath(new URL("../fixtures/skills/invalid", import.meta.url));

describe("skillreg new", () => {
  it("scaffolds a skill that validates with no warnings, with an executable script", async () => {
    const cwd = tempDir();
    const r = await runCli(["new", "release-notes", "--dir", "skills", "--description", "Writes release notes: from merged PRs."], { cwd });
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("Created skills/release-notes/ with SKILL.md and scripts/summarize.sh\nNext: edit skills/release-notes/SKILL.md, then run 'skillreg validate skills/release-notes'\n");
    const dir = join(cwd, "skills", "release-notes");
    expect(readdirSync(dir).sort()).toEqual(["SKILL.md", "scripts"]);
    expect(statSync(join(dir, "scripts", "summarize.sh")).mode & 0o111).not.toBe(0);
    const v = await runCli(["validate", "skills/release-notes", "--json", "--require-version"], { cwd });
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toEqual({
      skills: [{ path: "skills/release-notes", name: "release-notes", version: "0.1.0", valid: true, errors: [], warnings: [] }],
    });
  });

  it("refuses an invalid name and an existing non-empty folder, writing nothing", async () => {
    const cwd = tempDir();
    const bad = await runCli(["new", "Release_Notes"], { cwd });
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toBe("skillreg: error: invalid skill name: name 'Release_Notes' may contain only lowercase letters, digits and hyphens, e.g. 'release-notes'\n");
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "notes.txt"), "mine");
    const taken = await runCli(["new", "taken"], { cwd });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe("skillreg: error: taken: folder exists and is not empty; choose another --dir or name, or remove it\n");
    expect(readdirSync(cwd).sort()).toEqual(["taken"]);
    expect(readdirSync(join(cwd, "taken"))).toEqual(["notes.txt"]);
    expect((await runCli(["new"], { cwd })).code).toBe(2);
  });

  it("fills an existing empty folder", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "empty"));
    expect((await runCli(["new", "empty"], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, "empty", "SKILL.md"))).toBe(true);
  });

  it("has help", async () => {
    const r = await runCli(["new", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: skillreg new <name> \[--dir D\]/);
  });
});

describe("skillreg validate", () => {
  it("validates every skill under a folder: exit 1 with file:line problems when one is invalid", async () => {
    const cwd = tempDir();
    await runCli(["new", "alpha", "--dir", "lib"], { cwd });
    await runCli(["new", "beta", "--dir", "lib/nested"], { cwd });
    writeFileSync(join(cwd, "lib", "nested", "beta", "SKILL.md"), "---\nname: Beta\ndescription: x\n---\n");
    const r = await runCli(["validate", "lib"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      "✓ lib/alpha (alpha 0.1.0)",
      "✗ lib/nested/beta (Beta)",
      "    error: lib/nested/beta/SKILL.md:2: name 'Beta' has uppercase letters; use lowercase, e.g. 'beta' [name-format]",
      expect.stringMatching(/^ {4}warning: lib\/nested\/beta\/SKILL\.md:2: metadata\.version is missing; .* \[version-missing\]$/),
      expect.stringMatching(/^ {4}warning: lib\/nested\/beta\/SKILL\.md:2: no allowed-tools; .* \[allowed-tools-missing\]$/),
      expect.stringMatching(/^ {4}warning: lib\/nested\/beta\/SKILL\.md:5: SKILL\.md has no instructions .* \[body-empty\]$/),
      "2 skills: 1 valid, 1 invalid, 3 warnings",
      "",
    ]);
    expect(r.stderr).toBe("› validating 2 skills under lib\n");
  });

  it("prints the --json shape for several paths, relative paths kept relative", async () => {
    const r = await runCli(["validate", "--json", "name-mismatch", "frontmatter-empty"], { cwd: INVALID });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout) as { skills: Record<string, unknown>[] };
    expect(json.skills).toEqual([
      {
        path: "name-mismatch/folder-name",
        name: "other-name",
        version: "1.0.0",
        valid: false,
        errors: [{ file: "name-mismatch/folder-name/SKILL.md", line: 2, code: "name-mismatch", message: expect.stringContaining("does not match the folder name") }],
        warnings: [expect.objectContaining({ code: "allowed-tools-missing" })],
      },
      {
        path: "frontmatter-empty/frontmatter-empty",
        name: null,
        version: null,
        valid: false,
        errors: [expect.objectContaining({ file: "frontmatter-empty/frontmatter-empty/SKILL.md", line: 1, code: "frontmatter-empty" })],
        warnings: [],
      },
    ]);
  });

  it("defaults to the current folder and exits 0 when all are valid", async () => {
    const cwd = tempDir();
    await runCli(["new", "gamma"], { cwd });
    const r = await runCli(["validate"], { cwd: join(cwd, "gamma") });
    expect(r).toEqual({ code: 0, stdout: "✓ . (gamma 0.1.0)\n1 skill: 1 valid, 0 invalid, 0 warnings\n", stderr: "" });
  });

  it("exits 2 with one line for a missing path, a folder without skills and an unknown flag", async () => {
    const cwd = tempDir();
    const missing = await runCli(["validate", "nope"], { cwd });
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe("skillreg: error: nope: no such folder\n");
    writeFileSync(join(cwd, "file.md"), "x");
    expect((await runCli(["validate", "file.md"], { cwd })).stderr).toBe("skillreg: error: file.md: not a folder; give a skill's folder or a folder holding skills\n");
    const empty = await runCli(["validate"], { cwd });
    expect(empty.stderr).toBe("skillreg: error: .: no SKILL.md found in it or below it; a skill is a folder holding SKILL.md\n");
    expect(empty.code).toBe(2);
    const flag = await runCli(["validate", "--frobnicate"], { cwd });
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("applies the limits of a registry's skillreg.yaml with --registry", async () => {
    const cwd = tempDir();
    await runCli(["new", "delta"], { cwd });
    mkdirSync(join(cwd, "reg"));
    writeFileSync(join(cwd, "reg", "skillreg.yaml"), "name: tiny\nadmins: [alice]\nlimits:\n  maxFileBytes: 300\n");
    expect((await runCli(["validate", "delta"], { cwd })).code).toBe(0);
    const r = await runCli(["validate", "delta", "--registry", "reg"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {4}error: delta\/SKILL\.md: is \d+ bytes, over the registry limit of 300 bytes a file \(limits\.maxFileBytes in skillreg\.yaml\)/m);
    const missing = await runCli(["validate", "delta", "--registry", "nowhere"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^skillreg: error: .*nowhere\/skillreg\.yaml: not found; is this a registry\?/);
  });

  it("has help naming the exit codes", async () => {
    const r = await runCli(["validate", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: skillreg validate \[dir\.\.\.\] \[--json\]/);
    expect(r.stdout).toContain("Exit status: 0 every skill is valid, 1 some skill is invalid, 2 bad usage");
  });
});
