import type { FromSchema, JSONSchema } from "json-schema-to-ts";

/**
 * The name rule of the Agent Skills specification, shared by skill names, scope names and
 * the registry name: 1-64 characters of a-z, 0-9 and '-', no leading, trailing or double
 * hyphen. Scopes follow it so that `skills/<scope>/<name>` is always a plain, safe path.
 */
export const NAME_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$";
export const NAME_MAX_LENGTH = 64;

/**
 * A principal as it appears in allowed_signers and CODEOWNERS: a GitHub login
 * (`alice`), a team (`acme/security`) or an email (`alice@acme.example`). No whitespace,
 * quotes or commas (allowed_signers separators), and never a leading '@' (CODEOWNERS adds it).
 */
export const PRINCIPAL_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._+@/-]*$";
export const PRINCIPAL_MAX_LENGTH = 254;

/** Semantic Versioning 2.0.0, the regular expression from semver.org (no leading 'v'). */
export const SEMVER_PATTERN =
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
  "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?" +
  "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";

export const DEFAULT_LIMITS = {
  maxFileBytes: 1024 * 1024,
  maxSkillBytes: 10 * 1024 * 1024,
  maxFiles: 500,
} as const;

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export const ROLES = ["owner", "maintainer", "reader"] as const;
export const VISIBILITIES = ["private", "public"] as const;

// The descriptions word the patterns in error messages ("<field>: must be <description>").
export const NAME_WORDS = "lowercase letters, digits and single hyphens, not starting or ending with '-' (like acme-corp)";
export const PRINCIPAL_WORDS = "a login, team (org/team) or email without spaces, quotes, commas or a leading '@'";
const SEMVER_WORDS = "a semantic version like 1.2.3 (no leading 'v')";
const principalKey = { pattern: PRINCIPAL_PATTERN, maxLength: PRINCIPAL_MAX_LENGTH, description: PRINCIPAL_WORDS } as const;
const principal = { type: "string", ...principalKey } as const;
const nameKey = { pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH, description: NAME_WORDS } as const;
const name = { type: "string", minLength: 1, ...nameKey } as const;
const reason = { type: "string", minLength: 1, maxLength: 1000 } as const;

/** `skillreg.yaml` at the root of a registry. */
export const registryConfigSchema = {
  $id: "https://skillreg.dev/schema/skillreg.yaml.json",
  title: "skillreg.yaml",
  type: "object",
  additionalProperties: false,
  required: ["name", "admins"],
  properties: {
    name,
    siteUrl: { type: "string", maxLength: 2048, pattern: "^https?://[^\\s/?#]+\\S*$", description: "an http:// or https:// URL" },
    // Any URL or scp-like address git accepts (git@github.com:acme/skills.git), or a path.
    gitUrl: { type: "string", minLength: 1, maxLength: 2048, pattern: "^\\S+$", description: "a git URL or path without spaces" },
    admins: { type: "array", minItems: 1, uniqueItems: true, items: principal },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxFileBytes: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.maxFileBytes },
        maxSkillBytes: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.maxSkillBytes },
        maxFiles: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.maxFiles },
      },
    },
    /**
     * Sealed versions (registry/seal/): present, it makes every private skill's new versions
     * sealed to the scope's members and to this gate key, whose private half is the CI
     * secret (SKILLREG_GATE_KEY) the gate opens them with to scan them.
     */
    sealing: {
      type: "object",
      additionalProperties: false,
      required: ["gateRecipient"],
      properties: {
        gateRecipient: { type: "string", maxLength: 1024, pattern: "^ssh-ed25519 [A-Za-z0-9+/]+={0,2}( [^\\n]*)?$", description: "an ssh-ed25519 public key line (ssh-ed25519 AAAA...)" },
      },
    },
    policy: {
      type: "object",
      additionalProperties: false,
      properties: {
        /** Who may approve a pull request whose scan decision is `review` (high findings). */
        securityReviewers: { type: "array", uniqueItems: true, items: principal },
        /** Per-rule severity overrides; `off` disables a rule for this registry. */
        rules: {
          type: "object",
          propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]*$", maxLength: 128, description: "a scanner rule id" },
          additionalProperties: { enum: [...SEVERITIES, "off"] },
        },
      },
    },
  },
} as const satisfies JSONSchema;

const versionMap = {
  type: "object",
  propertyNames: { pattern: SEMVER_PATTERN, maxLength: 256, description: SEMVER_WORDS },
  additionalProperties: reason,
} as const;

/** `scopes/<scope>.yaml`: who may do what in a scope, and per-skill visibility and flags. */
export const scopeFileSchema = {
  $id: "https://skillreg.dev/schema/scope.yaml.json",
  title: "scopes/<scope>.yaml",
  type: "object",
  additionalProperties: false,
  required: ["scope", "members"],
  properties: {
    scope: name,
    visibility: { enum: VISIBILITIES, default: "private" },
    members: {
      type: "object",
      minProperties: 1,
      propertyNames: principalKey,
      additionalProperties: { enum: ROLES },
    },
    skills: {
      type: "object",
      propertyNames: nameKey,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          visibility: { enum: VISIBILITIES },
          yanked: versionMap,
          deprecated: versionMap,
        },
      },
    },
  },
} as const satisfies JSONSchema;

export type Role = (typeof ROLES)[number];
export type Visibility = (typeof VISIBILITIES)[number];

// ajv runs without useDefaults, so a field with a `default` may be absent from what was
// written: the "as written" types keep it optional, and the loaders fill the defaults in.
type AsWritten = { keepDefaultedPropertiesOptional: true };

/** skillreg.yaml as written. */
export type RegistryConfigFile = FromSchema<typeof registryConfigSchema, AsWritten>;
/** skillreg.yaml after loading: limits and policy filled with their defaults. */
export type RegistryConfig = Omit<RegistryConfigFile, "limits" | "policy"> & {
  limits: Required<NonNullable<RegistryConfigFile["limits"]>>;
  policy: Required<NonNullable<RegistryConfigFile["policy"]>>;
};

/** A scope file as written. */
export type ScopeFileData = FromSchema<typeof scopeFileSchema, AsWritten>;
/** A scope file after loading: visibility and skills filled with their defaults. */
export type ScopeFile = ScopeFileData & Required<Pick<ScopeFileData, "visibility" | "skills">>;

/** Every scope of a registry, by scope name (without '@'). */
export type Scopes = ReadonlyMap<string, ScopeFile>;
