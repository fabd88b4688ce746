import { createHash } from "node:crypto";
import { join } from "node:path";
import { readCacheJson, validatorFor, writeCacheJson } from "../core/index.js";
import type { AllowedSigner } from "../trust/index.js";
import { parseTagObject } from "../trust/index.js";
import { verifyReleaseTag, type VerifiedReleaseTag } from "./release-tag.js";

/**
 * Release-tag signature verdicts kept between builds, so a rebuild of a large registry checks
 * only the signatures of tags it has not seen (checking every one took most of a one-skill
 * rebuild at 10,000 skills).
 *
 * A verdict is kept under the sha256 of everything the check reads: the tag object's bytes
 * (so a new or moved tag is a new key), the name it must carry, the release time and
 * publishers it is judged by, and the registry's allowed_signers text (a changed signer set
 * is a new key for every tag). Only passes are kept; a tag that fails is checked again on
 * every build and reported. The tag is still parsed from its bytes on every build (its type
 * and object come from there, not from the cache); only the signature check is skipped.
 *
 * The file is local data a CI cache carries: one that is unreadable, a link, too big, or not
 * of its JSON Schema is ignored whole and rewritten, so a bad file only costs checking every
 * signature again. What it cannot catch is a well-formed lie (a key made up for a tag that
 * fails): like the scan cache (core/scan-cache.ts), the folder is trusted as far as whoever
 * can write it (on GitHub, only the registry's own workflows on its default branch), and the
 * gate, the merge and `skillreg pull` never read it.
 */

const FORMAT = "skillreg-tag-verdicts/1";
const verdictFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["format", "verdicts"],
  properties: {
    format: { const: FORMAT },
    /** key (see above) -> [principal, key fingerprint] of the signer the check named. */
    verdicts: {
      type: "object",
      propertyNames: { pattern: "^[0-9a-f]{64}$" },
      additionalProperties: { type: "array", minItems: 2, maxItems: 2, items: [{ type: "string", minLength: 1, maxLength: 1024 }, { type: "string", minLength: 1, maxLength: 1024 }] },
    },
  },
} as const;

/** Far above 100,000 verdicts (about 150 bytes each); a bigger file is not read. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The registry's allowed_signers file: its text (part of every key) and its parsed entries. */
export interface SignerSet {
  text: string;
  signers: readonly AllowedSigner[];
}

export interface TagVerdictCache {
  /** verifyReleaseTag, with the signature check answered from the cache when it passed before on the same inputs. */
  verify(bytes: Buffer, tag: string, signers: SignerSet, use: { at: Date; publishers: readonly string[] }): VerifiedReleaseTag;
  /** Write the verdicts this build used (and only those) back, when they differ from what was read. */
  save(): void;
  /** hits: signatures not checked again; misses: checked now. */
  readonly stats: { hits: number; misses: number };
}

/** The verdicts kept in `cacheDir`; without a folder, every signature is checked and nothing is kept. */
export function openTagVerdictCache(cacheDir: string | undefined): TagVerdictCache {
  const stats = { hits: 0, misses: 0 };
  const file = cacheDir === undefined ? undefined : join(cacheDir, "tags", "verdicts.json");
  const known = file === undefined ? new Map<string, [string, string]>() : readVerdicts(file);
  const used = new Map<string, [string, string]>();
  const digests = new Map<string, string>();
  return {
    stats,
    verify(bytes, tag, { text, signers }, use) {
      let signersDigest = digests.get(text);
      if (signersDigest === undefined) digests.set(text, (signersDigest = createHash("sha256").update(text).digest("hex")));
      const key = createHash("sha256")
        .update(JSON.stringify([signersDigest, tag, use.at.toISOString(), use.publishers]))
        .update("\0")
        .update(bytes)
        .digest("hex");
      const verdict = known.get(key);
      if (verdict !== undefined) {
        const parsed = parseTagObject(bytes);
        // The key names the tag; the name is checked from the bytes all the same.
        if (parsed.tag === tag && parsed.signature !== undefined) {
          stats.hits++;
          used.set(key, verdict);
          return { parsed, signer: { principal: verdict[0], fingerprint: verdict[1] } };
        }
      }
      stats.misses++;
      const release = verifyReleaseTag(bytes, tag, signers, use);
      used.set(key, [release.signer.principal, release.signer.fingerprint]);
      return release;
    },
    save() {
      if (file === undefined) return;
      if (used.size === known.size && [...used.keys()].every((key) => known.has(key))) return;
      const sorted = Object.fromEntries([...used].sort(([a], [b]) => (a < b ? -1 : 1)));
      writeCacheJson(file, { format: FORMAT, verdicts: sorted });
    },
  };
}

/** The verdicts of `file`, or none when it is absent, a link, too big, unreadable or not of the schema. */
function readVerdicts(file: string): Map<string, [string, string]> {
  const value = readCacheJson(file, MAX_FILE_BYTES);
  if (value === undefined || !validatorFor(verdictFileSchema)(value)) return new Map();
  return new Map(Object.entries((value as { verdicts: Record<string, [string, string]> }).verdicts));
}
