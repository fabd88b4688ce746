import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSkillFiles } from "../../registry/core/skill/files.js";
import { checkSkillFiles, findSkillDirs, loadSkill, validateSkillDir } from "../../registry/core/skill/validate.js";
import { tempDir } from "../helpers/tmp.js";

const GOOD = `---
name: good
description: Formats things well.
allowed-tools: Read Grep
metadata:
  version: "1.2.3"
---

# Good

Steps.

## Guardrails

- Read only.
`;

function skill(name: string, skillMd: string | Buffer, root = tempDir()): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), skillMd);
  return dir;
}

const brief = (ps: { code: string; line?: number }[]) => ps.map((p) => `${p.code}@${p.line ?? "-"}`);

describe("validateSkillDir", () => {
  it("accepts a complete skill with no warnings", async () => {
    const dir = skill("good", GOOD);
    expect(await validateSkillDir(dir)).toEqual({ dir, name: "good", version: "1.2.3", valid: true, errors: [], warnings: [] });
  });

  it("reports non-UTF-8 SKILL.md with the line of the bad bytes", async () => {
    const bytes = Buffer.concat([Buffer.from(GOOD.replace("good", "latin")).subarray(0, 40), Buffer.from("\nCaf\xe9\n", "latin1")]);
    const dir = skill("latin", bytes);
    const report = await validateSkillDir(dir);
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      { file: join(dir, "SKILL.md"), line: 4, code: "skill-md-encoding", message: "SKILL.md is not valid UTF-8; save it as UTF-8 (the bytes on this line are in another encoding)" },
    ]);
  });

  it("parses CRLF files and warns about the line endings", async () => {
    const dir = skill("good", GOOD.replaceAll("\n", "\r\n"));
    const report = await validateSkillDir(dir);
    expect(report.valid).toBe(true);
    expect(brief(report.warnings)).toEqual(["line-endings@1"]);
  });

  it("warns, without failing, about client extensions, unknown fields, a top-level version and a tools list", async () => {
    const text = GOOD.replace(
      "allowed-tools: Read Grep\n",
      "allowed-tools:\n  - Read\n  - Grep\ndisable-model-invocation: true\nargument-hint: \"[file]\"\nversion: 2.0.0\nowner: alice\n",
    );
    const report = await validateSkillDir(skill("good", text));
    expect(report.valid).toBe(true);
    expect(brief(report.warnings)).toEqual([
      "client-extension@7",
      "client-extension@8",
      "version-top-level@9",
      "unknown-field@10",
      "allowed-tools-list@5",
    ]);
    expect(report.warnings[0]!.message).toBe("'disable-model-invocation' is a Claude Code extension, not part of the Agent Skills spec; other agents ignore it");
    expect(report.warnings[3]!.message).toMatch(/^unknown field 'owner' is not part of the Agent Skills spec .*move custom data under metadata$/);
  });

  it("makes a missing version a warning only when asked, and says what to add", async () => {
    const text = GOOD.replace('metadata:\n  version: "1.2.3"\n', "version: 1.0.0\n");
    const dir = skill("good", text);
    const lenient = await validateSkillDir(dir, { requireVersion: false });
    expect(lenient.valid).toBe(true);
    expect(brief(lenient.warnings)).toEqual(["version-missing@2", "version-top-level@5"]);
    expect(lenient.warnings[0]!.message).toMatch(/add 'metadata:' with '  version: "0\.1\.0"' to the frontmatter \(move the top-level 'version: 1\.0\.0' there\)$/);
    const strict = await validateSkillDir(dir);
    expect(strict.valid).toBe(false);
    expect(brief(strict.errors)).toEqual(["version-missing@2"]);
  });

  it("warns about a missing Guardrails section (not one inside a code block), allowed-tools and an empty body", async () => {
    const fenced = GOOD.replace("## Guardrails", "```md\n## Guardrails\n```");
    expect(brief((await validateSkillDir(skill("good", fenced))).warnings)).toEqual(["guardrails-missing@8"]);
    const bare = "---\nname: bare\ndescription: Nothing else.\nmetadata:\n  version: \"0.1.0\"\n---\n";
    expect(brief((await validateSkillDir(skill("bare", bare))).warnings)).toEqual(["allowed-tools-missing@2", "body-empty@7"]);
  });

  it("checks the name against expectedName when the folder is named otherwise", async () => {
    const dir = skill("checkout-123", GOOD);
    expect((await validateSkillDir(dir, { expectedName: "good" })).valid).toBe(true);
    expect(brief((await validateSkillDir(dir)).errors)).toEqual(["name-mismatch@2"]);
  });

  it("reports a symlinked or oversized SKILL.md once", async () => {
    const root = tempDir();
    const target = skill("good", GOOD, root);
    const linked = join(root, "linked");
    mkdirSync(linked);
    symlinkSync(join(target, "SKILL.md"), join(linked, "SKILL.md"));
    expect(brief((await validateSkillDir(linked)).errors)).toEqual(["symlink@-"]);
    const big = skill("big", GOOD.replace("name: good", "name: big") + "x".repeat(2000));
    const report = await validateSkillDir(big, { limits: { maxFileBytes: 1000, maxSkillBytes: 10_000, maxFiles: 10 } });
    expect(brief(report.errors)).toEqual(["file-too-large@-"]);
  });
});

describe("checkSkillFiles", () => {
  it("judges files already in memory (a Git tree) as validateSkillDir judges the folder", async () => {
    const dir = skill("x", GOOD);
    const { files } = await readSkillFiles(dir);
    const report = checkSkillFiles("skills/acme/x", files, { expectedName: "x" });
    expect(report).toEqual({ ...(await validateSkillDir(dir)), dir: "skills/acme/x", errors: [expect.objectContaining({ file: "skills/acme/x/SKILL.md", line: 2, code: "name-mismatch" })] });
  });
});

describe("loadSkill", () => {
  it("returns the parsed skill with its files and body line", async () => {
    const dir = skill("good", GOOD);
    const loaded = await loadSkill(dir);
    expect(loaded).toMatchObject({ dir, name: "good", version: "1.2.3", bodyLine: 8 });
    expect(loaded.frontmatter["allowed-tools"]).toBe("Read Grep");
    expect(loaded.body.startsWith("\n# Good\n")).toBe(true);
    expect(loaded.files.map((f) => f.path)).toEqual(["SKILL.md"]);
  });

  it("throws one line naming the first problems, and requires a version by default", async () => {
    const dir = skill("good", GOOD.replace('metadata:\n  version: "1.2.3"\n', ""));
    await expect(loadSkill(dir)).rejects.toThrow(`invalid skill ${dir}: ${dir}/SKILL.md:2: metadata.version is missing`);
    await expect(loadSkill(skill("x", GOOD))).rejects.toThrow(/SKILL\.md:2: name 'good' does not match the folder name 'x'/);
  });
});

describe("findSkillDirs", () => {
  it("finds skills below a folder, skipping node_modules, .git, symlinks and a skill's own subfolders", async () => {
    const root = tempDir();
    skill("a", GOOD, join(root, "scope1"));
    skill("b", GOOD, join(root, "scope2", "deeper"));
    skill("inner", GOOD, join(root, "scope1", "a", "examples"));
    skill("dep", GOOD, join(root, "node_modules"));
    skill("hidden", GOOD, join(root, ".git"));
    symlinkSync(join(root, "scope1"), join(root, "linked"));
    expect(await findSkillDirs(root)).toEqual([join(root, "scope1", "a"), join(root, "scope2", "deeper", "b")]);
    expect(await findSkillDirs(join(root, "scope1", "a"))).toEqual([join(root, "scope1", "a")]);
    await expect(findSkillDirs(join(root, "missing"))).rejects.toThrow(/missing: no such folder$/);
  });
});
