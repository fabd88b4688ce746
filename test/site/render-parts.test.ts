import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pagePaths } from "@skillreg/site/paths";
import { buildIndexModel } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { buildSiteData, type SiteData } from "../../registry/site-build/catalog.js";
import { loadScanner } from "../../registry/core/scanner.js";
import { tempDir } from "../helpers/tmp.js";
import { makeSiteRegistry } from "./site-registry.js";

/**
 * A large catalog is rendered in parts of a few skills each (site/index.mjs SKILLS_PER_PART):
 * the first by an Astro build, the others by the server bundle it kept, so Astro's memory
 * follows the part, not the registry. The pages must not depend on how the skills were cut:
 * one skill per part writes what one Astro build of them all writes.
 */

type SitePackage = { renderCatalog(build: { data: SiteData; workDir: string; outDir: string; siteUrl?: string; skillsPerPart?: number }): Promise<void> };

function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

describe("renderCatalog in parts", () => {
  const root = tempDir();
  let data: SiteData;
  let site: SitePackage;

  beforeAll(async () => {
    await loadScanner();
    site = (await import("@skillreg/site" as string)) as SitePackage;
    const { dir } = await makeSiteRegistry(root);
    const facts = await readRegistryFacts(dir);
    const siteUrl = "https://skills.acme.example/";
    const model = buildIndexModel(facts, { audience: "internal", siteUrl });
    data = buildSiteData(model, [], { audience: "internal", siteUrl, commit: facts.commit, pagePaths });
  }, 240_000);

  it("writes the same pages, byte for byte, with one skill per part as with one Astro build", async () => {
    expect(new Set(data.skills.map((s) => s.scope)).size).toBeGreaterThan(1);
    await site.renderCatalog({ data, workDir: join(root, "whole-work"), outDir: join(root, "whole"), siteUrl: "https://skills.acme.example/", skillsPerPart: Infinity });
    await site.renderCatalog({ data, workDir: join(root, "parts-work"), outDir: join(root, "parts"), siteUrl: "https://skills.acme.example/", skillsPerPart: 1 });
    const whole = readTree(join(root, "whole"));
    const parts = readTree(join(root, "parts"));
    expect([...parts.keys()].sort()).toEqual([...whole.keys()].sort());
    expect([...whole].filter(([path, bytes]) => !parts.get(path)!.equals(bytes)).map(([path]) => path)).toEqual([]);
    // Every skill's page is there, from whichever part rendered it.
    for (const s of data.skills) expect(whole.has(`skills/${s.scope}/${s.name}.html`)).toBe(true);
  }, 600_000);
});
