import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { git } from "../../registry/git/cli.js";
import { findSkillDirs, loadSkill, validateSkillDir } from "../../registry/core/skill/validate.js";
import { tempDir } from "../helpers/tmp.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/skills", import.meta.url));
const script = (scope: string, name: string, file: string) => join(EXAMPLES, scope, name, "scripts", file);

describe("example skills", () => {
  it("are laid out as <scope>/<name> in two scopes", async () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(["acme-corp", "alice"]);
    const dirs = await findSkillDirs(EXAMPLES);
    expect(dirs.map((d) => d.slice(EXAMPLES.length + 1))).toEqual([
      "acme-corp/changelog-writer",
      "acme-corp/deploy-checklist",
      "acme-corp/incident-postmortem",
      "acme-corp/nightly-db-backup",
      "alice/commit-message",
      "alice/dev-setup",
      "alice/pdf-text-extract",
    ]);
  });

  it("each validates for publishing with no warnings, declaring allowed-tools and Guardrails", async () => {
    for (const dir of await findSkillDirs(EXAMPLES)) {
      const report = await validateSkillDir(dir, { requireVersion: true });
      expect({ dir, errors: report.errors, warnings: report.warnings }).toEqual({ dir, errors: [], warnings: [] });
      const skill = await loadSkill(dir);
      expect(skill.frontmatter["allowed-tools"]).toBeTruthy();
      expect(skill.body).toMatch(/^## Guardrails$/m);
    }
  });
});

describe("example scripts do what their SKILL.md says", () => {
  it("commit-message: check_message.py accepts a good message and names each problem of a bad one", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "good"), "fix(api): reject empty names\n\nEmpty names crashed the exporter.\n");
    writeFileSync(join(dir, "bad"), "Fixed the thing.\nmore text\n");
    const lint = (file: string) => spawnSync("python3", [script("alice", "commit-message", "check_message.py"), join(dir, file)], { encoding: "utf8" });
    expect(lint("good")).toMatchObject({ status: 0, stdout: "" });
    const bad = lint("bad");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe(
      "line 1: subject must look like 'type(scope): summary', e.g. 'fix(api): reject empty names'\nline 2: leave line 2 empty between the subject and the body\n",
    );
  });

  it("pdf-text-extract: refuses to write outside the current folder or over a file, before reading the PDF", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "doc.pdf"), "%PDF-1.4\n");
    writeFileSync(join(dir, "taken.txt"), "keep me");
    const extract = (...args: string[]) =>
      spawnSync("python3", [script("alice", "pdf-text-extract", "extract.py"), "doc.pdf", ...args], { cwd: dir, encoding: "utf8" });
    const outside = extract("--output", "../escape.txt");
    expect(outside.status).toBe(2);
    expect(outside.stderr).toBe("extract.py: --output '../escape.txt' is outside the current folder; write inside it\n");
    const taken = extract("--output", "taken.txt");
    expect(taken.status).toBe(2);
    expect(taken.stderr).toBe("extract.py: --output 'taken.txt' exists; add --force to replace it\n");
    expect(extract("--pages", "3-1").status).toBe(2);
  });

  it("changelog-writer: commits-since-tag.sh lists the commits after the last tag, breaking ones first", async () => {
    const repo = tempDir();
    await git(["init", "-q", "-b", "main"], { cwd: repo });
    const commit = (message: string) => git(["commit", "-q", "--allow-empty", "-m", message], { cwd: repo });
    await commit("chore: start");
    await git(["tag", "v1.0.0"], { cwd: repo });
    await commit("feat(export): add CSV export");
    await commit("fix: keep time zones");
    await commit("refactor!: drop the v1 API");
    const out = execFileSync("sh", [script("acme-corp", "changelog-writer", "commits-since-tag.sh")], { cwd: repo, encoding: "utf8" });
    const rows = out.trim().split("\n").map((l) => l.replace(/\t[0-9a-f]{7,}\t/, "\t<hash>\t"));
    expect(rows).toEqual(["since: v1.0.0", "breaking\t<hash>\trefactor!: drop the v1 API", "fix\t<hash>\tfix: keep time zones", "feat\t<hash>\tfeat(export): add CSV export"]);
  });
});
