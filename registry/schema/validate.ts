import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from "yaml";
import { SkillregError } from "../errors.js";

/** One problem found in a file, with the line where it is (1-based) when known. */
export interface SchemaProblem {
  file: string;
  line?: number;
  message: string;
}

export const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// ajv-formats ships as CommonJS; its default export sits on `.default` under NodeNext.
(ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

/** Compile once per schema object and reuse: ajv compilation is the slow part. */
export function validatorFor(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Turn an ajv error into words a person can act on. */
export function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replaceAll("/", ".") : "(top level)";
  switch (e.keyword) {
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
      if (!pair) return isMap(node) ? (node as Node) : undefined;
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
 * `lineOffset` shifts lines for YAML embedded in a larger file (SKILL.md frontmatter).
 */
export function parseYamlWithSchema<T>(
  text: string,
  schema: object,
  file: string,
  lineOffset = 0,
): T {
  const problems = checkYamlWithSchema(text, schema, file, lineOffset);
  if (problems.problems.length > 0) {
    throw new SkillregError(problems.problems.map(formatProblem).join("; "));
  }
  return problems.value as T;
}

/** Like parseYamlWithSchema, but returns the problems instead of throwing. */
export function checkYamlWithSchema(
  text: string,
  schema: object,
  file: string,
  lineOffset = 0,
): { value: unknown; problems: SchemaProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line + lineOffset;
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      problems: doc.errors.map((e) => ({ file, line: lineOf(e.pos[0]), message: `invalid YAML: ${firstLine(e.message)}` })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { value: undefined, problems: [{ file, message: `invalid YAML: ${firstLine((e as Error).message)}` }] };
  }
  const validate = validatorFor(schema);
  if (validate(value)) return { value, problems: [] };
  const problems = (validate.errors ?? []).map((e) => ({
    file,
    line: lineOf(nodeAt(doc.contents, e.instancePath)?.range?.[0]),
    message: describeAjvError(e),
  }));
  return { value, problems };
}

export function formatProblem(p: SchemaProblem): string {
  return p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}: ${p.message}`;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}
