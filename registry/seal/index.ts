/**
 * Sealed versions: a private skill's files encrypted (age, ssh-ed25519 recipients) to the
 * members who may read it and the registry's gate key. The one public entry of registry/seal/.
 */
export {
  ageFileOf,
  discloseSealed,
  isDisclosedEnvelope,
  loadSealIdentity,
  openSealed,
  parseSealEnvelope,
  parseSealedManifest,
  plaintextBinding,
  rewrapSealed,
  sealIdentityFromText,
  sealVersion,
  type OpenedVersion,
  type PlainFile,
  type SealedInput,
  type SealedVersion,
  type SealIdentity,
  type SealRecipient,
  type VersionId,
} from "./seal.js";
export {
  SEALED_MANIFEST_FILE,
  SEALED_PAYLOAD_FILE,
  sealEnvelopeSchema,
  sealedContainerSchema,
  sealedManifestSchema,
  type SealEnvelope,
  type SealedManifest,
} from "./schema.js";
export { isSealedIndexFile, openSealedIndexFile, sealIndexFile } from "./sealed-index.js";
export {
  GATE_PRINCIPAL,
  gateKeyFromEnv,
  sealIdentityFor,
  isSealedTree,
  openSealedTree,
  readStoredSealedVersion,
  scopeRecipients,
  sealedTreeFiles,
  sealsSkill,
  strangerStanzas,
  type ScopeRecipients,
  type StoredSealedVersion,
} from "./registry.js";
