import { defineConfig } from "astro/config";

// The catalog is plain static HTML: no client framework, no integrations, no remote assets.
// `skillreg build` (index.mjs renderCatalog) passes root, site, base, outDir and cacheDir per build.
export default defineConfig({
  output: "static",
  trailingSlash: "ignore",
  compressHTML: true,
  devToolbar: { enabled: false },
  // Pages as files (skills/acme/x.html), not folders with an index.html each: tens of thousands
  // fewer folders to create, which dominates the build's system time on large registries.
  // One small stylesheet file, cached across pages; no inline <style> (the pages' CSP forbids it).
  build: { format: "file", inlineStylesheets: "never" },
  // Bundling every dependency into the prerender chunks lets the build run from a scratch
  // folder outside the project. Only for the bundle: the content config is loaded before it by
  // Vite's module runner, which cannot run the CommonJS dependencies inlined.
  vite: {
    plugins: [{ name: "skillreg-bundle-dependencies", config: (_, env) => (env.command === "build" ? { ssr: { noExternal: true } } : undefined) }],
    logLevel: "warn",
  },
});
