/**
 * Runs one Astro build of the catalog in its own process (spawned by registry/site-build.ts).
 * Astro keeps global state and places its server bundle relative to process.cwd(), so each
 * build gets a fresh process whose cwd is the build's scratch folder.
 *
 * argv: <outDir> <cacheDir> <resultFile> [site]  env: SKILLREG_SITE_DATA=<catalog JSON file>
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "astro";

const [outDir, cacheDir, resultFile, site] = process.argv.slice(2);
const base = site ? new URL(site).pathname : "/";

await build({
  root: fileURLToPath(new URL(".", import.meta.url)),
  outDir,
  cacheDir,
  logLevel: "warn",
  ...(site ? { site } : {}),
  base,
});
writeFileSync(resultFile, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
