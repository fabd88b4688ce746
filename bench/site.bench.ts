/**
 * `npm run bench site`: the static site (index, catalog pages, search) of a generated registry
 * of 10,000 skills, against a bare Astro build of the same pages. In one child process:
 *   1. the full build with search, from an empty cache folder;
 *   2. a bare Astro build of the same pages (@skillreg/site's renderCatalog on the same view
 *      model as one Astro build, no parts, no index files, no search), in a process of its own so that it starts as fresh
 *      as the full build did and the peak memory measured is the full build's: the baseline;
 *   3. one skill publishes a new version; the build runs again with the same cache folder;
 *   4. Chromium opens the built home page, searches, and counts the bytes the first query
 *      downloads (everything under /search/).
 * Targets (issue 15): full <= 2x bare, peak < 2 GiB, incremental <= 5% of full, first query
 * < 300 KB.
 *
 * --large adds 100,000 skills. First the index and search, in a child process of its own:
 * the index (signatures, scans) written to disk one skill at a time as the skills are
 * generated (writeIndex: only each skill's summary is kept), timed without the generating,
 * with that process's peak, and the search index in a process of its own (time and peak);
 * then the 100,000-skill search index is put in place of a small built
 * site's and Chromium measures the first query of a few searches. Then the catalog of 100,000
 * skills (about 210,000 pages), in a child process of its own: the full build with search
 * against a bare Astro build of the same pages, and the full build's peak, as at 10,000 (no
 * incremental build). The build writes the index files as it decides them (keeping their
 * hashes, not their texts), and holds at most 10,000 decided skills (with their files): the
 * other parts wait on disk until they render, and the view model is made a part at a time, so
 * what it holds before Astro does not follow the registry (the generated facts it is handed do,
 * until it has decided them; the catalog child generates them as the build reads them, and
 * takes the time generating off). `--catalog-child N` runs that part alone for N skills, and prints
 * the full build's time, CPU time and peak, and the decided skills it held at most, before the
 * bare build starts.
 *
 * The registry facts are generated in memory (real signed tag objects, real file bytes) rather
 * than read from a git repository: what is measured is the site build, which starts from facts.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gitObjectId } from "../registry/git/objects.js";
import type { PublishedVersionFacts, RegistryFacts, RegistryHead } from "../registry/index/gather.js";
import { buildIndexModel, writeIndex } from "../registry/index/build.js";
import { buildSiteFromFacts, buildSiteData, searchRecords, serveStatic, type SearchRecord, type SiteData } from "../registry/site-build/index.js";
import { pagePaths } from "@skillreg/site/paths";
import { launchChromium } from "../test/site/browser.js";
import { LARGE, reportTarget } from "./targets.js";
import { ed25519Blob } from "../registry/trust/ssh-keys.js";
import { signSshsig } from "../registry/trust/sshsig.js";
import { buildTagPayload, taggerFor } from "../registry/trust/tags.js";
import { loadScanner } from "../registry/core/scanner.js";

// The registry scans through the scanner it loads on demand (registry/core/scanner.ts).
await loadScanner();

const GiB = 1024 ** 3;
const SKILLS_PER_SCOPE = 100;
const MiB = 1024 * 1024;

function skillMd(name: string, version: string, i: number): string {
  return `---
name: ${name}
description: Generated skill number ${i} that formats, checks and deploys service ${i % 97} safely
license: Apache-2.0
allowed-tools: Bash(scripts/run.sh) Read
metadata:
  version: "${version}"
---

# ${name}

Use this skill when the user asks to check or deploy service ${i % 97}.

## Steps

1. Read \`config/service-${i % 97}.yaml\` and check the fields listed below.
2. Run \`scripts/run.sh --check\` and read its report.
3. When the report is clean, run \`scripts/run.sh --deploy\` and wait for it to finish.

| field | meaning |
|-------|---------|
| name | the service name |
| replicas | how many copies run |

\`\`\`bash
scripts/run.sh --check
\`\`\`

## Guardrails

- Reads files in the project only; never writes outside it.
- Asks before deploying.
`;
}

const RUN_SH = `#!/bin/sh
set -eu
case "\${1:-}" in
  --check) echo "checking" ;;
  --deploy) echo "deploying" ;;
  *) echo "usage: run.sh --check|--deploy" >&2; exit 2 ;;
esac
`;

const principal = "publisher@bench.example";
const start = Date.parse("2026-01-01T00:00:00Z");
const enc = new TextEncoder();

/** One signed version of skill number `i`, published `minute` minutes after the start. */
function versionFacts(i: number, version: string, minute: number, key: BenchKey): PublishedVersionFacts {
  const scope = `team-${Math.floor(i / SKILLS_PER_SCOPE)}`;
  const name = `skill-${i}`;
  const files = [
    { path: "SKILL.md", mode: "100644", bytes: enc.encode(skillMd(name, version, i)) },
    { path: "scripts/run.sh", mode: "100755", bytes: enc.encode(RUN_SH) },
  ].map((f) => ({ ...f, oid: gitObjectId("blob", f.bytes) }));
  const tree = gitObjectId("tree", enc.encode(files.map((f) => `${f.mode} ${f.path} ${f.oid}`).join("\n")));
  const publishedAt = new Date(start + minute * 60_000);
  const payload = buildTagPayload({ object: tree, type: "tree", tag: `@${scope}/${name}@${version}`, tagger: taggerFor(principal, publishedAt), message: `release @${scope}/${name}@${version}\n` });
  const tagBytes = Buffer.concat([payload, Buffer.from(signSshsig(payload, key.privateKey, key.blob, "git"))]);
  const tagObjectId = gitObjectId("tag", tagBytes);
  return { scope, name, version, publishFile: `publish/${scope}/${name}/${version}.tag`, tagBytes, tagObjectId, refTagObjectId: tagObjectId, tree, files, treeMissing: false, publishedAt: publishedAt.toISOString(), publishersAtRelease: [principal] };
}

type BenchKey = { privateKey: KeyObject; blob: Buffer };

/** The key every generated version is signed with. */
function generateKey(): BenchKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "jwk" }).x!;
  return { privateKey, blob: ed25519Blob(Buffer.from(raw, "base64url")) };
}

/** What a generated registry of `count` skills holds besides its versions. */
function generatedHead(count: number, key: BenchKey): RegistryHead {
  const scopeTexts = new Map<string, string>();
  for (let s = 0; s < Math.ceil(count / SKILLS_PER_SCOPE); s++) {
    scopeTexts.set(`team-${s}`, `scope: team-${s}\nvisibility: public\nmembers:\n  ${principal}: owner\n`);
  }
  return {
    commit: "0".repeat(40),
    configText: `name: bench-registry\nadmins: [${principal}]\n`,
    allowedSignersText: `${principal} namespaces="git" ssh-ed25519 ${key.blob.toString("base64")}\n`,
    scopeTexts,
    strayPublishFiles: [],
  };
}

/**
 * The versions of a generated registry of `count` skills, one skill at a time: every 10th has
 * a second version. `generating.ms` counts the time spent making them (signing), which is the
 * bench's and not the index's.
 */
function* generatedSkills(count: number, key: BenchKey, generating = { ms: 0 }): Generator<PublishedVersionFacts[]> {
  let published = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const versions = (i % 10 === 0 ? ["1.0.0", "1.1.0"] : ["1.0.0"]).map((version) => versionFacts(i, version, i * 2 + published++, key));
    generating.ms += performance.now() - t;
    yield versions;
  }
}

/** Facts of a registry of `count` skills, all in memory (the site build decides its catalog from them). */
export function generateFacts(count: number): { facts: RegistryFacts; key: BenchKey } {
  const key = generateKey();
  return { facts: { ...generatedHead(count, key), versions: [...generatedSkills(count, key)].flat() }, key };
}

interface ChildResult {
  skills: number;
  pages: number;
  fullSeconds: number;
  bareSeconds: number;
  incrementalSeconds: number;
  reusedSkills: number;
  cachedScans: number;
  peakBytes: number;
  firstQueryBytes: number;
}

/**
 * Astro alone rendering the view model of `count` generated skills (the pages the full build
 * renders, nothing else), in a child process of its own. The child generates the same registry
 * (other keys, so other signature bytes: the same pages) and times renderCatalog only.
 */
function bareAstro(work: string, count: number, siteUrl: string): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--bare", String(count), work, siteUrl], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`bare Astro build failed (exit ${r.status})`);
  return Number(r.stdout.trim().split("\n").at(-1));
}

/** The child side of bareAstro: prints the seconds renderCatalog took. */
async function bareChild(count: number, work: string, siteUrl: string): Promise<void> {
  const site = (await import("@skillreg/site" as string)) as { renderCatalog(build: { data: SiteData; workDir: string; outDir: string; skillsPerPart?: number }): Promise<void> };
  const { facts } = generateFacts(count);
  const model = buildIndexModel(facts, { audience: "public", siteUrl });
  const data = buildSiteData(model, [], { audience: "public", siteUrl, commit: facts.commit, pagePaths });
  const t = performance.now();
  const cpu = process.cpuUsage();
  // One Astro build of every page, as Astro alone builds a site (the full build renders in parts).
  await site.renderCatalog({ data, workDir: join(work, "astro"), outDir: join(work, "out"), skillsPerPart: Infinity });
  const seconds = (performance.now() - t) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  process.stderr.write(`  › bare Astro build: ${seconds.toFixed(1)} s (${((user + system) / 1e6).toFixed(1)} s of CPU)\n`);
  process.stdout.write(`${seconds}\n`);
}

/** Bytes a browser downloads under /search/ for its first query on the home page (a fresh profile). */
async function firstQueryBytes(siteDir: string, query: string): Promise<number> {
  const server = await serveStatic(siteDir);
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await page.goto(server.url, { waitUntil: "load" });
    let bytes = 0;
    page.on("requestfinished", (req) => {
      if (new URL(req.url()).pathname.includes("/search/")) void req.sizes().then((s) => (bytes += s.responseBodySize + s.responseHeadersSize));
    });
    await page.locator("input[type=search]").fill(query);
    await page.locator(".search-results a").first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    return bytes;
  } finally {
    await chromium.close();
    await server.close();
  }
}

/**
 * The full build of `count` generated skills into `out`, then a bare Astro build of the same
 * pages: times, and the full build's peak. With `keepFacts`, the generated facts are returned
 * (to build again from); without, only the build holds them, as `skillreg build` holds the
 * facts it reads, so the peak is the build's and not the bench's copy.
 */
async function fullAndBare(out: string, count: number, keepFacts: boolean) {
  // With keepFacts, generated before the clock starts (to build again from); without, generated
  // a skill at a time as the build reads them, as `skillreg build` reads a registry, so the
  // peak is the build's and not the bench's copy (the time generating is taken off).
  const generated = keepFacts ? generateFacts(count) : undefined;
  const generating = { ms: 0 };
  const key = generateKey();
  const stream = async function* () {
    yield* generatedSkills(count, key, generating);
  };
  const opts = { outDir: join(out, "site"), audience: "public" as const, baseUrl: "https://skills.bench.example/", cacheDir: join(out, "cache") };
  const t = performance.now();
  const cpu = process.cpuUsage();
  const full = await buildSiteFromFacts(generated?.facts ?? { head: generatedHead(count, key), skills: stream() }, [], { ...opts, onProgress: progress(t) });
  const fullSeconds = (performance.now() - t - generating.ms) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const fullPeakBytes = process.resourceUsage().maxRSS * 1024;
  process.stderr.write(
    `  › full build of ${full.skills} skills (${full.pages} pages): ${fullSeconds.toFixed(1)} s (${((user + system) / 1e6).toFixed(1)} s of CPU in this process), peak ${(fullPeakBytes / MiB).toFixed(0)} MiB, at most ${full.heldSkills} decided skills held\n`,
  );

  process.stderr.write("  › bare Astro build of the same pages\n");
  const bareSeconds = bareAstro(join(out, "bare"), count, opts.baseUrl);
  rmSync(join(out, "bare"), { recursive: true, force: true });
  return { generated, opts, full, fullSeconds, fullPeakBytes, bareSeconds };
}

/** The 10,000-skill run: full build, bare Astro build, incremental build, first query. */
async function child(count: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "skillreg-bench-site-"));
  try {
    const { generated, opts, full, fullSeconds, bareSeconds } = await fullAndBare(out, count, true);
    const { facts, key } = generated!;

    // One skill publishes a new version (a new commit), and the site is built again.
    const changed = { ...facts, commit: "1".repeat(40), versions: [...facts.versions, versionFacts(7, "1.2.0", count * 3, key)] };
    const t = performance.now();
    const again = await buildSiteFromFacts(changed, [], { ...opts, onProgress: progress(t) });
    const incrementalSeconds = (performance.now() - t) / 1000;

    const firstQuery = await firstQueryBytes(opts.outDir, "deploys service");
    const report: ChildResult = {
      skills: full.skills,
      pages: full.pages,
      fullSeconds,
      bareSeconds,
      incrementalSeconds,
      reusedSkills: again.reusedSkills,
      cachedScans: again.cachedScans,
      peakBytes: process.resourceUsage().maxRSS * 1024,
      firstQueryBytes: firstQuery,
    };
    process.stdout.write(JSON.stringify(report) + "\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * A progress line: the step, the seconds since `t` and the CPU seconds this process spent since
 * (on a loaded machine the wall time of a phase follows the neighbours, its CPU time less so),
 * this process's memory now and its peak so far (which step makes the peak).
 */
const progress = (t: number) => {
  const cpu = process.cpuUsage();
  return (step: string) => {
    const { user, system } = process.cpuUsage(cpu);
    process.stderr.write(
      `  › ${step} (${((performance.now() - t) / 1000).toFixed(1)} s, ${((user + system) / 1e6).toFixed(1)} s of CPU, ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB, peak ${((process.resourceUsage().maxRSS * 1024) / MiB).toFixed(0)} MiB)\n`,
    );
  };
};

interface CatalogChildResult {
  skills: number;
  pages: number;
  fullSeconds: number;
  bareSeconds: number;
  /** Of the process that generated the facts and built the site. */
  peakBytes: number;
}

/** The 100,000-skill catalog: the full build with search and a bare Astro build of the same pages (see the header). */
async function catalogChild(count: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "skillreg-bench-catalog-"));
  try {
    const { full, fullSeconds, fullPeakBytes, bareSeconds } = await fullAndBare(out, count, false);
    const report: CatalogChildResult = { skills: full.skills, pages: full.pages, fullSeconds, bareSeconds, peakBytes: fullPeakBytes };
    process.stdout.write(JSON.stringify(report) + "\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Searches measured at 100,000 skills: words every skill has, a name, a scope and a number. */
const LARGE_QUERIES = ["deploys service", "skill-4242", "team-7 number 77"];

interface SearchChildResult {
  skills: number;
  indexSeconds: number;
  indexFiles: number;
  /** Peak of the process that generated the facts and wrote the index, one skill at a time. */
  indexPeakBytes: number;
  searchSeconds: number;
  /** Peak of the process that read the records and wrote the search index. */
  searchPeakBytes: number;
  searchBytes: number;
  firstQueryBytes: Record<string, number>;
}

/** The 100,000-skill run: the index and the search index alone (see the header). */
async function searchChild(count: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "skillreg-bench-search-"));
  const say = progress(performance.now());
  try {
    const t = performance.now();
    const cpu = process.cpuUsage();
    say(`deciding the index of ${count} generated skills (signatures, scans) and writing its files, one skill at a time`);
    const key = generateKey();
    const indexDir = join(out, "index");
    const folders = new Set<string>();
    const generating = { ms: 0 };
    // Written synchronously: on this loaded machine 100,000 awaited writes, each a hop to the
    // thread pool and back, cost minutes of waiting for the scheduler.
    const index = await writeIndex(generatedHead(count, key), generatedSkills(count, key, generating), { audience: "public", siteUrl: "https://skills.bench.example/" }, async (path, text) => {
      const file = join(indexDir, path);
      if (!folders.has(dirname(file))) mkdirSync(dirname(file), { recursive: true });
      folders.add(dirname(file));
      writeFileSync(file, text);
    });
    const indexSeconds = (performance.now() - t - generating.ms) / 1000;
    // On a shared machine the wall time follows the load; the CPU time (generating included) less so.
    const { user, system } = process.cpuUsage(cpu);
    say(`index written: ${index.files} files in ${indexSeconds.toFixed(1)} s, besides ${(generating.ms / 1000).toFixed(1)} s generating the skills; ${((user + system) / 1e6).toFixed(1)} s of CPU for both`);
    const indexPeakBytes = process.resourceUsage().maxRSS * 1024;
    say(`indexing ${index.all.skills.length} skills for search, in a process of its own`);
    const records = searchRecords(index.all.skills, pagePaths);
    const recordsFile = join(out, "records.json");
    writeFileSync(recordsFile, JSON.stringify(records));
    const searchDir = join(out, "search-only");
    const search = runChild<{ seconds: number; peakBytes: number }>(["--search-index-child", recordsFile, searchDir], "the search index alone");
    const searchBytes = Number(spawnSync("du", ["-sb", join(searchDir, "search")], { encoding: "utf8" }).stdout.split("\t")[0]);

    // A real home page (and its site.js) of a small site, over the 100,000-skill search index.
    say("building a 20-skill site to serve the 100,000-skill search index from");
    const small = join(out, "site");
    await buildSiteFromFacts(generateFacts(20).facts, [], { outDir: small, audience: "public", baseUrl: "https://skills.bench.example/" });
    rmSync(join(small, "search"), { recursive: true, force: true });
    renameSync(join(searchDir, "search"), join(small, "search"));
    const firstQuery: Record<string, number> = {};
    for (const query of LARGE_QUERIES) firstQuery[query] = await firstQueryBytes(small, query);
    const report: SearchChildResult = {
      skills: records.length,
      indexSeconds,
      indexFiles: index.files,
      indexPeakBytes,
      searchSeconds: search.seconds,
      searchPeakBytes: search.peakBytes,
      searchBytes,
      firstQueryBytes: firstQuery,
    };
    process.stdout.write(JSON.stringify(report) + "\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The search index of the records in `recordsFile`, written under `outDir`: time and peak. */
async function searchIndexChild(recordsFile: string, outDir: string): Promise<void> {
  const site = (await import("@skillreg/site" as string)) as { indexForSearch(outDir: string, records: SearchRecord[]): Promise<number> };
  const records = JSON.parse(readFileSync(recordsFile, "utf8")) as SearchRecord[];
  const t = performance.now();
  await site.indexForSearch(outDir, records);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t) / 1000, peakBytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
}

/** Run this file as a child with `args`; its last stdout line is its JSON report. */
function runChild<T>(args: string[], what: string): T {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * MiB });
  if (r.status !== 0) {
    console.error(`site bench of ${what} failed (exit ${r.status})`);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as T;
}

function main(): void {
  console.log("skills   pages    full build   bare Astro   incremental (reused, cached scans)   peak      first query");
  const r = runChild<ChildResult>(["--child", "10000"], "10,000 skills");
  console.log(
    `${String(r.skills).padEnd(8)} ${String(r.pages).padEnd(8)} ${r.fullSeconds.toFixed(1).padStart(7)} s ${r.bareSeconds.toFixed(1).padStart(7)} s ${r.incrementalSeconds.toFixed(1).padStart(9)} s (${r.reusedSkills}, ${r.cachedScans})`.padEnd(88) +
      `${(r.peakBytes / MiB).toFixed(0).padStart(5)} MiB ${(r.firstQueryBytes / 1024).toFixed(0)} KB`,
  );
  reportTarget("site-10k-full-vs-bare-astro", r.fullSeconds / r.bareSeconds, "<=", 2, "x");
  reportTarget("site-10k-peak-memory", r.peakBytes / GiB, "<", 2, " GiB");
  reportTarget("site-10k-incremental-vs-full", (100 * r.incrementalSeconds) / r.fullSeconds, "<=", 5, "%", 1);
  reportTarget("search-first-query-10k", r.firstQueryBytes / 1024, "<", 300, " KB", 0);
  if (!LARGE) return;

  const big = runChild<SearchChildResult>(["--search-child", "100000"], "100,000 skills (index and search)");
  console.log(
    `\n${big.skills} skills, index and search only: index ${big.indexSeconds.toFixed(1)} s (${big.indexFiles} files; peak ${(big.indexPeakBytes / MiB).toFixed(0)} MiB), ` +
      `search index ${big.searchSeconds.toFixed(1)} s (${(big.searchBytes / MiB).toFixed(1)} MiB on disk; peak ${(big.searchPeakBytes / MiB).toFixed(0)} MiB)`,
  );
  for (const [query, bytes] of Object.entries(big.firstQueryBytes)) console.log(`  first query "${query}": ${(bytes / 1024).toFixed(1)} KB`);
  reportTarget("site-100k-index-peak-memory", big.indexPeakBytes / GiB, "<", 2, " GiB");
  reportTarget("site-100k-search-index-peak-memory", big.searchPeakBytes / GiB, "<", 2, " GiB");
  reportTarget("search-first-query-100k", Math.max(...Object.values(big.firstQueryBytes)) / 1024, "<", 300, " KB", 0);

  const catalog = runChild<CatalogChildResult>(["--catalog-child", "100000"], "100,000 skills (catalog pages)");
  console.log(
    `\n${catalog.skills} skills, catalog: ${catalog.pages} pages, full build ${catalog.fullSeconds.toFixed(1)} s, bare Astro ${catalog.bareSeconds.toFixed(1)} s, peak ${(catalog.peakBytes / MiB).toFixed(0)} MiB`,
  );
  reportTarget("site-100k-full-vs-bare-astro", catalog.fullSeconds / catalog.bareSeconds, "<=", 2, "x");
  reportTarget("site-100k-peak-memory", catalog.peakBytes / GiB, "<", 2, " GiB");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = (flag: string) => process.argv.indexOf(flag);
  if (at("--child") >= 0) await child(Number(process.argv[at("--child") + 1]));
  else if (at("--bare") >= 0) await bareChild(Number(process.argv[at("--bare") + 1]), process.argv[at("--bare") + 2]!, process.argv[at("--bare") + 3]!);
  else if (at("--catalog-child") >= 0) await catalogChild(Number(process.argv[at("--catalog-child") + 1]));
  else if (at("--search-child") >= 0) await searchChild(Number(process.argv[at("--search-child") + 1]));
  else if (at("--search-index-child") >= 0) await searchIndexChild(process.argv[at("--search-index-child") + 1]!, process.argv[at("--search-index-child") + 2]!);
  else main();
}
