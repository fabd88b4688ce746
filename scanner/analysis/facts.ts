/**
 * Facts about code, read from a real syntax tree (scanner/analysis/grammars.ts): the calls and
 * commands it makes with their arguments, and every string it builds, with constants folded
 * so that splitting, encoding or reversing a string does not hide it. Folding is a tiny
 * evaluator over literals and variables assigned once: concatenation, join, replace,
 * reversal, chr/fromCharCode/[char], hex, base64/32/85, XOR with a constant key, and
 * getattr/importlib/globals()/require look-ups. Everything it cannot know stays unknown.
 */
import { bytesToText, decodeBase32, decodeBase64, decodeBase85, decodeHex } from "./decode.js";
import { withTree, type Grammar, type SyntaxNode } from "./grammars.js";
import { xorWithSpelledKeys } from "./xor-keys.js";
import type { FileKind } from "../types.js";

/** A call in Python/JavaScript or a command in a shell/PowerShell line. */
export interface CallFact {
  /** The callee as written after resolving look-ups: `requests.post`, `os.system`, `curl`. */
  name: string;
  /** Each argument folded to a string, or undefined when unknown. */
  args: (string | undefined)[];
  /** Keyword arguments and shell options with values (`data`, `-d`, `body`), folded. */
  named: Map<string, string | undefined>;
  /** Files written by shell redirection (`> out`). */
  redirects: string[];
  /** Offset and length of the call in the segment text. */
  offset: number;
  length: number;
  /** The call's source text (bounded). */
  text: string;
  /** A command named by a variable set more than once (`FF=ffmpeg` … `FF=/tmp/ff`; `"$FF" -i x`): every value it may hold. */
  nameChoices?: string[];
}

export interface StringFact {
  value: string;
  offset: number;
  length: number;
  /** Whether folding changed it (concatenated, decoded, reversed...): text a reader of the source can't see. */
  derived: boolean;
}

export interface CodeFacts {
  calls: CallFact[];
  /** Shell/PowerShell pipelines: their stages in order. */
  pipelines: CallFact[][];
  strings: StringFact[];
  /** Code in another language inside this code: heredocs, `-c` arguments, strings handed to a shell or eval. */
  embedded: EmbeddedCode[];
  /** Reads of one secret-named environment variable (`os.environ["OPENAI_API_KEY"]`, `$GITHUB_TOKEN`). */
  secrets: { name: string; offset: number; length: number }[];
}

const SECRET_NAME = /^[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/;

/** The variable name when `n` reads one secret-named environment variable. */
function secretEnvName(n: SyntaxNode, grammar: Grammar): string | undefined {
  let name: string | undefined;
  if (grammar === "python" && n.type === "subscript" && /^os\.environ$/.test(n.childForFieldName("value")?.text ?? "")) name = unquote(n.childForFieldName("subscript")?.text ?? "");
  else if (grammar === "python" && n.type === "call" && /^os\.(?:environ\.get|getenv)$/.test(n.childForFieldName("function")?.text ?? "")) name = unquote(n.childForFieldName("arguments")?.namedChild(0)?.text ?? "");
  else if (grammar === "javascript" && n.type === "member_expression" && n.childForFieldName("object")?.text === "process.env") name = n.childForFieldName("property")?.text;
  else if (grammar === "bash" && (n.type === "simple_expansion" || n.type === "expansion")) name = n.namedChildren.find((c) => c.type === "variable_name")?.text;
  else if (grammar === "powershell" && n.type === "variable" && /^\$env:/i.test(n.text)) name = n.text.slice(5);
  return name && SECRET_NAME.test(name) ? name : undefined;
}

export interface EmbeddedCode {
  kind: FileKind;
  /** Offset of `text` in the segment; the text is verbatim there, so findings keep their lines. */
  offset: number;
  text: string;
}

const INTERPRETER_KIND: [RegExp, FileKind][] = [
  [/^(?:ba|z|da|k)?sh$/, "shell"],
  [/^python[23]?(?:\.\d+)?$/, "python"],
  [/^(?:node|deno|bun)$/, "javascript"],
  [/^(?:pwsh|powershell)(?:\.exe)?$/i, "powershell"],
  // No bundled grammar: their one-liners get the light analysis (scanner/analysis/light.ts).
  [/^(?:php|ruby|perl)$/, "other-code"],
];

/** Files that are code by name: scripts by extension, and shell startup files (read by every new shell). */
const WRITTEN_CODE: [RegExp, FileKind][] = [
  [/\.(?:sh|bash|zsh)$|(?:^|\/)\.(?:bashrc|zshrc|profile|bash_profile|bash_login|zprofile|zshenv|zlogin)$|(?:^|\/)\.git\/hooks\/[\w-]+$/, "shell"],
  [/\.py$/, "python"],
  [/\.[cm]?js$/, "javascript"],
  [/\.ps[dm]?1$/i, "powershell"],
];

function writtenCodeKind(path: string): FileKind | undefined {
  return WRITTEN_CODE.find(([re]) => re.test(path))?.[1];
}

/**
 * `for rc in ~/.bashrc ~/.zshrc; do … >> "$rc"`: a redirect to a loop variable writes each
 * of the loop's words (when all fold); undefined for any other target.
 */
function loopTargets(ev: Evaluator, target: SyntaxNode | null | undefined): string[] | undefined {
  const name = /^"?\$\{?(\w+)\}?"?$/.exec(target?.text ?? "")?.[1];
  if (!name) return undefined;
  for (let p = target!.parent; p; p = p.parent) {
    if (p.type !== "for_statement") continue;
    const variable = p.childForFieldName("variable");
    if (variable?.text !== name) continue;
    const body = p.childForFieldName("body");
    const words = p.namedChildren.filter((c) => c !== variable && c !== body).map((w) => ev.str(w, 0));
    return words.length && words.every((w): w is string => w !== undefined) ? words : undefined;
  }
  return undefined;
}

function interpreterKind(name: string): FileKind | undefined {
  return INTERPRETER_KIND.find(([re]) => re.test(name))?.[1];
}

/** Calls whose string argument is run as shell (or as their own language). */
const RUNS_SHELL = /^(?:os\.system|os\.popen|subprocess\.\w+|commands\.getoutput|child_process\.exec\w*|execSync|exec|spawnSync|spawn|shell_exec)$/;
const RUNS_SAME = /^(?:eval|exec|Function|new Function|compile)$/;

const GRAMMAR_OF: Partial<Record<FileKind, Grammar>> = { shell: "bash", python: "python", javascript: "javascript", powershell: "powershell" };

/** Folded strings longer than this are cut: a decoder must not turn a line into megabytes. */
const MAX_VALUE = 64 * 1024;
/** Evaluation steps per file; a hostile file runs out of budget, not out of time. */
const MAX_STEPS = 200_000;
const MAX_DEPTH = 60;

/** A part of a string that folding can't know (an environment variable, a parameter). */
export const UNKNOWN = "…";

type Value = string | number | Value[] | undefined;

/** Loops whose accumulator Evaluator.foldLoops can fold: Python and bash `for`, JavaScript `for…of`. */
const LOOP_TYPES = new Set(["for_statement", "for_in_statement"]);

const asString = (v: Value): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]).join("") : undefined;
const cap = (s: string) => (s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) : s);

/** A literal's text without its prefix (r, b, u, f) and quotes. */
function unquote(raw: string): string {
  let i = 0;
  while (i < 2 && /[rbufRBUF]/.test(raw[i] ?? "")) i++;
  const q = raw[i];
  if (q !== '"' && q !== "'" && q !== "`") return raw;
  const triple = raw.startsWith(q.repeat(3), i) && raw.length >= i + 6 ? 3 : 1;
  return raw.slice(i + triple, raw.endsWith(q) ? raw.length - triple : raw.length);
}

/** Python/JS escapes in a literal: \xNN, \uNNNN, \NNN, \n. */
function unescapeLiteral(s: string): string {
  if (!s.includes("\\")) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e.length > 1 && e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.length > 1 && e[0] === "u") {
      const cp = parseInt(e.replace(/[u{}]/g, ""), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
    }
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[e] ?? e;
  });
}

/** Names of the decoders a call may be: folding applies the decoding to its argument. */
const DECODERS: [RegExp, (s: string, extra?: string) => string | undefined][] = [
  [/(?:^|\.)(?:b64decode|standard_b64decode|urlsafe_b64decode|decodebytes|atob|FromBase64String|a2b_base64)$/i, decodeBase64],
  [/(?:^|\.)(?:b32decode)$/i, decodeBase32],
  [/(?:^|\.)(?:b85decode|a85decode)$/i, decodeBase85],
  [/(?:^|\.)(?:fromhex|unhexlify|a2b_hex)$/i, decodeHex],
  [/(?:^|\.)(?:decodeURIComponent|unescape|unquote|unquote_plus)$/, (s) => { try { return decodeURIComponent(s); } catch { return undefined; } }],
];

/** Calls whose result is their (first) argument as text, for folding purposes. */
const PASSTHROUGH = /^(?:str|String|bytes|bytearray|Path|pathlib\.Path|os\.path\.expanduser|os\.path\.expandvars|os\.fsencode|os\.fsdecode|PurePath|path\.resolve|path\.normalize|Buffer\.from|TextDecoder|new TextDecoder)$/;

class Evaluator {
  steps = 0;
  readonly assigned = new Map<string, SyntaxNode[]>();
  /** Names bound by destructuring: the object they came from and the key. */
  readonly members = new Map<string, { object: SyntaxNode; key: string }>();
  /** Python's `import os as _o` / `from os import path as p`: the module a local name stands for. */
  readonly importAliases = new Map<string, string>();
  private readonly resolving = new Set<string>();

  constructor(readonly grammar: Grammar) {}

  collectAssignments(root: SyntaxNode): void {
    const stack: SyntaxNode[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (++this.steps > MAX_STEPS) return;
      if (n.type === "variable_declarator" && n.childForFieldName("name")?.type === "object_pattern") {
        // const { exec: run, spawn } = cp: each name is a member of the value.
        const source = n.childForFieldName("value");
        for (const p of n.childForFieldName("name")!.namedChildren) {
          const key = p.type === "pair_pattern" ? p.childForFieldName("key")?.text : p.type === "shorthand_property_identifier_pattern" ? p.text : undefined;
          const local = p.type === "pair_pattern" ? p.childForFieldName("value")?.text : key;
          if (source && key && local) this.members.set(local, { object: source, key });
        }
      }
      if (LOOP_TYPES.has(n.type)) this.loops.push(n);
      if (n.type === "aliased_import") {
        const alias = n.childForFieldName("alias")?.text;
        const module = n.childForFieldName("name")?.text;
        const from = n.parent?.type === "import_from_statement" ? n.parent.childForFieldName("module_name")?.text : undefined;
        if (alias && module) this.importAliases.set(alias, from ? `${from}.${module}` : module);
      }
      for (const target of this.assignmentTargets(n)) {
        const list = this.assigned.get(target.name) ?? [];
        list.push(target.value);
        this.assigned.set(target.name, list);
      }
      for (let i = n.namedChildCount - 1; i >= 0; i--) stack.push(n.namedChild(i)!);
    }
  }

  /** Every name an assignment binds: one, or each of Python's `a, b, m = 11, 187, 256`. */
  private assignmentTargets(n: SyntaxNode): { name: string; value: SyntaxNode }[] {
    if (n.type === "assignment") {
      const l = n.childForFieldName("left");
      const r = n.childForFieldName("right");
      if ((l?.type === "pattern_list" || l?.type === "tuple_pattern") && (r?.type === "expression_list" || r?.type === "tuple")) {
        const names = l.namedChildren;
        const values = r.namedChildren;
        if (names.length !== values.length) return [];
        return names.flatMap((name, i) => (name?.type === "identifier" && values[i] ? [{ name: name.text, value: values[i]! }] : []));
      }
    }
    const one = this.assignmentTarget(n);
    return one ? [one] : [];
  }

  private assignmentTarget(n: SyntaxNode): { name: string; value: SyntaxNode } | undefined {
    switch (n.type) {
      case "assignment": {
        const l = n.childForFieldName("left");
        const r = n.childForFieldName("right");
        return l?.type === "identifier" && r ? { name: l.text, value: r } : undefined;
      }
      case "variable_declarator": {
        const l = n.childForFieldName("name");
        const r = n.childForFieldName("value");
        return l?.type === "identifier" && r ? { name: l.text, value: r } : undefined;
      }
      case "variable_assignment": {
        const l = n.childForFieldName("name");
        const r = n.childForFieldName("value");
        return l && r ? { name: l.text, value: r } : undefined;
      }
      case "assignment_expression": {
        if (this.grammar !== "powershell") return undefined;
        const l = n.namedChild(0);
        const r = n.childForFieldName("value");
        const v = l && /^\$[\w:]+$/.test(l.text.trim()) ? l.text.trim().slice(1).toLowerCase() : undefined;
        return v && r ? { name: v, value: r } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** `for` loops over a list, folded by foldLoops. */
  private readonly loops: SyntaxNode[] = [];
  /** Accumulators built by a loop (`s += p` for each p), with their final value. */
  private readonly looped = new Map<string, Value>();

  /**
   * Fold the loops that build a string piece by piece, the data-splitting trick ("cu" "rl" ...
   * appended in a `for`): a loop over a known list whose body only updates an accumulator
   * from itself and the loop variable (`s += p`, `s = s + chr(c)`, `u="$u$p"`), where the
   * accumulator has one other assignment, its start. Hand-written: a loop this narrow is all
   * a data-splitting dropper needs, and the general case is an interpreter. Bounded by the
   * list's length, MAX_VALUE and the step budget.
   */
  foldLoops(): void {
    for (const loop of this.loops) {
      const parts = this.loopParts(loop);
      if (!parts) continue;
      const updates = this.accumulatorUpdates(parts.body);
      if (!updates || updates.size === 0) continue;
      const items = parts.items;
      if (!items || items.length > MAX_VALUE) continue;
      for (const [acc, update] of updates) {
        const starts = (this.assigned.get(acc) ?? []).filter((v) => !update.own.includes(v));
        if (starts.length !== 1) continue;
        let value: string | undefined = asString(this.value(starts[0]!, 0));
        const outer = [this.bound.get(parts.name), this.bound.get(acc)] as const;
        try {
          for (const item of items) {
            if (value === undefined || this.steps > MAX_STEPS || value.length > MAX_VALUE) break;
            this.bound.set(parts.name, item);
            this.bound.set(acc, value);
            const rhs = asString(this.value(update.rhs, 0));
            value = rhs === undefined ? undefined : update.append ? value + rhs : rhs;
          }
        } finally {
          for (const [name, was] of [[parts.name, outer[0]], [acc, outer[1]]] as const) {
            if (was === undefined) this.bound.delete(name);
            else this.bound.set(name, was);
          }
        }
        if (value !== undefined && this.steps <= MAX_STEPS) this.looped.set(acc, cap(value));
      }
    }
  }

  private loopParts(loop: SyntaxNode): { name: string; items: Value[] | undefined; body: SyntaxNode } | undefined {
    if (loop.type === "for_statement" && this.grammar === "bash") {
      const variable = loop.childForFieldName("variable");
      const body = loop.childForFieldName("body");
      if (!variable || !body) return undefined;
      // `for p in "ht" "tps" ...`: each word is one item.
      const words = loop.namedChildren.filter((c) => c !== variable && c !== body);
      return { name: variable.text, items: words.length ? words.map((w) => this.value(w, 0)) : undefined, body };
    }
    const left = loop.childForFieldName("left");
    const right = loop.childForFieldName("right");
    const body = loop.childForFieldName("body");
    if (left?.type !== "identifier" || !right || !body) return undefined;
    const seq = this.value(right, 0);
    return { name: left.text, items: typeof seq === "string" ? [...seq] : Array.isArray(seq) ? seq : undefined, body };
  }

  /** The accumulators a loop body updates, each once, and how; undefined when the body does anything else to them. */
  private accumulatorUpdates(body: SyntaxNode): Map<string, { rhs: SyntaxNode; append: boolean; own: SyntaxNode[] }> | undefined {
    const out = new Map<string, { rhs: SyntaxNode; append: boolean; own: SyntaxNode[] }>();
    const seen = new Set<string>();
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (++this.steps > MAX_STEPS) return undefined;
      const update = this.accumulatorUpdate(n);
      if (update) {
        if (seen.has(update.name)) out.delete(update.name);
        else out.set(update.name, { rhs: update.rhs, append: update.append, own: [update.rhs] });
        seen.add(update.name);
        continue;
      }
      for (let i = n.namedChildCount - 1; i >= 0; i--) stack.push(n.namedChild(i)!);
    }
    return out;
  }

  private accumulatorUpdate(n: SyntaxNode): { name: string; rhs: SyntaxNode; append: boolean } | undefined {
    const augmented = n.type === "augmented_assignment" || n.type === "augmented_assignment_expression";
    const plain = n.type === "assignment" || (n.type === "assignment_expression" && this.grammar === "javascript") || n.type === "variable_assignment";
    if (!augmented && !plain) return undefined;
    const l = n.childForFieldName("left") ?? n.childForFieldName("name");
    const r = n.childForFieldName("right") ?? n.childForFieldName("value");
    if (!l || !r || !/^(?:identifier|variable_name)$/.test(l.type)) return undefined;
    if (augmented && !/^\+=$/.test(n.childForFieldName("operator")?.text ?? n.children.find((c) => c?.text === "+=")?.text ?? "")) return undefined;
    return { name: l.text, rhs: r, append: augmented };
  }

  /** Every value a variable is assigned, folded (the known ones). */
  choices(name: string, depth: number): string[] {
    return (this.assigned.get(name) ?? []).slice(0, 8).map((v) => asString(this.value(v, depth + 1))).filter((v): v is string => v !== undefined && v !== UNKNOWN);
  }

  /** The value of a variable assigned exactly once (or built by a folded loop), else unknown. */
  variable(name: string, depth: number): Value {
    if (this.bound.has(name)) return this.bound.get(name);
    if (this.looped.has(name)) return this.looped.get(name);
    const list = this.assigned.get(name);
    if (!list || list.length !== 1 || this.resolving.has(name)) return undefined;
    this.resolving.add(name);
    try {
      return this.value(list[0]!, depth + 1);
    } finally {
      this.resolving.delete(name);
    }
  }

  /** PowerShell wraps every expression in single-child nodes; look through them. */
  private unwrap(n: SyntaxNode): SyntaxNode {
    let cur = n;
    while (cur.namedChildCount === 1 && cur.childCount === 1 && !LEAVES.has(cur.type)) cur = cur.namedChild(0)!;
    return cur;
  }

  value(node: SyntaxNode, depth = 0): Value {
    if (++this.steps > MAX_STEPS || depth > MAX_DEPTH) return undefined;
    const n = this.unwrap(node);
    const v = this.evaluate(n, depth);
    return typeof v === "string" ? cap(v) : v;
  }

  str(node: SyntaxNode | null | undefined, depth: number): string | undefined {
    return node ? asString(this.value(node, depth + 1)) : undefined;
  }

  private evaluate(n: SyntaxNode, depth: number): Value {
    const t = n.type;
    const d = depth + 1;
    switch (t) {
      // ---- literals
      case "integer":
      case "number":
      case "decimal_integer_literal": {
        const x = Number(n.text.replace(/_/g, ""));
        return Number.isFinite(x) ? x : undefined;
      }
      case "hexadecimal_integer_literal":
        return parseInt(n.text, 16);
      case "string_content":
      case "string_fragment":
      case "raw_string":
        return t === "raw_string" ? n.text.slice(1, -1) : this.grammar === "bash" ? n.text : unescapeLiteral(n.text);
      case "escape_sequence":
        return unescapeLiteral(n.text);
      case "generic_token":
        return n.text;
      case "word":
        return this.grammar === "bash" ? n.text.replace(/\\(.)/g, "$1") : n.text;
      case "verbatim_string_characters":
      case "expandable_string_literal":
      case "verbatim_string_literal":
        return this.psString(n, d);
      case "string":
      case "template_string":
      case "concatenation":
      case "concatenated_string":
      case "string_literal": {
        if (n.namedChildCount === 0) return this.grammar === "bash" && t === "string" ? n.text.slice(1, -1) : unquote(n.text);
        let out = "";
        for (const c of n.namedChildren) {
          if (!c || c.type === "string_start" || c.type === "string_end") continue;
          // An unknown part (a variable from the environment) stays visible as "…": the rest of a path still tells.
          const s = this.str(c.type === "interpolation" || c.type === "template_substitution" ? c.namedChild(0) : c, d) ?? UNKNOWN;
          out += s;
          if (out.length > MAX_VALUE) return cap(out);
        }
        return out;
      }
      case "parenthesized_expression":
      case "expression_statement":
        return n.namedChild(0) ? this.value(n.namedChild(0)!, d) : undefined;
      case "list":
      case "array":
      case "tuple":
      case "list_comprehension":
      case "generator_expression":
        return t === "list_comprehension" || t === "generator_expression" ? this.comprehension(n, d) : n.namedChildren.map((c) => (c ? this.value(c, d) : undefined));
      // ---- names
      case "identifier":
        return this.bound.has(n.text) ? this.bound.get(n.text) : this.variable(n.text, d);
      case "simple_expansion":
      case "expansion": {
        const name = n.namedChildren.find((c) => c?.type === "variable_name")?.text;
        // `${!ref}` is the variable ref names, not ref: followed when that name is known.
        if (name && /^\$\{!/.test(n.text)) {
          const target = this.variable(name, d);
          return n.namedChildCount === 1 && typeof target === "string" && /^\w+$/.test(target) ? this.variable(target, d + 1) : undefined;
        }
        if (name && n.namedChildCount === 1) return this.variable(name, d);
        // `${RELAY:-203.0.113.5}`, `${CFG:=$HOME/.docker}`: a variable the code never sets is the
        // environment's, so the default is the value the code is written to use.
        if (name && t === "expansion" && /^\$\{\w+:?[-=]/.test(n.text)) {
          const known = this.variable(name, d);
          if (typeof known === "string" && !known.includes(UNKNOWN)) return known;
          const parts = n.namedChildren.filter((c) => c && c.type !== "variable_name").map((c) => asString(this.value(c!, d + 1)));
          return parts.length && parts.every((p) => p !== undefined) ? parts.join("") : undefined;
        }
        return undefined;
      }
      case "variable":
        return this.grammar === "powershell" ? this.variable(n.text.slice(1).toLowerCase(), d) : undefined;
      case "command_substitution":
        return this.shellSubstitution(n, d);
      // ---- operators
      case "binary_operator":
      case "boolean_operator":
      case "binary_expression":
      case "additive_expression":
      case "bitwise_expression":
        return this.binary(n, d);
      case "subscript":
      case "subscript_expression":
      case "element_access":
        return this.subscript(n, d);
      case "call":
      case "call_expression":
      case "invokation_expression":
        return this.call(n, d);
      case "cast_expression":
      case "expression_with_unary_operator":
        return this.psCast(n, d);
      case "comparison_expression":
        return this.psComparison(n, d);
      case "unary_expression":
        return this.psUnaryJoin(n, d);
      case "unary_operator": {
        // Python `-1` (pow(a, -1, m) is a modular inverse) and `~x`.
        const v = n.childForFieldName("argument") ? this.value(n.childForFieldName("argument")!, d) : undefined;
        const op = n.childForFieldName("operator")?.text ?? n.text.trim()[0];
        if (typeof v !== "number") return undefined;
        return op === "-" ? -v : op === "+" ? v : op === "~" ? ~v : undefined;
      }
      default:
        return undefined;
    }
  }

  private psString(n: SyntaxNode, d: number): Value {
    const raw = n.text;
    if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
    if (raw.startsWith('"')) {
      // "$var" inside a PowerShell string: fold known variables, else unknown.
      const body = raw.slice(1, -1).replace(/`(.)/g, "$1");
      return body.replace(/\$(?:env:(\w+)|\{?(\w+)\}?)/gi, (_m, env: string | undefined, v: string | undefined) => {
        if (env) return /^(?:USERPROFILE|HOME)$/i.test(env) ? "~" : UNKNOWN;
        return asString(this.variable(v!.toLowerCase(), d)) ?? UNKNOWN;
      });
    }
    return raw;
  }

  /** `[char]104`, `[string][char[]]...`: character casts. */
  private psCast(n: SyntaxNode, d: number): Value {
    const m = /^\[(?:System\.)?char\]\s*(\d+|0x[0-9a-f]+)$/i.exec(n.text.trim());
    if (m) return String.fromCharCode(Number(m[1]));
    const inner = n.namedChildren.at(-1);
    return inner && inner !== n ? this.value(inner, d) : undefined;
  }

  /** PowerShell `-join`, `-replace`, `-split` sit in comparison expressions. */
  private psComparison(n: SyntaxNode, d: number): Value {
    // Most comparison nodes wrap a single operand (`$q = 'abc'`): its value.
    if (n.namedChildCount === 1) return this.value(n.namedChild(0)!, d);
    const m = /^(.*?)\s*-(join|replace|split)\s*(.*)$/is.exec(n.text);
    if (!m || n.namedChildCount < 2) return undefined;
    const left = this.value(n.namedChild(0)!, d);
    const right = this.value(n.namedChild(n.namedChildCount - 1)!, d);
    const op = m[2]!.toLowerCase();
    if (op === "join" && Array.isArray(left)) return joinValues(left, asString(right) ?? "");
    if (op === "replace") {
      const l = asString(left);
      const parts = Array.isArray(right) ? right.map(asString) : [asString(right), ""];
      if (l === undefined || parts[0] === undefined) return undefined;
      try {
        return l.replace(new RegExp(parts[0]!.slice(0, 200), "gi"), parts[1] ?? "");
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** `-join ("a","b")`: unary join. */
  private psUnaryJoin(n: SyntaxNode, d: number): Value {
    if (/^-join\b/i.test(n.text) && n.namedChild(0)) {
      const v = this.value(n.namedChild(n.namedChildCount - 1)!, d);
      return Array.isArray(v) ? joinValues(v, "") : asString(v);
    }
    return n.namedChildCount ? this.value(n.namedChild(n.namedChildCount - 1)!, d) : undefined;
  }

  private binary(n: SyntaxNode, d: number): Value {
    const l = n.childForFieldName("left") ?? n.namedChild(0);
    const r = n.childForFieldName("right") ?? n.namedChild(n.namedChildCount - 1);
    if (!l || !r || l === r) return undefined;
    const op = n.childForFieldName("operator")?.text ?? n.text.slice(l.endIndex - n.startIndex, r.startIndex - n.startIndex).trim();
    const a = this.value(l, d);
    const b = this.value(r, d);
    // `process.env.X ?? join(home, ".ssh")`, `os.environ.get("X") or "~/.aws"`: the default is what is read when X is unset.
    if (op === "??" || op === "||" || op === "or") return a ?? b;
    if (op === "+" && !(typeof a === "number" || typeof b === "number")) {
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      const sa = asString(a);
      const sb = asString(b);
      if (sa === undefined && sb === undefined) return undefined;
      return (sa ?? UNKNOWN) + (sb ?? UNKNOWN);
    }
    if (op === "/" && typeof a === "string" && typeof b === "string") return `${a}/${b}`; // pathlib
    // Iterating bytes in Python yields numbers: a one-character string meets a number as its code.
    const num = (v: Value, other: Value) => (typeof v === "number" ? v : typeof v === "string" && v.length === 1 && typeof other === "number" ? v.charCodeAt(0) : undefined);
    const x = num(a, b);
    const y = num(b, a);
    if (x !== undefined && y !== undefined) {
      switch (op) {
        case "^":
        case "-bxor":
          return x ^ y;
        case "+":
          return x + y;
        case "-":
          return x - y;
        case "*":
          return x * y;
        case "%":
          return y === 0 ? undefined : ((x % y) + y) % y;
        case "//":
          return y === 0 ? undefined : Math.floor(x / y);
        case "&":
          return x & y;
        case "|":
          return x | y;
        case "<<":
          return x << y;
        case ">>":
          return x >> y;
      }
    }
    if (op === "*" && typeof a === "string" && typeof b === "number" && b < 1000) return a.repeat(b);
    return undefined;
  }

  private subscript(n: SyntaxNode, d: number): Value {
    const obj = n.childForFieldName("value") ?? n.childForFieldName("object") ?? n.namedChild(0);
    const idx = n.childForFieldName("subscript") ?? n.childForFieldName("index") ?? n.namedChild(1);
    if (!obj || !idx) return undefined;
    if (obj.type === "call" && /^globals|^locals|^vars/.test(obj.text)) return undefined;
    if (idx.type === "slice") {
      // s[::-1]: reversal.
      if (/^::\s*-\s*1$/.test(idx.text.replace(/\s/g, ""))) {
        const v = this.value(obj, d);
        if (typeof v === "string") return [...v].reverse().join("");
        if (Array.isArray(v)) return [...v].reverse();
      }
      return undefined;
    }
    const v = this.value(obj, d);
    // PowerShell `$r[-1..-($r.Length)]`: the elements from last to first, a reversal.
    if (/^\s*-\s*1\s*\.\.\s*-\s*\(?\s*\$\w+\.(?:Length|Count)\s*\)?\s*$/i.test(idx.text)) {
      if (typeof v === "string") return [...v].reverse();
      if (Array.isArray(v)) return [...v].reverse();
    }
    const i = this.value(idx, d);
    if (typeof i === "number" && (typeof v === "string" || Array.isArray(v))) return v.at(i) as Value;
    return undefined;
  }

  /** `''.join(chr(c ^ k) for c in data if c)`: a comprehension over a known sequence. */
  private comprehension(n: SyntaxNode, d: number): Value {
    const body = n.childForFieldName("body") ?? n.namedChild(0);
    const clause = n.namedChildren.find((c) => c.type === "for_in_clause");
    const conditions = n.namedChildren.filter((c) => c.type === "if_clause").map((c) => c.namedChild(0));
    if (!body || !clause) return undefined;
    const left = clause.childForFieldName("left");
    const right = clause.childForFieldName("right");
    if (left?.type !== "identifier" || !right) return undefined;
    const seq = this.value(right, d);
    const items = typeof seq === "string" ? [...seq] : Array.isArray(seq) ? seq : undefined;
    if (!items || items.length > MAX_VALUE) return undefined;
    const name = left.text;
    const outer = this.bound.get(name);
    const out: Value[] = [];
    try {
      for (const item of items) {
        this.bound.set(name, item);
        let keep = true;
        for (const cond of conditions) {
          const v = cond ? this.value(cond, d) : undefined;
          if (v === undefined) return undefined;
          keep &&= v !== 0 && v !== "" && !(Array.isArray(v) && v.length === 0);
        }
        if (keep) out.push(this.value(body, d));
        if (this.steps > MAX_STEPS) return undefined;
      }
    } finally {
      if (outer === undefined) this.bound.delete(name);
      else this.bound.set(name, outer);
    }
    return out;
  }

  /** Loop variables bound during a comprehension. */
  private readonly bound = new Map<string, Value>();

  private argNodes(n: SyntaxNode): SyntaxNode[] {
    const args = n.childForFieldName("arguments") ?? n.namedChildren.find((c) => c?.type === "argument_list" || c?.type === "arguments");
    if (!args) return [];
    if (args.type === "generator_expression") return [args];
    return args.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== "comment");
  }

  private argValue(a: SyntaxNode, d: number): Value {
    if (a.type === "generator_expression") return this.comprehension(a, d);
    if (a.type === "keyword_argument") return undefined;
    return this.value(a, d);
  }

  /** The callee's name with look-ups resolved: `getattr(os, "system")` is `os.system`. */
  calleeName(fn: SyntaxNode, d: number): string {
    const f = this.unwrap(fn);
    switch (f.type) {
      case "identifier": {
        const member = this.members.get(f.text);
        if (member && !this.assigned.has(f.text)) return `${this.objectName(member.object, d)}.${member.key}`;
        const list = this.assigned.get(f.text);
        if (list?.length === 1 && !this.resolving.has(f.text)) {
          const target = this.unwrap(list[0]!);
          if (/^(?:call|call_expression|attribute|member_expression|subscript|subscript_expression)$/.test(target.type)) {
            this.resolving.add(f.text);
            try {
              const m = this.moduleOf(target, d) ?? (target.type.startsWith("call") ? undefined : this.calleeName(target, d));
              if (m) return m;
            } finally {
              this.resolving.delete(f.text);
            }
          }
        }
        // `g = global` / `w = window`: an alias of the global object.
        if (list?.length === 1 && this.unwrap(list[0]!).type === "identifier" && GLOBAL_OBJECTS.test(this.unwrap(list[0]!).text)) return "globalThis";
        if (!list) return this.importAliases.get(f.text) ?? f.text;
        return f.text;
      }
      case "attribute":
      case "member_expression": {
        const obj = f.childForFieldName("object");
        const prop = f.childForFieldName("attribute") ?? f.childForFieldName("property");
        if (!obj || !prop) return f.text.slice(0, 200);
        return `${this.objectName(obj, d)}.${prop.text}`;
      }
      case "subscript":
      case "subscript_expression": {
        const obj = f.childForFieldName("value") ?? f.childForFieldName("object");
        const idx = f.childForFieldName("subscript") ?? f.childForFieldName("index");
        const key = idx ? this.str(idx, d) : undefined;
        if (obj && key !== undefined) {
          if (/^(?:globals|locals|vars)\(\)$|^__builtins__$|^builtins$/.test(obj.text)) return key;
          return `${this.objectName(obj, d)}.${key}`;
        }
        return f.text.slice(0, 200);
      }
      case "call":
      case "call_expression": {
        const inner = f.childForFieldName("function");
        const innerName = inner ? this.calleeName(inner, d) : "";
        const args = this.argNodes(f);
        // `Reflect.get(globalThis, "eval")` is JavaScript's getattr.
        if ((innerName === "getattr" || innerName === "Reflect.get") && args.length >= 2) {
          const attr = this.str(args[1], d);
          if (attr !== undefined) return `${this.objectName(args[0]!, d)}.${attr}`;
        }
        return this.moduleOf(f, d) ?? `${innerName}()`;
      }
      default:
        return f.text.slice(0, 200);
    }
  }

  private objectName(obj: SyntaxNode, d: number): string {
    const o = this.unwrap(obj);
    return this.moduleOf(o, d) ?? this.calleeName(o, d);
  }

  /** The callee with the global object dropped: `globalThis["fetch"]` is `fetch`. */
  callName(fn: SyntaxNode, d: number): string {
    return this.calleeName(fn, d).replace(/^(?:(?:globalThis|global|window|self|builtins|__builtins__)\.)+/, "");
  }

  /** `importlib.import_module("os")`, `__import__("os")`, `require("child_process")`: the module's name. */
  private moduleOf(n: SyntaxNode, d: number): string | undefined {
    if (n.type !== "call" && n.type !== "call_expression") return undefined;
    const fn = n.childForFieldName("function");
    if (!fn) return undefined;
    const name = fn.text.replace(/\s/g, "");
    if (!/^(?:importlib\.import_module|__import__|require|import)$/.test(name)) return undefined;
    const arg = this.argNodes(n)[0];
    const mod = arg ? this.str(arg, d) : undefined;
    return mod?.replace(/^node:/, "");
  }

  private call(n: SyntaxNode, d: number): Value {
    const fn = n.childForFieldName("function");
    if (!fn) return this.grammar === "powershell" ? this.psInvoke(n, d) : undefined;
    const name = this.calleeName(fn, d);
    const args = this.argNodes(n);
    const a0 = () => (args[0] ? this.argValue(args[0], d) : undefined);
    const short = name.slice(name.lastIndexOf(".") + 1);
    // Methods on a folded receiver.
    if (fn.type === "attribute" || fn.type === "member_expression") {
      const recvNode = fn.childForFieldName("object")!;
      const method = (fn.childForFieldName("attribute") ?? fn.childForFieldName("property"))!.text;
      const recv = ["join", "replace", "replaceAll", "reverse", "split", "decode", "encode", "toString", "lower", "upper", "strip", "toLowerCase", "toUpperCase", "trim", "fromhex", "concat"].includes(method) ? this.value(recvNode, d) : undefined;
      switch (method) {
        case "join": {
          const items = a0();
          if (this.grammar === "python" && typeof recv === "string" && Array.isArray(items)) return joinValues(items, recv);
          if (this.grammar === "python" && typeof recv === "string" && typeof items === "string") return [...items].join(recv);
          if (this.grammar === "javascript" && Array.isArray(recv)) return joinValues(recv, args.length ? (asString(a0()) ?? ",") : ",");
          break;
        }
        case "replace":
        case "replaceAll": {
          const s = asString(recv);
          const from = args[0] ? this.str(args[0], d) : undefined;
          const to = args[1] ? this.str(args[1], d) : undefined;
          if (s !== undefined && from !== undefined && to !== undefined && from !== "") return s.split(from).join(to);
          break;
        }
        case "reverse":
          if (Array.isArray(recv)) return [...recv].reverse();
          break;
        case "split": {
          const s = asString(recv);
          const sep = args[0] ? this.str(args[0], d) : undefined;
          if (s !== undefined && sep !== undefined) return s.split(sep);
          break;
        }
        case "concat": {
          const s = asString(recv);
          const rest = args.map((a) => asString(this.argValue(a, d)));
          if (s !== undefined && rest.every((x) => x !== undefined)) return s + rest.join("");
          break;
        }
        case "decode":
        case "encode":
        case "lower":
        case "upper":
        case "strip":
        case "trim":
        case "toLowerCase":
        case "toUpperCase": {
          const s = asString(recv);
          if (s === undefined) break;
          const enc = args[0] ? this.str(args[0], d)?.toLowerCase() : undefined;
          if (method === "decode" && enc && /rot.?13/.test(enc)) return rot13(s);
          if (method === "decode" && enc === "hex") return decodeHex(s);
          if (method === "decode") return bytesToText(s);
          if (method === "lower" || method === "toLowerCase") return s.toLowerCase();
          if (method === "upper" || method === "toUpperCase") return s.toUpperCase();
          if (method === "strip" || method === "trim") return s.trim();
          return s;
        }
        case "toString": {
          // Buffer.from(x, "base64").toString()
          return typeof recv === "string" ? bytesToText(recv) : undefined;
        }
        case "fromhex": {
          const s = asString(a0());
          return s === undefined ? undefined : decodeHex(s);
        }
      }
    }
    if (short === "fromCharCode" || short === "fromCodePoint" || name === "chr") {
      const codes = args.map((a) => this.argValue(a, d));
      const flat = codes.length === 1 && Array.isArray(codes[0]) ? codes[0] : codes;
      if (flat.every((c) => typeof c === "number" && c >= 0 && c < 0x110000)) return String.fromCodePoint(...(flat as number[]));
      return undefined;
    }
    // map(chr, codes): the same as chr over each (a list the caller joins).
    if (name === "map" && args.length === 2 && args[0]!.text === "chr") {
      const v = this.argValue(args[1]!, d);
      if (Array.isArray(v) && v.every((c) => typeof c === "number" && c >= 0 && c < 0x110000)) return (v as number[]).map((c) => String.fromCodePoint(c));
      return undefined;
    }
    if (name === "int") {
      const v = a0();
      const base = args[1] ? this.value(args[1], d) : 10;
      const x = typeof v === "number" ? v : typeof v === "string" && typeof base === "number" ? parseInt(v.trim(), base) : NaN;
      return Number.isFinite(x) ? x : undefined;
    }
    if (name === "pow" && args.length === 3) {
      const [b, e, m] = args.map((a) => this.value(a, d));
      if (typeof b === "number" && typeof e === "number" && typeof m === "number" && m > 0 && m < 1 << 24) return modPow(b, e, m);
      return undefined;
    }
    if (name === "len") {
      const v = a0();
      return typeof v === "string" || Array.isArray(v) ? v.length : undefined;
    }
    if (name === "ord") {
      const s = asString(a0());
      return s && s.length === 1 ? s.charCodeAt(0) : undefined;
    }
    if (name === "bytes" || name === "bytearray") {
      const v = a0();
      if (Array.isArray(v) && v.every((x) => typeof x === "number")) return String.fromCharCode(...(v as number[]).map((x) => x & 0xff));
    }
    if (name === "Buffer.from" && args[1]) {
      const s = asString(a0());
      const enc = this.str(args[1], d);
      if (s !== undefined && enc === "base64") return decodeBase64(s);
      if (s !== undefined && enc === "hex") return decodeHex(s);
    }
    if (/(?:^|\.)decode$/.test(name) && name.startsWith("codecs") && args[1]) {
      const s = asString(a0());
      const enc = this.str(args[1], d)?.toLowerCase();
      if (s !== undefined && enc && /rot.?13/.test(enc)) return rot13(s);
      if (s !== undefined && enc === "hex") return decodeHex(s);
      if (s !== undefined && enc === "base64") return decodeBase64(s);
    }
    // `join`/`resolve` named-imported from node:path are the same functions.
    if (/^(?:os\.path\.join|posixpath\.join|(?:node:)?path\.(?:posix\.)?(?:join|resolve))$/.test(name) || (this.grammar === "javascript" && (name === "join" || name === "resolve"))) {
      const parts = args.map((a) => this.argValue(a, d));
      // An unknown first part is most often the home folder; a later one is a name folding can't know.
      return parts.map((p, i) => asString(p) ?? (i === 0 ? "~" : UNKNOWN)).join("/");
    }
    if (name === "os.path.expanduser" || name === "os.getenv" || name === "os.environ.get") {
      if (name !== "os.path.expanduser") return name.startsWith("os.") && asString(a0()) === "HOME" ? "~" : undefined;
    }
    for (const [re, decode] of DECODERS) {
      if (re.test(name)) {
        const s = asString(a0());
        return s === undefined ? undefined : decode(s);
      }
    }
    if (PASSTHROUGH.test(name)) return a0();
    if (/^(?:os\.path\.expanduser|Path\.home|os\.homedir|homedir)$/.test(name) && args.length === 0) return "~";
    return undefined;
  }

  /** `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String("..."))` and friends. */
  private psInvoke(n: SyntaxNode, d: number): Value {
    const text = n.text;
    const m = /::\s*(FromBase64String|GetString|Reverse)\s*\(/i.exec(text);
    if (!m) return undefined;
    const argList = n.namedChildren.find((c) => c?.type === "argument_list");
    const arg = argList?.namedChild(0);
    const v = arg ? this.value(arg, d) : undefined;
    const s = asString(v);
    if (s === undefined) return undefined;
    if (/FromBase64String/i.test(m[1]!)) return decodeBase64(s);
    return bytesToText(s).replace(/\0/g, "");
  }

  /** `$(echo aGk= | base64 -d)`, `$(printf ... | rev)`: a decoding pipeline of constants. */
  private shellSubstitution(n: SyntaxNode, d: number): Value {
    const inner = n.namedChild(0);
    if (!inner) return undefined;
    const stages = inner.type === "pipeline" ? inner.namedChildren.filter((c): c is SyntaxNode => c?.type === "command") : inner.type === "command" ? [inner] : [];
    if (stages.length === 0) return undefined;
    let cur: string | undefined;
    for (const [i, st] of stages.entries()) {
      const words = commandWords(this, st, d);
      const cmd = words[0];
      if (i === 0) {
        if (cmd !== "echo" && cmd !== "printf") return undefined;
        cur = words.slice(1).filter((w) => w !== undefined && !/^-[neE]+$/.test(w)).join(" ");
        // `printf '%s' 'Lw=='`: a format of %s slots and literal text, filled with the arguments.
        const format = cmd === "printf" ? words[1] : undefined;
        if (format !== undefined && words.length > 2 && /^(?:[^%]|%s|%%)*$/.test(format) && words.slice(2).every((w) => w !== undefined)) {
          const rest = words.slice(2) as string[];
          cur = format.replace(/%%|%s/g, (m) => (m === "%%" ? "%" : (rest.shift() ?? "")));
        } else if (cmd === "printf") cur = unescapeLiteral(cur);
        continue;
      }
      if (cur === undefined) return undefined;
      if (cmd === "base64" && words.some((w) => w === "-d" || w === "-D" || w === "--decode")) cur = decodeBase64(cur);
      else if (cmd === "base32" && words.some((w) => w === "-d" || w === "--decode")) cur = decodeBase32(cur);
      else if (cmd === "xxd" && words.includes("-r")) cur = decodeHex(cur);
      else if (cmd === "rev") cur = cur.split("\n").map((l) => [...l].reverse().join("")).join("\n");
      else if (cmd === "tr" && /A-Za-z/.test(words[1] ?? "") && /N-ZA-Mn-za-m/.test(words[2] ?? "")) cur = rot13(cur);
      else return undefined;
    }
    return cur;
  }
}

const GLOBAL_OBJECTS = /^(?:globalThis|global|window|self|builtins|__builtins__)$/;

/** Node types whose single child is not the same value. */
const LEAVES = new Set(["string", "string_content", "string_fragment", "template_string", "concatenation", "string_literal", "command_substitution", "simple_expansion", "expansion", "list", "array", "tuple", "call", "call_expression", "subscript", "subscript_expression", "parenthesized_expression", "unary_expression", "cast_expression", "expression_with_unary_operator", "expandable_string_literal", "verbatim_string_literal", "generator_expression", "list_comprehension", "comparison_expression", "invokation_expression", "element_access", "attribute", "member_expression"]);

/** b ** e mod m for small m; e = -1 is the modular inverse (Python's pow(a, -1, m)). */
function modPow(b: number, e: number, m: number): number | undefined {
  const base = ((b % m) + m) % m;
  if (e === -1) {
    for (let x = 1; x < m; x++) if ((base * x) % m === 1) return x;
    return undefined;
  }
  if (e < 0 || e > 1 << 20) return undefined;
  let r = 1;
  for (let i = 0; i < e; i++) r = (r * base) % m;
  return r;
}

function joinValues(items: Value[], sep: string): string | undefined {
  const parts = items.map(asString);
  return parts.every((p) => p !== undefined) ? cap(parts.join(sep)) : undefined;
}

function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** A shell command's words, folded (unknown words stay undefined). */
function commandWords(ev: Evaluator, cmd: SyntaxNode, d: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (const c of cmd.namedChildren) {
    if (!c || c.type === "variable_assignment" || c.type === "file_redirect" || c.type === "herestring_redirect") continue;
    if (c.type === "command_name") out.push(ev.str(c.namedChild(0) ?? c, d) ?? c.text);
    else out.push(ev.str(c, d));
  }
  return out;
}

function callFact(ev: Evaluator, n: SyntaxNode, name: string, args: (string | undefined)[], named: Map<string, string | undefined>, redirects: string[]): CallFact {
  return { name, args, named, redirects, offset: n.startIndex, length: n.endIndex - n.startIndex, text: n.text.slice(0, 400) };
}

/** Shell/PowerShell: options with values (`-d @file`, `--data=x`, `-Body $b`) as named arguments. */
function namedOptions(args: (string | undefined)[]): Map<string, string | undefined> {
  const named = new Map<string, string | undefined>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined || !a.startsWith("-")) continue;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) named.set(a.slice(0, eq).toLowerCase(), a.slice(eq + 1));
    else named.set(a.toLowerCase(), args[i + 1]);
  }
  return named;
}

function collect(ev: Evaluator, root: SyntaxNode, grammar: Grammar): CodeFacts {
  const facts: CodeFacts = { calls: [], pipelines: [], strings: [], embedded: [], secrets: [] };
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (ev.steps > MAX_STEPS) break;
    const t = n.type;
    if (t === "command" && grammar === "bash") {
      const words = commandWords(ev, n, 0);
      // `cmd > file` parses as redirected_statement(command, file_redirect).
      // `a || b >> file` parses as redirected_statement(list(a, b), file_redirect): the redirect is the last command's.
      const inList = n.parent?.type === "list" && n.parent.namedChild(n.parent.namedChildCount - 1)?.startIndex === n.startIndex ? n.parent : n;
      const holder = inList.parent?.type === "redirected_statement" ? inList.parent : n;
      const redirects = holder.namedChildren
        .filter((c) => c?.type === "file_redirect" && !/^\d?[<]/.test(c.text) && !/>&/.test(c.text))
        .flatMap((c) => loopTargets(ev, c!.namedChildren.at(-1)) ?? [ev.str(c!.namedChildren.at(-1), 0) ?? ""]);
      const name = (words[0] ?? "").replace(/^.*\//, (p) => (/^(?:\/usr)?\/s?bin\//.test(p) ? "" : p));
      const options = namedOptions(words.slice(1));
      // `base64 < ~/.docker/config.json`: the file a command reads from its input is read as if named.
      const input = holder.namedChildren.find((c) => c?.type === "file_redirect" && /^0?<(?![<&(])/.test(c.text));
      if (input) options.set("<", ev.str(input.namedChildren.at(-1), 0));
      const call = callFact(ev, n, name, words.slice(1), options, redirects);
      const nameVar = /^"?\$\{?(\w+)\}?"?$/.exec(n.childForFieldName("name")?.text ?? "")?.[1];
      if (nameVar && (name.includes(UNKNOWN) || name.startsWith("$"))) call.nameChoices = ev.choices(nameVar, 0);
      facts.calls.push(call);
      const kind = interpreterKind(name);
      if (kind) {
        for (const r of holder.namedChildren) {
          if (r.type !== "heredoc_redirect") continue;
          const body = r.namedChildren.find((c) => c.type === "heredoc_body");
          if (body) facts.embedded.push({ kind, offset: body.startIndex, text: body.text });
        }
        const argNodes = n.namedChildren.filter((c) => c.type !== "command_name");
        const flag = argNodes.findIndex((c) => c.text === "-c" || c.text === "-e" || (name === "php" && c.text === "-r"));
        const code = flag >= 0 ? argNodes[flag + 1] : undefined;
        if (code) embedLiteral(facts, ev, code, kind);
      } else if (/^(?:cat|tee)$/.test(name)) {
        // `cat > hook.js <<EOF`: the body is code in the language of the file it becomes.
        const target = [...redirects, ...words.slice(1).filter((w): w is string => w !== undefined && !w.startsWith("-"))].map(writtenCodeKind).find((k) => k);
        for (const r of target ? holder.namedChildren : []) {
          const body = r.type === "heredoc_redirect" ? r.namedChildren.find((c) => c.type === "heredoc_body") : undefined;
          if (body) facts.embedded.push({ kind: target!, offset: body.startIndex, text: body.text });
        }
      }
    } else if (t === "command" && grammar === "powershell") {
      const nameNode = n.childForFieldName("command_name");
      const elems = n.childForFieldName("command_elements");
      const words = elems ? elems.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== "command_argument_sep").map((c) => (c.type === "command_parameter" ? c.text : ev.str(c, 0) ?? undefined)) : [];
      facts.calls.push(callFact(ev, n, (nameNode?.text ?? "").toLowerCase(), words, namedOptions(words), []));
    } else if (t === "call" || t === "call_expression" || t === "new_expression") {
      const fn = n.childForFieldName("function") ?? n.childForFieldName("constructor");
      if (fn) {
        const argsNode = n.childForFieldName("arguments");
        const argNodes = argsNode ? argsNode.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== "comment") : [];
        const named = new Map<string, string | undefined>();
        const args: (string | undefined)[] = [];
        for (const a of argNodes) {
          if (a.type === "keyword_argument") named.set(a.childForFieldName("name")?.text ?? "", foldedOrText(ev, a.childForFieldName("value")));
          else if (a.type === "object") for (const p of a.namedChildren) { if (p?.type === "pair") named.set(unquote(p.childForFieldName("key")?.text ?? ""), foldedOrText(ev, p.childForFieldName("value"))); }
          else {
            // An argument list (`["curl", "-d", x]`) reads as the command line it is.
            const v = ev.value(a, 0);
            args.push(Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" || x === undefined) ? v.map((x) => (x as string | undefined) ?? UNKNOWN).join(" ") : asString(v));
          }
        }
        const name = ev.callName(fn, 0);
        facts.calls.push(callFact(ev, n, name, args, named, []));
        const first = argNodes[0];
        // A variable handed to a runner is judged by its folded value, which the source never spells.
        if (first?.type === "identifier" && (RUNS_SHELL.test(name) || RUNS_SAME.test(name))) {
          const folded = asString(ev.value(first, 0));
          if (folded && folded.length >= 4) facts.strings.push({ value: folded, offset: first.startIndex, length: first.endIndex - first.startIndex, derived: true });
        }
        if (first && RUNS_SHELL.test(name)) embedLiteral(facts, ev, first.type === "list" || first.type === "array" ? first.namedChildren.at(-1) : first, "shell");
        else if (first && RUNS_SAME.test(name)) embedLiteral(facts, ev, first, grammar === "python" ? "python" : "javascript");
      }
    }
    const secret = secretEnvName(n, grammar);
    if (secret) facts.secrets.push({ name: secret, offset: n.startIndex, length: n.endIndex - n.startIndex });
    if (STRING_NODES.has(t) || (t === "word" && grammar === "bash" && /[/.]/.test(n.text))) {
      const v = ev.value(n, 0);
      const s = asString(v);
      if (s !== undefined && s.length > 0) {
        const literal = t === "word" ? n.text : unquote(n.text);
        facts.strings.push({ value: s, offset: n.startIndex, length: n.endIndex - n.startIndex, derived: s !== literal && s !== unescapeLiteral(literal) });
      }
      // Parts of a folded string are not reported again on their own; but a quoted "$(cmd)" still
      // runs cmd, so the commands of its substitutions are facts like any other.
      if (s !== undefined && t !== "call" && t !== "call_expression") {
        if (grammar === "bash") for (const sub of substitutionsIn(n)) for (let i = sub.namedChildCount - 1; i >= 0; i--) stack.push(sub.namedChild(i)!);
        continue;
      }
    }
    for (let i = n.namedChildCount - 1; i >= 0; i--) stack.push(n.namedChild(i)!);
  }
  // Pipelines: consecutive commands whose spans fall inside each pipeline node.
  if (grammar === "bash" || grammar === "powershell") facts.pipelines = pipelinesOf(root, facts.calls);
  return facts;
}

/**
 * The nodes of the wanted types a bash string or word holds, through nested strings and
 * concatenations (not inside a substitution: its own commands hold those).
 */
function partsIn(n: SyntaxNode, wanted: RegExp, through: RegExp): SyntaxNode[] {
  if (wanted.test(n.type)) return [n];
  const out: SyntaxNode[] = [];
  const walk = (x: SyntaxNode, depth: number) => {
    for (const c of x.namedChildren) {
      if (!c) continue;
      if (wanted.test(c.type)) out.push(c);
      else if (depth < 8 && through.test(c.type)) walk(c, depth + 1);
    }
  };
  walk(n, 0);
  return out;
}

/** The command substitutions of a bash string or word. */
const substitutionsIn = (n: SyntaxNode) => partsIn(n, /^command_substitution$/, /^(?:string|concatenation|expansion|simple_expansion)$/);

/** A string literal whose content is code: embedded at its exact place (folded strings go through the decoded path). */
function embedLiteral(facts: CodeFacts, ev: Evaluator, node: SyntaxNode | undefined, kind: FileKind): void {
  if (!node || !/^(?:string|raw_string|template_string)$/.test(node.type)) return;
  const raw = node.text;
  const inner = unquote(raw);
  if (inner.length < 4 || ev.str(node, 0) !== inner) return;
  facts.embedded.push({ kind, offset: node.startIndex + raw.indexOf(inner), text: inner });
}

function foldedOrText(ev: Evaluator, n: SyntaxNode | null): string | undefined {
  if (!n) return undefined;
  return ev.str(n, 0) ?? n.text.slice(0, 400);
}

function pipelinesOf(root: SyntaxNode, calls: CallFact[]): CallFact[][] {
  const out: CallFact[][] = [];
  const pipes = root.descendantsOfType("pipeline");
  for (const p of pipes) {
    if (!p) continue;
    const within = calls.filter((c) => c.offset >= p.startIndex && c.offset + c.length <= p.endIndex);
    // A command inside another's argument (`curl "…$(uname -m)" | tee f`) is not a stage of the pipeline.
    const inside = within.filter((c) => !within.some((o) => o !== c && o.offset <= c.offset && c.offset + c.length <= o.offset + o.length && o.length > c.length));
    if (inside.length > 1) out.push(inside.sort((a, b) => a.offset - b.offset));
  }
  return out;
}

/** Nodes whose folded value is a string worth reporting. */
const STRING_NODES = new Set(["concatenated_string", "string", "template_string", "concatenation", "binary_operator", "binary_expression", "call", "call_expression", "subscript", "expandable_string_literal", "verbatim_string_literal", "additive_expression", "comparison_expression", "command_substitution", "raw_string", "invokation_expression", "unary_expression", "cast_expression"]);

/**
 * The facts of one code segment, or undefined when its kind has no grammar or the parse failed.
 * `alsoRead` gets the same tree first, so another check on this code does not parse it again.
 */
export function extractFacts(kind: FileKind, text: string, alsoRead?: (root: SyntaxNode) => void): CodeFacts | undefined {
  const grammar = GRAMMAR_OF[kind];
  if (!grammar) return undefined;
  return withTree(grammar, text, (root) => {
    alsoRead?.(root);
    const ev = new Evaluator(grammar);
    ev.collectAssignments(root);
    ev.steps = 0;
    ev.foldLoops();
    ev.steps = 0;
    const facts = collect(ev, root, grammar);
    facts.strings.push(...codeTables(text));
    if (/\^/.test(text)) facts.strings.push(...xorWithSpelledKeys(text));
    return facts;
  });
}

/** A literal list of at least six small integers: character codes a decoder turns into text. */
const CODE_TABLE = /[[({]\s*((?:(?:0x[0-9a-f]{1,2}|\d{1,3})\s*,\s*){5,}(?:0x[0-9a-f]{1,2}|\d{1,3}))\s*,?\s*[\])}]/gi;
/** A small integer standing alone: a candidate key or shift. */
const SMALL_NUMBER = /(?<![\w.])(?:0x[0-9a-f]{1,2}|\d{1,3})(?![\w.])/gi;
const MAX_TABLES = 32;

/**
 * Character-code tables decoded whatever code does it: each table read as text directly, XORed
 * with, or shifted by, a small number the file spells elsewhere (a constant key). Only a result
 * that reads as a path, address or command is kept. Written here rather than by following the
 * decoder: a table is decoded by a loop, a lambda, a mapped helper or a comprehension alike, and
 * a single-byte key or shift has so few candidates that trying them all is cheaper than
 * interpreting the decoder.
 */
export function codeTables(text: string): StringFact[] {
  const tables: { codes: number[]; offset: number; length: number }[] = [];
  CODE_TABLE.lastIndex = 0;
  for (let m = CODE_TABLE.exec(text); m && tables.length < MAX_TABLES; m = CODE_TABLE.exec(text)) {
    tables.push({ codes: m[1]!.split(",").map((x) => Number(x.trim())), offset: m.index, length: m[0].length });
  }
  if (tables.length === 0) return [];
  const inTable = (at: number) => tables.some((t) => at >= t.offset && at < t.offset + t.length);
  const keys = new Set<number>([0]);
  SMALL_NUMBER.lastIndex = 0;
  for (let m = SMALL_NUMBER.exec(text); m && keys.size < 64; m = SMALL_NUMBER.exec(text)) {
    const k = Number(m[0]);
    if (k > 0 && k < 256 && !inTable(m.index)) keys.add(k);
  }
  const out: StringFact[] = [];
  for (const t of tables) {
    let best: { value: string; rank: number } | undefined;
    for (const k of keys) {
      const candidates = k === 0 ? [t.codes] : [t.codes.map((c) => c ^ k), t.codes.map((c) => c - k), t.codes.map((c) => c + k)];
      for (const codes of candidates) {
        if (!codes.every((c) => c >= 0x20 && c < 0x7f)) continue;
        const value = String.fromCharCode(...codes);
        const rank = MEANINGFUL.findIndex((re) => re.test(value));
        if (rank >= 0 && (!best || rank < best.rank)) best = { value, rank };
      }
    }
    if (best) out.push({ value: best.value, offset: t.offset, length: t.length, derived: true });
  }
  return out;
}

/** Decoded text worth keeping, best first: a URL, a path (a folder or a dot file), a command line with an option or pipe. */
const MEANINGFUL = [
  /^https?:\/\/[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]\S*)?$/,
  /^(?:~\/|\/)?(?:\.[\w-]+|[\w-]+(?:\.[\w-]+)*)(?:\/[\w-]*(?:\.[\w-]+)*){1,8}$|^\.[a-z][\w-]*(?:\.[\w-]+)?$/,
  /^[a-z][\w-]* +(?:-{1,2}\w|\S* *\| *\w)[ -~]*$/,
];

export function grammarOf(kind: FileKind): Grammar | undefined {
  return GRAMMAR_OF[kind];
}
