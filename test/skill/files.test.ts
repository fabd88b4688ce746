import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRelativePath, DEFAULT_LIMITS, readSkillFiles } from "../../registry/core/skill/files.js";
import { skillSha256 } from "../../registry/core/skill/hash.js";
import { validateSkillDir } from "../../registry/core/skill/validate.js";
import { tempDir } from "../helpers/tmp.js";

const VALID_SKILL_MD = `---
name: demo
description: Shows the walker.
allowed-tools: Read
metadata:
  version: "1.0.0"
---

# Demo

## Guardrails

- Read only.
`;

/** A valid skill folder named `demo` in a fresh temp dir. */
function makeSkill(): string {
  const dir = join(tempDir(), "demo");
  mkdirSync(dir);
  writeFileSync(join(dir, "SKILL.md"), VALID_SKILL_MD);
  return dir;
}

const codes = (ps: { code: string }[]) => ps.map((p) => p.code);

describe("readSkillFiles", () => {
  it("returns regular files sorted by UTF-8 bytes, with sizes, modes and bytes", async () => {
    const dir = makeSkill();
    mkdirSync(join(dir, "scripts"));
    writeFileSync(join(dir, "scripts", "run.sh"), "#!/bin/sh\necho hi\n");
    chmodSync(join(dir, "scripts", "run.sh"), 0o755);
    writeFileSync(join(dir, "Z.md"), "z");
    writeFileSync(join(dir, "é.md"), "e");
    const { files, problems } = await readSkillFiles(dir);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.path)).toEqual(["SKILL.md", "Z.md", "scripts/run.sh", "é.md"]);
    const script = files.find((f) => f.path === "scripts/run.sh")!;
    expect(script).toMatchObject({ size: 18, executable: true, mode: 0o755 });
    expect(Buffer.from(script.bytes).toString()).toBe("#!/bin/sh\necho hi\n");
    expect(files.find((f) => f.path === "Z.md")!.executable).toBe(false);
  });

  it("reports a symlink and never follows it, to a file or to a folder", async () => {
    const dir = makeSkill();
    symlinkSync("/etc/passwd", join(dir, "passwd"));
    symlinkSync("/etc", join(dir, "etc"));
    const { files, problems } = await readSkillFiles(dir);
    expect(files.map((f) => f.path)).toEqual(["SKILL.md"]);
    expect(problems).toEqual([
      { file: join(dir, "etc"), code: "symlink", message: expect.stringMatching(/^is a symbolic link; the registry never follows links/) },
      { file: join(dir, "passwd"), code: "symlink", message: expect.stringMatching(/^is a symbolic link/) },
    ]);
  });

  it("reports a skill folder that is itself a symlink", async () => {
    const dir = makeSkill();
    const link = join(dir, "..", "link");
    symlinkSync(dir, link);
    const report = await validateSkillDir(link, { expectedName: "demo" });
    expect(report.valid).toBe(false);
    expect(codes(report.errors)).toEqual(["symlink"]);
  });

  it("reports FIFOs, sockets and devices without opening them", async () => {
    const dir = makeSkill();
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const server = createServer();
    await new Promise<void>((ok) => server.listen(join(dir, "sock"), ok));
    let device = false;
    try {
      execFileSync("mknod", [join(dir, "null"), "c", "1", "3"], { stdio: "ignore" });
      device = true;
    } catch {
      // mknod needs privileges some machines lack; the FIFO and socket still run the same check.
    }
    try {
      const { problems } = await readSkillFiles(dir);
      const byName = Object.fromEntries(problems.map((p) => [p.file.slice(dir.length + 1), p]));
      expect(byName.pipe).toMatchObject({ code: "special-file", message: expect.stringMatching(/^is a named pipe \(FIFO\), not a regular file; .* remove it$/) });
      expect(byName.sock).toMatchObject({ code: "special-file", message: expect.stringMatching(/^is a socket/) });
      if (device) expect(byName.null).toMatchObject({ code: "special-file", message: expect.stringMatching(/^is a character device/) });
      expect(problems).toHaveLength(device ? 3 : 2);
    } finally {
      server.close();
    }
  });

  it("refuses a file over the per-file cap without reading it", async () => {
    const dir = makeSkill();
    // A sparse 100 MB file: reading it into memory would show up; the walker only stats it.
    writeFileSync(join(dir, "huge.bin"), "");
    truncateSync(join(dir, "huge.bin"), 100 * 1024 * 1024);
    const { files, problems } = await readSkillFiles(dir);
    expect(files.map((f) => f.path)).toEqual(["SKILL.md"]);
    expect(problems).toEqual([
      { file: join(dir, "huge.bin"), code: "file-too-large", message: "is 100 MiB, over the registry limit of 1 MiB a file (limits.maxFileBytes in skillreg.yaml); shrink it or leave it out of the skill" },
    ]);
  });

  it("stops at the per-skill total and at the file count, with limits from the caller", async () => {
    const dir = makeSkill();
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `part${n}.txt`), "x".repeat(400));
    const total = await readSkillFiles(dir, { ...DEFAULT_LIMITS, maxSkillBytes: 1000 });
    expect(codes(total.problems)).toEqual(["skill-too-large"]);
    expect(total.problems[0]!.message).toMatch(/^holds more than 1000 bytes, the registry limit a skill \(limits\.maxSkillBytes/);
    const count = await readSkillFiles(dir, { ...DEFAULT_LIMITS, maxFiles: 3 });
    expect(codes(count.problems)).toEqual(["too-many-files"]);
    expect(count.problems[0]).toMatchObject({ file: dir, message: expect.stringMatching(/^has more than 3 files; the registry limit is 3 a skill/) });
    expect(count.files).toHaveLength(3);
  });

  it("reports a .git folder, control characters, backslashes and non-UTF-8 names", async () => {
    const dir = makeSkill();
    mkdirSync(join(dir, ".git"));
    writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(dir, "tab\there.txt"), "t");
    writeFileSync(join(dir, "back\\slash.txt"), "b");
    writeFileSync(Buffer.concat([Buffer.from(dir + "/latin1-"), Buffer.from([0xe9]), Buffer.from(".txt")]), "l");
    const { files, problems } = await readSkillFiles(dir);
    expect(files.map((f) => f.path)).toEqual(["SKILL.md"]);
    expect(codes(problems).sort()).toEqual(["git-folder", "path-backslash", "path-control-character", "path-encoding"]);
    expect(problems.find((p) => p.code === "git-folder")!.message).toMatch(/a skill must not carry a Git repository, remove it$/);
  });

  it("never puts terminal escapes or bidi overrides from names and values into problems", async () => {
    const dir = makeSkill();
    writeFileSync(join(dir, "evil\u001b[2J.txt"), "x");
    writeFileSync(join(dir, "SKILL.md"), VALID_SKILL_MD.replace("name: demo", 'name: "demo\\e[31m"\nx\u202egnp.exe: 1'));
    const report = await validateSkillDir(dir);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/\u001b|\u202e/);
    expect(report.errors.map((p) => [p.code, p.file.slice(dir.length + 1), p.message])).toEqual([
      ["path-control-character", "evil\\x1b[2J.txt", "path 'evil\\x1b[2J.txt' contains a control character; rename the file"],
      ["name-format", "SKILL.md", "name 'demo\\x1b[31m' may contain only lowercase letters, digits and hyphens, e.g. 'demo-31m'"],
    ]);
    expect(report.warnings.map((p) => p.message)).toContain("unknown field 'x\\u202egnp.exe' is not part of the Agent Skills spec and agents ignore it; move custom data under metadata");
  });

  it("throws a one-line error for a missing folder or a file given as the skill", async () => {
    const dir = makeSkill();
    await expect(readSkillFiles(join(dir, "nope"))).rejects.toThrow(/nope: no such folder$/);
    await expect(readSkillFiles(join(dir, "SKILL.md"))).rejects.toThrow(/SKILL\.md: not a folder; a skill is a folder holding SKILL\.md$/);
  });
});

describe("checkRelativePath", () => {
  it.each([
    ["SKILL.md", undefined],
    ["scripts/run.sh", undefined],
    ["a/.gitignore", "git-file"],
    [".gitattributes", "git-file"],
    ["sub/.GitModules", "git-file"],
    ["a\nb.md", "path-control-character"],
    ["a\u001b[31mred.md", "path-control-character"],
    ["a\u0085b.md", "path-control-character"],
    [".GIT/config", "git-folder"],
    [".git./config", "git-folder"],
    [".git . ./config", "git-folder"],
    ["git~1/config", "git-folder"],
    ["GIT~1/config", "git-folder"],
    [".git\u200d/config", "path-invisible-character"],
    [".g\ufeffit/config", "path-invisible-character"],
    ["notes\u202etxt.sh", "path-invisible-character"],
    ["notes.", "path-trailing-dot"],
    ["notes ", "path-trailing-dot"],
    ["notes.md:hidden", "path-windows-character"],
    ["what?.md", "path-windows-character"],
    ["scripts/CON.txt", "path-windows-device"],
    ["nul", "path-windows-device"],
    ["console.md", undefined],
    [".gitkeep", undefined],
    ["git~x", undefined],
    ["", "path-empty"],
    ["/etc/passwd", "path-absolute"],
    ["C:/Windows", "path-absolute"],
    ["../outside", "path-dotdot"],
    ["a/../../b", "path-dotdot"],
    ["a//b", "path-not-normal"],
    ["./a", "path-not-normal"],
    ["a/", "path-not-normal"],
    [".git/config", "git-folder"],
    ["sub/.GIT/hooks/pre-commit", "git-folder"],
    ["a\\b", "path-backslash"],
    ["a\nb", "path-control-character"],
    ["x".repeat(256), "path-too-long"],
  ])("%j -> %s", (path, code) => {
    expect(checkRelativePath(path)?.code).toBe(code);
  });
});

describe("skillSha256", () => {
  it("equals sha256sum over the sha256sum manifest of the folder, in byte order", async () => {
    const dir = makeSkill();
    mkdirSync(join(dir, "scripts"));
    writeFileSync(join(dir, "scripts", "a b.sh"), "echo 1\n");
    writeFileSync(join(dir, "Zeta.txt"), "z\n");
    writeFileSync(join(dir, "émoji-☃.txt"), "snow\n");
    const { files } = await readSkillFiles(dir);
    const expected = execFileSync("sh", ["-c", "find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum"], { cwd: dir })
      .toString()
      .split(" ")[0];
    expect(skillSha256(files)).toBe(expected);
    expect(skillSha256([...files].reverse())).toBe(expected);
  });

  it("refuses paths that would make the manifest ambiguous", () => {
    const bytes = new Uint8Array();
    expect(() => skillSha256([{ path: "a\nb", bytes }])).toThrow(/control character/);
    expect(() => skillSha256([{ path: "a", bytes }, { path: "a", bytes }])).toThrow(/appears twice/);
  });
});
