/**
 * How `skillreg build` hands the catalog's content to the content loader
 * (src/content.config.ts) inside one process. Astro loads the content config through its own
 * Vite module graph, so the loader gets a fresh copy of every module it imports; a global
 * slot (Symbol.for, one per process) is the one place both copies see. One build at a time
 * holds it: renderCatalog (index.mjs) queues builds.
 */
const SLOT = Symbol.for("@skillreg/site:catalog");

/**
 * The content entries of a view model (SiteData): `catalog` holds one entry, `site`, with what
 * every page shows (registry, counts, scopes, recent, audit). `skills` and `versions` hold one
 * entry per page: what its route needs as data, and the page's view model as the entry's
 * body, in JSON, which the page parses when it renders. As one string per page, 10,000
 * skills cost a fraction of the memory they cost as objects, each page's objects live only
 * while it renders, and the caller's view model can be collected while Astro renders. The
 * bodies stay here, out of Astro's content store (src/data.ts says why).
 */
export function catalogEntries({ skills, versions, ...site }) {
  return {
    catalog: [{ id: "site", data: { ...site, rendered: { skills: skills.length, versions: versions.length } } }],
    skills: skills.map((s) => ({ id: `${s.scope}/${s.name}`, data: { scope: s.scope, name: s.name }, body: JSON.stringify(s) })),
    versions: versions.map((v) => ({
      id: `${v.scope}/${v.name}/${v.summary.version}`,
      data: { scope: v.scope, name: v.name, version: v.summary.version, files: v.contents.map((f) => f.path) },
      body: JSON.stringify(v),
    })),
  };
}

/** Set (or, with undefined, clear) the entries (catalogEntries) the next loader run reads. */
export function handOver(entries) {
  globalThis[SLOT] = entries;
}

/** The entries of the build under way, by collection; fails when none were handed over. */
export function takeOver() {
  const entries = globalThis[SLOT];
  if (entries === undefined) throw new Error("no catalog was handed over: build the site with `skillreg build`");
  return entries;
}
