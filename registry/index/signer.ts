import type { AllowedSigner } from "../signing/allowed-signers.js";
import { parsePublicKey } from "../signing/ssh-keys.js";
import type { IndexConfig } from "./schema.js";

/**
 * The signers of an index config.json as allowed_signers entries, so pull checks a tag's
 * signature with the same code (registry/tags.ts verifyTagSignature) the gate and the index
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
