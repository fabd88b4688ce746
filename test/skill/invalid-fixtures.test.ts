import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateSkillDir } from "../../registry/core/skill/validate.js";

const ROOT = fileURLToPath(new URL("../fixtures/skills/invalid", import.meta.url));

/**
 * One committed fixture per rule: test/fixtures/skills/invalid/<case>/<skill-folder>/.
 * Each must fail with exactly one error, with this rule id, line and message.
 * (Symlinks, special files, huge files and non-UTF-8 bytes are made at test time in files.test.ts.)
 */
const EXPECTED: Record<string, { code: string; line: number | undefined; message: RegExp }> = {
  "name-missing": { code: "name-missing", line: 2, message: /^missing required field 'name'; add `name: <skill-name>`/ },
  "name-uppercase": { code: "name-format", line: 2, message: /^name 'Name-Upper' has uppercase letters; use lowercase, e\.g\. 'name-upper'$/ },
  "name-leading-hyphen": { code: "name-format", line: 2, message: /^name '-leading' must not start or end with a hyphen, e\.g\. 'leading'$/ },
  "name-trailing-hyphen": { code: "name-format", line: 2, message: /^name 'trailing-' must not start or end with a hyphen/ },
  "name-double-hyphen": { code: "name-format", line: 2, message: /^name 'double--hyphen' must not contain two hyphens in a row, e\.g\. 'double-hyphen'$/ },
  "name-bad-characters": { code: "name-format", line: 2, message: /^name 'under_score' may contain only lowercase letters, digits and hyphens, e\.g\. 'under-score'$/ },
  "name-too-long": { code: "name-length", line: 2, message: /^name is 65 characters; the limit is 64/ },
  "name-not-text": { code: "name-type", line: 2, message: /^name must be text, found a number \(42\); put the value in quotes/ },
  "name-mismatch": { code: "name-mismatch", line: 2, message: /^name 'other-name' does not match the folder name 'folder-name'; rename the folder/ },
  "description-missing": { code: "description-missing", line: 2, message: /^missing required field 'description'; add `description:`/ },
  "description-empty": { code: "description-empty", line: 3, message: /^description is empty; say what the skill does/ },
  "description-too-long": { code: "description-length", line: 3, message: /^description is 1025 characters; the limit is 1024/ },
  "description-list": { code: "description-type", line: 4, message: /^description must be text, found a list; write it as one piece of text/ },
  "description-control": { code: "description-control", line: 3, message: /^description contains the control character U\+001B; descriptions are plain text/ },
  "description-unquoted-colon": { code: "yaml-block-as-implicit-key", line: 3, message: /^invalid YAML: .*; a value containing ': ' must be quoted/ },
  "license-empty": { code: "license-empty", line: 4, message: /^license is empty; name a license/ },
  "compatibility-too-long": { code: "compatibility-length", line: 4, message: /^compatibility is 501 characters; the limit is 500/ },
  "metadata-not-map": { code: "metadata-type", line: 5, message: /^metadata must be a map, found a list; write it as indented 'key: value' lines/ },
  "metadata-value-number": { code: "metadata-value-type", line: 5, message: /^metadata\.version must be text, found a number \(1\); put the value in quotes/ },
  "version-not-semver": { code: "version-format", line: 5, message: /^metadata\.version '1\.2' is not a semantic version; use MAJOR\.MINOR\.PATCH/ },
  "version-leading-v": { code: "version-format", line: 5, message: /^metadata\.version 'v1\.2\.3' is not a semantic version; write 1\.2\.3$/ },
  "version-missing": { code: "version-missing", line: 5, message: /^metadata\.version is missing; a registry skill needs a semantic version: add/ },
  "allowed-tools-map": { code: "allowed-tools-type", line: 5, message: /^allowed-tools must be a space-separated string of tool names \(or a list of them\), found a map/ },
  "frontmatter-missing": { code: "frontmatter-missing", line: 1, message: /^SKILL\.md must start with a '---' line/ },
  "frontmatter-unterminated": { code: "frontmatter-unterminated", line: 1, message: /never closed; add a '---' line after the last field$/ },
  "frontmatter-empty": { code: "frontmatter-empty", line: 1, message: /^the frontmatter is empty; add at least `name:` and `description:`/ },
  "frontmatter-list": { code: "frontmatter-not-map", line: 2, message: /^the frontmatter must be a map of fields, found a list; write one 'field: value' per line/ },
  "duplicate-key": { code: "yaml-duplicate-key", line: 4, message: /^invalid YAML: Map keys must be unique; remove one of the two$/ },
  "yaml-syntax": { code: "yaml-missing-char", line: 3, message: /^invalid YAML: Missing closing "quote/ },
  "yaml-bad-indent": { code: "yaml-bad-indent", line: 6, message: /^invalid YAML: All mapping items must start at the same column/ },
  "yaml-bomb": { code: "yaml-resource-limit", line: 1, message: /^invalid YAML: Excessive alias count.*write the values out instead$/ },
  "skill-md-bom": { code: "skill-md-bom", line: 1, message: /^SKILL\.md starts with a byte order mark \(BOM\); save it as UTF-8 without BOM/ },
  "skill-md-missing": { code: "skill-md-missing", line: undefined, message: /^missing; every skill needs a SKILL\.md \(run 'skillreg new <name>'/ },
  "skill-md-lowercase": { code: "skill-md-missing", line: undefined, message: /^missing; rename skill\.md to SKILL\.md/ },
};

describe("invalid skill fixtures, one per rule", () => {
  it("covers every committed fixture and at least 25 rules", () => {
    expect(readdirSync(ROOT).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(new Set(Object.values(EXPECTED).map((e) => e.code)).size).toBeGreaterThanOrEqual(25);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.code}`, async () => {
      const [folder] = readdirSync(join(ROOT, name));
      const dir = join(ROOT, name, folder!);
      const report = await validateSkillDir(dir, { requireVersion: true });
      expect(report.valid).toBe(false);
      expect(report.errors).toHaveLength(1);
      const [error] = report.errors;
      expect(error).toMatchObject({ code: expected.code, file: join(dir, "SKILL.md") });
      expect(error!.line).toBe(expected.line);
      expect(error!.message).toMatch(expected.message);
    });
  }
});
