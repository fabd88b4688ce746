import { describe, expect, it } from "vitest";
import { renameSkillMd } from "../../registry/core/index.js";

/** `pull --as` swaps SKILL.md's frontmatter name and nothing else; verify swaps it back. */

const swap = (text: string, from: string, to: string) => {
  const r = renameSkillMd(Buffer.from(text), from, to);
  return "problem" in r ? { problem: r.problem } : r.bytes.toString("utf8");
};

describe("renameSkillMd", () => {
  it("swaps the one token, keeping quotes, comments and line endings, and is its own inverse", () => {
    for (const text of [
      "---\nname: deploy\ndescription: d\n---\nname: deploy in the body stays\n",
      "---\r\nname: 'deploy'   # the folder name\r\ndescription: d\r\n---\r\n",
      '---\ndescription: "name: deploy"\nname: "deploy"\n---\n',
    ]) {
      const renamed = swap(text, "deploy", "acme-deploy");
      expect(typeof renamed).toBe("string");
      expect((renamed as string).length).toBe(text.length + "acme-".length);
      expect(swap(renamed as string, "acme-deploy", "deploy")).toBe(text);
    }
    expect(swap("---\nname: deploy\ndescription: d\n---\nname: deploy\n", "deploy", "x1")).toBe("---\nname: x1\ndescription: d\n---\nname: deploy\n");
  });

  it("refuses what it cannot swap exactly, or what would not read back as the name", () => {
    expect(swap("---\nname: other\ndescription: d\n---\n", "deploy", "x")).toEqual({ problem: "SKILL.md's frontmatter does not name the skill 'deploy'" });
    expect(swap("---\nname: >-\n  deploy\ndescription: d\n---\n", "deploy", "x")).toMatchObject({ problem: expect.stringContaining("only a plain 'name: deploy' line") });
    expect(swap("---\nname: deploy\ndescription: d\n---\n", "deploy", "true")).toMatchObject({ problem: expect.stringContaining("'name: true' does not read as a skill name in YAML") });
    expect(swap("---\nname: deploy\ndescription: d\n---\n", "deploy", "../x")).toMatchObject({ problem: expect.any(String) });
  });
});
