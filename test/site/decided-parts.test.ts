import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CatalogSkill } from "../../registry/index/build.js";
import { DecidedParts } from "../../registry/site-build/decided-parts.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * The build keeps decided skills (with their file bytes) until their pages are made. Past a
 * bound, parts wait on disk: what is held must not grow with the registry, and what comes back
 * must be what went in (the pages are made from it), shared objects and bytes included.
 */

/** A decided skill of two versions, the second its latest (one object, as the index decides it). */
function decided(i: number): CatalogSkill {
  const version = (v: string) => ({ entry: { version: v }, facts: { files: [{ path: "SKILL.md", bytes: new TextEncoder().encode(`skill ${i} ${v}`) }] }, findings: [] });
  const versions = [version("1.0.0"), version("1.1.0")];
  return { entry: { scope: "acme", name: `skill-${i}` }, versions, latest: versions[1] } as unknown as CatalogSkill;
}

function fill(dir: string, count: number): { parts: DecidedParts; added: CatalogSkill[] } {
  const parts = new DecidedParts(dir, 2, 3);
  const added = Array.from({ length: count }, (_, i) => decided(i));
  for (const skill of added) parts.add(skill);
  return { parts, added };
}

describe("decided skills kept in parts", () => {
  it("holds as many skills with 20 decided as with 200: the rest wait on disk", () => {
    const root = tempDir();
    const small = fill(join(root, "small"), 20).parts;
    const large = fill(join(root, "large"), 200).parts;
    expect(large.count).toBe(200);
    expect(large.mostHeld).toBe(small.mostHeld);
    // The bound (3) plus the part being filled (2).
    expect(large.mostHeld).toBeLessThanOrEqual(5);
    expect(readdirSync(join(root, "large")).length).toBeGreaterThan(readdirSync(join(root, "small")).length);
  });

  it("hands the skills back in order, a part at a time, as they went in, and deletes each part's file", () => {
    const dir = join(tempDir(), "parts");
    const { parts, added } = fill(dir, 11);
    const back: CatalogSkill[] = [];
    for (const part of parts.drain()) {
      expect(part.length).toBeLessThanOrEqual(2);
      back.push(...part);
    }
    expect(back).toEqual(added);
    // Read back from disk, the latest version is still one of the versions, not a copy.
    for (const skill of back) expect(skill.latest).toBe(skill.versions[1]);
    expect(Buffer.from(back[10]!.latest.facts.files[0]!.bytes).toString()).toBe("skill 10 1.1.0");
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it("keeps everything in memory and writes nothing under the bound", () => {
    const dir = join(tempDir(), "parts");
    const { parts, added } = fill(dir, 3);
    expect(existsSync(dir)).toBe(false);
    expect([...parts.drain()].flat()).toEqual(added);
  });
});
