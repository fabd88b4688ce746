/** trust/: SSH keys, SSHSIG signatures, allowed_signers and the one key-to-principal resolver, tag objects, commit signatures, and the client's trust root (TUF metadata, tuf/). */
export * from "./allowed-signers.js";
export * from "./commit-signature.js";
export * from "./release-time.js";
export * from "./signer.js";
export * from "./ssh-keys.js";
export * from "./sshsig.js";
export * from "./tags.js";
export * from "./tuf/index.js";
