import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { validatorFor, writeFileAtomic } from "../../core/index.js";

/**
 * Index files fetched over HTTP, kept with their ETag under the user's cache folder, so that
 * resolving again asks "If-None-Match" and an unchanged file costs one small 304 answer (as
 * cargo's sparse index does). The body is still checked against its schema on every use, by
 * the caller; a cache file that does not parse or match its schema is ignored.
 */

/** One cached index file: the URL it came from, the server's ETag, and the text. */
export const httpCacheEntrySchema = {
  type: "object",
  additionalProperties: false,
  required: ["url", "etag", "body"],
  properties: {
    url: { type: "string" },
    etag: { type: "string", maxLength: 256 },
    body: { type: "string" },
  },
} as const;

export interface CachedIndexFile {
  etag: string;
  body: string;
}

export class HttpIndexCache {
  constructor(private readonly dir: string) {}

  private fileFor(url: string): string {
    const id = createHash("sha256").update(url).digest("hex");
    return join(this.dir, id.slice(0, 2), `${id}.json`);
  }

  async get(url: string): Promise<CachedIndexFile | undefined> {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.fileFor(url), "utf8"));
    } catch {
      return undefined;
    }
    if (!validatorFor(httpCacheEntrySchema)(value)) return undefined;
    const entry = value as { url: string; etag: string; body: string };
    return entry.url === url ? { etag: entry.etag, body: entry.body } : undefined;
  }

  /** Keep `body` for `url`; a cache that cannot be written only costs a full download next time. */
  async put(url: string, etag: string, body: string): Promise<void> {
    const file = this.fileFor(url);
    try {
      await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, JSON.stringify({ url, etag, body }), { mode: 0o600 });
    } catch {
      // read-only or full cache folder: nothing to keep
    }
  }
}
