import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pagePaths } from "@skillreg/site/paths";
import { buildIndexModel, type IndexModel } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { buildSiteData, siteDataInParts, type SiteData, type SiteOptions } from "../../registry/site-build/catalog.js";
import { loadScanner } from "../../registry/core/scanner.js";
import { tempDir } from "../helpers/tmp.js";
import { makeSiteRegistry } from "./site-registry.js";

/**
 * A large catalog is rendered in parts of a few skills each (site/index.mjs SKILLS_PER_PART):
 * the first by an Astro build, the others by the server bundle it kept, so Astro's memory
 * follows the part, not the registry. The pages must not depend on how the skills were cut:
 * one skill per part writes what one Astro build of them all writes.
 */

type SitePackage = {
  renderCatalog(build: { data: SiteData; parts?: Iterable<Pick<SiteData, "skills" | "versions">>; workDir: string; outDir: string; siteUrl?: string; skillsPerPart?: number }): Promise<void>;
};

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
  let model: IndexModel;
  let options: SiteOptions;
  let site: SitePackage;

  beforeAll(async () => {
    await loadScanner();
    site = (await import("@skillreg/site" as string)) as SitePackage;
    const { dir } = await makeSiteRegistry(root);
    const facts = await readRegistryFacts(dir);
    const siteUrl = "https://skills.acme.example/";
    model = buildIndexModel(facts, { audience: "internal", siteUrl });
    options = { audience: "internal", siteUrl, commit: facts.commit, pagePaths };
    data = buildSiteData(model, [], options);
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

  it("writes the same pages when the caller makes each part's view model only once the part before it is rendered", async () => {
    const whole = readTree(join(root, "whole"));
    const { site: siteWide, pagesOf } = siteDataInParts(model, [], options);
    const outDir = join(root, "streamed");
    const made: string[] = [];
    // skillreg build of a large registry: the view model of the next two skills is made only when asked for.
    function* parts() {
      for (let at = 0; at < model.skills.length; at += 2) {
        // The parts before this one are rendered (into outDir) already, whose view models are let go of.
        for (const key of made) expect(existsSync(join(outDir, "skills", `${key}.html`))).toBe(true);
        const part = pagesOf(model.skills.slice(at, at + 2));
        made.push(...part.skills.map((s) => `${s.scope}/${s.name}`));
        yield part;
      }
    }
    expect(siteWide.skills).toEqual([]);
    await site.renderCatalog({ data: siteWide, parts: parts(), workDir: join(root, "streamed-work"), outDir, siteUrl: "https://skills.acme.example/" });
    expect(made.length).toBe(model.skills.length);
    const streamed = readTree(outDir);
    expect([...streamed.keys()].sort()).toEqual([...whole.keys()].sort());
    expect([...whole].filter(([path, bytes]) => !streamed.get(path)!.equals(bytes)).map(([path]) => path)).toEqual([]);
  }, 600_000);
});
