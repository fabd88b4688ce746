import { existsSync } from "node:fs";
import * as fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import type { default as IsomorphicGit } from "isomorphic-git";
import { gitCredentialFill, redactUrl } from "./credentials.js";
import { readBodyCapped, requestHttp } from "./http-request.js";
import { SkillregError } from "../core/index.js";
import { DELIM_PKT, FLUSH_PKT, gitObjectId, pktLine, readPktLines, type ObjectType } from "../git/index.js";

/**
 * Fetch exactly the wanted tags (and the trees they name) over smart HTTP (protocol v2 read
 * in memory; isomorphic-git for servers without v2 or that ask for credentials), or open one
 * in a local repository, and hand back its objects as bytes. Nothing here trusts what it
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
function filterAdvertisement(body: Buffer, keepRefs: ReadonlySet<string>, keepPeeled: boolean): Buffer {
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
    const peeled = ref.endsWith("^{}");
    if (refLines++ === 0 || keepRefs.has(ref) || (peeled && keepPeeled && keepRefs.has(ref.slice(0, -3)))) out.push(line.raw);
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

/** One entry of a packfile, inflated: a whole object, or a delta against a base. */
interface PackEntry {
  offset: number;
  /** 1 commit, 2 tree, 3 blob, 4 tag, 6 delta on the entry at baseOffset, 7 delta on the object baseId. */
  type: number;
  data: Buffer;
  baseOffset?: number;
  baseId?: string;
}

/**
 * Walk a packfile's entries, inflating each, and refuse it before anything inflates in full
 * when its objects would add up to more than `limit` bytes: a few kilobytes of zeros compress a
 * gigabyte, and the checks on file sizes come only after the pack is read. A generator, so a
 * caller that only checks the size holds one entry at a time.
 */
function* readPackEntries(pack: Buffer, limit: number): Generator<PackEntry> {
  if (pack.length < 12 || pack.subarray(0, 4).toString("latin1") !== "PACK") throw new SkillregError("the Git server sent no pack");
  const count = pack.readUInt32BE(8);
  let at = 12;
  let total = 0;
  const refuse = (): never => {
    throw new SkillregError(`the Git server sent objects that inflate to more than ${limit} bytes; refusing them (a skill is far smaller)`);
  };
  for (let n = 0; n < count; n++) {
    const offset = at;
    let byte = pack[at++]!;
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = pack[at++]!;
      size += (byte & 0x7f) * 2 ** shift;
    }
    const entry: PackEntry = { offset, type, data: Buffer.alloc(0) };
    if (type === 6) {
      // git's offset encoding: each continuation byte adds one before shifting.
      byte = pack[at++]!;
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = pack[at++]!;
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - back;
    } else if (type === 7) {
      entry.baseId = pack.subarray(at, at + 20).toString("hex");
      at += 20;
    }
    if (size > limit || at > pack.length) refuse();
    let inflated;
    try {
      inflated = inflateSync(pack.subarray(at), { info: true, maxOutputLength: Math.max(1, size) });
    } catch {
      throw new SkillregError("the Git server sent a pack object that does not inflate to its stated size");
    }
    at += (inflated as unknown as { engine: { bytesWritten: number } }).engine.bytesWritten;
    entry.data = (inflated as unknown as { buffer: Buffer }).buffer;
    // A delta states the size of the object it makes after its base's size.
    let target = size;
    if (type === 6 || type === 7) {
      const data = entry.data;
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
    yield entry;
  }
}

/** The size check of readPackEntries alone, for a pack isomorphic-git reads afterwards: nothing is kept. */
function refuseOversizedPack(pack: Buffer, limit: number): void {
  const entries = readPackEntries(pack, limit);
  while (!entries.next().done);
}

/** A delta's varint at `at`: [value, next position]. */
function deltaVarint(delta: Buffer, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const b = delta[at++];
    if (b === undefined) throw new SkillregError("the Git server sent a delta that ends early");
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, at];
  }
}

/** git's delta format: copy runs of the base and literal bytes, each checked against both sizes. */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  const bad = (): never => {
    throw new SkillregError("the Git server sent a delta that does not fit its base");
  };
  const [baseSize, afterBase] = deltaVarint(delta, 0);
  const [size, start] = deltaVarint(delta, afterBase);
  if (baseSize !== base.length) bad();
  const out = Buffer.alloc(size);
  let o = 0;
  for (let p = start; p < delta.length; ) {
    const op = delta[p++]!;
    if (op & 0x80) {
      let from = 0;
      let length = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) from += delta[p++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) length += delta[p++]! * 2 ** (8 * i);
      if (length === 0) length = 0x10000;
      if (p > delta.length || from + length > base.length || o + length > size) bad();
      base.copy(out, o, from, from + length);
      o += length;
    } else if (op > 0) {
      if (p + op > delta.length || o + op > size) bad();
      delta.copy(out, o, p, p + op);
      p += op;
      o += op;
    } else bad();
  }
  if (o !== size) bad();
  return out;
}

const PACK_OBJECT_TYPES: Record<number, ObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };

/**
 * Every object of a pack, by id, in memory (bases come before their deltas in the packs
 * upload-pack sends without thin-pack). Hand-written rather than isomorphic-git's: isomorphic-git
 * stores a pack in a repository on disk (init, config, index, refs) to hand back the few objects
 * of one tag, which cost a pull more than the fetch itself, and the walk is the one the size
 * check needs anyway. The ids are computed here; the caller checks every object it reads again.
 */
function unpackObjects(pack: Buffer, limit: number): Map<string, RawObject> {
  const byOffset = new Map<number, RawObject>();
  const byId = new Map<string, RawObject>();
  for (const entry of readPackEntries(pack, limit)) {
    let object: RawObject;
    if (entry.type === 6 || entry.type === 7) {
      const base = entry.type === 6 ? byOffset.get(entry.baseOffset!) : byId.get(entry.baseId!);
      if (!base) throw new SkillregError("the Git server sent a delta whose base is not in the pack");
      object = { type: base.type, bytes: applyDelta(base.bytes, entry.data) };
    } else {
      const type = PACK_OBJECT_TYPES[entry.type];
      if (!type) throw new SkillregError(`the Git server sent a pack object of unknown type ${entry.type}`);
      object = { type, bytes: entry.data };
    }
    byOffset.set(entry.offset, object);
    byId.set(gitObjectId(object.type, object.bytes), object);
  }
  return byId;
}

interface HttpAnswer {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

type Send = (url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, limit: number, what: string) => Promise<HttpAnswer>;

/**
 * HTTP requests to one Git server (requestHttp): credentials only for the repository's own
 * origin (redirects elsewhere are refused), bodies bounded.
 */
function gitSender(origin: string, opts: HttpFetchOptions): Send {
  return async (url, method, headers, body, limit, what) => {
    for (let hops = 0; ; hops++) {
      if (new URL(url).origin !== origin) {
        throw new SkillregError(`the Git server redirected to ${new URL(url).origin}; refusing to follow it off ${origin}`);
      }
      const res = await requestHttp(url, { method, headers: { ...headers, ...opts.headers }, ...(body ? { body } : {}) });
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location && hops < 5) {
        res.discard();
        url = new URL(location, url).toString();
        continue;
      }
      const bytes = await readBodyCapped(res, limit, () => new SkillregError(`the Git server sent more than ${limit} bytes for ${what}; refusing it`));
      return { url, status: res.status, statusText: res.statusText, headers: res.headers, bytes };
    }
  };
}

const V2_HEADERS = { "git-protocol": "version=2", "content-type": "application/x-git-upload-pack-request", accept: "application/x-git-upload-pack-result" };

/** A protocol-v2 answer: 200, the v2 result type, ending with a flush packet (a server without v2 answers otherwise). */
function isV2Answer(answer: HttpAnswer): boolean {
  return answer.status === 200 && answer.headers["content-type"] === "application/x-git-upload-pack-result" && answer.bytes.subarray(-4).equals(FLUSH_PKT);
}

interface AdvertisedRef {
  name: string;
  oid: string;
  peeled?: string;
}

/** Protocol v2 `ls-refs` for these refs alone; undefined when the server does not speak v2 (or wants credentials). */
async function lsRefs(send: Send, serviceUrl: string, headers: Record<string, string>, refs: readonly string[]): Promise<AdvertisedRef[] | undefined> {
  const request = Buffer.concat([pktLine("command=ls-refs\n"), DELIM_PKT, pktLine("peel\n"), ...refs.map((r) => pktLine(`ref-prefix ${r}\n`)), FLUSH_PKT]);
  let answer: HttpAnswer;
  try {
    answer = await send(serviceUrl, "POST", { ...headers, ...V2_HEADERS }, request, MAX_ADVERTISEMENT_BYTES, "its refs");
  } catch (e) {
    if (e instanceof SkillregError) throw e;
    return undefined;
  }
  if (!isV2Answer(answer)) return undefined;
  let lines: string[];
  try {
    lines = pktPayloads(answer.bytes, "ls-refs answer");
  } catch {
    return undefined;
  }
  const parsed = lines.map((l) => /^([0-9a-f]{40}) (\S+)(?: peeled:([0-9a-f]{40}))?\n?$/.exec(l));
  if (parsed.some((m) => m === null)) return undefined;
  const keep = new Set(refs);
  return parsed.filter((m) => keep.has(m![2]!)).map((m) => ({ name: m![2]!, oid: m![1]!, ...(m![3] ? { peeled: m![3] } : {}) }));
}

/**
 * isomorphic-git's HTTP client (for servers without protocol v2), on gitSender, with the ref
 * advertisement cut down to the wanted tags. Servers speaking v2 after all (credentials
 * answered) are asked for the tags alone (ls-refs with a ref-prefix) and never list the
 * registry's other tags; older servers send every ref and the list is filtered here before
 * isomorphic-git parses it.
 */
function httpClient(origin: string, keepRefs: readonly string[], opts: HttpFetchOptions) {
  const keep = new Set(keepRefs);
  // Asked for several tags, isomorphic-git stores every advertised ref, and a peeled line
  // ("<tag>^{}") is no ref name; the pack needs only the tag objects, so batches go without.
  const keepPeeled = keepRefs.length === 1;
  const send = gitSender(origin, opts);

  /** What a v1 server would have said about the wanted refs; undefined when the server does not speak v2. */
  const lsRefsV2 = async (infoRefsUrl: string, headers: Record<string, string>): Promise<Buffer | undefined> => {
    const mine = await lsRefs(send, infoRefsUrl.replace(/\/info\/refs\?service=git-upload-pack$/, "/git-upload-pack"), headers, keepRefs);
    if (!mine) return undefined;
    // The capabilities every git server has; the HEAD symref only satisfies isomorphic-git's bookkeeping in our store.
    const caps = `multi_ack_detailed no-done side-band-64k ofs-delta symref=HEAD:${keepRefs[0]} agent=skillreg`;
    const advert = [pktLine("# service=git-upload-pack\n"), FLUSH_PKT];
    for (const [k, ref] of mine.entries()) {
      advert.push(pktLine(`${ref.oid} ${ref.name}${k === 0 ? `\0${caps}` : ""}\n`));
      if (ref.peeled && keepPeeled) advert.push(pktLine(`${ref.peeled} ${ref.name}^{}\n`));
    }
    if (mine.length === 0) advert.push(pktLine(`${"0".repeat(40)} capabilities^{}\0${caps}\n`));
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
      const bytes = advertisement && answer.status === 200 ? filterAdvertisement(answer.bytes, keep, keepPeeled) : answer.bytes;
      if (!advertisement && answer.status === 200 && /\/git-upload-pack$/.test(req.url)) {
        refuseOversizedPack(packFromUploadPackResult(bytes), opts.maxInflatedBytes ?? 32 * 1024 * 1024);
      }
      return { url: answer.url, method, statusCode: answer.status, statusMessage: answer.statusText, headers: answer.headers, body: single(bytes) };
    },
  };
}

/**
 * The tags over protocol v2, in memory: ls-refs for them alone, one `fetch` of their tag
 * objects (and all they reach), the pack read here (unpackObjects). Undefined when the server
 * does not speak v2 or asks for credentials: fetchTagsOverHttp then goes through isomorphic-git.
 */
async function fetchTagsV2(url: string, refs: readonly string[], opts: HttpFetchOptions): Promise<Map<string, FetchedTag> | undefined> {
  const send = gitSender(new URL(url).origin, opts);
  const serviceUrl = `${url.replace(/\/+$/, "")}/git-upload-pack`;
  const advertised = await lsRefs(send, serviceUrl, {}, refs);
  if (!advertised) return undefined;
  const oids = new Map(advertised.map((r) => [r.name, r.oid]));
  const missing = refs.filter((r) => !oids.has(r)).map((r) => r.slice("refs/tags/".length));
  if (missing.length > 0) throw new SkillregError(`${redactUrl(url)} has no tag ${missing.join(", ")}`);
  const wants = [...new Set(oids.values())].map((oid) => pktLine(`want ${oid}\n`));
  const request = Buffer.concat([pktLine("command=fetch\n"), DELIM_PKT, pktLine("no-progress\n"), pktLine("ofs-delta\n"), ...wants, pktLine("done\n"), FLUSH_PKT]);
  const answer = await send(serviceUrl, "POST", V2_HEADERS, request, opts.maxPackBytes ?? 64 * 1024 * 1024, "one tag");
  if (!isV2Answer(answer)) throw new SkillregError(`could not fetch ${refs.map((r) => r.slice("refs/tags/".length)).join(", ")} from ${redactUrl(url)}: HTTP ${answer.status} ${answer.statusText}`);
  const objects = unpackObjects(packFromUploadPackResult(answer.bytes), opts.maxInflatedBytes ?? 32 * 1024 * 1024);
  const read = async (oid: string): Promise<RawObject> => {
    const object = objects.get(oid);
    if (!object) throw new SkillregError(`object ${oid} is missing from what the server sent`);
    return object;
  };
  return new Map(refs.map((ref) => [ref.slice("refs/tags/".length), { refObjectId: oids.get(ref)!, read, dispose: async () => undefined }]));
}

/**
 * isomorphic-git, loaded only where it is used (servers without protocol v2, local
 * registries): a pull from a v2 server starts without parsing its half a megabyte.
 */
async function isomorphicGit(): Promise<typeof IsomorphicGit> {
  return (await import("isomorphic-git")).default;
}

function objectReader(git: typeof IsomorphicGit, gitdir: string): (oid: string) => Promise<RawObject> {
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
  return (await fetchTagsOverHttp(url, [tag], opts)).get(tag)!;
}

/**
 * Fetch several tags from one smart-HTTP Git URL in one round: one ref listing and one pack
 * for all of them (isomorphic-git asked for every advertised tag, and only these are
 * advertised), into one temporary bare repository removed when the last of them is disposed.
 * The size limits apply per tag. Throws when any tag is missing.
 */
export async function fetchTagsOverHttp(url: string, tags: readonly string[], opts: HttpFetchOptions = {}): Promise<Map<string, FetchedTag>> {
  const refs = [...new Set(tags)].map((t) => `refs/tags/${t}`);
  const n = refs.length;
  const limits: HttpFetchOptions = { ...opts, maxPackBytes: (opts.maxPackBytes ?? 64 * 1024 * 1024) * n, maxInflatedBytes: (opts.maxInflatedBytes ?? 32 * 1024 * 1024) * n };
  try {
    const inMemory = await fetchTagsV2(url, refs, limits);
    if (inMemory) return inMemory;
  } catch (e) {
    if (e instanceof SkillregError) throw e;
    throw new SkillregError(`could not fetch ${tags.join(", ")} from ${redactUrl(url)}: ${(e as Error).message}`);
  }
  const git = await isomorphicGit();
  const gitdir = await mkdtemp(join(tmpdir(), "skillreg-fetch-"));
  const dispose = () => rm(gitdir, { recursive: true, force: true });
  try {
    await git.init({ fs, gitdir, bare: true, defaultBranch: "main" });
    await git.setConfig({ fs, gitdir, path: "remote.origin.url", value: url });
    await git.setConfig({ fs, gitdir, path: "remote.origin.fetch", value: "+refs/tags/*:refs/tags/*" });
    const result = await git.fetch({
      fs,
      http: httpClient(new URL(url).origin, refs, limits),
      gitdir,
      url,
      ref: refs[0]!,
      remoteRef: refs[0]!,
      singleBranch: n === 1,
      tags: n > 1,
      onAuth: async (authUrl) => (opts.env && !opts.headers?.authorization ? await gitCredentialFill(authUrl, opts.env) : undefined) ?? { cancel: true },
    });
    if (!result.fetchHead) throw new SkillregError(`${redactUrl(url)} has no tag ${tags[0]}`);
    const read = objectReader(git, gitdir);
    // The store goes when every tag of the batch has been disposed (each counts once).
    const disposed = new Set<string>();
    const releaseOf = (tag: string) => async () => {
      disposed.add(tag);
      if (disposed.size === n) await dispose();
    };
    const fetched = new Map<string, FetchedTag>();
    for (const [k, ref] of refs.entries()) {
      const tag = ref.slice("refs/tags/".length);
      let refObjectId: string;
      if (k === 0) refObjectId = result.fetchHead;
      else {
        try {
          refObjectId = await git.resolveRef({ fs, gitdir, ref, depth: 1 });
        } catch {
          throw new SkillregError(`${redactUrl(url)} has no tag ${tag}`);
        }
      }
      fetched.set(tag, { refObjectId, read, dispose: releaseOf(tag) });
    }
    return fetched;
  } catch (e) {
    await dispose();
    if (e instanceof SkillregError) throw e;
    const err = e as Error & { code?: string; data?: { statusCode?: number } };
    if (err.code === "NotFoundError") throw new SkillregError(`${redactUrl(url)} has no tag ${tags.join(", ")}`);
    if (err.code === "HttpError" && (err.data?.statusCode === 401 || err.data?.statusCode === 403)) {
      throw new SkillregError(`${redactUrl(url)} refused access (HTTP ${err.data.statusCode}); run 'skillreg login' or set SKILLREG_TOKEN`);
    }
    throw new SkillregError(`could not fetch ${tags.join(", ")} from ${redactUrl(url)}: ${err.message}`);
  }
}

/** Open a tag in a local registry: a checkout (its .git) or a bare repository. */
export async function openLocalTag(repoDir: string, tag: string): Promise<FetchedTag> {
  const gitdir = existsSync(join(repoDir, ".git")) ? join(repoDir, ".git") : repoDir;
  const git = await isomorphicGit();
  let refObjectId: string;
  try {
    refObjectId = await git.resolveRef({ fs, gitdir, ref: `refs/tags/${tag}`, depth: 1 });
  } catch {
    throw new SkillregError(`${repoDir} has no tag ${tag}`);
  }
  return { refObjectId, read: objectReader(git, gitdir), dispose: async () => undefined };
}
