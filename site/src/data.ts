import { getCollection, getEntry } from "astro:content";
import type { SiteData, SkillPage, VersionPage } from "../../registry/site-build/index.js";

/** What every page may show, from the content loader's `catalog` collection (content.config.ts). */
type Catalog = Omit<SiteData, "skills" | "versions"> & { rendered: { skills: number; versions: number } };

const entry = await getEntry("catalog", "site");
if (!entry) throw new Error("the catalog collection is empty: build the site with `skillreg build`");
export const site = entry.data as Catalog;

// Astro warns about reading an empty collection; the catalog entry says whether one is.
/** The skill pages to render in this build. */
export async function skillPages(): Promise<SkillPage[]> {
  return site.rendered.skills === 0 ? [] : (await getCollection("skills")).map((e) => e.data as SkillPage);
}

/** The version pages (and their file pages) to render in this build. */
export async function versionPages(): Promise<VersionPage[]> {
  return site.rendered.versions === 0 ? [] : (await getCollection("versions")).map((e) => e.data as VersionPage);
}
