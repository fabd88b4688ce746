import { createHash } from "node:crypto";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from "yaml";
import { SkillregError } from "./errors.js";
import { precompiledValidators } from "./precompiled-validators.js";

/** One problem found in a file, with the line where it is (1-based) when known. */
export interface SchemaProblem {
  file: string;
  line?: number;
  message: string;
  /** A stable rule id when the caller's describer gives one (e.g. "name-format"), or "yaml-<error>". */
  code?: string;
}

/** Words and a rule id for one ajv error; `value` is the whole parsed document. */
export type DescribeError = (e: ErrorObject, value: unknown) => { message: string; code?: string };

const describeDefault: DescribeError = (e) => ({ message: describeAjvError(e) });

/** The options every validator is compiled with, at run time and ahead of time (scripts/precompile-schemas.ts). */
// verbose: errors carry their parentSchema, whose `description` words a pattern for people.
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

export const ajv = new Ajv(AJV_OPTIONS);
// ajv-formats ships as CommonJS; its default export sits on `.default` under NodeNext.
(ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

/** What identifies a schema's precompiled validator: the sha256 of its JSON text. */
export function schemaKey(schema: object): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

/** Compile once per schema object and reuse (or use the build's precompiled one): ajv compilation is the slow part. */
export function validatorFor(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = (precompiledValidators.size > 0 ? precompiledValidators.get(schemaKey(schema)) : undefined) ?? ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Turn an ajv error into words a person can act on. */
export function describeAjvError(e: ErrorObject): string {
  const path = e.instancePath ? e.instancePath.slice(1).replaceAll("/", ".") : "(top level)";
  // A propertyNames error is about a key of the map at instancePath: name the key.
  const where = e.propertyName === undefined ? path : `${path}: key '${e.propertyName}'`;
  const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
  switch (e.keyword) {
    case "pattern":
      return typeof description === "string" ? `${where}: must be ${description}` : `${where}: ${e.message ?? "is invalid"}`;
    case "required":
      return `${where === "(top level)" ? "" : where + ": "}missing required field '${String(e.params.missingProperty)}'`;
    case "additionalProperties":
      return `${where}: unknown field '${String(e.params.additionalProperty)}'`;
    case "enum":
      return `${where}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `${where}: ${e.message ?? "is invalid"}`;
  }
}

/** Find the YAML node an ajv instance path points at, to report its line. */
function nodeAt(root: Node | null | undefined, instancePath: string): Node | undefined {
  let node: unknown = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      // A path through a key that is not there points at the map that lacks it.
      if (!pair) return node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
    } else {
      break;
    }
  }
  return node as Node | undefined;
}

/**
 * Parse YAML text and validate it against a schema. Returns the value, or throws a
 * SkillregError whose message lists every problem as `file:line: message`.
 */
export function parseYamlWithSchema<T>(text: string, schema: object, file: string): T {
  const problems = checkYamlWithSchema(text, schema, file);
  if (problems.problems.length > 0) {
    throw new SkillregError(problems.problems.map(formatProblem).join("; "));
  }
  return problems.value as T;
}

/**
 * Like parseYamlWithSchema, but returns the problems instead of throwing. `lineOffset` shifts
 * lines for YAML embedded in a larger file (SKILL.md frontmatter). `describe` turns
 * ajv errors into words (default: describeAjvError); `lineAt` finds the line of the key or
 * value an instance path ("/metadata/version") points at, for checks beyond the schema.
 */
export function checkYamlWithSchema(
  text: string,
  schema: object,
  file: string,
  lineOffset = 0,
  describe: DescribeError = describeDefault,
): { value: unknown; problems: SchemaProblem[]; lineAt: (instancePath: string) => number | undefined } {
  const lineCounter = new LineCounter();
  // logLevel "error": yaml would otherwise print its own warnings to stderr (e.g. for map keys).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line + lineOffset;
  const lineAt = (instancePath: string) => lineOf(nodeAt(doc.contents, instancePath)?.range?.[0]);
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      lineAt,
      problems: doc.errors.map((e) => ({
        file,
        line: lineOf(e.pos[0]),
        message: `invalid YAML: ${firstLine(e.message)}`,
        code: `yaml-${e.code.toLowerCase().replaceAll("_", "-")}`,
      })),
    };
  }
  let value: unknown;
  try {
    // The alias cap stops "billion laughs" documents from expanding into gigabytes.
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    const message = firstLine((e as Error).message);
    const code = message.includes("alias count") ? "yaml-resource-limit" : "yaml-invalid";
    return { value: undefined, lineAt, problems: [{ file, message: `invalid YAML: ${message}`, code }] };
  }
  const validate = validatorFor(schema);
  if (validate(value)) return { value, problems: [], lineAt };
  // "property name must be valid" only repeats the error about the key that comes with it.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "propertyNames");
  const problems = errors.map((e) => ({
    file,
    line: lineAt(pathOfKey(e)),
    ...describe(e, value),
  }));
  return { value, problems, lineAt };
}

export function formatProblem(p: SchemaProblem): string {
  return p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}: ${p.message}`;
}

/** Where to point for an error: at the offending key itself when the error is about one. */
function pathOfKey(e: ErrorObject): string {
  const key = e.propertyName ?? (e.keyword === "additionalProperties" ? String(e.params.additionalProperty) : undefined);
  return key === undefined ? e.instancePath : `${e.instancePath}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

