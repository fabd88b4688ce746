import { defineCollection } from "astro:content";
import type { SiteData } from "../../registry/site-build/index.js";
import { takeOver } from "../handoff.mjs";

/**
 * The catalog's content: one loader over the view model `skillreg build` decided (handed over
 * in memory, see handoff.mjs). `catalog` holds one entry, `site`, with what every page shows
 * (registry, counts, scopes, recent, audit); `skills` and `versions` hold one entry per page.
 * The build hands over only the skills and versions whose pages it renders this time (the
 * others come from its page cache), so these collections can be empty.
 */
function fromCatalog(name: string, entries: (data: SiteData) => [string, unknown][]) {
  return defineCollection({
    loader: {
      name: `skillreg-${name}`,
      load: async ({ store }) => {
        store.clear();
        for (const [id, data] of entries(takeOver() as SiteData)) store.set({ id, data: data as Record<string, unknown> });
      },
    },
  });
}

export const collections = {
  catalog: fromCatalog("catalog", ({ skills, versions, ...site }) => [["site", { ...site, rendered: { skills: skills.length, versions: versions.length } }]]),
  skills: fromCatalog("skills", (data) => data.skills.map((s) => [`${s.scope}/${s.name}`, s])),
  versions: fromCatalog("versions", (data) => data.versions.map((v) => [`${v.scope}/${v.name}/${v.summary.version}`, v])),
};
