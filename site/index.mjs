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

/** Index the skill pages (only those: version pages repeat them) with Pagefind's Node API. */
export async function indexForSearch(outDir) {
  const pagefind = await import("pagefind");
  try {
    const { index, errors } = await pagefind.createIndex({ rootSelector: "html" });
    if (!index) throw new Error(`pagefind could not start: ${errors.join("; ")}`);
    const added = await index.addDirectory({ path: outDir, glob: "skills/*/*.html" });
    if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join("; ")}`);
    const written = await index.writeFiles({ outputPath: join(outDir, "pagefind") });
    if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join("; ")}`);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}
