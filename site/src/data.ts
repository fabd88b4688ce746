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

/**
 * How many skills and versions this render hands over. Read at each call, not kept: one
 * imported bundle renders a large catalog part after part (index.mjs), each part with its own
 * entries, so nothing here may hold one part's entries for the next. Astro warns about
 * reading an empty collection; these counts say whether one is.
 */
async function rendered(): Promise<Catalog["rendered"]> {
  return ((await getEntry("catalog", "site"))!.data as Catalog).rendered;
}

/** The skill pages to render in this build (or part). */
export async function skillEntries(): Promise<SkillEntry[]> {
  if ((await rendered()).skills === 0) return [];
  return (await getCollection("skills")).map((e) => ({ ...(e.data as Omit<SkillEntry, "body">), body: e.body! }));
}

/** The version pages (and their file pages) to render in this build (or part). */
export async function versionEntries(): Promise<VersionEntry[]> {
  if ((await rendered()).versions === 0) return [];
  return (await getCollection("versions")).map((e) => ({ ...(e.data as Omit<VersionEntry, "body">), body: e.body! }));
}

/** The view model of one page, from its entry's body. */
export function pageOf<T extends SkillPage | VersionPage>(body: string): T {
  return JSON.parse(body) as T;
}
