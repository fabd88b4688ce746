/**
 * Runs one Astro build of the catalog in its own process (spawned by registry/site-build.ts).
 * Astro keeps global state and places its server bundle relative to process.cwd(), so each
 * build gets a fresh process whose cwd is the build's scratch folder.
 *
 * argv: <outDir> <cacheDir> <resultFile> [site]  env: SKILLREG_SITE_DATA=<catalog JSON file>
 */
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "astro";

const [outDir, cacheDir, resultFile, site] = process.argv.slice(2);
const base = site ? new URL(site).pathname : "/";

// The package folder is only read: a global or read-only install must build. Astro writes its
// generated types (.astro/) under `root` and Vite its dependency cache under root/node_modules,
// so the root is the scratch folder (the cwd), and the pages, public files and config are
// named in the package. Astro's generated entry imports "astro/app" from the root, so the root
// gets a node_modules link to the folder Astro is installed in (caches go to cacheDir, not there).
const pkg = (path) => fileURLToPath(new URL(path, import.meta.url));
const astroEntry = fileURLToPath(import.meta.resolve("astro"));
symlinkSync(astroEntry.slice(0, astroEntry.lastIndexOf(`${sep}astro${sep}`)), join(process.cwd(), "node_modules"), "dir");
await build({
  root: process.cwd(),
  // Astro joins configFile to root, so it is given relative to it.
  configFile: relative(process.cwd(), pkg("./astro.config.mjs")),
  srcDir: pkg("./src/"),
  publicDir: pkg("./public/"),
  outDir,
  cacheDir,
  vite: { cacheDir: `${cacheDir}/vite` },
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
