/**
 * Runs one Astro build of the catalog in its own process (spawned by registry/site-build.ts).
 * Astro keeps global state and places its server bundle relative to process.cwd(), so each
 * build gets a fresh process whose cwd is the build's scratch folder.
 *
 * argv: <outDir> <cacheDir> <resultFile> [site]  env: SKILLREG_SITE_DATA=<catalog JSON file>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
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

// Astro and its Vite each keep an esbuild service process. Stop them, and stay until they are
// gone so that this process reaps them (an orphan would linger as a zombie in a container).
const fromAstro = createRequire(fileURLToPath(import.meta.resolve("astro")));
for (const esbuild of new Set([fromAstro.resolve("esbuild"), createRequire(fromAstro.resolve("vite")).resolve("esbuild")])) {
  await (await import(pathToFileURL(esbuild).href)).stop();
}
const children = () => {
  try {
    return readFileSync(`/proc/self/task/${process.pid}/children`, "utf8").trim();
  } catch {
    return ""; // not Linux: nothing to wait for that we can see
  }
};
for (let waited = 0; children() !== "" && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
