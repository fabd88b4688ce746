import { getCollection, getEntry } from "astro:content";
import type { SiteData, SkillPage, VersionPage } from "../../registry/site-build/index.js";

/** What every page may show, from the content loader's `catalog` collection (content.config.ts). */
type Catalog = Omit<SiteData, "skills" | "versions"> & { rendered: { skills: number; versions: number } };

const entry = await getEntry("catalog", "site");
if (!entry) throw new Error("the catalog collection is empty: build the site with `skillreg build`");
export const site = entry.data as Catalog;

/** A skill page to render: its route, and its view model (SkillPage) as JSON (see content.config.ts). */
export interface SkillEntry {
  scope: string;
  name: string;
  body: string;
}

/** A version page to render: its route, the paths of its file pages, and its view model (VersionPage) as JSON. */
export interface VersionEntry {
  scope: string;
  name: string;
  version: string;
  files: string[];
  body: string;
}

// Astro warns about reading an empty collection; the catalog entry says whether one is. Two
// page routes read the versions: one read serves both.
let skills: Promise<SkillEntry[]> | undefined;
let versions: Promise<VersionEntry[]> | undefined;

/** The skill pages to render in this build. */
export function skillEntries(): Promise<SkillEntry[]> {
  skills ??= site.rendered.skills === 0 ? Promise.resolve([]) : getCollection("skills").then((entries) => entries.map((e) => ({ ...(e.data as Omit<SkillEntry, "body">), body: e.body! })));
  return skills;
}

/** The version pages (and their file pages) to render in this build. */
export function versionEntries(): Promise<VersionEntry[]> {
  versions ??= site.rendered.versions === 0 ? Promise.resolve([]) : getCollection("versions").then((entries) => entries.map((e) => ({ ...(e.data as Omit<VersionEntry, "body">), body: e.body! })));
  return versions;
}

/** The view model of one page, from its entry's body. */
export function pageOf<T extends SkillPage | VersionPage>(body: string): T {
  return JSON.parse(body) as T;
}
