/**
 * @skillreg/site: the hand-off point for `skillreg build`. The registry decides the catalog's
 * data; this package renders it with Astro and indexes it for search. Only this package
 * depends on Astro, so a user who only pulls skills never installs them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, rename, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { catalogEntries, handOver } from "./handoff.mjs";
import { STORE_SLOT, keepRenderer, openKept, renderWithKept, saveKept } from "./kept-renderer.mjs";
import { searchIndexFiles } from "./search-index.mjs";

export { pagePaths } from "./paths.mjs";

/** The folder of this package: what a page renders with (its fingerprint decides cache reuse). */
export const packageDir = fileURLToPath(new URL(".", import.meta.url));

/** Builds run one after another: Astro keeps global state, and the view model has one slot. */
let queue = Promise.resolve();

/**
 * Skills one part of the catalog holds. An Astro build's page generation holds what it made
 * until the build ends (the pages of 2,000 skills took about 0.5 GiB at 10,000 skills, and
 * the whole catalog over 1.5 GiB), and Vite's bundling costs about as much again whatever the
 * data. So a catalog of more skills than this is rendered in parts: one Astro build renders
 * the pages about the whole registry (home, browse, scopes, audit) and keeps its server
 * bundle, and that bundle renders the skills' pages (kept-renderer.mjs), this many skills at a
 * time, each part with only its own entries and each page written as it is rendered. Memory
 * then follows this number, not the registry; the pages are the same bytes however the skills
 * are cut.
 */
export const SKILLS_PER_PART = 2000;

/**
 * Render the catalog's pages of `data` (the view model, SiteData) with Astro, in this process,
 * into `outDir` (moved there at the end, so on the same file system as `workDir`). Astro reads
 * the data through its content loader (src/content.config.ts). `workDir` is a scratch folder
 * for Astro's own files. Over `skillsPerPart` skills (SKILLS_PER_PART), the skills' pages are
 * rendered in parts. With `keep`, Astro's server bundle of the pages is kept in `keep.dir` for
 * renderKept, tagged with `keep.renderer`.
 *
 * With `parts` (the view models of the skills' pages, one part at a time: { skills, versions }
 * of SiteData), `data` holds no skill's pages: Astro renders the registry-wide pages of `data`,
 * and its bundle each part as `parts` makes it, so that the caller holds one part at a time
 * rather than the whole catalog's view model (skillreg build of a large registry).
 * @param {{ data: unknown, parts?: Iterable<unknown>, workDir: string, outDir: string, siteUrl?: string, keep?: { dir: string, renderer: string }, skillsPerPart?: number }} build
 * @returns {Promise<void>}
 */
export function renderCatalog({ data, parts, skillsPerPart = SKILLS_PER_PART, ...build }) {
  const site = /** @type {Parameters<typeof catalogEntries>[0]} */ (data);
  // Made now, so that the caller's view model is not kept while this build waits or runs.
  const cut = parts === undefined ? catalogParts(site, skillsPerPart) : { astro: catalogEntries(site), parts: partEntries(site, parts) };
  const run = queue.then(() => renderParts(cut, build));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The content entries of the Astro build (`astro`) and of each part rendered with its bundle
 * (`parts`). Up to `perPart` skills, Astro renders them all and there are no parts; over it,
 * Astro renders the registry-wide pages only, and the skills are cut into parts of `perPart`
 * (a version goes with its skill). Every part carries the registry-wide data (one object, shared).
 * @param {Parameters<typeof catalogEntries>[0]} data
 * @param {number} perPart
 */
function catalogParts({ skills, versions, ...site }, perPart) {
  if (skills.length <= perPart) return { astro: catalogEntries({ ...site, skills, versions }), parts: undefined };
  const part = new Map(skills.map((s, i) => [`${s.scope}/${s.name}`, Math.floor(i / perPart)]));
  /** @type {{ skills: typeof skills, versions: typeof versions }[]} */
  const cut = Array.from({ length: Math.ceil(skills.length / perPart) }, () => ({ skills: [], versions: [] }));
  for (const s of skills) cut[part.get(`${s.scope}/${s.name}`) ?? 0].skills.push(s);
  for (const v of versions) cut[part.get(`${v.scope}/${v.name}`) ?? 0].versions.push(v);
  return { astro: catalogEntries({ ...site, skills: [], versions: [] }), parts: drained(cut.map((c) => catalogEntries({ ...site, ...c }))) };
}

/**
 * The items of `list`, each let go of (taken out of the list) as it is handed out.
 * @template T
 * @param {T[]} list
 * @returns {Generator<T>}
 */
function* drained(list) {
  while (list.length > 0) yield /** @type {T} */ (list.shift());
}

/**
 * The content entries of each part the caller makes (renderCatalog's `parts`), made as the
 * part is asked for, with the registry-wide data of `site`.
 * @param {Parameters<typeof catalogEntries>[0]} site @param {Iterable<unknown>} parts
 */
function* partEntries({ skills: _skills, versions: _versions, ...site }, parts) {
  for (const part of parts) yield catalogEntries({ ...site, .../** @type {Pick<Parameters<typeof catalogEntries>[0], "skills" | "versions">} */ (part) });
}

/**
 * The Astro build (which keeps its server bundle when there are parts or `keep` asks), then
 * each part with that bundle, into the Astro build's output; then the bundle goes to
 * `keep.dir` when asked for. Each part's entries are taken when it renders and dropped once rendered.
 * @param {{ astro: ReturnType<typeof catalogEntries>, parts: Iterable<ReturnType<typeof catalogEntries>> | undefined }} cut
 * @param {{ workDir: string, outDir: string, siteUrl?: string, keep?: { dir: string, renderer: string } }} build
 */
async function renderParts({ astro, parts }, { workDir, outDir, siteUrl, keep }) {
  const kept = parts !== undefined || keep ? { dir: join(workDir, "renderer"), renderer: keep?.renderer ?? "" } : undefined;
  await renderNow({ entries: astro, workDir: join(workDir, "astro"), outDir, siteUrl, keep: kept });
  if (parts !== undefined && kept) {
    const renderer = await openKept({ rendererDir: kept.dir, workDir: join(workDir, "parts") });
    for (const entries of parts) {
      const store = dataStore(entries);
      if (process.memoryUsage().rss > COLLECT_ABOVE_BYTES) fullCollection();
      await renderer.render(store, outDir, { skillsOnly: true });
    }
  }
  if (keep && kept) await saveKept(kept.dir, keep.dir);
}

/**
 * The resident size above which a part starts with a full collection. Each forced collection of
 * a heap this size costs seconds (collecting before every part made the 10,000-skill build 2.36x
 * a bare Astro build, against 1.97x with this threshold, 2026-12-02), so it runs only when the
 * garbage left by earlier parts has made the process large: the 10,000-skill peak was 1.19 GiB
 * collecting before every part, 1.50 GiB with this threshold and 2.13 GiB never collecting.
 */
const COLLECT_ABOVE_BYTES = 1.25 * 2 ** 30;

/**
 * A full garbage collection, before a part (when the process is over COLLECT_ABOVE_BYTES). V8 lets the heap grow to about twice what is
 * live before it collects in full, and rendering thousands of pages leaves that much garbage
 * (the RSS of a 10,000-skill build rose by 1 GiB and fell back at once, more so on a quiet
 * machine, where the pages come faster): collecting between parts keeps what one part leaves
 * from adding to the next's. V8 offers no call for it without --expose-gc, which a command
 * cannot be started with here; the flag set at run time gives the function in a new context.
 */
function fullCollection() {
  setFlagsFromString("--expose-gc");
  /** @type {() => void} */ (runInNewContext("gc"))();
}

/** @param {{ entries: ReturnType<typeof catalogEntries>, workDir: string, outDir: string, siteUrl?: string, keep?: { dir: string, renderer: string } }} build */
async function renderNow({ entries, workDir, outDir, siteUrl, keep }) {
  const { build } = await import("astro");
  // The package folder is only read: a global or read-only install must build. Astro writes
  // its generated types (.astro/) under `root` and Vite its dependency cache under
  // root/node_modules, so the root is the scratch folder, and the pages, public files and
  // config are named in the package. Astro's generated entry imports "astro/app" from the
  // root, so the root gets a node_modules link to the folder Astro is installed in.
  await mkdir(workDir, { recursive: true });
  const astroEntry = fileURLToPath(import.meta.resolve("astro"));
  await symlink(astroEntry.slice(0, astroEntry.lastIndexOf(`${sep}astro${sep}`)), join(workDir, "node_modules"), "dir");
  const cacheDir = join(workDir, "cache");
  // Astro writes its prerender bundle into the output folder only when that lies inside the
  // current folder (otherwise into <cwd>/.astro/, which a read-only install cannot write, and
  // copies that whole folder, its own files included, into the output): so the output is
  // built inside the scratch folder, and the scratch folder is the current one meanwhile.
  const built = join(workDir, "out");
  const cwd = process.cwd();
  process.chdir(workDir);
  // Astro records a usage event per build unless told not to; a registry build sends nothing.
  process.env.ASTRO_TELEMETRY_DISABLED = "1";
  handOver(entries);
  // The pages read the entries from this Map rather than parse the data store file Astro
  // writes (dataStoreReadAtRender): the bundle Astro imports is never unloaded, and the Map
  // is emptied after the build, so what it held does not stay for the rest of the process.
  const store = dataStore(entries);
  globalThis[STORE_SLOT] = store;
  try {
    await build({
      root: workDir,
      // Astro joins configFile to root, so it is given relative to it.
      configFile: relative(workDir, fileURLToPath(new URL("./astro.config.mjs", import.meta.url))),
      srcDir: fileURLToPath(new URL("./src/", import.meta.url)),
      publicDir: fileURLToPath(new URL("./public/", import.meta.url)),
      outDir: built,
      cacheDir,
      vite: { cacheDir: join(cacheDir, "vite") },
      // Errors come back as the thrown error; the caller reports them.
      logLevel: "silent",
      integrations: [dataStoreReadAtRender(), ...(keep ? [keepRenderer({ ...keep, built })] : [])],
      ...(siteUrl ? { site: siteUrl } : {}),
      base: siteUrl ? new URL(siteUrl).pathname : "/",
    });
  } finally {
    handOver(undefined);
    store.clear();
    globalThis[STORE_SLOT] = undefined;
    process.chdir(cwd);
    await stopEsbuild();
  }
  await rename(built, outDir);
}

/**
 * Render the pages of `data` as renderCatalog does, with the server bundle an earlier
 * renderCatalog kept in `rendererDir` instead of an Astro build (kept-renderer.mjs): seconds
 * less when only a few pages are rendered. Same arguments as renderCatalog.
 * @param {{ data: unknown, rendererDir: string, workDir: string, outDir: string }} build
 * @returns {Promise<void>}
 */
export function renderKept({ data, ...build }) {
  const entries = catalogEntries(data);
  const run = queue.then(() => renderWithKept({ ...build, store: dataStore(entries), publicDir: fileURLToPath(new URL("./public/", import.meta.url)) }));
  queue = run.catch(() => undefined);
  return run.then(() => undefined);
}

/** The content entries (catalogEntries) as Astro's data store holds them: collection -> id -> entry. */
function dataStore(entries) {
  return new Map(Object.entries(entries).map(([collection, list]) => [collection, new Map(list.map((entry) => [entry.id, entry]))]));
}

/**
 * Astro hands the content layer's data to the pages as a generated module holding all of it
 * as one JavaScript literal, which Rollup then parses and bundles: for 10,000 skills (50 MB of
 * view model) that took gigabytes and most of the build. The pages read the store this
 * package hands over in a global slot (STORE_SLOT: renderNow and openKept set it, as a Map
 * the bundle keeps and they empty afterwards) when they render instead. Astro's own plugin
 * answers for the module first, so this one is put in front of it.
 */
function dataStoreReadAtRender() {
  const slot = `globalThis[Symbol.for(${JSON.stringify(STORE_SLOT.description)})]`;
  const plugin = {
    name: "skillreg-data-store-read-at-render",
    enforce: "pre",
    /** @param {string} id */
    load(id) {
      if (id !== "\0astro:data-layer-content") return undefined;
      return `const store = ${slot};\nif (!(store instanceof Map)) throw new Error("no catalog store was handed over: build the site with \`skillreg build\`");\nexport default store;\n`;
    },
  };
  return {
    name: "skillreg-data-store",
    hooks: {
      /** @param {{ vite: { plugins?: unknown[] } }} options */
      "astro:build:setup": ({ vite }) => {
        vite.plugins = [plugin, ...(vite.plugins ?? [])];
      },
    },
  };
}

/**
 * Astro and its Vite each start an esbuild service process and leave it running; stop them so
 * the command can end (esbuild starts a new one for the next build).
 */
async function stopEsbuild() {
  const fromAstro = createRequire(fileURLToPath(import.meta.resolve("astro")));
  for (const esbuild of new Set([fromAstro.resolve("esbuild"), createRequire(fromAstro.resolve("vite")).resolve("esbuild")])) {
    await (await import(pathToFileURL(esbuild).href)).stop();
  }
}

/**
 * Index one record per skill (its page path, title, description, latest version and its scan
 * decision, given by the build) for
 * the catalog's search box (search-index.mjs), under outDir/search/.
 * @param {string} outDir
 * @param {{ url: string, title: string, description: string, version: string, decision: "blocked" | "review" | "flagged" | "pass" }[]} records
 * @returns {Promise<number>} the records indexed
 */
export async function indexForSearch(outDir, records) {
  const files = searchIndexFiles(records);
  for (const dir of new Set([...files.keys()].map((path) => dirname(join(outDir, path))))) mkdirSync(dir, { recursive: true });
  for (const [path, text] of files) writeFileSync(join(outDir, path), text);
  return records.length;
}
