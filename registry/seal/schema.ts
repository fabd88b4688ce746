import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { NAME_MAX_LENGTH, NAME_PATTERN, PRINCIPAL_MAX_LENGTH, PRINCIPAL_PATTERN, SEMVER_PATTERN } from "../core/index.js";

/**
 * The three files of a sealed version.
 *
 * A version's signed tag points at its tree, and a version never changes; yet granting read
 * access must add recipients to versions already published. So what the tag signs and what
 * membership changes are two files:
 *
 * - in the signed tree: `sealed.json` (this schema: which version, the plaintext hash the
 *   tag binds, the payload's hash) and `payload.age-body`, the age payload (nonce and
 *   encrypted chunks) that never changes once published;
 * - beside it, outside the signed tree: the envelope, the age header (one `ssh-ed25519`
 *   stanza a recipient, and its MAC) plus who those recipients are. Re-wrapping rewrites
 *   only the envelope. `envelope.header` followed by the payload bytes is a standard age
 *   file: `age -d -i ~/.ssh/id_ed25519` opens it.
 *
 * Inside the age payload the files travel as the plaintext container below. Every one of
 * them comes from a repository or a member we do not trust, so each is checked against its
 * schema before a field is read.
 */

export const SEALED_MANIFEST_FILE = "sealed.json";
export const SEALED_PAYLOAD_FILE = "payload.age-body";

const SEALED_FORMAT = "skillreg-sealed/2";
const SEALED_FORMAT_V1 = "skillreg-sealed/1";
const ENVELOPE_FORMAT = "skillreg-seal-envelope/1";
const CONTAINER_FORMAT = "skillreg-sealed-files/1";
const SEALED_INDEX_FORMAT = "skillreg-sealed-index/1";

const name = { type: "string", minLength: 1, maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN } as const;
const version = { type: "string", maxLength: 256, pattern: SEMVER_PATTERN } as const;
const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;

/**
 * sealed.json: in the signed tree, so the publisher's signature covers every field. It binds
 * the plaintext without revealing a hash of it: format 2 carries an HMAC of the files' skill
 * hash keyed by a random salt that travels inside the encrypted payload, so nobody without
 * the payload's key can confirm a guess of a private skill's files by hashing it. Format 1
 * (the plain skill hash) is still read, so versions published before stay verifiable.
 */
export const sealedManifestSchema = {
  $id: "https://skillreg.dev/schema/sealed.json",
  title: "sealed.json",
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["format", "scope", "name", "version", "plaintextHmacSha256", "payloadSha256"],
      properties: {
        format: { const: SEALED_FORMAT },
        scope: name,
        name,
        version,
        /** HMAC-SHA-256, keyed by the container's salt, of the skill content hash (registry/core/skill/hash.ts) of the files inside. */
        plaintextHmacSha256: sha256,
        /** sha256 of payload.age-body: binds the envelope, which lives outside the signed tree, to this payload. */
        payloadSha256: sha256,
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["format", "scope", "name", "version", "plaintextSha256", "payloadSha256"],
      properties: {
        format: { const: SEALED_FORMAT_V1 },
        scope: name,
        name,
        version,
        /** The skill content hash of the files inside, unsalted (format 1, read only). */
        plaintextSha256: sha256,
        payloadSha256: sha256,
      },
    },
  ],
} as const satisfies JSONSchema;

/** Who an age header's stanzas are for, sorted by fingerprint; the header itself only carries 4-byte tags. */
const recipientsSchema = {
  type: "array",
  minItems: 1,
  maxItems: 1000,
  items: {
    type: "object",
    additionalProperties: false,
    required: ["principal", "fingerprint"],
    properties: {
      principal: { type: "string", minLength: 1, maxLength: PRINCIPAL_MAX_LENGTH, pattern: PRINCIPAL_PATTERN },
      fingerprint: { type: "string", pattern: "^SHA256:[A-Za-z0-9+/]{43}$" },
    },
  },
} as const;

/**
 * The age header as text: the version line, stanzas, and the MAC line ending the header.
 * Anything after the MAC line (or a header cut short) fails here, before age parses it.
 */
const AGE_HEADER_PATTERN = "^age-encryption\\.org/v1\\n(-> [^\\n]+\\n(?:[A-Za-z0-9+/]{64}\\n)*[A-Za-z0-9+/]{0,63}\\n)+--- [A-Za-z0-9+/]{43}\\n$";

export const sealEnvelopeSchema = {
  $id: "https://skillreg.dev/schema/seal-envelope.json",
  title: "sealed version envelope",
  type: "object",
  additionalProperties: false,
  required: ["format", "scope", "name", "version", "payloadSha256", "recipients", "header"],
  properties: {
    format: { const: ENVELOPE_FORMAT },
    scope: name,
    name,
    version,
    payloadSha256: sha256,
    recipients: recipientsSchema,
    header: { type: "string", maxLength: 256 * 1024, pattern: AGE_HEADER_PATTERN, description: "an age header ending in its '--- <MAC>' line" },
    /**
     * The version's 16-byte file key, unpadded base64, once the skill is made public: anyone
     * opens the version with it (the header's MAC and the payload's AEAD prove it is the
     * right key) and the signed tree stays as published. Set by `skillreg visibility ... public`.
     */
    disclosedFileKey: { type: "string", pattern: "^[A-Za-z0-9+/]{22}$" },
  },
} as const satisfies JSONSchema;

/** The plaintext inside the age payload: the skill's files, as git would record them. */
export const sealedContainerSchema = {
  $id: "https://skillreg.dev/schema/sealed-files.json",
  title: "sealed files container",
  type: "object",
  additionalProperties: false,
  required: ["format", "scope", "name", "version", "files"],
  properties: {
    format: { const: CONTAINER_FORMAT },
    scope: name,
    name,
    version,
    /** 32 random bytes, base64: the key of sealed.json's plaintext HMAC (format 2), secret like the files. */
    salt: { type: "string", pattern: "^[A-Za-z0-9+/]{43}=$" },
    files: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["path", "mode", "base64"],
        properties: {
          path: { type: "string", minLength: 1, maxLength: 4096 },
          /** Git's file modes: the only distinction a skill's tree records. */
          mode: { enum: ["100644", "100755"] },
          base64: { type: "string", pattern: "^[A-Za-z0-9+/]*={0,2}$" },
        },
      },
    },
  },
} as const satisfies JSONSchema;

/**
 * An index file of an internal catalog, sealed: a sealed skill's index file (its versions,
 * description and scan findings) readable only by the scope's members and the gate, so a
 * catalog hosted behind sign-in still needs membership to resolve a sealed skill. `age` is
 * an ASCII-armored age file (`jq -r .age | age -d -i ~/.ssh/id_ed25519` opens it).
 */
export const sealedIndexFileSchema = {
  $id: "https://skillreg.dev/schema/sealed-index-file.json",
  title: "sealed index file",
  type: "object",
  additionalProperties: false,
  required: ["format", "scope", "name", "recipients", "age"],
  properties: {
    format: { const: SEALED_INDEX_FORMAT },
    scope: name,
    name,
    recipients: recipientsSchema,
    age: { type: "string", maxLength: 64 * 1024 * 1024, pattern: "^-----BEGIN AGE ENCRYPTED FILE-----\\n[A-Za-z0-9+/=\\n]+-----END AGE ENCRYPTED FILE-----\\n?$" },
  },
} as const satisfies JSONSchema;

export const FORMATS = { sealed: SEALED_FORMAT, sealedV1: SEALED_FORMAT_V1, envelope: ENVELOPE_FORMAT, container: CONTAINER_FORMAT, index: SEALED_INDEX_FORMAT } as const;

export type SealedManifest = FromSchema<typeof sealedManifestSchema>;
export type SealEnvelope = FromSchema<typeof sealEnvelopeSchema>;
export type SealedContainer = FromSchema<typeof sealedContainerSchema>;
export type SealedIndexFile = FromSchema<typeof sealedIndexFileSchema>;
