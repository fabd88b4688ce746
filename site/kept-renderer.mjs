/**
 * Rendering a few pages again without Astro's build. A full Astro build spends seconds
 * starting Vite and bundling every route however few pages it renders; a rebuild after one
 * skill changed renders the aggregate pages and that skill's pages only. So the full build
 * keeps what Astro bundled for its own page generation (the server bundle of every route, the
 * manifest Astro wrote beside it, the routes and the stylesheet), and a rebuild renders with
 * that bundle through Astro's own App (`astro/app`, the API adapters render with), page by page
 * as Astro's static generation does: the same components, the same head elements, the same
 * output file names, so the pages are byte for byte the full build's
 * (test/site/incremental-build.test.ts compares them).
 *
 * The kept bundle is code this process runs. It lives in the build's cache folder, which is
 * trusted as far as whoever can write it (on GitHub, only the registry's own workflows on its
 * default branch): the same folder already holds the pages the catalog serves. skillreg checks
 * renderer.json against its JSON Schema (registry/site-build/page-cache.ts) before using one.
 */
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const KEPT_FORMAT = "skillreg-kept-renderer/1";
/** Where the bundle's content module looks for the catalog before the data store file (index.mjs dataStoreReadAtRender). */
export const STORE_SLOT = Symbol.for("@skillreg/site:data-store");

/**
 * An Astro integration that copies the server bundle of the build into `dir` (a scratch
 * folder of the build) once the pages are generated (Astro deletes it right after), with the
 * routes Astro resolved, tagged with `renderer` (the fingerprint of the site package and
 * Astro) so another renderer's bundle is never used. `built` is the build's output folder.
 * The build renders the rest of a large catalog with this bundle (index.mjs), so a copy that
 * fails fails the build; saveKept puts it in the cache afterwards.
 * @param {{ dir: string, built: string, renderer: string }} keep
 */
export function keepRenderer({ dir, built, renderer }) {
  /** @type {unknown[]} */
  let routes = [];
  return {
    name: "skillreg-keep-renderer",
    hooks: {
      /** @param {{ routes: { type: string, origin: string, pattern: string, patternRegex: RegExp, entrypoint: string, params: string[], pathname?: string, segments: unknown[] }[] }} options */
      "astro:routes:resolved": ({ routes: resolved }) => {
        routes = resolved
          .filter((r) => r.type === "page" && r.origin === "project")
          .map((r) => ({ route: r.pattern, regex: r.patternRegex.source, component: r.entrypoint, params: r.params, pathname: r.pathname ?? null, segments: r.segments }));
      },
      "astro:build:generated": async () => {
        await mkdir(dir, { recursive: true });
        let manifest;
        for (const entry of await readdir(built)) {
          if (entry.startsWith("manifest_") && entry.endsWith(".mjs")) manifest = entry;
          if (entry.endsWith(".mjs") || entry === "chunks" || entry === "pages" || entry === "_astro") await cp(join(built, entry), join(dir, entry), { recursive: true });
        }
        if (manifest === undefined) throw new Error("Astro wrote no manifest beside its server bundle");
        await writeFile(join(dir, "renderer.json"), JSON.stringify({ format: KEPT_FORMAT, renderer, manifest, routes }));
      },
    },
  };
}

/**
 * Put the bundle keepRenderer kept in `from` into the cache folder `dir`, whole or not at all.
 * @param {string} from @param {string} dir
 */
export async function saveKept(from, dir) {
  const partial = `${dir}.partial`;
  try {
    await rm(partial, { recursive: true, force: true });
    await cp(from, partial, { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  } catch {
    // A cache folder that cannot be written (read-only, full disk) only costs the next rebuild an Astro build.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Render every page of `store` (the catalog's content, as Astro's data store holds it) with
 * the bundle kept in `rendererDir`, into `outDir`, with the stylesheet and the public files, as
 * Astro's build would have. `workDir`: an empty scratch folder.
 * @param {{ store: Map<string, Map<string, unknown>>, rendererDir: string, workDir: string, outDir: string, publicDir: string }} render
 */
export async function renderWithKept({ store, rendererDir, workDir, outDir, publicDir }) {
  const kept = await openKept({ rendererDir, workDir });
  const pages = await kept.render(store, outDir);
  await cp(publicDir, outDir, { recursive: true });
  await cp(join(rendererDir, "_astro"), join(outDir, "_astro"), { recursive: true });
  return pages;
}

/**
 * Load the bundle kept in `rendererDir` (a copy of it in `workDir`, an empty scratch folder) to
 * render stores with, one after another: `render(store, outDir, { skillsOnly })` writes the
 * pages of `store` (with skillsOnly, only the skill, version and file pages) into `outDir` and
 * returns how many. The bundle is imported once; each render hands it its store through one
 * Map the bundle's content module holds (emptied after the render, so no store outlives its
 * render), with a fresh App, whose route cache holds that store's pages.
 * @param {{ rendererDir: string, workDir: string }} open
 */
export async function openKept({ rendererDir, workDir }) {
  const kept = JSON.parse(await readFile(join(rendererDir, "renderer.json"), "utf8"));
  if (kept.format !== KEPT_FORMAT) throw new Error("the kept renderer is of another format");
  // A fresh copy per open: the bundle's modules read the registry's data once, when first
  // imported (src/data.ts, src/lib/format.ts), and a module is evaluated once per process and path.
  const bundle = join(workDir, "renderer");
  await cp(rendererDir, bundle, { recursive: true });
  const load = (/** @type {string} */ file) => import(pathToFileURL(join(bundle, file)).href);
  const { App } = await import("astro/app");
  const { manifest } = await load(kept.manifest);
  const { renderers } = await load("renderers.mjs");
  // Astro's manifest lists the routes of one path (with the head elements it computed for
  // them), not those that take parameters; every page shows the one stylesheet of the layout,
  // so those take the same, and anything else is refused.
  const styles = [...new Set(manifest.routes.filter((r) => r.routeData.type === "page" && r.routeData.component.endsWith(".astro")).map((r) => JSON.stringify(r.styles)))];
  if (styles.length !== 1) throw new Error("the kept renderer's pages do not share one stylesheet");
  /** @type {Map<string, () => Promise<unknown>>} */
  const pageMap = new Map();
  const routes = kept.routes.map((r) => {
    const module = manifest.entryModules[`\0@astro-page:${r.component.replace(/\.astro$/, "")}@_@astro`];
    if (typeof module !== "string") throw new Error(`the kept renderer has no module for ${r.component}`);
    pageMap.set(r.component, () => load(module));
    const routeData = {
      route: r.route,
      component: r.component,
      params: r.params,
      pathname: r.pathname ?? undefined,
      pattern: new RegExp(r.regex),
      segments: r.segments,
      type: "page",
      prerender: true,
      fallbackRoutes: [],
      distURL: [],
      isIndex: false,
      origin: "project",
      generate: (/** @type {Record<string, string | undefined>} */ params) => generatePath(r.segments, params),
    };
    return routeData;
  });
  const known = new Set(manifest.routes.map((r) => r.routeData.route));
  const routeInfo = routes.filter((r) => !known.has(r.route)).map((routeData) => ({ file: "", links: [], scripts: [], styles: JSON.parse(styles[0]), routeData }));
  // The pages name no origin (Astro.url is not read); the path carries the site's base, as a served request would.
  const base = manifest.base.replace(/\/$/, "");
  /** What the bundle's content module reads (index.mjs dataStoreReadAtRender): the store of the render under way. */
  const slot = new Map();
  return {
    /** @param {Map<string, Map<string, unknown>>} store @param {string} outDir @param {{ skillsOnly?: boolean }} [options] */
    async render(store, outDir, { skillsOnly = false } = {}) {
      const app = new App({ ...manifest, routes: [...manifest.routes, ...routeInfo], pageMap, renderers });
      const made = new Set();
      let pages = 0;
      for (const [collection, entries] of store) slot.set(collection, entries);
      globalThis[STORE_SLOT] = slot;
      try {
        for (const route of routes) {
          if (skillsOnly && !route.route.startsWith("/skills/")) continue;
          const mod = /** @type {{ getStaticPaths?: Function }} */ (await /** @type {{ page(): Promise<unknown> }} */ (await pageMap.get(route.component)()).page());
          const paths = route.pathname ? [route.pathname] : (await mod.getStaticPaths({ paginate: paginatedParams, routePattern: route.route })).map((/** @type {{ params: Record<string, string | undefined> }} */ p) => generatePath(route.segments, p.params));
          for (const pathname of paths) {
            const response = await app.render(new Request(new URL(base + pathname, "https://skillreg.invalid")), { routeData: manifest.routes.find((r) => r.routeData.route === route.route)?.routeData ?? route });
            const expected = route.route === "/404" ? 404 : 200;
            if (response.status !== expected) throw new Error(`rendering ${pathname} with the kept renderer answered ${response.status}`);
            // Written as rendered: a part of a large catalog is thousands of pages.
            const file = join(outDir, pathname === "/" ? "index.html" : `${encodeURI(pathname).slice(1)}.html`);
            if (!made.has(dirname(file))) await mkdir(dirname(file), { recursive: true });
            made.add(dirname(file));
            await writeFile(file, await response.text(), { flag: "wx" });
            pages++;
          }
        }
      } finally {
        slot.clear();
        globalThis[STORE_SLOT] = undefined;
      }
      return pages;
    },
  };
}

/**
 * The params of each page `paginate` makes of `data` for a `[...page]` route (Astro's own
 * paginate gives the pages their props when they render): page 1 has none.
 * @param {unknown[]} data @param {{ pageSize?: number }} [options]
 */
function paginatedParams(data, options = {}) {
  const pages = Math.max(1, Math.ceil(data.length / (options.pageSize || 10)));
  return Array.from({ length: pages }, (_, i) => ({ params: { page: i === 0 ? undefined : String(i + 1) } }));
}

/**
 * The path of a route's page with `params`, as Astro's route generator writes it (it is not
 * exported): each segment's parts joined, a missing rest parameter dropping its segment.
 * @param {{ content: string, dynamic: boolean, spread: boolean }[][]} segments
 * @param {Record<string, string | undefined>} params
 */
function generatePath(segments, params) {
  const value = (/** @type {string | undefined} */ v) => (typeof v === "string" ? v.normalize().replace(/#/g, "%23").replace(/\?/g, "%3F") : v);
  const part = (/** @type {{ content: string, dynamic: boolean, spread: boolean }} */ p) => {
    if (p.spread) return value(params[p.content.slice(3)]) || "";
    if (p.dynamic) {
      const v = value(params[p.content]);
      if (!v) throw new Error(`missing parameter ${p.content}`);
      return v;
    }
    return p.content.normalize().replace(/\?/g, "%3F").replace(/#/g, "%23").replace(/%5B/g, "[").replace(/%5D/g, "]");
  };
  return segments.map((s) => s.map(part).join("")).map((s) => (s ? `/${s}` : "")).join("") || "/";
}
