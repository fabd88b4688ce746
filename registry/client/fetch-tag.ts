import { existsSync } from "node:fs";
import * as fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import git from "isomorphic-git";
import { gitCredentialFill, redactUrl } from "./credentials.js";
import { SkillregError } from "../core/index.js";
import { DELIM_PKT, FLUSH_PKT, pktLine, readPktLines, type ObjectType } from "../git/index.js";

/**
 * Fetch exactly one tag (and the tree it names) with isomorphic-git over smart HTTP, or open
 * it in a local repository, and hand back its objects as bytes. Nothing here trusts what it
 * reads: the caller verifies every byte against the index (registry/client/verify-version.ts).
 */

export interface RawObject {
  type: ObjectType;
  bytes: Buffer;
}

export interface FetchedTag {
  /** What the repository says refs/tags/<tag> is. */
  refObjectId: string;
  read(oid: string): Promise<RawObject>;
  /** Remove the temporary store (a no-op for a local repository). */
  dispose(): Promise<void>;
}

export interface HttpFetchOptions {
  /** Sent with every request to the repository's host (credentials), never elsewhere. */
  headers?: Record<string, string>;
  /** Refuse a pack larger than this (default 64 MiB; a hostile server must not fill the disk). */
  maxPackBytes?: number;
  /** Refuse a pack whose objects inflate to more than this in all (default 32 MiB: a zip bomb). */
  maxInflatedBytes?: number;
  /** For git's credential helpers, asked only when the server answers 401. */
  env?: NodeJS.ProcessEnv;
}

/** Advertisements over this are refused: 64 MiB is ~700,000 tags. */
const MAX_ADVERTISEMENT_BYTES = 64 * 1024 * 1024;

async function* single(bytes: Uint8Array): AsyncIterableIterator<Uint8Array> {
  yield bytes;
}

async function collect(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const parts: Uint8Array[] = [];
  for await (const p of body as AsyncIterable<Uint8Array>) parts.push(p);
  return Buffer.concat(parts);
}

/**
 * Keep only the lines of a ref advertisement that matter for one tag: the first ref line
 * (it carries the capabilities) and the tag itself. A registry with 30,000 tags advertises
 * every one of them; parsing them all would make a pull cost grow with the registry.
 */
function filterAdvertisement(body: Buffer, keepRef: string): Buffer {
  const lines = readPktLines(body, "ref advertisement");
  const serviceHeader = lines[0]?.kind === "data" && lines[0].payload.toString("latin1").startsWith("# service=");
  const out: Buffer[] = [];
  let flushes = 0;
  let refLines = 0;
  for (const line of lines) {
    if (line.kind !== "data") {
      if (line.kind === "flush") flushes++;
      out.push(line.raw);
      continue;
    }
    if (serviceHeader && flushes === 0) {
      out.push(line.raw);
      continue;
    }
    const ref = line.payload.toString("latin1").slice(41).split("\0")[0]!.replace(/\n$/, "");
    if (refLines++ === 0 || ref === keepRef || ref === `${keepRef}^{}`) out.push(line.raw);
  }
  return Buffer.concat(out);
}

/** The data payloads of a pkt-line stream (flush, delimiter and end packets dropped). */
function pktPayloads(body: Buffer, what: string): string[] {
  return readPktLines(body, what).flatMap((l) => (l.kind === "data" ? [l.payload.toString("latin1")] : []));
}

/** The pack inside an upload-pack answer (v1 with side-band-64k): band 1 of the pkt-lines. */
function packFromUploadPackResult(body: Buffer): Buffer {
  const pack: Buffer[] = [];
  for (const line of readPktLines(body, "pack response")) {
    if (line.kind !== "data") continue;
    const { payload } = line;
    const text = payload.subarray(0, 4).toString("latin1");
    if (text === "NAK\n" || text.startsWith("ACK ") || text === "NAK") continue;
    if (payload[0] === 1) pack.push(payload.subarray(1));
    else if (payload[0] === 3) throw new SkillregError(`the Git server reported: ${payload.subarray(1).toString("utf8").trim()}`);
  }
  return Buffer.concat(pack);
}

/**
 * Walk a packfile's entries and refuse it before anything inflates it in full when its
 * objects would add up to more than `limit` bytes: a few kilobytes of zeros compress a
 * gigabyte, and the checks on file sizes come only after the pack is stored.
 */
function checkInflatedSizes(pack: Buffer, limit: number): void {
  if (pack.length < 12 || pack.subarray(0, 4).toString("latin1") !== "PACK") throw new SkillregError("the Git server sent no pack");
  const count = pack.readUInt32BE(8);
  let at = 12;
  let total = 0;
  const refuse = (): never => {
    throw new SkillregError(`the Git server sent objects that inflate to more than ${limit} bytes; refusing them (a skill is far smaller)`);
  };
  for (let n = 0; n < count; n++) {
    let byte = pack[at++]!;
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = pack[at++]!;
      size += (byte & 0x7f) * 2 ** shift;
    }
    if (type === 6) while (pack[at++]! & 0x80);
    else if (type === 7) at += 20;
    if (size > limit || at > pack.length) refuse();
    let inflated;
    try {
      inflated = inflateSync(pack.subarray(at), { info: true, maxOutputLength: Math.max(1, size) });
    } catch {
      throw new SkillregError("the Git server sent a pack object that does not inflate to its stated size");
    }
    at += (inflated as unknown as { engine: { bytesWritten: number } }).engine.bytesWritten;
    // A delta states the size of the object it makes after its base's size.
    let target = size;
    if (type === 6 || type === 7) {
      const data = (inflated as unknown as { buffer: Buffer }).buffer;
      let p = 0;
      while (data[p++]! & 0x80);
      target = 0;
      for (let shift = 0, b = 0x80; b & 0x80; shift += 7) {
        b = data[p++] ?? 0;
        target += (b & 0x7f) * 2 ** shift;
      }
    }
    total += target;
    if (total > limit) refuse();
  }
}

interface HttpAnswer {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

/**
 * isomorphic-git's HTTP client, on node's fetch: credentials only for the repository's own
 * origin (redirects elsewhere are refused), bodies bounded, and the ref advertisement cut
 * down to the one tag. Servers speaking protocol v2 are asked for that tag alone (ls-refs
 * with a ref-prefix) and never list the registry's other tags at all; older servers send
 * every ref and the list is filtered here before isomorphic-git parses it.
 */
function httpClient(origin: string, keepRef: string, opts: HttpFetchOptions) {
  const send = async (url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, limit: number, what: string): Promise<HttpAnswer> => {
    for (let hops = 0; ; hops++) {
      if (new URL(url).origin !== origin) {
        throw new SkillregError(`the Git server redirected to ${new URL(url).origin}; refusing to follow it off ${origin}`);
      }
      const res = await fetch(url, {
        method,
        headers: { ...headers, ...opts.headers },
        ...(body ? { body: new Uint8Array(body) } : {}),
        redirect: "manual",
      });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location && hops < 5) {
        url = new URL(location, url).toString();
        continue;
      }
      const parts: Buffer[] = [];
      let size = 0;
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > limit) throw new SkillregError(`the Git server sent more than ${limit} bytes for ${what}; refusing it`);
          parts.push(Buffer.from(chunk));
        }
      }
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      return { url, status: res.status, statusText: res.statusText, headers: out, bytes: Buffer.concat(parts) };
    }
  };

  /** Protocol v2 `ls-refs` for the one tag; undefined when the server does not speak v2. */
  const lsRefsV2 = async (infoRefsUrl: string, headers: Record<string, string>): Promise<Buffer | undefined> => {
    const serviceUrl = infoRefsUrl.replace(/\/info\/refs\?service=git-upload-pack$/, "/git-upload-pack");
    const request = Buffer.concat([pktLine("command=ls-refs\n"), DELIM_PKT, pktLine("peel\n"), pktLine(`ref-prefix ${keepRef}\n`), FLUSH_PKT]);
    let answer: HttpAnswer;
    try {
      answer = await send(serviceUrl, "POST", { ...headers, "git-protocol": "version=2", "content-type": "application/x-git-upload-pack-request", accept: "application/x-git-upload-pack-result" }, request, MAX_ADVERTISEMENT_BYTES, "its refs");
    } catch (e) {
      if (e instanceof SkillregError) throw e;
      return undefined;
    }
    // A v2 answer ends with a flush packet; a server without v2 answers nothing or an error.
    if (answer.status !== 200 || answer.headers["content-type"] !== "application/x-git-upload-pack-result" || !answer.bytes.subarray(-4).equals(FLUSH_PKT)) {
      return undefined;
    }
    let lines: string[];
    try {
      lines = pktPayloads(answer.bytes, "ls-refs answer");
    } catch {
      return undefined;
    }
    const refs = lines.map((l) => /^([0-9a-f]{40}) (\S+)(?: peeled:([0-9a-f]{40}))?\n?$/.exec(l));
    if (refs.some((m) => m === null)) return undefined;
    const mine = refs.find((m) => m![2] === keepRef);
    // What a v1 server would have said about this ref, with the capabilities every git server
    // has; the HEAD symref only satisfies isomorphic-git's bookkeeping in our throwaway store.
    const caps = `multi_ack_detailed no-done side-band-64k ofs-delta symref=HEAD:${keepRef} agent=skillreg`;
    const advert = [pktLine("# service=git-upload-pack\n"), FLUSH_PKT];
    if (mine) {
      advert.push(pktLine(`${mine[1]} ${keepRef}\0${caps}\n`));
      if (mine[3]) advert.push(pktLine(`${mine[3]} ${keepRef}^{}\n`));
    } else {
      advert.push(pktLine(`${"0".repeat(40)} capabilities^{}\0${caps}\n`));
    }
    advert.push(FLUSH_PKT);
    return Buffer.concat(advert);
  };

  return {
    async request(req: { url: string; method?: string; headers?: Record<string, string>; body?: AsyncIterable<Uint8Array> | Iterable<Uint8Array> }) {
      const method = req.method ?? "GET";
      const headers = req.headers ?? {};
      const advertisement = method === "GET" && /\/info\/refs\?service=git-upload-pack$/.test(req.url);
      if (advertisement) {
        const v2 = await lsRefsV2(req.url, headers);
        if (v2) {
          const h = { "content-type": "application/x-git-upload-pack-advertisement" };
          return { url: req.url, method, statusCode: 200, statusMessage: "OK", headers: h, body: single(v2) };
        }
      }
      const body = req.body ? await collect(req.body) : undefined;
      const limit = advertisement ? MAX_ADVERTISEMENT_BYTES : (opts.maxPackBytes ?? 64 * 1024 * 1024);
      const answer = await send(req.url, method, headers, body, limit, advertisement ? "its refs" : "one tag");
      const bytes = advertisement && answer.status === 200 ? filterAdvertisement(answer.bytes, keepRef) : answer.bytes;
      if (!advertisement && answer.status === 200 && /\/git-upload-pack$/.test(req.url)) {
        checkInflatedSizes(packFromUploadPackResult(bytes), opts.maxInflatedBytes ?? 32 * 1024 * 1024);
      }
      return { url: answer.url, method, statusCode: answer.status, statusMessage: answer.statusText, headers: answer.headers, body: single(bytes) };
    },
  };
}

function objectReader(gitdir: string): (oid: string) => Promise<RawObject> {
  const cache = {};
  return async (oid) => {
    try {
      const r = await git.readObject({ fs, gitdir, oid, format: "content", cache });
      return { type: r.type as ObjectType, bytes: Buffer.from(r.object as Uint8Array) };
    } catch (e) {
      throw new SkillregError(`object ${oid} is missing from what the server sent (${(e as Error).message})`);
    }
  };
}

/** Fetch one tag from a smart-HTTP Git URL into a temporary bare repository. */
export async function fetchTagOverHttp(url: string, tag: string, opts: HttpFetchOptions = {}): Promise<FetchedTag> {
  const ref = `refs/tags/${tag}`;
  const gitdir = await mkdtemp(join(tmpdir(), "skillreg-fetch-"));
  const dispose = () => rm(gitdir, { recursive: true, force: true });
  try {
    await git.init({ fs, gitdir, bare: true, defaultBranch: "main" });
    await git.setConfig({ fs, gitdir, path: "remote.origin.url", value: url });
    await git.setConfig({ fs, gitdir, path: "remote.origin.fetch", value: `+${ref}:${ref}` });
    const result = await git.fetch({
      fs,
      http: httpClient(new URL(url).origin, ref, opts),
      gitdir,
      url,
      ref,
      remoteRef: ref,
      singleBranch: true,
      tags: false,
      onAuth: async (authUrl) => (opts.env && !opts.headers?.authorization ? await gitCredentialFill(authUrl, opts.env) : undefined) ?? { cancel: true },
    });
    if (!result.fetchHead) throw new SkillregError(`${redactUrl(url)} has no tag ${tag}`);
    return { refObjectId: result.fetchHead, read: objectReader(gitdir), dispose };
  } catch (e) {
    await dispose();
    if (e instanceof SkillregError) throw e;
    const err = e as Error & { code?: string; data?: { statusCode?: number } };
    if (err.code === "NotFoundError") throw new SkillregError(`${redactUrl(url)} has no tag ${tag}`);
    if (err.code === "HttpError" && (err.data?.statusCode === 401 || err.data?.statusCode === 403)) {
      throw new SkillregError(`${redactUrl(url)} refused access (HTTP ${err.data.statusCode}); run 'skillreg login' or set SKILLREG_TOKEN`);
    }
    throw new SkillregError(`could not fetch ${tag} from ${redactUrl(url)}: ${err.message}`);
  }
}

/** Open a tag in a local registry: a checkout (its .git) or a bare repository. */
export async function openLocalTag(repoDir: string, tag: string): Promise<FetchedTag> {
  const gitdir = existsSync(join(repoDir, ".git")) ? join(repoDir, ".git") : repoDir;
  let refObjectId: string;
  try {
    refObjectId = await git.resolveRef({ fs, gitdir, ref: `refs/tags/${tag}`, depth: 1 });
  } catch {
    throw new SkillregError(`${repoDir} has no tag ${tag}`);
  }
  return { refObjectId, read: objectReader(gitdir), dispose: async () => undefined };
}
