import { defineCollection } from "astro:content";
import type { SiteData } from "../../registry/site-build/index.js";
import { takeOver } from "../handoff.mjs";

/**
 * The catalog's content: one loader over the view model `skillreg build` decided (handed over
 * in memory, see handoff.mjs). `catalog` holds one entry, `site`, with what every page shows
 * (registry, counts, scopes, recent, audit). `skills` and `versions` hold one entry per page:
 * what its route needs as data, and the page's view model as the entry's body, in JSON, which
 * the page parses when it renders. Astro keeps every entry of the build in memory, copies an
 * entry's data on every read, and writes the store to disk: as one string per page, 10,000
 * skills cost a tenth of the memory they cost as objects, and each page's objects live only
 * while it renders. The build hands over only the skills and versions whose pages it renders
 * this time (the others come from its page cache), so these collections can be empty.
 */
type Entry = { id: string; data: Record<string, unknown>; body?: string };

function fromCatalog(name: string, entries: (data: SiteData) => Entry[]) {
  return defineCollection({
    loader: {
      name: `skillreg-${name}`,
      load: async ({ store }) => {
        store.clear();
        for (const entry of entries(takeOver() as SiteData)) store.set(entry);
      },
    },
  });
}

export const collections = {
  catalog: fromCatalog("catalog", ({ skills, versions, ...site }) => [{ id: "site", data: { ...site, rendered: { skills: skills.length, versions: versions.length } } }]),
  skills: fromCatalog("skills", (data) => data.skills.map((s) => ({ id: `${s.scope}/${s.name}`, data: { scope: s.scope, name: s.name }, body: JSON.stringify(s) }))),
  versions: fromCatalog("versions", (data) =>
    data.versions.map((v) => ({
      id: `${v.scope}/${v.name}/${v.summary.version}`,
      data: { scope: v.scope, name: v.name, version: v.summary.version, files: v.contents.map((f) => f.path) },
      body: JSON.stringify(v),
    })),
  ),
};
