/**
 * @skillreg/site: the hand-off point for `skillreg build`. The registry decides the catalog's
 * data; this package renders it with Astro and indexes it for search. Only this package
 * depends on Astro, so a user who only pulls skills never installs them.
 */
import { fileURLToPath } from "node:url";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { searchIndexFiles } from "./search-index.mjs";

export { pagePaths } from "./paths.mjs";

/** The script that runs one Astro build of the catalog in its own process. */
export const astroBuildScript = fileURLToPath(new URL("./build.mjs", import.meta.url));

/** The folder of this package: what a page renders with (its fingerprint decides cache reuse). */
export const packageDir = fileURLToPath(new URL(".", import.meta.url));

/**
 * Index one record per skill (its page path, title and description, given by the build) for
 * the catalog's search box (search-index.mjs), under outDir/search/.
 * @param {string} outDir
 * @param {{ url: string, title: string, description: string }[]} records
 * @returns {Promise<number>} the records indexed
 */
export async function indexForSearch(outDir, records) {
  const files = searchIndexFiles(records);
  for (const dir of new Set([...files.keys()].map((path) => dirname(join(outDir, path))))) mkdirSync(dir, { recursive: true });
  for (const [path, text] of files) writeFileSync(join(outDir, path), text);
  return records.length;
}
