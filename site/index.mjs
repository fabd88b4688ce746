/**
 * @skillreg/site: the hand-off point for `skillreg build`. The registry decides the catalog's
 * data; this package renders it with Astro and indexes it for search. Only this package
 * depends on Astro, so a user who only pulls skills never installs them.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { catalogEntries, handOver } from "./handoff.mjs";
import { searchIndexFiles } from "./search-index.mjs";

export { pagePaths } from "./paths.mjs";

/** The folder of this package: what a page renders with (its fingerprint decides cache reuse). */
export const packageDir = fileURLToPath(new URL(".", import.meta.url));

/** Builds run one after another: Astro keeps global state, and the view model has one slot. */
let queue = Promise.resolve();

/**
 * Skills whose pages one Astro build renders. Astro holds every page of a build in memory at
 * once (the content store, the copies its collections hand out, each route's props), and that
 * grew by about 1 GiB for 10,000 skills (21,000 pages) on top of the view model: a large
 * catalog is rendered as several builds of this many skills each, so Astro's memory follows
 * this number, not the registry. Each build costs Astro's start (a few seconds), so it is large.
 */
export const SKILLS_PER_BUILD = 2500;

/**
 * Render the catalog's pages of `data` (the view model, SiteData) with Astro, in this process,
 * into `outDir` (moved there at the end, so on the same file system as `workDir`). Astro reads
 * the data through its content loader (src/content.config.ts). `workDir` is a scratch folder
 * for Astro's own files. The skills are rendered SKILLS_PER_BUILD at a time; the first build
 * renders the pages about the whole registry (home, browse, scopes, audit) too; the pages are
 * the same bytes however many builds render them (`skillsPerBuild`, for tests).
 * @param {{ data: unknown, workDir: string, outDir: string, siteUrl?: string, skillsPerBuild?: number }} build
 * @returns {Promise<void>}
 */
export function renderCatalog({ data, skillsPerBuild = SKILLS_PER_BUILD, ...build }) {
  // Made now, so that the caller's view model is not kept while this build waits or runs.
  const parts = catalogParts(/** @type {any} */ (data), skillsPerBuild);
  const run = queue.then(() => renderParts(parts, build));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The content entries of each build: the view model's skills and versions cut into parts of
 * `perBuild` skills (a version goes with its skill). Only the first part carries what the
 * registry-wide pages list; the others' copies of those pages are not kept.
 * @param {{ skills: { scope: string, name: string }[], versions: { scope: string, name: string }[], scopes: unknown[], recent: unknown[], audit: unknown[] }} data
 * @param {number} perBuild
 */
function catalogParts(data, perBuild) {
  const { skills, versions, ...site } = data;
  const part = new Map(skills.map((s, i) => [`${s.scope}/${s.name}`, Math.floor(i / perBuild)]));
  const count = Math.max(1, Math.ceil(skills.length / perBuild));
  /** @type {{ skills: typeof skills, versions: typeof versions }[]} */
  const cut = Array.from({ length: count }, () => ({ skills: [], versions: [] }));
  for (const s of skills) cut[part.get(`${s.scope}/${s.name}`)].skills.push(s);
  for (const v of versions) cut[part.get(`${v.scope}/${v.name}`) ?? 0].versions.push(v);
  return cut.map((c, i) => catalogEntries({ ...site, ...(i === 0 ? {} : { scopes: [], recent: [], audit: [] }), ...c }));
}

/**
 * One Astro build per part, in turn; the first one's output becomes `outDir`, and the later
 * ones' skill pages (skills/<scope>/...) are moved into it.
 * @param {ReturnType<typeof catalogEntries>[]} parts
 * @param {{ workDir: string, outDir: string, siteUrl?: string }} build
 */
async function renderParts(parts, { workDir, outDir, siteUrl }) {
  for (const [i, entries] of parts.entries()) {
    // Each build's entries are dropped once rendered.
    parts[i] = undefined;
    const partDir = join(workDir, `part-${i}`);
    const built = join(workDir, `part-${i}-out`);
    await renderNow({ entries, workDir: partDir, outDir: i === 0 ? outDir : built, siteUrl });
    if (i === 0) continue;
    await moveSkillPages(join(built, "skills"), join(outDir, "skills"));
    await rm(built, { recursive: true, force: true });
    await rm(partDir, { recursive: true, force: true });
  }
}

/**
 * Move every scope folder of `from` into `to`, or, when `to` has that scope already (a scope
 * whose skills two builds rendered), every entry of it. Two builds never render one skill, so
 * an entry already there is an error.
 * @param {string} from
 * @param {string} to
 */
async function moveSkillPages(from, to) {
  const scopes = await readdir(from).catch((e) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
  await mkdir(to, { recursive: true });
  for (const scope of scopes) {
    const target = join(to, scope);
    if (!existsSync(target)) {
      await rename(join(from, scope), target);
      continue;
    }
    for (const entry of await readdir(join(from, scope))) {
      if (existsSync(join(target, entry))) throw new Error(`two Astro builds wrote skills/${scope}/${entry}`);
      await rename(join(from, scope, entry), join(target, entry));
    }
  }
}

/** @param {{ entries: ReturnType<typeof catalogEntries>, workDir: string, outDir: string, siteUrl?: string }} build */
async function renderNow({ entries, workDir, outDir, siteUrl }) {
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
      integrations: [dataStoreReadAtRender()],
      ...(siteUrl ? { site: siteUrl } : {}),
      base: siteUrl ? new URL(siteUrl).pathname : "/",
    });
  } finally {
    handOver(undefined);
    process.chdir(cwd);
    await stopEsbuild();
  }
  await rename(built, outDir);
}

/**
 * Astro hands the content layer's data to the pages as a generated module holding all of it
 * as one JavaScript literal, which Rollup then parses and bundles: for 10,000 skills (50 MB of
 * view model) that took gigabytes and most of the build. The pages read the same value from
 * the data store file Astro has just written (in cacheDir) when they render instead. Astro's
 * own plugin answers for the module first, so this one is put in front of it.
 */
function dataStoreReadAtRender() {
  /** @type {URL | undefined} */
  let dataStoreFile;
  const plugin = {
    name: "skillreg-data-store-read-at-render",
    enforce: "pre",
    /** @param {string} id */
    load(id) {
      if (id !== "\0astro:data-layer-content" || !dataStoreFile) return undefined;
      return `import { readFileSync } from "node:fs";\nexport default JSON.parse(readFileSync(${JSON.stringify(fileURLToPath(dataStoreFile))}, "utf8"));\n`;
    },
  };
  return {
    name: "skillreg-data-store",
    hooks: {
      /** @param {{ config: { cacheDir: URL } }} options */
      "astro:config:done": ({ config }) => {
        dataStoreFile = new URL("data-store.json", config.cacheDir);
      },
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
