/**
 * Builds the published CLI: one ESM bundle of cli/ and registry/ with the commands split into
 * lazily loaded chunks. Bundling the root package's dependencies (git, GitHub, schemas) means
 * an install of `skillreg` brings two packages (itself and @skillreg/scanner) instead of a
 * hundred, and the CLI starts by reading a few files instead of hundreds of modules.
 * @skillreg/scanner stays a real dependency (its own audience), and @skillreg/site is loaded
 * only by `build`/`serve` when installed.
 */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });

// The validators the client parses its files with, compiled now rather than on every run
// (scripts/precompile-schemas.ts), stand in for registry/core/precompiled-validators.ts.
await build({ entryPoints: ["scripts/precompile-schemas.ts"], outfile: "dist/precompile-schemas.mjs", bundle: true, format: "esm", platform: "node", target: "node20", packages: "external", logLevel: "warning" });
const precompiled = (await import(pathToFileURL(resolve("dist/precompile-schemas.mjs")).href)).precompiledValidatorsModule();
rmSync("dist/precompile-schemas.mjs");
const precompiledPlugin = {
  name: "precompiled-validators",
  setup(b) {
    b.onLoad({ filter: /registry[\\/]core[\\/]precompiled-validators\.ts$/ }, () => ({ contents: precompiled, loader: "js", resolveDir: resolve("registry/core") }));
  },
};

await build({
  entryPoints: { "cli/main": "cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@skillreg/scanner", "@skillreg/site"],
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __skillregRequire } from 'node:module'; const require = __skillregRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "linked",
  plugins: [precompiledPlugin],
});
