import { SkillregError } from "../core/index.js";
import type { AllowedSigner } from "../trust/index.js";
import { parsePublicKey } from "../trust/index.js";
import { parseTagObject, verifyTagSignature, type ParsedTag } from "../trust/index.js";
import type { IndexConfig } from "./schema.js";

/**
 * The signers of an index config.json as allowed_signers entries, so pull checks a tag's
 * signature with the same code (registry/trust/tags.ts verifyTagSignature) the gate and the index
 * builder use on the registry's allowed_signers file.
 */
export function signersFromIndexConfig(config: IndexConfig): AllowedSigner[] {
  return config.signers.map((s, i) => ({
    line: i + 1,
    principals: [s.principal],
    key: parsePublicKey(s.key, `index signer ${s.principal}`),
    ...(s.namespaces ? { namespaces: s.namespaces } : {}),
    ...(s.validAfter ? { validAfter: new Date(s.validAfter) } : {}),
    ...(s.validBefore ? { validBefore: new Date(s.validBefore) } : {}),
  }));
}

export interface VerifiedReleaseTag {
  parsed: ParsedTag;
  signer: { principal: string; fingerprint: string };
}

/**
 * A release's tag object, checked the one way the index builder (on allowed_signers) and pull
 * (on the index's signers) both use: it parses strictly, it is named `tag`, and its signature
 * verifies with a key allowed at `use.at` (the release time) for one of `use.publishers`.
 * Throws a SkillregError naming the defect.
 */
export function verifyReleaseTag(
  bytes: Buffer,
  tag: string,
  signers: readonly AllowedSigner[],
  use: { at: Date; publishers: readonly string[] },
): VerifiedReleaseTag {
  const parsed = parseTagObject(bytes);
  if (parsed.tag !== tag) throw new SkillregError(`the tag object is named ${parsed.tag}, not ${tag}`);
  const { principal, fingerprint } = verifyTagSignature(parsed, signers, use);
  return { parsed, signer: { principal, fingerprint } };
}
