import { getCollection, getEntry } from "astro:content";
import { takeOver } from "../handoff.mjs";
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
 * Each build's pages come in a bundle Node imports and never unloads (a large catalog is
 * rendered by several builds in one process), so what this module keeps at its top level is
 * kept until the process ends. The entries read for a build are kept with the entries handed
 * over for it instead, and go when the build clears them. Two page routes read the versions:
 * one read serves both.
 */
const reads = new WeakMap<object, { skills?: Promise<SkillEntry[]>; versions?: Promise<VersionEntry[]> }>();

function readsOfThisBuild() {
  const handedOver = takeOver() as object;
  let cached = reads.get(handedOver);
  if (!cached) reads.set(handedOver, (cached = {}));
  return cached;
}

/**
 * A collection's entries with each page's view model: the content store holds what the route
 * needs (content.config.ts), the hand-over the bodies, which the store would keep in the bundle.
 */
async function withBodies(name: "skills" | "versions") {
  const bodies = new Map((takeOver() as Record<typeof name, { id: string; body: string }[]>)[name].map((e) => [e.id, e.body]));
  return (await getCollection(name)).map((e) => ({ ...e.data, body: bodies.get(e.id)! }));
}

/** The skill pages to render in this build. Astro warns about reading an empty collection; the catalog entry says whether one is. */
export function skillEntries(): Promise<SkillEntry[]> {
  const cached = readsOfThisBuild();
  cached.skills ??= site.rendered.skills === 0 ? Promise.resolve([]) : (withBodies("skills") as Promise<SkillEntry[]>);
  return cached.skills;
}

/** The version pages (and their file pages) to render in this build. */
export function versionEntries(): Promise<VersionEntry[]> {
  const cached = readsOfThisBuild();
  cached.versions ??= site.rendered.versions === 0 ? Promise.resolve([]) : (withBodies("versions") as Promise<VersionEntry[]>);
  return cached.versions;
}

/** The view model of one page, from its entry's body. */
export function pageOf<T extends SkillPage | VersionPage>(body: string): T {
  return JSON.parse(body) as T;
}
