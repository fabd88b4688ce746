import { createHash, randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NAME_PATTERN, checkRelativePath, readCacheJson, validatorFor } from "../core/index.js";
import type { SiteData } from "./catalog.js";

/**
 * What a rebuild needs to know of the last build to update its output in place: the hash of
 * what each skill's pages show (the skill's and its versions' view models, the registry
 * fields every page's layout shows, and the renderer: the @skillreg/site files and Astro's
 * version), and the hash of every index and well-known file. The output folder of the last
 * build is the page cache: a rebuild renders only the skills whose hash changed, moves their
 * pages into it, deletes the pages of skills that left, and rewrites the aggregate pages, the
 * search index and the index files that changed. A skill's own pages name no commit
 * (Base.astro), so a kept page is byte for byte what a full build would write.
 *
 * The state and the folder travel between CI runs (actions/cache), so both are checked
 * before any is reused, and any doubt means a full build: the state must match its JSON
 * Schema (names as the registry allows them, file paths plain and relative under index/ or
 * .well-known/), come from the same renderer, and name the stamp the output folder's marker
 * carries (a build that died half-way cleared it); the output's skills/ folder must hold the
 * pages of the state's skills and nothing else. The content of a kept page is not read again:
 * only the workflows on the default branch write that cache.
 */

const STATE_FORMAT = "skillreg-site-state/1";
const name = NAME_PATTERN.slice(1, -1);
const hex64 = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;

const stateSchema = {
  type: "object",
  additionalProperties: false,
  required: ["format", "renderer", "stamp", "skills", "files"],
  properties: {
    format: { const: STATE_FORMAT },
    renderer: hex64,
    stamp: { type: "string", pattern: "^[0-9a-f]{32}$" },
    skills: {
      type: "object",
      propertyNames: { pattern: `^${name}/${name}$` },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["page", "input", "pages"],
        properties: {
          /** The hash of what its pages show (skillPageHashes). */
          page: hex64,
          /** The hash of what its view model is made from (skillInputKeys). */
          input: hex64,
          /** How many pages it has. */
          pages: { type: "integer", minimum: 1 },
        },
      },
    },
    /** Site-relative path of an index or well-known file -> the sha256 of its bytes. */
    files: { type: "object", propertyNames: { pattern: "^(index|\\.well-known)/[^\\\\]+$", maxLength: 1024 }, additionalProperties: hex64 },
  },
} as const;

const KEPT_RENDERER_FORMAT = "skillreg-kept-renderer/1";

/**
 * renderer.json, beside the Astro server bundle @skillreg/site keeps for rebuilds
 * (site/kept-renderer.mjs writes it): the renderer that made the bundle, the bundle's
 * manifest module, and the page routes Astro resolved.
 */
const keptRendererSchema = {
  type: "object",
  additionalProperties: false,
  required: ["format", "renderer", "manifest", "routes"],
  properties: {
    format: { const: KEPT_RENDERER_FORMAT },
    renderer: hex64,
    manifest: { type: "string", pattern: "^manifest_[A-Za-z0-9_-]+\\.mjs$" },
    routes: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["route", "regex", "component", "params", "pathname", "segments"],
        properties: {
          route: { type: "string" },
          regex: { type: "string" },
          component: { type: "string", pattern: "\\.astro$" },
          params: { type: "array", items: { type: "string" } },
          pathname: { type: ["string", "null"] },
          segments: {
            type: "array",
            items: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["content", "dynamic", "spread"],
                properties: { content: { type: "string" }, dynamic: { type: "boolean" }, spread: { type: "boolean" } },
              },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * Whether `dir` holds an Astro server bundle kept by `renderer` (renderer.json of its schema
 * naming it). The bundle is code the build then imports: the cache folder it sits in is
 * trusted as far as whoever can write it, which on GitHub is only the default branch's
 * workflows (skillreg-release.yml); renderer.json is read like every cache file, bounded and
 * never through a link.
 */
export async function keptRendererUsable(dir: string, renderer: string): Promise<boolean> {
  const value = readCacheJson(join(dir, "renderer.json"), 1024 * 1024);
  return validatorFor(keptRendererSchema)(value) && (value as { renderer: string }).renderer === renderer;
}

/** What the state keeps of one skill (see the schema). */
export interface SkillRecord {
  page: string;
  input: string;
  pages: number;
}

export interface SiteStateRecord {
  renderer: string;
  skills: Map<string, SkillRecord>;
  files: Map<string, string>;
}

const sha256 = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The sha256 of every file of `trees` (site-relative path -> bytes). */
export function fileHashes(trees: readonly ReadonlyMap<string, string | Uint8Array>[]): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const tree of trees) for (const [path, content] of tree) hashes.set(path, sha256(content));
  return hashes;
}

/**
 * A hash of the renderer: the files the site package publishes (its package.json `files`, so
 * what Astro generates inside it does not count) and Astro's version.
 */
export async function rendererFingerprint(packageDir: string): Promise<string> {
  const hash = createHash("sha256");
  const manifest = await readFile(join(packageDir, "package.json"), "utf8");
  hash.update(manifest);
  const files: string[] = [];
  for (const entry of (JSON.parse(manifest) as { files?: string[] }).files ?? []) {
    const path = join(packageDir, entry);
    const st = await stat(path).catch(() => undefined);
    if (st?.isFile()) files.push(path);
    else if (st?.isDirectory()) {
      for (const e of await readdir(path, { recursive: true, withFileTypes: true })) if (e.isFile()) files.push(join(e.parentPath, e.name));
    }
  }
  for (const f of files.sort()) hash.update(f.slice(packageDir.length)).update("\0").update(await readFile(f));
  const astro = createRequire(join(packageDir, "package.json")).resolve("astro/package.json");
  hash.update((JSON.parse(await readFile(astro, "utf8")) as { version: string }).version);
  return hash.digest("hex");
}

/**
 * A hash of the code that makes the view model: the files of this module's folder (the
 * bundle, when skillreg runs from its dist/; registry/site-build/ in a source checkout), so a
 * new skillreg makes every view model again rather than trust one an older one made.
 */
export async function codeFingerprint(): Promise<string> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256");
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(entry.name).update("\0").update(await readFile(join(dir, entry.name)));
  }
  return hash.digest("hex");
}

/** `scope/name` -> the hash of what that skill's pages show. */
export function skillPageHashes(data: SiteData, renderer: string): Map<string, string> {
  const { commit: _commit, ...registry } = data.registry;
  const shared = JSON.stringify([renderer, registry]);
  const versionsOf = new Map<string, unknown[]>();
  for (const v of data.versions) {
    const key = `${v.scope}/${v.name}`;
    versionsOf.set(key, [...(versionsOf.get(key) ?? []), v]);
  }
  const hashes = new Map<string, string>();
  for (const s of data.skills) {
    const key = `${s.scope}/${s.name}`;
    hashes.set(key, sha256(JSON.stringify([shared, s, versionsOf.get(key) ?? []])));
  }
  return hashes;
}

/**
 * Run `each` on every item, `limit` at a time: many small file operations overlap their waits.
 * The first failure stops the rest, and is thrown once every running call has ended.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await each(items[next++]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = settled.find((r) => r.status === "rejected");
  if (failure) throw failure.reason;
}

/** The line of the output folder's marker that ties it to the state that describes it. */
const stampLine = (stamp: string) => `build ${stamp}\n`;

export class SiteState {
  private readonly file: string;

  constructor(root: string) {
    this.file = join(root, "state.json");
  }

  /**
   * The state of the last build, when `outDir` holds its output as it left it and `renderer`
   * made it; else undefined, with why (told to `onDoubt`) so the caller builds in full.
   */
  async usable(outDir: string, marker: string, renderer: string, onDoubt: (why: string) => void): Promise<SiteStateRecord | undefined> {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.file, "utf8"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") onDoubt(`the site cache's state is unreadable (${(e as Error).message.split("\n")[0]})`);
      return undefined;
    }
    if (!validatorFor(stateSchema)(value)) return doubt(onDoubt, "the site cache's state does not match its schema");
    const state = value as { renderer: string; stamp: string; skills: Record<string, SkillRecord>; files: Record<string, string> };
    if (state.renderer !== renderer) return doubt(onDoubt, "the site cache was made by another version of the catalog's renderer");
    const bad = Object.keys(state.files).find((path) => checkRelativePath(path) !== undefined);
    if (bad !== undefined) return doubt(onDoubt, `the site cache names an index file at an unsafe path`);
    const markerText = await readFile(join(outDir, marker), "utf8").catch(() => "");
    if (!markerText.endsWith(stampLine(state.stamp))) return doubt(onDoubt, `${outDir} is not the output the site cache describes`);
    const skills = new Map(Object.entries(state.skills));
    const stray = await strayInSkills(outDir, skills);
    if (stray !== undefined) return doubt(onDoubt, `${outDir} is not as the last build left it: ${stray}`);
    return { renderer, skills, files: new Map(Object.entries(state.files)) };
  }

  /**
   * Mark `outDir` as being changed: a build that dies from here on leaves a marker without
   * a stamp, so the next build is a full one.
   */
  async begin(outDir: string, marker: string, text: string): Promise<void> {
    await writeFile(join(outDir, marker), text);
  }

  /** Record the build just finished in `outDir`: the state first, then the marker naming it. */
  async save(outDir: string, marker: string, text: string, record: SiteStateRecord): Promise<void> {
    const stamp = randomBytes(16).toString("hex");
    const sorted = <T>(m: ReadonlyMap<string, T>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
    const state = { format: STATE_FORMAT, renderer: record.renderer, stamp, skills: sorted(record.skills), files: sorted(record.files) };
    await mkdir(dirname(this.file), { recursive: true });
    // Earlier skillreg versions kept a copy of every page here (pages/, manifest.json); the
    // output folder holds them now, and CI would carry the copy on from cache to cache.
    await rm(join(dirname(this.file), "pages"), { recursive: true, force: true });
    await rm(join(dirname(this.file), "manifest.json"), { force: true });
    await writeFile(`${this.file}.tmp`, JSON.stringify(state));
    await rename(`${this.file}.tmp`, this.file);
    await writeFile(join(outDir, marker), text + stampLine(stamp));
  }
}

function doubt(onDoubt: (why: string) => void, why: string): undefined {
  onDoubt(why);
  return undefined;
}

/**
 * Why `outDir` is not as a build of `skills` left it, if it is not: an entry of its skills/
 * that is not a page or page folder of one of them (`<scope>/<name>.html`, `<scope>/<name>/`),
 * one of them without its page or page folder, or a folder the rebuild writes into that is a
 * link. An output changed after the build that
 * wrote it is not updated in place.
 */
async function strayInSkills(outDir: string, skills: ReadonlyMap<string, unknown>): Promise<string | undefined> {
  // The folders a rebuild writes into must be folders of the output, not links out of it.
  for (const top of ["index", ".well-known"]) {
    const st = await lstat(join(outDir, top)).catch(() => undefined);
    if (st && !st.isDirectory()) return `${top} is not a folder`;
  }
  const root = join(outDir, "skills");
  const st = await lstat(root).catch(() => undefined);
  if (!st) return skills.size === 0 ? undefined : "it has no skills/ folder";
  if (!st.isDirectory()) return "skills is not a folder";
  const seen = new Set<string>();
  for (const scope of await readdir(root, { withFileTypes: true })) {
    if (!scope.isDirectory()) return `skills/${scope.name} is not a folder`;
    for (const entry of await readdir(join(root, scope.name), { withFileTypes: true })) {
      const skill = entry.isDirectory() ? entry.name : entry.isFile() && entry.name.endsWith(".html") ? entry.name.slice(0, -".html".length) : undefined;
      if (skill === undefined || !skills.has(`${scope.name}/${skill}`)) return `skills/${scope.name}/${entry.name} is no page of a skill it built`;
      seen.add(`${scope.name}/${entry.name}`);
    }
  }
  // Every skill it built has its page and its folder of version pages.
  for (const key of skills.keys()) {
    for (const entry of [`${key}.html`, key]) if (!seen.has(entry)) return `skills/${entry} is missing`;
  }
  return undefined;
}
