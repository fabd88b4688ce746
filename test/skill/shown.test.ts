import { describe, expect, it } from "vitest";
import { parseSkillMd, skillMdShown } from "../../registry/core/index.js";

const md = (description: string) => Buffer.from(`---\nname: notes\ndescription: ${description}\nmetadata:\n  version: "1.0.0"\n---\n# Notes\n\nWrites notes.\n`);

describe("a published SKILL.md read by the index and the catalog", () => {
  it("gives parseSkillMd's frontmatter and body, parsing the same bytes once", () => {
    const bytes = md("Writes release notes");
    const shown = skillMdShown(bytes);
    const parsed = parseSkillMd(bytes, "SKILL.md");
    expect(shown).toEqual({ frontmatter: parsed.frontmatter, body: parsed.body });
    // The catalog's page reads the object the index's description was read from.
    expect(skillMdShown(bytes)).toBe(shown);
  });

  it("reads other bytes as what they say, even beside bytes parsed before", () => {
    const first = skillMdShown(md("Writes release notes"));
    const second = skillMdShown(md("Deletes release notes"));
    expect((first.frontmatter as { description: string }).description).toBe("Writes release notes");
    expect((second.frontmatter as { description: string }).description).toBe("Deletes release notes");
    const broken = skillMdShown(Buffer.from("# no frontmatter\n"));
    expect(broken).toEqual({ frontmatter: undefined, body: "# no frontmatter\n" });
  });
});
