/**
 * How `skillreg build` hands the catalog's view model to the content loader
 * (src/content.config.ts) inside one process. Astro loads the content config through its own
 * Vite module graph, so the loader gets a fresh copy of every module it imports; a global
 * slot (Symbol.for, one per process) is the one place both copies see. One build at a time
 * holds it: renderCatalog (index.mjs) queues builds.
 */
const SLOT = Symbol.for("@skillreg/site:catalog");

/** Set (or, with undefined, clear) the view model the next loader run reads. */
export function handOver(data) {
  globalThis[SLOT] = data;
}

/** The view model of the build under way; fails when none was handed over. */
export function takeOver() {
  const data = globalThis[SLOT];
  if (data === undefined) throw new Error("no catalog was handed over: build the site with `skillreg build`");
  return data;
}
