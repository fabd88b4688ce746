import { getCollection, getEntry } from "astro:content";
import type { SiteData, SkillPage, VersionPage } from "../../registry/site-build/index.js";

/** What every page may show, from the content loader's `catalog` collection (content.config.ts). */
type Catalog = Omit<SiteData, "skills" | "versions"> & { rendered: { skills: number; versions: number } };

const entry = await getEntry("catalog", "site");
if (!entry) throw new Error("the catalog collection is empty: build the site with `skillreg build`");
export const site = entry.data as Catalog;

// Astro warns about reading an empty collection; the catalog entry says whether one is. Each
// getCollection copies every entry, and two page routes read the versions: one copy each.
let skills: Promise<SkillPage[]> | undefined;
let versions: Promise<VersionPage[]> | undefined;

/** The skill pages to render in this build. */
export function skillPages(): Promise<SkillPage[]> {
  skills ??= site.rendered.skills === 0 ? Promise.resolve([]) : getCollection("skills").then((entries) => entries.map((e) => e.data as SkillPage));
  return skills;
}

/** The version pages (and their file pages) to render in this build. */
export function versionPages(): Promise<VersionPage[]> {
  versions ??= site.rendered.versions === 0 ? Promise.resolve([]) : getCollection("versions").then((entries) => entries.map((e) => e.data as VersionPage));
  return versions;
}
