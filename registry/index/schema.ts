import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { NAME_MAX_LENGTH, NAME_PATTERN, SEMVER_PATTERN } from "../core/index.js";
import { parseJsonWithSchema } from "../core/index.js";

/**
 * The machine index the static site serves and the CLI resolves against, modelled on the
 * crates.io sparse index: one small file per skill, so a pull reads two files whatever the
 * size of the registry. Every file here is downloaded from a server we do not control, so
 * the CLI validates each against its schema before using a single field.
 */

export const INDEX_FORMAT_VERSION = 1;

/** Where each index file lives under the site root. */
export const indexPaths = {
  config: "index/v1/config.json",
  all: "index/v1/all.json",
  skill: (scope: string, name: string) => `index/v1/skills/${scope}/${name}.json`,
  /** A sealed version's recipient envelope; only internal builds have any (public ones leave private skills out). */
  sealedEnvelope: (scope: string, name: string, version: string) => `index/v1/sealed/${scope}/${name}/${version}.json`,
  wellKnown: ".well-known/skills/index.json",
} as const;

/** A git object id (tag object, tree), as the index and the lock record it. */
export const oidSchema = { type: "string", pattern: "^[0-9a-f]{40}$" } as const;
/** A skill content hash (registry/core/skill/hash.ts) or a file's sha256, in hex. */
export const sha256Schema = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;

const nameSchema = { type: "string", pattern: NAME_PATTERN, minLength: 1, maxLength: NAME_MAX_LENGTH } as const;
const principalSchema = { type: "string", minLength: 1, maxLength: 256, pattern: "^[^\\s,]+$" } as const;
/** "SHA256:<base64>", as ssh-keygen -l prints. */
const fingerprintSchema = { type: "string", pattern: "^SHA256:[A-Za-z0-9+/]{43}$" } as const;
/** Who signed a version's tag: what pull shows and the lock records. */
export const signerSchema = {
  type: "object",
  additionalProperties: false,
  required: ["principal", "fingerprint"],
  properties: { principal: principalSchema, fingerprint: fingerprintSchema },
} as const;
const reasonSchema = {
  type: ["object", "null"],
  additionalProperties: false,
  required: ["reason"],
  properties: { reason: { type: "string", maxLength: 1024 } },
} as const;

/** /index/v1/config.json: who the registry is and whose signatures count. */
export const indexConfigSchema = {
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "name", "signers", "scopes"],
  properties: {
    formatVersion: { const: INDEX_FORMAT_VERSION },
    name: { type: "string", minLength: 1, maxLength: 200 },
    gitUrl: { type: "string", minLength: 1 },
    siteUrl: { type: "string", minLength: 1 },
    signers: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["principal", "key", "fingerprint"],
        properties: {
          principal: principalSchema,
          /** The public key line as in allowed_signers: "ssh-ed25519 AAAA...". */
          key: { type: "string", pattern: "^[a-z0-9@.-]+ [A-Za-z0-9+/=]+$" },
          fingerprint: fingerprintSchema,
          namespaces: { type: "array", items: { type: "string", minLength: 1 } },
          validAfter: { type: "string", format: "date-time" },
          validBefore: { type: "string", format: "date-time" },
        },
      },
    },
    scopes: {
      type: "object",
      propertyNames: { pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["publishers"],
        properties: { publishers: { type: "array", items: principalSchema } },
      },
    },
  },
} as const satisfies JSONSchema;
export type IndexConfig = FromSchema<typeof indexConfigSchema>;

export const decisionSchema = { type: "string", enum: ["blocked", "review", "flagged", "pass"] } as const;
export const severitySchema = { type: "string", enum: ["critical", "high", "medium", "low"] } as const;

export const indexVersionSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "version", "tag", "tagObject", "tree", "sha256", "publishedAt", "signer", "scan", "yanked", "deprecated", "files",
  ],
  properties: {
    version: { type: "string", pattern: SEMVER_PATTERN, maxLength: 256 },
    tag: { type: "string", minLength: 1, maxLength: 400 },
    tagObject: oidSchema,
    tree: oidSchema,
    sha256: sha256Schema,
    /** When the release merge added the tag's publish record to main (not the tagger date). */
    publishedAt: { type: "string", format: "date-time" },
    signer: signerSchema,
    scan: {
      type: "object",
      additionalProperties: false,
      required: ["decision", "counts", "flags"],
      properties: {
        decision: decisionSchema,
        counts: {
          type: "object",
          additionalProperties: false,
          required: ["critical", "high", "medium", "low"],
          properties: {
            critical: { type: "integer", minimum: 0 },
            high: { type: "integer", minimum: 0 },
            medium: { type: "integer", minimum: 0 },
            low: { type: "integer", minimum: 0 },
          },
        },
        /** Findings of medium severity and above, shown in the catalog and at pull. */
        flags: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["ruleId", "severity", "message", "file", "line"],
            properties: {
              ruleId: { type: "string" },
              severity: severitySchema,
              message: { type: "string" },
              file: { type: "string" },
              line: { type: ["integer", "null"] },
            },
          },
        },
      },
    },
    yanked: reasonSchema,
    deprecated: reasonSchema,
    files: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["path", "size"],
        properties: { path: { type: "string", minLength: 1 }, size: { type: "integer", minimum: 0 } },
      },
    },
  },
} as const satisfies JSONSchema;
export type IndexVersion = FromSchema<typeof indexVersionSchema>;

/** /index/v1/skills/<scope>/<name>.json: every version of one skill, sorted by semver. */
export const indexSkillSchema = {
  type: "object",
  additionalProperties: false,
  required: ["scope", "name", "description", "visibility", "versions"],
  properties: {
    scope: nameSchema,
    name: nameSchema,
    description: { type: "string", maxLength: 1024 },
    visibility: { type: "string", enum: ["public", "private"] },
    versions: { type: "array", items: indexVersionSchema },
  },
} as const satisfies JSONSchema;
export type IndexSkill = FromSchema<typeof indexSkillSchema>;

/** /index/v1/all.json: one line per skill, for search and the catalog's front page. */
export const indexAllSchema = {
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "skills"],
  properties: {
    formatVersion: { const: INDEX_FORMAT_VERSION },
    skills: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["scope", "name", "description", "latest", "versions", "decision", "updatedAt", "visibility"],
        properties: {
          scope: nameSchema,
          name: nameSchema,
          description: { type: "string", maxLength: 1024 },
          latest: { type: "string", pattern: SEMVER_PATTERN },
          versions: { type: "integer", minimum: 1 },
          decision: decisionSchema,
          updatedAt: { type: "string", format: "date-time" },
          visibility: { type: "string", enum: ["public", "private"] },
        },
      },
    },
  },
} as const satisfies JSONSchema;
export type IndexAll = FromSchema<typeof indexAllSchema>;

/**
 * /.well-known/skills/index.json as the `skills` CLI (vercel-labs/skills) and other clients
 * of the Agent Skills discovery convention read it: each entry's files are served at
 * /.well-known/skills/<name>/<file>, and `files` must include SKILL.md.
 * The format has no file mode: the `skills` CLI (1.5.0) fetches each file as text and writes
 * it with default permissions, so a script's executable bit cannot reach it this way (nor
 * can binary files). `skillreg pull` keeps modes: it installs the signed Git tree.
 */
export const wellKnownIndexSchema = {
  type: "object",
  additionalProperties: false,
  required: ["skills"],
  properties: {
    skills: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "description", "files"],
        properties: {
          name: { type: "string", pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH },
          description: { type: "string", minLength: 1, maxLength: 1024 },
          files: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        },
      },
    },
  },
} as const satisfies JSONSchema;
export type WellKnownIndex = FromSchema<typeof wellKnownIndexSchema>;

/**
 * Parse a downloaded index file and check it against its schema. `source` names where the
 * text came from (a URL or path) so the error says which file was bad and why.
 */
export function parseIndexFile<T>(text: string, schema: object, source: string): T {
  return parseJsonWithSchema<T>(text, schema, {
    notJson: (reason) => `${source}: index file is not valid JSON (${reason})`,
    mismatch: (problems) => `${source}: index file does not match its schema: ${problems.slice(0, 3).join("; ")}`,
  });
}
