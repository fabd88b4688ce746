import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { readAuditEvents, type AuditEvent } from "../history/index.js";
import { buildSiteData, type PagePaths, type SiteData } from "./catalog.js";
import { SkillregError } from "../core/index.js";
import { buildIndexModel, indexFiles, wellKnownFiles, type Audience, type IndexModel } from "../index/index.js";
import { readRegistryFacts, type RegistryFacts } from "../index/index.js";
import { checkRelativePath, openScanCache } from "../core/index.js";
import { SitePageCache, forEachLimit, rendererFingerprint, skillPageHashes } from "./page-cache.js";

/**
 * `skillreg build`: the catalog and the machine index of one registry, for one audience, in
 * one folder. Steps: read the registry's facts from git, decide the index and the catalog
 * (pure), render the pages with Astro, write the index files and the well-known skill files
 * beside them, index the skill pages for search. Everything is built in a scratch folder next
 * to the output and moved into place at the end, so a failed build leaves the old site intact.
 */

export interface SiteBuildOptions {
  outDir: string;
  audience: Audience;
  /** The site's public URL; its path becomes the base of every link. */
  baseUrl?: string;
  /** The registry's Git URL for the index (clients fetch tags there); default: skillreg.yaml's gitUrl. */
  gitUrl?: string;
  /** Told about each slow step as it starts. */
  onProgress?: (step: string) => void;
  /** Told about each thing left out and why (a version not indexed, a skill not served). */
  onProblem?: (message: string) => void;
  /**
   * A folder kept between builds (CI caches it): scan results by tree id and each skill's
   * rendered pages, so a rebuild scans and renders only what changed. None: build from nothing.
   */
  cacheDir?: string;
  /** The signed metadata (index/v1/tuf/) for the index files, when the build signs them (--online-key). */
  signIndex?: (files: ReadonlyMap<string, string>) => Map<string, string>;
}

export interface SiteBuildResult {
  outDir: string;
  skills: number;
  versions: number;
  /** HTML pages written. */
  pages: number;
  /** Pages in the search index. */
  searchPages: number;
  /** Skills whose pages came from the cache instead of being rendered. */
  reusedSkills: number;
  /** Versions whose scan came from the cache. */
  cachedScans: number;
  /** Versions this build ran the scanner over (not in the cache). */
  scannedVersions: number;
  /** Peak memory of the larger of the two Astro processes, in bytes. */
  astroPeakRssBytes: number;
  /** The most recently published version in the site (`@scope/name@version`), if any. */
  newest: string | null;
}

/** The marker that says a folder holds a site this command built (and may replace). */
const MARKER = ".skillreg-site";

interface SitePackage {
  astroBuildScript: string;
  packageDir: string;
  pagePaths: PagePaths;
  indexForSearch(outDir: string, records: SearchRecord[]): Promise<number>;
}

/** What search finds a skill by, and shows for it. */
interface SearchRecord {
  url: string;
  title: string;
  description: string;
  content: string;
}

/**
 * The catalog's renderer lives in @skillreg/site, the only package that brings Astro; it is
 * loaded here and only here, so `skillreg pull` never pays for it.
 */
async function loadSitePackage(): Promise<SitePackage> {
  try {
    return (await import("@skillreg/site" as string)) as SitePackage;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw e;
    throw new SkillregError("building a catalog needs the @skillreg/site package: run `npm install @skillreg/site` beside skillreg (or `npm install -g @skillreg/site` for a global skillreg)");
  }
}

/** Build the site of the registry repository in `registryDir` (its main branch). */
export async function buildSite(registryDir: string, opts: SiteBuildOptions & { ref?: string }): Promise<SiteBuildResult> {
  const checked = await checkOptions(opts);
  opts.onProgress?.(`reading registry ${registryDir}`);
  const facts = await readRegistryFacts(registryDir, { ref: opts.ref });
  opts.onProgress?.("reading the audit trail");
  const events = await readAuditEvents(registryDir, {}, facts.commit);
  return build(facts, events, opts, checked);
}

/** Build the site from facts already read (the benchmark generates them). */
export async function buildSiteFromFacts(facts: RegistryFacts, events: readonly AuditEvent[], opts: SiteBuildOptions): Promise<SiteBuildResult> {
  return build(facts, events, opts, await checkOptions(opts));
}

/** Bad options fail before any work: the URL, and an output folder we may replace. */
async function checkOptions(opts: SiteBuildOptions): Promise<{ outDir: string; siteUrl: string | undefined }> {
  const siteUrl = opts.baseUrl === undefined ? undefined : normaliseBaseUrl(opts.baseUrl);
  if (opts.gitUrl !== undefined) checkGitUrl(opts.gitUrl);
  const outDir = resolve(opts.outDir);
  await checkReplaceable(outDir);
  return { outDir, siteUrl };
}

async function build(
  facts: RegistryFacts,
  events: readonly AuditEvent[],
  opts: SiteBuildOptions,
  { outDir, siteUrl: baseUrl }: { outDir: string; siteUrl: string | undefined },
): Promise<SiteBuildResult> {
  const progress = opts.onProgress ?? (() => undefined);

  progress(`deciding the index and catalog (${opts.audience} audience)`);
  const problem = opts.onProblem ?? (() => undefined);
  const scanCache = openScanCache(opts.cacheDir);
  const indexed = buildIndexModel(facts, {
    audience: opts.audience,
    siteUrl: baseUrl,
    ...(opts.gitUrl ? { gitUrl: opts.gitUrl } : {}),
    onProblem: (m) => problem(`left out of the index: ${m}`),
    scanCache,
  });
  const model = withoutActiveWellKnownFiles(indexed, problem);
  // Without --base-url the site lives where skillreg.yaml says, if it says.
  const siteUrl = baseUrl ?? (model.registry.siteUrl === undefined ? undefined : normaliseBaseUrl(model.registry.siteUrl));
  const sitePackage = await loadSitePackage();
  const data = buildSiteData(model, events, { audience: opts.audience, siteUrl, commit: facts.commit, pagePaths: sitePackage.pagePaths });
  // Signed before Astro starts, so a wrong key or an expired root fails the build at once.
  const index = indexFiles(model);
  for (const [path, text] of opts.signIndex?.(index) ?? []) index.set(path, text);

  // Each skill's pages are rendered again only when what they show changed.
  const cache =
    opts.cacheDir === undefined ? undefined : new SitePageCache(join(opts.cacheDir, "site", createHash("sha256").update(`${opts.audience} ${siteUrl ?? ""}`).digest("hex").slice(0, 16)));
  const hashes = skillPageHashes(data, cache ? await rendererFingerprint(sitePackage.packageDir) : "");
  const previous = cache ? await cache.load() : new Map<string, string>();
  const reused = new Set<string>();
  await forEachLimit([...hashes], 32, async ([key, hash]) => {
    if (previous.get(key) === hash && (await cache!.has(hash))) reused.add(key);
  });
  const fresh = (p: { scope: string; name: string }) => !reused.has(`${p.scope}/${p.name}`);
  const toRender = { ...data, skills: data.skills.filter(fresh), versions: data.versions.filter(fresh) };

  await mkdir(dirname(outDir), { recursive: true });
  const scratch = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.building-`));
  try {
    const site = await renderSite(sitePackage, scratch, model, index, data, toRender, siteUrl, progress);
    if (reused.size > 0) progress(`copying the unchanged pages of ${reused.size} skills from ${opts.cacheDir}`);
    await forEachLimit([...reused], 32, (key) => cache!.restore(site.dir, key, hashes.get(key)!));
    await writeFile(join(site.dir, MARKER), "This folder was built by `skillreg build`; the next build replaces it.\n");
    const pages = await countHtml(site.dir);
    await rm(outDir, { recursive: true, force: true });
    await rename(site.dir, outDir);
    if (cache) {
      progress(`saving the pages of ${toRender.skills.length} skills in ${opts.cacheDir}`);
      await cache.save(outDir, hashes, toRender.skills.map((s) => `${s.scope}/${s.name}`)).catch((e: Error) => problem(`the page cache was not saved: ${e.message}`));
    }
    return {
      reusedSkills: reused.size,
      cachedScans: scanCache.stats.hits,
      scannedVersions: scanCache.stats.misses,
      outDir,
      skills: data.skills.length,
      versions: data.versions.length,
      pages,
      searchPages: site.searchPages,
      astroPeakRssBytes: site.astroPeakRssBytes,
      newest: data.recent[0] ? `@${data.recent[0].scope}/${data.recent[0].name}@${data.recent[0].version}` : null,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Pages, index, well-known files and search index, in `scratch`, using both cores: Astro
 * renders pages one after another in one process, so one process renders the version pages
 * and another everything else; the index and well-known files are written meanwhile, and
 * search indexes the skill pages as soon as they exist. Returns the assembled folder.
 */
async function renderSite(
  sitePackage: SitePackage,
  scratch: string,
  model: IndexModel,
  index: ReadonlyMap<string, string>,
  data: SiteData,
  toRender: SiteData,
  siteUrl: string | undefined,
  progress: (step: string) => void,
): Promise<{ dir: string; searchPages: number; astroPeakRssBytes: number }> {
  progress(`rendering ${toRender.skills.length} skill pages and ${toRender.versions.length} version pages with Astro`);
  // A second process pays its start-up (a few seconds) only when there are many pages to share.
  const split = toRender.versions.length >= SPLIT_VERSION_PAGES;
  const main = await startAstro(sitePackage, join(scratch, "main"), split ? { ...toRender, versions: [] } : toRender, siteUrl);
  const versions = split ? await startAstro(sitePackage, join(scratch, "versions"), { ...toRender, skills: [], scopes: [], recent: [], audit: [] }, siteUrl) : undefined;
  const runs = versions ? [main, versions] : [main];
  const site = main.outDir;
  const extra = join(scratch, "extra");
  try {
    writeTree(extra, index);
    writeTree(extra, wellKnownFiles(model));
  } catch (e) {
    for (const run of runs) run.kill();
    await Promise.allSettled(runs.map((r) => r.done));
    throw e;
  }
  const search = main.done.then(() => {
    progress(`indexing ${data.skills.length} skills for search (pagefind)`);
    return sitePackage.indexForSearch(site, searchRecords(data));
  });
  // Wait for everything before failing, so nothing still writes into the scratch folder.
  const settled = await Promise.allSettled([...runs.map((r) => r.done), search]);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const peaks = await Promise.all(runs.map((r) => r.done));

  for (const entry of await readdir(extra)) {
    await rename(join(extra, entry), join(site, entry)).catch((e: NodeJS.ErrnoException) => {
      throw new SkillregError(`the site and the index both want ${entry}/ (${e.code})`);
    });
  }
  // Each skill's version pages are one folder (skills/<scope>/<name>/<version>.html), moved whole.
  if (versions) {
    for (const folder of new Set(toRender.versions.map((v) => join("skills", v.scope, v.name)))) {
      await rename(join(versions.outDir, folder), join(site, folder));
    }
  }
  return { dir: site, searchPages: await search, astroPeakRssBytes: Math.max(...peaks.map((p) => p.maxRssBytes)) };
}

/** Version pages from which a second Astro process renders them beside the first. */
const SPLIT_VERSION_PAGES = 2000;

/** One search record per skill: found by its name, scope and description. */
function searchRecords(data: SiteData): SearchRecord[] {
  return data.skills.map((s) => ({
    url: `/skills/${s.scope}/${s.name}.html`,
    title: `@${s.scope}/${s.name}`,
    description: s.description,
    content: `${s.name} ${s.scope} ${s.description}`,
  }));
}

/** Files a web server would serve as a live page (script included) rather than as text. */
const ACTIVE_CONTENT = /\.(?:html?|xhtml|shtml|svg|xml|xsl|xslt|mht|mhtml)$/i;

/**
 * The well-known tree serves skill files from the catalog's own origin. `skillreg serve` sends
 * them as sandboxed text, but another static host would serve an .html or .svg as a page whose
 * script runs on the catalog's origin (and, for an internal catalog, could read its private
 * pages). A skill carrying such a file is left out of /.well-known/skills/ (it stays in the
 * catalog and the index, and `skillreg pull` installs it from git).
 */
function withoutActiveWellKnownFiles(model: IndexModel, onProblem: (message: string) => void): IndexModel {
  const dropped = new Set<string>();
  for (const s of model.skills) {
    const key = `${s.entry.scope}/${s.entry.name}`;
    const folder = model.wellKnownNames.get(key);
    const active = s.latest.entry.files.find((f) => ACTIVE_CONTENT.test(f.path));
    if (folder === undefined || active === undefined) continue;
    dropped.add(folder);
    onProblem(`@${key}: not served under /.well-known/skills/: its ${active.path} would run as a web page on the catalog's origin`);
  }
  if (dropped.size === 0) return model;
  return {
    ...model,
    wellKnown: { skills: model.wellKnown.skills.filter((w) => !dropped.has(w.name)) },
    wellKnownNames: new Map([...model.wellKnownNames].filter(([, folder]) => !dropped.has(folder))),
  };
}

/** An http(s) URL ending in '/', or a one-line error. */
function normaliseBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SkillregError(`--base-url '${url}' is not a URL; write it like https://skills.example.com/`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SkillregError(`--base-url '${url}' must be an http:// or https:// URL`);
  }
  if (parsed.search || parsed.hash) throw new SkillregError(`--base-url '${url}' must not have a query or fragment`);
  return parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
}

/** Clients fetch tags from the index's gitUrl over HTTP(S): anything else is refused here, not at their pull. */
function checkGitUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SkillregError(`--git-url '${url}' is not a URL; write it like https://github.com/acme/skills.git`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new SkillregError(`--git-url '${url}' must be an http:// or https:// URL (clients fetch tags over HTTP)`);
  if (parsed.username || parsed.password) throw new SkillregError(`--git-url must not carry credentials; clients use 'skillreg login' or SKILLREG_TOKEN`);
  if (parsed.search || parsed.hash) throw new SkillregError(`--git-url '${url}' must not have a query or fragment`);
}

/** The output folder may be replaced only when it is absent, empty, or a site we built. */
async function checkReplaceable(outDir: string): Promise<void> {
  const st = await stat(outDir).catch(() => undefined);
  if (!st) return;
  if (!st.isDirectory()) throw new SkillregError(`${outDir} exists and is not a folder; choose another --out`);
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new SkillregError(`${outDir} is not empty and was not built by skillreg build; choose an empty or new --out folder`);
  }
}

/**
 * Write site-relative files under `root`. Paths come from git trees (hostile): each must be a
 * plain relative path. Synchronous on purpose: tens of thousands of small files, written
 * while the Astro processes render.
 */
function writeTree(root: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  const made = new Set<string>();
  for (const [path, content] of files) {
    const bad = checkRelativePath(path);
    if (bad) throw new SkillregError(`refusing to write ${JSON.stringify(path)} into the site: ${bad.message}`);
    const file = join(root, ...path.split("/"));
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    try {
      writeFileSync(file, content, { flag: "wx" });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new SkillregError(code === "EEXIST" ? `two outputs want the same file ${path}` : `cannot write ${path}: ${(e as Error).message}`);
    }
  }
}

interface AstroRun {
  outDir: string;
  done: Promise<{ maxRssBytes: number }>;
  kill(): void;
}

/**
 * Start site/build.mjs on `data` in its own process, in the folder `work` (its cwd: Astro
 * places its server bundle relative to the cwd and keeps global state, so each build gets a
 * fresh process). The pages go to `work`/out.
 */
async function startAstro(sitePackage: SitePackage, work: string, data: SiteData, siteUrl: string | undefined): Promise<AstroRun> {
  await mkdir(work);
  const dataFile = join(work, "site-data.json");
  await writeFile(dataFile, JSON.stringify(data));
  const outDir = join(work, "out");
  const resultFile = join(work, "astro-result.json");
  const args = [sitePackage.astroBuildScript, outDir, join(work, "cache"), resultFile, ...(siteUrl ? [siteUrl] : [])];
  let kill = () => {};
  const done = new Promise<{ maxRssBytes: number }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { ...process.env, SKILLREG_SITE_DATA: dataFile, ASTRO_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-8000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    kill = () => child.kill();
    child.on("error", (e) => reject(new SkillregError(`cannot start the Astro build: ${e.message}`)));
    child.on("close", async (code) => {
      if (code !== 0) {
        // Astro's own error line is the useful one; drop ANSI colour and stack frames.
        const lines = output.replace(/\u001b\[[0-9;]*m/g, "").split("\n").filter((l) => l.trim() !== "" && !/^\s+at /.test(l));
        const why = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? "no output";
        if (process.env.SKILLREG_DEBUG === "1") process.stderr.write(output);
        reject(new SkillregError(`the Astro build failed (exit ${code}): ${why.trim()}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(await readFile(resultFile, "utf8")) as { maxRssBytes: number });
      } catch (e) {
        reject(new SkillregError(`the Astro build left no result: ${(e as Error).message}`));
      }
    });
  });
  return { outDir, done, kill: () => kill() };
}

async function countHtml(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".html")).length;
}
