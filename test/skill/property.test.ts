import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Problem } from "../../registry/core/skill/problem.js";
import { validateSkillDir, type SkillReport } from "../../registry/core/skill/validate.js";
import { tempDir } from "../helpers/tmp.js";

const dir = join(tempDir(), "prop-skill");
mkdirSync(dir);

/** Write SKILL.md and validate: must resolve (never throw) to a well-formed report. */
async function check(skillMd: Uint8Array | string): Promise<SkillReport> {
  writeFileSync(join(dir, "SKILL.md"), skillMd);
  const report = await validateSkillDir(dir, { requireVersion: true });
  expect(report.valid).toBe(report.errors.length === 0);
  for (const p of [...report.errors, ...report.warnings]) expectClear(p);
  return report;
}

/** A problem a person can act on: a file, a rule id, one line of words, a real line number. */
function expectClear(p: Problem): void {
  expect(p.file).toBe(join(dir, "SKILL.md"));
  expect(p.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(p.message.length).toBeGreaterThan(10);
  expect(p.message).not.toContain("\n");
  if (p.line !== undefined) expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
}

const frontmatter = (yaml: string) => `---\n${yaml}\n---\n\n# Body\n`;
const yamlSoup = fc.string({ unit: fc.constantFrom(..."ab:- \n\t'\"[]{}&*!|>#%@`,?~0.\\\r\u00e9\u0000"), maxLength: 120 });
const fieldValue = fc.oneof(fc.anything({ maxDepth: 2 }), fc.string(), fc.constantFrom("prop-skill", "1.0.0", "", "-x-"));

describe("SKILL.md from arbitrary input never crashes validation", () => {
  it("arbitrary bytes, bare or inside frontmatter markers", async () => {
    const bytes = fc.uint8Array({ maxLength: 400 });
    const framed = bytes.map((b) => Buffer.concat([Buffer.from("---\n"), b, Buffer.from("\n---\n")]));
    await fc.assert(fc.asyncProperty(fc.oneof(bytes, framed), async (b) => void (await check(b))), { numRuns: 300 });
  });

  it("arbitrary YAML text as frontmatter", async () => {
    await fc.assert(fc.asyncProperty(yamlSoup, async (y) => void (await check(frontmatter(y)))), { numRuns: 300 });
  });

  it("arbitrary values in the spec's fields, written as YAML", async () => {
    const fields = fc.record(
      { name: fieldValue, description: fieldValue, license: fieldValue, metadata: fieldValue, "allowed-tools": fieldValue, hooks: fieldValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fields, fc.anything()), async (value) => {
        const report = await check(frontmatter(stringify(value)));
        if (report.valid) expect(report.name).toBe("prop-skill");
      }),
      { numRuns: 300 },
    );
  });
});
