/**
 * The client's trust root, TUF-style, built on tuf-js and @tufjs/models: the registry side
 * (root chain, signing the index) and the client side (reading the index from a pinned root).
 */
export { loadPublicKey, loadSigningKey, tufKeyFingerprint, type TufSigningKey } from "./keys.js";
export {
  DEFAULT_EXPIRY_DAYS,
  TARGETS_SITE_DIR,
  TRUST_DIR,
  TUF_SITE_DIR,
  checkRootChain,
  createRoot,
  readRootChain,
  readTrustFile,
  rootPathInRepo,
  rotateRoot,
  signIndex,
  type RootInput,
  type SignIndexInput,
} from "./repository.js";
export {
  ROOT_FINGERPRINT_PATTERN,
  SignedIndex,
  describeRoot,
  fetchRoot,
  rootFingerprint,
  type HeadersFor,
  type RootPin,
  type RootSummary,
  type TrustState,
} from "./client.js";
export {
  DEFAULT_SIGNERS_EXPIRY_DAYS,
  SIGNERS_PATH,
  signSignerSet,
  signerSetFiles,
  signerSetTrustState,
  verifySignerSet,
  type SignerSetFiles,
  type VerifiedSignerSet,
} from "./signers.js";
