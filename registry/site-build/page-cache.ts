import { createHash } from "node:crypto";
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { validatorFor } from "../core/index.js";
import type { SiteData } from "./catalog.js";

/**
 * The rendered pages of each skill (its page, its version pages and their file pages), kept between builds so a
 * rebuild renders only the skills whose pages would change. A skill's pages are stored under
 * the hash of everything they show: the skill's and its versions' view models, the registry
 * fields every page's layout shows, and the renderer (the @skillreg/site files and Astro's
 * version). Entries are content-addressed, so a build that dies half-way leaves at worst unused
 * folders, never a page filed under the wrong hash.
 *
 * The one value left out of the hash is the commit the site is built from, which every page's
 * footer names: a reused page keeps the commit it was rendered from, which still describes it
 * (nothing it shows changed since). Otherwise every commit would invalidate every page.
 */

const manifestSchema = {
  type: "object",
  additionalProperties: false,
  required: ["skills"],
  properties: {
    skills: { type: "object", additionalProperties: { type: "string", pattern: "^[0-9a-f]{64}$" } },
  },
} as const;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Put `from` at `to` as a hard link (no bytes copied), or as a copy where links are not
 * possible (another file system). Neither the build nor the cache ever writes into an
 * existing file, so sharing one is safe (a tool that edited the built site in place would edit
 * the cache too; CI uploads it as it is). Synchronous, like everything that places pages: a
 * rebuild places tens of thousands of files, and a promise per file cost more than the link
 * (35 s against a few for 43,000 pages on a loaded machine).
 */
function place(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "EMLINK" && code !== "ENOTSUP") throw e;
    copyFileSync(from, to, constants.COPYFILE_FICLONE);
  }
}

/** Place every file below `fromDir` at the same relative path below `toDir`; returns how many are pages (.html). */
function placeTree(fromDir: string, toDir: string): number {
  let pages = 0;
  const made = new Set<string>();
  for (const e of readdirSync(fromDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const to = join(toDir, relative(fromDir, join(e.parentPath, e.name)));
    const dir = dirname(to);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    place(join(e.parentPath, e.name), to);
    if (e.name.endsWith(".html")) pages++;
  }
  return pages;
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

export class SitePageCache {
  private readonly pagesDir: string;
  private readonly manifestFile: string;

  constructor(root: string) {
    this.pagesDir = join(root, "pages");
    this.manifestFile = join(root, "manifest.json");
  }

  /** The hashes of the last build's pages; empty when there is no usable manifest. */
  async load(): Promise<Map<string, string>> {
    try {
      const value: unknown = JSON.parse(await readFile(this.manifestFile, "utf8"));
      if (!validatorFor(manifestSchema)(value)) return new Map();
      return new Map(Object.entries((value as { skills: Record<string, string> }).skills));
    } catch {
      return new Map();
    }
  }

  /** Place the cached pages of `key` (stored under `hash`) in the site folder `siteDir`; returns how many. */
  restore(siteDir: string, key: string, hash: string): number {
    const [scope, name] = key.split("/") as [string, string];
    const from = join(this.pagesDir, hash);
    mkdirSync(join(siteDir, "skills", scope, name), { recursive: true });
    place(join(from, "skill.html"), join(siteDir, "skills", scope, `${name}.html`));
    return 1 + placeTree(join(from, "versions"), join(siteDir, "skills", scope, name));
  }

  /** Whether the pages of `hash` are in the cache. */
  has(hash: string): boolean {
    return existsSync(join(this.pagesDir, hash, "versions"));
  }

  /**
   * Record this build: store the pages of the skills just rendered (`rendered`), write the
   * manifest of every skill's hash, and drop the pages no skill uses any more.
   */
  async save(siteDir: string, hashes: ReadonlyMap<string, string>, rendered: Iterable<string>): Promise<void> {
    await mkdir(this.pagesDir, { recursive: true });
    await forEachLimit([...rendered], 32, async (key) => {
      const hash = hashes.get(key)!;
      const [scope, name] = key.split("/") as [string, string];
      const tmp = join(this.pagesDir, `.${hash}.${process.pid}`);
      await rm(tmp, { recursive: true, force: true });
      await mkdir(join(tmp, "versions"), { recursive: true });
      place(join(siteDir, "skills", scope, `${name}.html`), join(tmp, "skill.html"));
      // The version pages (<version>.html) and their file pages (<version>/files/...).
      placeTree(join(siteDir, "skills", scope, name), join(tmp, "versions"));
      await rm(join(this.pagesDir, hash), { recursive: true, force: true });
      await rename(tmp, join(this.pagesDir, hash));
    });
    const manifest = { skills: Object.fromEntries([...hashes].sort(([a], [b]) => (a < b ? -1 : 1))) };
    await writeFile(`${this.manifestFile}.tmp`, JSON.stringify(manifest));
    await rename(`${this.manifestFile}.tmp`, this.manifestFile);
    const used = new Set(hashes.values());
    const unused = (await readdir(this.pagesDir)).filter((entry) => !used.has(entry));
    await forEachLimit(unused, 32, (entry) => rm(join(this.pagesDir, entry), { recursive: true, force: true }));
  }
}
