import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BaseFetcher, Updater } from "tuf-js";
// tuf-js walks the root chain until a version answers 404/403, and recognises that answer
// only as its own DownloadHTTPError, which its index does not export.
import { DownloadHTTPError } from "tuf-js/dist/error.js";
import { MetadataKind } from "@tufjs/models";
import { SkillregError } from "../../core/index.js";
import { tufKeyFingerprint } from "./keys.js";
import { TARGETS_SITE_DIR, TUF_SITE_DIR, checkRootChain, parseRoot, rootFingerprint } from "./repository.js";

/**
 * The client side: every index file is read through tuf-js's Updater, starting from the root
 * the project pinned. tuf-js walks the root chain, checks every signature against the
 * thresholds the trusted root names, refuses expired metadata and versions lower than the
 * ones it trusted before (rollback, freeze), and checks each index file's length and sha256
 * against targets.json before it is handed back.
 */

/** What a project pins: the fingerprint of one root file of the chain, and its version. */
export interface RootPin {
  /** "SHA256:<base64>" of the root file's bytes, as ssh-keygen prints key fingerprints. */
  fingerprint: string;
  version: number;
}

/** What a session verified: the pinned root, and the versions it ended up trusting. */
export interface TrustState {
  pin: RootPin;
  rootVersion: number;
  timestampVersion: number;
  snapshotVersion: number;
  /**
   * A registry read from its repository: its only changing signed metadata is the signer set
   * (trust/signers.json), whose version stands for both timestamp and snapshot.
   */
  signerSet?: true;
  /**
   * A registry read from its repository: the newest root its chain was verified to. The
   * checkpoint keeps it, so a later main whose chain stops short of it (a root deleted or
   * renamed by whoever holds retired admin keys) is refused.
   */
  newestRoot?: RootPin;
}

export interface RootSummary {
  fingerprint: string;
  version: number;
  expires: string;
  threshold: number;
  /** ssh-style fingerprints of the admin keys. */
  admins: string[];
  /** ssh-style fingerprint(s) of the online key signing the index. */
  online: string[];
}

export { rootFingerprint };

export const ROOT_FINGERPRINT_PATTERN = "^SHA256:[A-Za-z0-9+/]{43}$";

/** What a root says, for a person deciding whether to trust it (like ssh's first-contact prompt). */
export function describeRoot(text: string, where: string): RootSummary {
  const md = parseRoot(text, where);
  const fps = (role: string) => (md.signed.roles[role]?.keyIDs ?? []).map((id) => md.signed.keys[id]).filter((k) => k !== undefined).map(tufKeyFingerprint);
  return {
    fingerprint: rootFingerprint(text),
    version: md.signed.version,
    expires: md.signed.expires,
    threshold: md.signed.roles[MetadataKind.Root]?.threshold ?? 0,
    admins: fps(MetadataKind.Root),
    online: fps(MetadataKind.Timestamp),
  };
}

/** Root metadata is small; anything bigger is refused before parsing. */
const MAX_ROOT_BYTES = 512 * 1024;
const MAX_INDEX_BYTES = 32 * 1024 * 1024;

export type HeadersFor = (url: string) => Promise<Record<string, string>>;

/** tuf-js's own bound on the root versions one refresh walks. */
const MAX_ROOT_ROTATIONS = 256;

/**
 * GETs with the registry's credentials and no redirects, as the unsigned index reader does.
 * URLs in `known` are answered from it (bytes, or a 404 for `absent`) without asking the site
 * again: tuf-js then reads exactly the root files SkillReg checked, never a second answer.
 */
class RegistryFetcher extends BaseFetcher {
  readonly known = new Map<string, Buffer | "absent">();

  constructor(private readonly headersFor: HeadersFor) {
    super();
  }

  async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const known = this.known.get(url);
    if (known === "absent") throw new DownloadHTTPError("HTTP 404", 404);
    if (known !== undefined) return new Blob([new Uint8Array(known)]).stream() as ReadableStream<Uint8Array<ArrayBuffer>>;
    const res = await fetch(url, { headers: await this.headersFor(url), redirect: "manual" });
    if (!res.ok || !res.body) throw new DownloadHTTPError(`HTTP ${res.status}`, res.status);
    return res.body as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

const rootUrl = (siteBase: string, which: number | "current") => new URL(`${TUF_SITE_DIR}/${which === "current" ? "root.json" : `${which}.root.json`}`, siteBase).toString();

async function fetchRootWith(fetcher: RegistryFetcher, url: string): Promise<Buffer | undefined> {
  try {
    return await fetcher.downloadBytes(url, MAX_ROOT_BYTES);
  } catch (e) {
    if (e instanceof DownloadHTTPError && e.statusCode === 404) return undefined;
    throw new SkillregError(`cannot read ${url}: ${(e as Error).message}`);
  }
}

/** Fetch one root file of a site's chain (`<N>.root.json`, or `root.json`, the newest); undefined when absent (404). */
export async function fetchRoot(siteBase: string, which: number | "current", headersFor: HeadersFor): Promise<string | undefined> {
  return (await fetchRootWith(new RegistryFetcher(headersFor), rootUrl(siteBase, which)))?.toString("utf8");
}

/** tuf-js's refusals in words a user can act on (its classes carry no `name`, so go by constructor). */
function explain(e: unknown): string {
  const kind = (e as object)?.constructor?.name ?? "";
  const message = (e as Error)?.message ?? String(e);
  switch (kind) {
    case "ExpiredMetadataError":
      return `${message}: the index has not been re-signed in time (a frozen or stale site)`;
    case "BadVersionError":
      return `rollback: ${message}`;
    case "UnsignedMetadataError":
      return `not signed by the keys the trusted root names (${message})`;
    case "LengthOrHashMismatchError":
    case "DownloadLengthMismatchError":
      return `a file differs from its signed length or sha256 (${message})`;
    default:
      return message.replace(/\s+/g, " ");
  }
}

export interface SignedIndexOptions {
  /** The site's root URL, ending in "/". */
  siteBase: string;
  /** How the site is named in messages (no credentials). */
  shown: string;
  pin: RootPin;
  /** The pinned root's text when the caller already has it (first contact). */
  pinnedRootText?: string;
  /** A folder this reader may keep metadata in between runs (tuf-js's trusted state). */
  cacheDir: string;
  headersFor: HeadersFor;
}

/** One site's index, read through tuf-js from a pinned root. */
export class SignedIndex {
  private updater?: Promise<Updater>;
  private readonly metadataDir: string;
  private readonly targetDir: string;

  constructor(private readonly opts: SignedIndexOptions) {
    // One cache per site and pin: a different pin never inherits another's trusted state.
    const key = createHash("sha256").update(`${opts.shown}\n${opts.pin.fingerprint}`).digest("hex").slice(0, 24);
    this.metadataDir = join(opts.cacheDir, key, "metadata");
    this.targetDir = join(opts.cacheDir, key, "targets");
  }

  private fail(e: unknown, file?: string): never {
    if (e instanceof SkillregError) throw e;
    throw new SkillregError(`${this.opts.shown}: ${file ? `${TARGETS_SITE_DIR}/${file} refused by the signed index metadata` : "signed index metadata refused"}: ${explain(e)}`);
  }

  /** Seed the trusted root from the pin (checked byte for byte), then let tuf-js refresh. */
  private open(): Promise<Updater> {
    this.updater ??= (async () => {
      const { pin, shown } = this.opts;
      if (!existsSync(join(this.metadataDir, "root.json"))) {
        const text = this.opts.pinnedRootText ?? (await fetchRoot(this.opts.siteBase, pin.version, this.opts.headersFor));
        if (text === undefined) {
          throw new SkillregError(`${shown} serves no ${TUF_SITE_DIR}/${pin.version}.root.json, the root this project pinned; refusing its unsigned index`);
        }
        const got = rootFingerprint(text);
        if (got !== pin.fingerprint) {
          throw new SkillregError(`${shown}: root version ${pin.version} has fingerprint ${got}, but this project pinned ${pin.fingerprint}; refusing the site's index`);
        }
        await rm(join(this.metadataDir, ".."), { recursive: true, force: true });
        await mkdir(this.metadataDir, { recursive: true });
        await writeFile(join(this.metadataDir, "root.json"), text);
      }
      await mkdir(this.targetDir, { recursive: true });
      const fetcher = new RegistryFetcher(this.opts.headersFor);
      await this.checkRootLinks(fetcher);
      const updater = new Updater({
        metadataDir: this.metadataDir,
        metadataBaseUrl: new URL(`${TUF_SITE_DIR}/`, this.opts.siteBase).toString(),
        targetDir: this.targetDir,
        targetBaseUrl: new URL(`${TARGETS_SITE_DIR}/`, this.opts.siteBase).toString(),
        fetcher,
        config: { targetsMaxLength: MAX_INDEX_BYTES, prefixTargetsWithHash: false, maxRootRotations: MAX_ROOT_ROTATIONS },
      });
      await updater.refresh();
      return updater;
    })().catch((e: unknown) => this.fail(e));
    return this.updater;
  }

  /**
   * Every root newer than the trusted one must name the root before it (skillreg_previous_root):
   * tuf-js checks only signatures, and admins who reuse their keys for another registry sign
   * roots that would chain here too (a root replayed across registries). The walk checks the
   * links, signatures and thresholds (checkRootChain, as for a Git-URL registry) and hands
   * tuf-js exactly the bytes it checked.
   */
  private async checkRootLinks(fetcher: RegistryFetcher): Promise<void> {
    const trusted = await readFile(join(this.metadataDir, "root.json"), "utf8");
    const from = parseRoot(trusted, `${this.opts.shown}: the trusted root`).signed.version;
    // checkRootChain indexes roots by version: versions before the trusted one are not needed.
    const texts: string[] = [];
    texts[from - 1] = trusted;
    for (let version = from + 1; version <= from + MAX_ROOT_ROTATIONS; version++) {
      const url = rootUrl(this.opts.siteBase, version);
      const bytes = await fetchRootWith(fetcher, url);
      fetcher.known.set(url, bytes ?? "absent");
      if (bytes === undefined) break;
      texts[version - 1] = bytes.toString("utf8");
    }
    try {
      checkRootChain(texts, from);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      throw new SkillregError(`${this.opts.shown}: the root chain does not hold from the trusted root (version ${from}): ${e.message.replace(/; add --sign-key.*$/, "")}; refusing the site's index`);
    }
  }

  /** An index file (path under index/v1/) as signed, or undefined when targets.json has no such file. */
  async target(path: string): Promise<string | undefined> {
    const updater = await this.open();
    try {
      const info = await updater.getTargetInfo(path);
      if (!info) return undefined;
      // A name of its own per read: two pulls sharing this cache never read each other's copy.
      const file = join(this.targetDir, `${createHash("sha256").update(path).digest("hex")}.${process.pid}.${randomBytes(6).toString("hex")}`);
      await updater.downloadTarget(info, file);
      const text = await readFile(file, "utf8");
      await rm(file, { force: true });
      return text;
    } catch (e) {
      this.fail(e, path);
    }
  }

  /** The versions this session trusts (after the first read). */
  async state(): Promise<TrustState> {
    await this.open();
    const version = async (role: string) => (JSON.parse(await readFile(join(this.metadataDir, `${role}.json`), "utf8")) as { signed: { version: number } }).signed.version;
    return {
      pin: this.opts.pin,
      rootVersion: await version("root"),
      timestampVersion: await version("timestamp"),
      snapshotVersion: await version("snapshot"),
    };
  }
}
