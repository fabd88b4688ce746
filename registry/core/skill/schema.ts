import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import type { ErrorObject } from "ajv";
import { NAME_MAX_LENGTH, NAME_PATTERN } from "../config/schema.js";
import { isValidName } from "../layout.js";

/**
 * SKILL.md frontmatter as the Agent Skills specification (agentskills.io/specification)
 * defines it. Fields outside the spec are allowed here and reported as warnings by
 * validate.ts, because clients add their own (see CLIENT_EXTENSIONS).
 */
export const skillFrontmatterSchema = {
  type: "object",
  required: ["name", "description"],
  properties: {
    // The pattern alone covers "empty", the character set and the hyphen rules.
    name: { type: "string", maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN },
    description: { type: "string", minLength: 1, maxLength: 1024 },
    license: { type: "string", minLength: 1 },
    compatibility: { type: "string", minLength: 1, maxLength: 500 },
    metadata: { type: "object", additionalProperties: { type: "string" } },
    // The spec says a space-separated string; Claude Code also reads a YAML list.
    "allowed-tools": {
      anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
    },
  },
  additionalProperties: true,
} as const satisfies JSONSchema;

export type SkillFrontmatter = FromSchema<typeof skillFrontmatterSchema>;

/** The fields the specification defines; anything else draws a warning. */
export const SPEC_FIELDS: readonly string[] = Object.keys(skillFrontmatterSchema.properties);

/**
 * Frontmatter fields that agent clients read beyond the specification, with who reads them.
 * Other clients ignore them, so they are warnings rather than errors.
 */
export const CLIENT_EXTENSIONS: Readonly<Record<string, string>> = {
  "disable-model-invocation": "Claude Code",
  "user-invocable": "Claude Code",
  "argument-hint": "Claude Code",
  model: "Claude Code",
  effort: "Claude Code",
  context: "Claude Code",
  agent: "Claude Code",
  hooks: "Claude Code",
  paths: "Claude Code",
  shell: "Claude Code",
  "when_to_use": "Claude Code",
};

/** The value an ajv instance path ("/metadata/version") points at in `root`. */
function valueAt(root: unknown, instancePath: string): unknown {
  let v = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** What a YAML value is, in words ("a number (42)"), for type errors. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "nothing (an empty value)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return "text";
  return `a ${typeof v} (${String(v)})`;
}

/**
 * Why a name breaks the spec, most specific rule first, with the fix. `name` matched neither
 * the pattern nor the length; this says which part.
 */
function nameFormatMessage(name: string): string {
  const fix = slugify(name);
  const suggest = fix && fix !== name ? `, e.g. '${fix}'` : "";
  if (name === "") return `name is empty; use 1-${NAME_MAX_LENGTH} lowercase letters, digits and hyphens, the same as the skill's folder`;
  if (/[A-Z]/.test(name) && /^[A-Za-z0-9-]+$/.test(name)) return `name '${name}' has uppercase letters; use lowercase${suggest}`;
  if (!/^[a-z0-9-]+$/.test(name)) return `name '${name}' may contain only lowercase letters, digits and hyphens${suggest}`;
  if (name.startsWith("-") || name.endsWith("-")) return `name '${name}' must not start or end with a hyphen${suggest}`;
  return `name '${name}' must not contain two hyphens in a row${suggest}`;
}

function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, NAME_MAX_LENGTH)
    .replace(/-+$/, "");
}

/** Turn an ajv error on the frontmatter into a rule id and a message that says what to do. */
export function describeFrontmatterError(e: ErrorObject, root: unknown): { code: string; message: string } {
  const field = e.instancePath.split("/")[1]?.replaceAll("~1", "/").replaceAll("~0", "~");
  const value = valueAt(root, e.instancePath);
  if (field === undefined) {
    if (e.keyword === "required") {
      const missing = String(e.params.missingProperty);
      return missing === "name"
        ? { code: "name-missing", message: "missing required field 'name'; add `name: <skill-name>` with the skill's folder name" }
        : { code: "description-missing", message: "missing required field 'description'; add `description:` saying what the skill does and when to use it" };
    }
    return value === null
      ? { code: "frontmatter-empty", message: "the frontmatter is empty; add at least `name:` and `description:` between the '---' lines" }
      : { code: "frontmatter-not-map", message: `the frontmatter must be a map of fields, found ${describeValue(value)}; write one 'field: value' per line (name: ..., description: ...)` };
  }
  if (field === "allowed-tools") {
    // ajv also reports each anyOf branch; all of them mean this one thing (callers dedupe).
    return { code: "allowed-tools-type", message: `allowed-tools must be a space-separated string of tool names (or a list of them), found ${describeValue(valueAt(root, "/allowed-tools"))}; e.g. allowed-tools: Read Grep Bash(git diff *)` };
  }
  if (e.keyword === "type") {
    const where = e.instancePath.slice(1).replaceAll("/", ".");
    const expected = e.params.type === "object" ? "a map" : "text";
    const fix =
      typeof value === "number" || typeof value === "boolean"
        ? "; put the value in quotes so YAML reads it as text"
        : expected === "a map"
          ? "; write it as indented 'key: value' lines below it"
          : "; write it as one piece of text (in quotes if it contains ': ' or starts with '[' or '{')";
    const code = field === "metadata" && e.instancePath !== "/metadata" ? "metadata-value-type" : `${field}-type`;
    return { code, message: `${where} must be ${expected}, found ${describeValue(value)}${fix}` };
  }
  switch (`${field}:${e.keyword}`) {
    case "name:pattern":
      return { code: "name-format", message: nameFormatMessage(String(value)) };
    case "name:maxLength":
      return { code: "name-length", message: `name is ${String(value).length} characters; the limit is ${NAME_MAX_LENGTH}, shorten it and rename the folder to match` };
    case "description:minLength":
      return { code: "description-empty", message: "description is empty; say what the skill does and when an agent should use it" };
    case "description:maxLength":
      return { code: "description-length", message: `description is ${String(value).length} characters; the limit is 1024, move details into the body` };
    case "license:minLength":
      return { code: "license-empty", message: "license is empty; name a license (e.g. Apache-2.0) or a bundled file (LICENSE.txt), or remove the field" };
    case "compatibility:minLength":
      return { code: "compatibility-empty", message: "compatibility is empty; describe the environment the skill needs, or remove the field" };
    case "compatibility:maxLength":
      return { code: "compatibility-length", message: `compatibility is ${String(value).length} characters; the limit is 500, shorten it` };
    default:
      return { code: `${field}-invalid`, message: `${e.instancePath.slice(1).replaceAll("/", ".")}: ${e.message ?? "is invalid"}` };
  }
}

/** Why `name` is not a valid skill name, or undefined when it is. */
export function skillNameProblem(name: string): string | undefined {
  if (isValidName(name)) return undefined;
  return name.length > NAME_MAX_LENGTH ? `name is ${name.length} characters; the limit is ${NAME_MAX_LENGTH}` : nameFormatMessage(name);
}
