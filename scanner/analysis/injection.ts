/**
 * Injection sinks in a skill's Python functions: a parameter (what the agent, and so a prompt
 * injection, passes in) reaching eval/exec, a shell, an SQL string or a path under a fixed
 * folder, unchecked. These are dangerous capabilities without safeguards (high), not attacks:
 * a reviewer decides. Only the shapes that are the bug itself count: a value built into the
 * code, command, query or path by formatting or concatenation, not one passed as a bound
 * parameter (`execute(sql, (x,))`) or checked first (realpath + startswith, basename...).
 */
import type { SyntaxNode } from "./grammars.js";
import type { Place } from "./judge.js";

export interface InjectionHit extends Place {
  ruleId: "SR-INJECT-001" | "SR-INJECT-002" | "SR-INJECT-003" | "SR-INJECT-004";
  message: string;
}

/**
 * Cheap look before a parse (most scripts have no such sink, and a parse is the scanner's
 * main cost): a function, and a sink fed something other than a plain literal.
 */
const HINT = /\bdef\s+\w+\s*\(\s*\w/;
const SINK_HINT =
  /\b(?:eval|exec)\s*\(\s*(?:f["']|[A-Za-z_])|\b(?:os\.system|os\.popen)\s*\(\s*(?:f["']|[A-Za-z_])|shell\s*=\s*True|\b(?:execute|executemany|executescript|read_sql\w*)\s*\(\s*(?:f["']|["'](?:SELECT|INSERT|UPDATE|DELETE)[^"'\n]*["']\s*(?:\+|%|\.format)|[A-Za-z_]\w*\s*\))|["'][/~][\w.-]+\/[^"'\n]*\{|os\.path\.join\s*\(\s*["'][/~]|os\.path\.join\s*\(\s*(?:[A-Z_]+|\w*(?:base|dir|root)\w*)\s*,/;

const CODE_SINKS = /^(?:eval|exec|os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput))$/;
const SQL_SINKS = /(?:^|\.)(?:execute|executemany|executescript|raw|read_sql(?:_query)?)$/;
const SQL_TEXT = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH)\b/i;
const PATH_SINKS = /^(?:open|io\.open|Path|pathlib\.Path|send_file|send_from_directory|os\.remove|os\.unlink|shutil\.rmtree)$/;
/** Checks that confine a path or a value: their presence in the function means someone thought about it. */
const SANITISERS = /\b(?:realpath|abspath|normpath|resolve|is_relative_to|commonpath|secure_filename|basename|startswith|isidentifier|isalnum|isdigit|shlex\.quote|re\.(?:fullmatch|match))\b/;

function identifiersIn(n: SyntaxNode, out: Set<string> = new Set()): Set<string> {
  if (n.type === "identifier") out.add(n.text);
  for (const c of n.namedChildren) if (c) identifiersIn(c, out);
  return out;
}

/** Whether `n` builds text from a tainted name: f-string, +, %, .format(), os.path.join. */
function buildsFrom(n: SyntaxNode, tainted: Set<string>): boolean {
  const uses = () => [...identifiersIn(n)].some((id) => tainted.has(id));
  switch (n.type) {
    case "string":
      return n.namedChildren.some((c) => c?.type === "interpolation") && uses();
    case "binary_operator":
      return uses();
    case "call": {
      const fn = n.childForFieldName("function")?.text ?? "";
      return (/\.format$/.test(fn) || /^(?:os\.path\.join|posixpath\.join|str)$/.test(fn)) && uses();
    }
    default:
      return false;
  }
}

/**
 * `os.path.join("/srv/docs", name)` or `f"/etc/app/{name}"`: a fixed folder first, then the
 * function's input itself as the file name (a name made from an id, `f"{key}.json"`, is a
 * cache file, not a path the caller picks).
 */
function joinsUnderFixedFolder(n: SyntaxNode, inputs: Set<string>): boolean {
  const fixed = (a: SyntaxNode | null | undefined) => !!a && (a.type === "string" ? !a.namedChildren.some((c) => c?.type === "interpolation") : a.type === "identifier" && !inputs.has(a.text));
  const isInput = (a: SyntaxNode | null | undefined) => a?.type === "identifier" && inputs.has(a.text);
  if (n.type === "call") {
    const args = n.childForFieldName("arguments")?.namedChildren.filter((c) => c !== null) ?? [];
    return args.length >= 2 && fixed(args[0]) && isInput(args.at(-1));
  }
  if (n.type === "string") {
    const parts = n.namedChildren.filter((c) => c?.type === "interpolation");
    return /^[rbfu]*["']{1,3}[/~]/i.test(n.text) && /\}["']{1,3}$/.test(n.text) && parts.length === 1 && isInput(parts[0]!.namedChildren[0]);
  }
  if (n.type === "binary_operator") return fixed(n.namedChildren[0]) && isInput(n.namedChildren.at(-1));
  return false;
}

function firstArg(call: SyntaxNode): SyntaxNode | undefined {
  const args = call.childForFieldName("arguments");
  return args?.namedChildren.find((c) => c !== null && c.type !== "keyword_argument" && c.type !== "comment") ?? undefined;
}

function stringText(n: SyntaxNode): string {
  return n.text.replace(/^[rbfu]*["']{1,3}/i, "");
}

function judgeFunction(fn: SyntaxNode, out: InjectionHit[]): void {
  const params = fn.childForFieldName("parameters");
  const body = fn.childForFieldName("body");
  if (!params || !body) return;
  const inputs = new Set([...identifiersIn(params)].filter((p) => p !== "self" && p !== "cls"));
  const tainted = new Set(inputs);
  if (tainted.size === 0) return;
  const sanitised = SANITISERS.test(body.text);
  // Names built from a parameter (query = f"... {x}"), and the SQL text each holds.
  const built = new Map<string, SyntaxNode>();
  const walk = (n: SyntaxNode): void => {
    if (n.type === "function_definition" || n.type === "lambda") return;
    if (n.type === "assignment") {
      const left = n.childForFieldName("left");
      const right = n.childForFieldName("right");
      if (left?.type === "identifier" && right && buildsFrom(right, tainted)) {
        built.set(left.text, right);
        tainted.add(left.text);
      } else if (left?.type === "identifier" && right && [...identifiersIn(right)].some((id) => tainted.has(id))) tainted.add(left.text);
    }
    if (n.type === "call") judgeCall(n);
    for (const c of n.namedChildren) if (c) walk(c);
  };
  const judgeCall = (call: SyntaxNode): void => {
    const name = call.childForFieldName("function")?.text ?? "";
    const arg = firstArg(call);
    if (!arg) return;
    const source = arg.type === "identifier" ? built.get(arg.text) : buildsFrom(arg, tainted) ? arg : undefined;
    const direct = arg.type === "identifier" && tainted.has(arg.text);
    const place = { offset: call.startIndex, length: call.endIndex - call.startIndex };
    const shell = /^subprocess\./.test(name) ? /shell\s*=\s*True/.test(call.text) : true;
    // eval(expression) is the bug itself; run(cmd, shell=True) in a helper is a wrapper its callers fill.
    const evaluates = /^(?:eval|exec)$/.test(name);
    if (CODE_SINKS.test(name) && shell && ((evaluates && direct) || source) && !(sanitised && !evaluates)) {
      // A shell command formatted from input is common in helper scripts and often fed by the
      // skill itself: a risky pattern (medium). Evaluating the input as code is high.
      if (evaluates) out.push({ ...place, ruleId: "SR-INJECT-001", message: `${name}() runs code built from the function's input: whoever controls the input runs what they like.` });
      else out.push({ ...place, ruleId: "SR-INJECT-004", message: `${name}() runs a shell command formatted from the function's input: quotes or ";" in it run other commands.` });
    } else if (SQL_SINKS.test(name) && source && (source.type === "identifier" ? false : SQL_TEXT.test(stringText(source.type === "binary_operator" ? (source.namedChildren[0] ?? source) : source)))) {
      out.push({ ...place, ruleId: "SR-INJECT-002", message: `${name}() runs SQL formatted from the function's input instead of bound parameters: SQL injection.` });
    } else if (PATH_SINKS.test(name) && source && !sanitised && joinsUnderFixedFolder(source, inputs)) {
      out.push({ ...place, ruleId: "SR-INJECT-003", message: `${name}() opens a path joined from a fixed folder and the function's input with no check: "../" reaches any file.` });
    }
  };
  walk(body);
}

/** Whether Python source may hold an injection sink worth a parse. */
export function mayInject(text: string): boolean {
  return HINT.test(text) && SINK_HINT.test(text);
}

/** Injection sinks in a parsed Python module, in source offsets. */
export function injectionsIn(root: SyntaxNode): InjectionHit[] {
  const out: InjectionHit[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "function_definition") judgeFunction(n, out);
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}
