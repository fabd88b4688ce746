/**
 * @skillreg/site: the hand-off point for `skillreg build`. The registry decides the catalog's
 * data; this package renders it with Astro and indexes it for search. Only this package
 * depends on Astro and Pagefind, so a user who only pulls skills never installs them.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export { pagePaths } from "./paths.mjs";

/** The script that runs one Astro build of the catalog in its own process. */
export const astroBuildScript = fileURLToPath(new URL("./build.mjs", import.meta.url));

/** The folder of this package: what a page renders with (its fingerprint decides cache reuse). */
export const packageDir = fileURLToPath(new URL(".", import.meta.url));

/**
 * Index one record per skill (its page URL, name and description, given by the build) with
 * Pagefind's Node API. Records rather than the rendered pages: parsing tens of thousands of
 * HTML files was most of a large build, and a name/description index keeps the first query's
 * download small.
 * @param {string} outDir
 * @param {{ url: string, title: string, description: string, content: string }[]} records
 */
export async function indexForSearch(outDir, records) {
  const pagefind = await import("pagefind");
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(`pagefind could not start: ${errors.join("; ")}`);
    for (const r of records) {
      const added = await index.addCustomRecord({ url: r.url, content: r.content, language: "en", meta: { title: r.title, description: r.description } });
      if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join("; ")}`);
    }
    const written = await index.writeFiles({ outputPath: join(outDir, "pagefind") });
    if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join("; ")}`);
    return records.length;
  } finally {
    await pagefind.close();
  }
}
