import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, realpath, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { readAuditEvents, type AuditEvent } from "../history/index.js";
import { siteDataInParts, skillLine, type CatalogHead, type PagePaths, type SiteData, type SkillLine } from "./catalog.js";
import { DecidedParts } from "./decided-parts.js";
import { SkillregError } from "../core/index.js";
import { hasSealedTree, isSealedVersion, openSealedVersions, openTagVerdictCache, sealedIndexFiles, versionsBySkill, writeIndex, type Audience, type CatalogSkill, type IndexAll, type PublishedVersionFacts, type RegistryHead } from "../index/index.js";
import type { PlainFile, SealIdentity } from "../seal/index.js";
import { tagName } from "../trust/index.js";
import { streamRegistryFacts, type RegistryFacts, type RegistryStream } from "../index/index.js";
import { checkRelativePath, openScanCache, parseRegistryConfig } from "../core/index.js";
import { SiteState, codeFingerprint, forEachLimit, keptRendererUsable, rendererFingerprint, skillPageHashes, type SkillRecord } from "./page-cache.js";

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
  /** The signed metadata (index/v1/tuf/) for the index files (path -> length and sha256), when the build signs them (--online-key). */
  signIndex?: (files: ReadonlyMap<string, { length: number; sha256: string }>) => Map<string, string>;
  /**
   * The key that opens the registry's sealed versions (a member's SSH key, or the gate key in
   * CI): an internal build of a registry holding sealed versions needs one, to scan and
   * describe them for the sealed index files.
   */
  sealIdentity?: SealIdentity;
  /** Skills whose pages a first build of a large catalog makes and renders at a time; default: the site package's SKILLS_PER_PART. */
  skillsPerPart?: number;
  /** Decided skills the build holds in memory before their pages are made; past this, parts wait on disk. Default 10,000. */
  skillsHeld?: number;
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
  /** The most recently published version in the site (`@scope/name@version`), if any. */
  newest: string | null;
  /** The most decided skills (with their files) held in memory at once; the others waited on disk in parts. */
  heldSkills: number;
}

/** The marker that says a folder holds a site this command built (and may replace). */
const MARKER = ".skillreg-site";
const MARKER_TEXT = "This folder was built by `skillreg build`; the next build replaces it.\n";

interface SitePackage {
  /**
   * Render the pages of `data` with Astro, in this process, into `outDir` (`workDir`: an empty
   * scratch folder); with `parts`, `data` has no skill's pages and the parts bring them, one at a time.
   */
  renderCatalog(build: { data: SiteData; parts?: Iterable<Pick<SiteData, "skills" | "versions">>; workDir: string; outDir: string; siteUrl?: string; keep?: KeptRenderer }): Promise<void>;
  /** Skills whose pages one part of a large catalog holds. */
  SKILLS_PER_PART: number;
  /** Render as renderCatalog does, with the server bundle an earlier renderCatalog kept (no Astro build). */
  renderKept(build: { data: SiteData; rendererDir: string; workDir: string; outDir: string }): Promise<void>;
  packageDir: string;
  pagePaths: PagePaths & { skill(scope: string, name: string): string };
  indexForSearch(outDir: string, records: SearchRecord[]): Promise<number>;
}

/** Where renderCatalog keeps Astro's server bundle of the pages, and the renderer's fingerprint it is tagged with. */
interface KeptRenderer {
  dir: string;
  renderer: string;
}

/** What search finds a skill by, and shows for it (url: the page's path below the site's base). */
export interface SearchRecord {
  url: string;
  title: string;
  description: string;
  /** The latest version and its scan decision: a search result shows them, as the skill cards do. */
  version: string;
  decision: IndexAll["skills"][number]["decision"];
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
  // The versions are read a few hundred skills at a time as the index decides them, not all at once.
  const stream = await streamRegistryFacts(registryDir, { ref: opts.ref });
  opts.onProgress?.("reading the audit trail");
  const events = await readAuditEvents(registryDir, {}, stream.head.commit);
  return build({ stream }, events, opts, checked);
}

/** Build the site from facts already read, or read as the index decides them (the benchmark generates them). */
export async function buildSiteFromFacts(facts: RegistryFacts | RegistryStream, events: readonly AuditEvent[], opts: SiteBuildOptions): Promise<SiteBuildResult> {
  return build("versions" in facts ? { facts } : { stream: facts }, events, opts, await checkOptions(opts));
}

/** Bad options fail before any work: the URL, and an output folder we may replace. */
async function checkOptions(opts: SiteBuildOptions): Promise<{ outDir: string; siteUrl: string | undefined }> {
  const siteUrl = opts.baseUrl === undefined ? undefined : normaliseBaseUrl(opts.baseUrl);
  if (opts.gitUrl !== undefined) checkGitUrl(opts.gitUrl);
  const outDir = resolve(opts.outDir);
  await checkReplaceable(outDir);
  return { outDir, siteUrl };
}

/** Decided skills a build holds in memory before their pages are made; past this, parts wait on disk (DecidedParts). */
const SKILLS_HELD = 10_000;

/** The registry's facts: all in memory (the benchmark generates them), or read as the index decides them. */
type FactsSource = { facts?: RegistryFacts; stream?: RegistryStream };

/**
 * The facts taken out of `read` and cut by skill, and the sealed versions opened: once the
 * index has decided a skill, only the decided skill holds its versions' facts (and the build
 * writes it to disk with its part when it holds too many). A stream's sealed versions are
 * opened as their skill is read.
 */
async function takeFacts(read: FactsSource, opts: SiteBuildOptions, progress: (step: string) => void, problem: (message: string) => void) {
  if (read.stream) {
    const { head, skills } = read.stream;
    read.stream = undefined;
    const opened = new Map<string, readonly PlainFile[]>();
    return { head, bySkill: openingSealed(skills, opened, opts, problem), opened };
  }
  const facts = read.facts!;
  read.facts = undefined;
  const opened = await openSealed(facts, opts, progress, problem);
  const { versions: _versions, ...head } = facts;
  return { head: head as RegistryHead, bySkill: handedOut<PublishedVersionFacts[]>(versionsBySkill(facts)), opened };
}

/**
 * The skills of a stream, each with its sealed versions opened into `opened` before it is
 * handed on (as openSealed opens them all): those of skills made public, and the others with
 * the build's key, which an internal build must have.
 */
async function* openingSealed(skills: AsyncIterable<PublishedVersionFacts[]>, opened: Map<string, readonly PlainFile[]>, opts: SiteBuildOptions, problem: (message: string) => void) {
  for await (const versions of skills) {
    const sealed = versions.filter(hasSealedTree);
    if (sealed.length > 0) {
      const secret = sealed.find(isSealedVersion);
      if (secret && opts.audience === "internal" && !opts.sealIdentity) {
        throw new SkillregError(
          `the registry holds sealed versions (${tagName(secret.scope, secret.name, secret.version)} is one): an internal build opens them, so pass a member's key with --identity <ssh key> (or set SKILLREG_GATE_KEY in CI)`,
        );
      }
      const identity = opts.audience === "internal" ? opts.sealIdentity : undefined;
      for (const [key, files] of await openSealedVersions({ versions: sealed } as RegistryFacts, identity, (m) => problem(`left out of the index: ${m}`))) opened.set(key, files);
    }
    yield versions;
  }
}

/** The items of `list` in order, each let go of (its slot emptied) as it is handed out. */
function* handedOut<T>(list: (T | undefined)[]): Generator<T> {
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!;
    list[i] = undefined;
    yield item;
  }
}

/**
 * Decide the index and write its files (sealed, signed) as they are decided, into `files`;
 * every decided skill goes to `parts` (with its versions' facts), to make its pages from. What
 * this keeps of a skill is one line for the registry-wide pages (and the index's own summary).
 */
async function decideCatalog(
  read: FactsSource,
  opts: SiteBuildOptions,
  baseUrl: string | undefined,
  progress: (step: string) => void,
  problem: (message: string) => void,
  files: SiteFiles,
  parts: DecidedParts,
) {
  const scanCache = openScanCache(opts.cacheDir);
  const { head, bySkill, opened } = await takeFacts(read, opts, progress, problem);
  const tagVerdicts = openTagVerdictCache(opts.cacheDir);
  const lines: SkillLine[] = [];
  // A sealed skill's index file is written sealed once the scopes' readers are known (below).
  const sealed: Pick<CatalogSkill, "entry" | "sealedEntry">[] = [];
  const decided = await writeIndex(
    head,
    bySkill,
    {
      ...(opened ? { opened } : {}),
      audience: opts.audience,
      siteUrl: baseUrl,
      ...(opts.gitUrl ? { gitUrl: opts.gitUrl } : {}),
      onProblem: (m) => problem(`left out of the index: ${m}`),
      scanCache,
      offerWellKnown: withoutActiveContent(problem),
      tagVerdicts,
    },
    async (path, text) => files.put(path, text),
    (skill) => {
      lines.push(skillLine(skill));
      if (skill.sealedEntry) sealed.push({ entry: skill.entry, sealedEntry: skill.sealedEntry });
      parts.add(skill);
    },
  );
  tagVerdicts.save();
  // The registry-wide pages list skills in the index's order, whatever order they were read in.
  const key = (l: SkillLine) => `${l.summary.scope}/${l.summary.name}`;
  lines.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const { registry, scopes, config, all, wellKnown, wellKnownNames } = decided;
  // Signed before Astro starts, so a wrong key or an expired root fails the build at once.
  for (const [path, text] of await sealedIndexFiles({ registry, scopes, skills: sealed }, head.allowedSignersText, new Date())) files.put(path, text, { replace: true });
  for (const [path, text] of opts.signIndex?.(files.digests()) ?? []) files.put(path, text);
  const catalog: CatalogHead = { registry, scopes, config, all, wellKnown, wellKnownNames, lines };
  return { catalog, commit: head.commit, scanCache };
}

async function build(
  read: FactsSource,
  events: readonly AuditEvent[],
  opts: SiteBuildOptions,
  { outDir, siteUrl: baseUrl }: { outDir: string; siteUrl: string | undefined },
): Promise<SiteBuildResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const problem = opts.onProblem ?? (() => undefined);
  // Without --base-url the site lives where skillreg.yaml says, if it says.
  const configured = parseRegistryConfig((read.facts ?? read.stream!.head).configText).siteUrl;
  const siteUrl = baseUrl ?? (configured === undefined ? undefined : normaliseBaseUrl(configured));
  const sitePackage = await loadSitePackage();

  // Each skill's view model is made, and its pages rendered, again only when what they are
  // made from changed (the last build's state, when it still describes outDir); so are the
  // index and well-known files written only when their bytes changed.
  const cacheRoot = opts.cacheDir === undefined ? undefined : join(opts.cacheDir, "site", createHash("sha256").update(`${opts.audience} ${siteUrl ?? ""}`).digest("hex").slice(0, 16));
  const cache = cacheRoot === undefined ? undefined : new SiteState(cacheRoot);
  const renderer = cache ? await rendererFingerprint(sitePackage.packageDir) : "";
  // Astro's server bundle of the pages, kept by the last Astro build, renders a rebuild's few pages without another.
  const keptRenderer = cacheRoot === undefined ? undefined : { dir: join(cacheRoot, "renderer"), renderer };
  const previous = cache ? await cache.usable(outDir, MARKER, renderer, (why) => progress(`building every page: ${why}`)) : undefined;

  await mkdir(dirname(outDir), { recursive: true });
  const scratch = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.building-`));
  try {
    progress(`deciding the index and catalog (${opts.audience} audience)`);
    // The index and well-known files are written where the site is assembled (renderSite's extra folder) as they are decided.
    const files = new SiteFiles(join(scratch, "extra"), previous?.files);
    const perPart = opts.skillsPerPart ?? sitePackage.SKILLS_PER_PART;
    const decidedParts = new DecidedParts(join(scratch, "decided"), perPart, opts.skillsHeld ?? SKILLS_HELD);
    const { catalog, commit, scanCache } = await decideCatalog(read, opts, baseUrl, progress, problem, files, decidedParts);
    const siteOptions = { audience: opts.audience, siteUrl, commit, pagePaths: sitePackage.pagePaths };
    // The registry's configuration is shown on every page (name, policy): any change to it makes every view model again.
    const code = cache ? JSON.stringify([await codeFingerprint(), renderer, catalog.registry]) : "";
    // A first build of a large catalog makes the skills' view models, and renders their pages, a
    // part at a time (the site package's SKILLS_PER_PART) after Astro's build of the registry-wide
    // pages: the build never holds more than one part's view model, and each decided skill (with
    // its facts) is let go of as its part is made. Otherwise (a few skills, or a rebuild, which
    // makes only the changed skills' view models) they are made at once.
    const inParts = previous === undefined && decidedParts.count > perPart;
    const { site, pagesOf, inputKeysOf } = siteDataInParts(catalog, events, siteOptions);
    const skills = new Map<string, SkillRecord>();
    // Skills whose pages the last build wrote as they are now: kept ones, and those made again the same.
    const reused = new Set<string>();
    const rendered: string[] = [];
    let kept = 0;
    // Each part of decided skills: its well-known files written, and the view models of its skills
    // whose input changed made; their pages are hashed as they are made, and those the last build
    // already wrote as they are now are not rendered again.
    function* madeParts(): Generator<Pick<SiteData, "skills" | "versions">> {
      let made = 0;
      for (const decided of decidedParts.drain()) {
        // A line per part: where a large build's time and memory go, part by part (the bench prints CPU and memory beside it).
        if (inParts) progress(`making the pages of skills ${made + 1}-${made + decided.length} of ${decidedParts.count}`);
        made += decided.length;
        for (const s of decided) {
          const folder = catalog.wellKnownNames.get(`${s.entry.scope}/${s.entry.name}`);
          if (folder !== undefined) for (const f of s.latest.facts.files) files.put(`.well-known/skills/${folder}/${f.path}`, f.bytes);
        }
        const inputs = cache ? inputKeysOf(decided, code) : new Map<string, string>();
        const toMake = decided.filter((s) => {
          const key = `${s.entry.scope}/${s.entry.name}`;
          const before = previous?.skills.get(key);
          if (before === undefined || before.input !== inputs.get(key)) return true;
          skills.set(key, before);
          reused.add(key);
          kept++;
          return false;
        });
        const part = pagesOf(toMake);
        const hashes = skillPageHashes({ ...site, ...part }, renderer);
        const pageCounts = skillPageCounts(part);
        for (const s of part.skills) {
          const key = `${s.scope}/${s.name}`;
          const record = { page: hashes.get(key)!, input: inputs.get(key) ?? "", pages: pageCounts.get(key)! };
          skills.set(key, record);
          if (previous?.skills.get(key)?.page === record.page) reused.add(key);
          else rendered.push(key);
        }
        const fresh = (p: { scope: string; name: string }) => !reused.has(`${p.scope}/${p.name}`);
        yield { skills: part.skills.filter(fresh), versions: part.versions.filter(fresh) };
      }
    }
    const newest = site.recent[0] ? `@${site.recent[0].scope}/${site.recent[0].name}@${site.recent[0].version}` : null;
    const counts = { skills: site.counts.skills, versions: site.counts.versions };
    const records = searchRecords(catalog.all.skills, sitePackage.pagePaths);
    let toRender: SiteData = site;
    if (inParts) progress(`making the view models of ${decidedParts.count} skills (0 unchanged), ${perPart} at a time as they render`);
    else {
      const made: Pick<SiteData, "skills" | "versions"> = { skills: [], versions: [] };
      for (const part of madeParts()) {
        for (const s of part.skills) made.skills.push(s);
        for (const v of part.versions) made.versions.push(v);
      }
      toRender = { ...site, ...made };
      progress(`making the view models of ${decidedParts.count - kept} skills (${kept} unchanged)`);
    }

    // The skills' pages are counted as they are made (a walk of a large catalog's skills/ folder reads a hundred thousand entries).
    const skillPages = () => [...skills.values()].reduce((n, skill) => n + skill.pages, 0);
    let pages: number;
    let searchPages: number;
    if (previous) {
      // The last build's output is updated in place: only the changed skills' pages, the
      // aggregate pages, the search index and the changed index files are written.
      const built = await renderSite(sitePackage, scratch, records, { data: toRender }, siteUrl, progress, keptRenderer);
      pages = (await countHtml(built.dir, ["skills"])) + skillPages();
      progress(`updating ${outDir} in place: ${rendered.length} skills rendered, ${reused.size} kept`);
      await cache!.begin(outDir, MARKER, MARKER_TEXT);
      const gone = [...previous.skills.keys()].filter((key) => !skills.has(key));
      await replaceSkillPages(built.dir, outDir, rendered, gone);
      await replaceAggregates(built.dir, outDir);
      await updateFiles(built.dir, outDir, files.hashes(), previous.files);
      searchPages = built.searchPages;
    } else {
      const built = await renderSite(sitePackage, scratch, records, { data: toRender, ...(inParts ? { parts: madeParts() } : {}) }, siteUrl, progress, keptRenderer && { ...keptRenderer, fresh: true });
      pages = (await countHtml(built.dir, ["skills"])) + skillPages();
      searchPages = built.searchPages;
      await writeFile(join(built.dir, MARKER), MARKER_TEXT);
      await rm(outDir, { recursive: true, force: true });
      await rename(built.dir, outDir);
    }
    const record = { renderer, skills, files: files.hashes() };
    if (cache) await cache.save(outDir, MARKER, MARKER_TEXT, record).catch((e: Error) => problem(`the site cache was not saved: ${e.message}`));
    return {
      reusedSkills: reused.size,
      cachedScans: scanCache.stats.hits,
      scannedVersions: scanCache.stats.misses,
      outDir,
      ...counts,
      pages,
      searchPages,
      newest,
      heldSkills: decidedParts.mostHeld,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The index and well-known files of the site as the build makes them: each is hashed as it
 * comes (the cache's record, the signed metadata) and written under `dir` at once, unless the
 * last build's output holds it as it is now (`before`: path -> sha256); no text is kept. Paths
 * come from git trees (hostile): each must be a plain relative path, and one path is written once.
 */
class SiteFiles {
  private readonly digest = new Map<string, { sha256: string; length: number }>();
  private readonly folders = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly before: ReadonlyMap<string, string> | undefined,
  ) {}

  /** With `replace`, the file takes the place of one put before at its path (a sealed skill's index file). */
  put(path: string, content: string | Uint8Array, { replace = false } = {}): void {
    const bad = checkRelativePath(path);
    if (bad) throw new SkillregError(`refusing to write ${JSON.stringify(path)} into the site: ${bad.message}`);
    if (!replace && this.digest.has(path)) throw new SkillregError(`two outputs want the same file ${path}`);
    const sha256 = createHash("sha256").update(content).digest("hex");
    this.digest.set(path, { sha256, length: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength });
    const file = join(this.dir, ...path.split("/"));
    // Unchanged: the output keeps the last build's file (and not what this build put there before).
    if (this.before?.get(path) === sha256) {
      if (replace) rmSync(file, { force: true });
      return;
    }
    if (!this.folders.has(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    this.folders.add(dirname(file));
    // Written synchronously: tens of thousands of small awaited writes cost more in hops to the thread pool than in writing.
    writeFileSync(file, content);
  }

  /** Path -> sha256 of every file put. */
  hashes(): Map<string, string> {
    return new Map([...this.digest].map(([path, d]) => [path, d.sha256]));
  }

  /** Path -> length and sha256 of every file put so far (what signed metadata names). */
  digests(): ReadonlyMap<string, { sha256: string; length: number }> {
    return this.digest;
  }
}

/** `scope/name` -> how many pages the skill has: its page, and each version's page and file pages. */
function skillPageCounts(data: Pick<SiteData, "skills" | "versions">): Map<string, number> {
  const counts = new Map(data.skills.map((s) => [`${s.scope}/${s.name}`, 1]));
  for (const v of data.versions) counts.set(`${v.scope}/${v.name}`, (counts.get(`${v.scope}/${v.name}`) ?? 1) + 1 + v.contents.length);
  return counts;
}

/** The page (`<name>.html`) and page folder (`<name>/`) of skill `scope/name` under `siteDir`. */
const skillPagePaths = (siteDir: string, key: string) => {
  const [scope, name] = key.split("/") as [string, string];
  return [join(siteDir, "skills", scope, `${name}.html`), join(siteDir, "skills", scope, name)];
};

/**
 * In `outDir`: delete the pages of the skills rendered again and of those `gone`, and move the
 * rendered skills' pages in from `siteDir`. A scope folder left empty goes too.
 */
async function replaceSkillPages(siteDir: string, outDir: string, rendered: readonly string[], gone: readonly string[]): Promise<void> {
  await forEachLimit([...rendered, ...gone], 16, async (key) => {
    for (const path of skillPagePaths(outDir, key)) await rm(path, { recursive: true, force: true });
  });
  for (const key of rendered) {
    const from = skillPagePaths(siteDir, key);
    const to = skillPagePaths(outDir, key);
    await mkdir(dirname(to[0]!), { recursive: true });
    for (let i = 0; i < from.length; i++) await rename(from[i]!, to[i]!).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
  }
  for (const scope of new Set(gone.map((key) => key.split("/")[0]!))) {
    await rmdir(join(outDir, "skills", scope)).catch((e: NodeJS.ErrnoException) => (e.code === "ENOTEMPTY" || e.code === "ENOENT" ? undefined : Promise.reject(e)));
  }
}

/** Folders of the output the rebuild updates file by file rather than replacing. */
const KEPT_IN_PLACE = new Set(["skills", "index", ".well-known", MARKER]);

/**
 * Everything else in the output (home, browse and scope pages, the audit and security
 * pages, styles and scripts, the search index) is replaced by what `siteDir` holds.
 */
async function replaceAggregates(siteDir: string, outDir: string): Promise<void> {
  for (const entry of await readdir(outDir)) if (!KEPT_IN_PLACE.has(entry)) await rm(join(outDir, entry), { recursive: true, force: true });
  for (const entry of await readdir(siteDir)) if (!KEPT_IN_PLACE.has(entry)) await rename(join(siteDir, entry), join(outDir, entry));
}

/**
 * Move the index and well-known files whose bytes changed since the last build (by their
 * hashes then and now; SiteFiles wrote them under `siteDir`) into `outDir`, and delete those it
 * had and this one has not, with folders left empty.
 */
async function updateFiles(siteDir: string, outDir: string, now: ReadonlyMap<string, string>, before: ReadonlyMap<string, string>): Promise<void> {
  const changed = [...now.keys()].filter((path) => before.get(path) !== now.get(path));
  const fileIn = (root: string, path: string) => join(root, ...path.split("/"));
  // The folders come from the last build's output (a cache): one that links out of it is refused.
  const root = await realpath(outDir);
  const checkInside = async (dir: string) => {
    const real = await realpath(dir);
    if (real !== root && !real.startsWith(root + sep)) throw new SkillregError(`${dir} leads out of ${outDir}: build into an empty --out folder`);
  };
  await forEachLimit([...new Set(changed.map((path) => dirname(fileIn(outDir, path))))], 16, async (dir) => {
    await mkdir(dir, { recursive: true });
    await checkInside(dir);
  });
  await forEachLimit(changed, 16, (path) => rename(fileIn(siteDir, path), fileIn(outDir, path)));
  const gone = [...before.keys()].filter((path) => !now.has(path));
  await forEachLimit(gone, 16, async (path) => {
    const file = fileIn(outDir, path);
    if (!existsSync(dirname(file))) return;
    await checkInside(dirname(file));
    await rm(file, { force: true });
  });
  for (const path of gone) {
    for (let dir = dirname(path); dir !== "." && dir !== ""; dir = dirname(dir)) {
      const empty = await rmdir(join(outDir, ...dir.split("/"))).then(
        () => true,
        () => false,
      );
      if (!empty) break;
    }
  }
}

/**
 * The sealed versions the build opens: those of skills made public (their file keys are
 * disclosed) and, for an internal build, the others with the build's key. Undefined when the
 * registry has no sealed versions.
 */
async function openSealed(facts: RegistryFacts, opts: SiteBuildOptions, progress: (step: string) => void, problem: (message: string) => void) {
  if (!facts.versions.some(hasSealedTree)) return undefined;
  const count = facts.versions.filter(isSealedVersion).length;
  if (opts.audience === "public" || count === 0) return openSealedVersions(facts, undefined, (m) => problem(`left out of the index: ${m}`));
  if (!opts.sealIdentity) {
    throw new SkillregError(
      `the registry holds ${count} sealed versions: an internal build opens them, so pass a member's key with --identity <ssh key> (or set SKILLREG_GATE_KEY in CI)`,
    );
  }
  progress(`opening ${count} sealed versions with ${opts.sealIdentity.source}`);
  return openSealedVersions(facts, opts.sealIdentity, (m) => problem(`left out of the index: ${m}`));
}

/**
 * Pages and search index, in `scratch`. Astro renders the pages in this process while the
 * search index of the skills is written into the folder beside them (`extra`) that already
 * holds the index files (and, once the parts are rendered, the well-known files).
 * Returns the assembled folder.
 */
async function renderSite(
  sitePackage: SitePackage,
  scratch: string,
  records: SearchRecord[],
  { data: toRender, parts }: { data: SiteData; parts?: Iterable<Pick<SiteData, "skills" | "versions">> },
  siteUrl: string | undefined,
  progress: (step: string) => void,
  kept?: KeptRenderer & { fresh?: boolean },
): Promise<{ dir: string; searchPages: number }> {
  const site = join(scratch, "site");
  const extra = join(scratch, "extra");
  const what = parts ? "the skills' pages in parts" : `${toRender.skills.length} skill pages and ${toRender.versions.length} version pages`;
  const astroBuild = () => {
    progress(`rendering ${what} with Astro`);
    return sitePackage.renderCatalog({ data: toRender, ...(parts ? { parts } : {}), workDir: join(scratch, "astro"), outDir: site, ...(siteUrl ? { siteUrl } : {}), ...(kept ? { keep: kept } : {}) }).catch((e: Error) => {
      throw new SkillregError(`the Astro build failed: ${e.message.split("\n")[0]}`);
    });
  };
  const useKept = kept !== undefined && !kept.fresh && (await keptRendererUsable(kept.dir, kept.renderer));
  const render = !useKept
    ? astroBuild()
    : (progress(`rendering ${what} with the kept Astro bundle`),
      sitePackage.renderKept({ data: toRender, rendererDir: kept.dir, workDir: join(scratch, "kept"), outDir: site }).catch(async (e: Error) => {
        // A bundle that does not render (a spoilt cache) costs an Astro build, which keeps a new one.
        progress(`the kept Astro bundle failed (${e.message.split("\n")[0]})`);
        await rm(site, { recursive: true, force: true });
        return astroBuild();
      }));
  progress(`indexing ${records.length} skills for search`);
  const search = sitePackage.indexForSearch(extra, records);
  // Wait for both before failing, so nothing still writes into the scratch folder.
  const settled = await Promise.allSettled([render, search]);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;

  for (const entry of await readdir(extra)) {
    await rename(join(extra, entry), join(site, entry)).catch((e: NodeJS.ErrnoException) => {
      throw new SkillregError(`the site and the index both want ${entry}/ (${e.code})`);
    });
  }
  return { dir: site, searchPages: await search };
}

/**
 * One search record per skill, found by the words of its name, scope and description; search
 * shows results in this order (the index's order of skills).
 */
export function searchRecords(skills: IndexAll["skills"], pagePaths: SitePackage["pagePaths"]): SearchRecord[] {
  return skills.map((s) => ({ url: pagePaths.skill(s.scope, s.name), title: `@${s.scope}/${s.name}`, description: s.description, version: s.latest, decision: s.decision }));
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
function withoutActiveContent(onProblem: (message: string) => void): (skill: CatalogSkill) => boolean {
  return (s) => {
    const active = s.latest.entry.files.find((f) => ACTIVE_CONTENT.test(f.path));
    if (active === undefined) return true;
    onProblem(`@${s.entry.scope}/${s.entry.name}: not served under /.well-known/skills/: its ${active.path} would run as a web page on the catalog's origin`);
    return false;
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

/** The .html files below `dir`, but for its top-level folders named in `except`. */
async function countHtml(dir: string, except: readonly string[] = []): Promise<number> {
  let n = 0;
  for (const top of await readdir(dir, { withFileTypes: true })) {
    if (except.includes(top.name)) continue;
    if (top.isFile()) n += top.name.endsWith(".html") ? 1 : 0;
    else if (top.isDirectory()) n += (await readdir(join(dir, top.name), { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith(".html")).length;
  }
  return n;
}
