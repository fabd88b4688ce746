/**
 * A syntax tree copied out of tree-sitter's WebAssembly memory into plain objects in one
 * cursor walk. Every property read on a web-tree-sitter node crosses into WASM and allocates;
 * the evaluator reads each node many times, so it reads this copy instead (about 20x faster).
 */
import type { Language, Node as TsNode } from "@vscode/tree-sitter-wasm";

/** The children of a leaf: most nodes are leaves, and two fresh arrays each were most of a copy's garbage. */
const NO_CHILDREN: readonly Syntax[] = Object.freeze([]);

export class Syntax {
  private kept?: Syntax[];
  private named?: Syntax[];
  private fields?: Map<string, Syntax>;

  constructor(
    readonly type: string,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isNamed: boolean,
    readonly parent: Syntax | null,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  /** Every child, punctuation included (only named and field-holding children are kept). */
  childTotal = 0;

  /** The named children and those that hold a field, in order. */
  get children(): readonly Syntax[] {
    return this.kept ?? NO_CHILDREN;
  }

  get namedChildren(): readonly Syntax[] {
    return this.named ?? NO_CHILDREN;
  }

  get childCount(): number {
    return this.childTotal;
  }

  get namedChildCount(): number {
    return this.named?.length ?? 0;
  }

  namedChild(i: number): Syntax | null {
    return this.named?.[i] ?? null;
  }

  childForFieldName(name: string): Syntax | null {
    return this.fields?.get(name) ?? null;
  }

  addChild(child: Syntax, field: string | null): void {
    this.childTotal++;
    // Unnamed tokens without a field (brackets, commas) carry nothing the evaluator reads.
    if (!child.isNamed && !field) return;
    (this.kept ??= []).push(child);
    if (child.isNamed) (this.named ??= []).push(child);
    if (field) {
      this.fields ??= new Map();
      if (!this.fields.has(field)) this.fields.set(field, child);
    }
  }

  descendantsOfType(type: string): Syntax[] {
    const out: Syntax[] = [];
    const stack: Syntax[] = [this];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === type) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
    return out;
  }
}

/** Nodes copied at most; a larger tree is cut (the evaluator sees less, the pattern rules still run). */
const MAX_NODES = 400_000;

/**
 * Whether each node type of a language is named, by type id (0 not looked up yet, 1 anonymous,
 * 2 named). Named-ness belongs to the type, so one look-up per type replaces a call into
 * WebAssembly per node.
 */
const namedTypes = new WeakMap<Language, Uint8Array>();

function namedTypesOf(language: Language): Uint8Array {
  let table = namedTypes.get(language);
  // Type ids run up to 65535 (ERROR).
  if (!table) namedTypes.set(language, (table = new Uint8Array(65536)));
  return table;
}

export function copyTree(root: TsNode, source: string): Syntax {
  const language = root.tree.language;
  const named = namedTypesOf(language);
  const cursor = root.walk();
  try {
    const top = new Syntax(cursor.nodeType, cursor.startIndex, cursor.endIndex, cursor.nodeIsNamed, null, source);
    let current = top;
    let count = 1;
    if (!cursor.gotoFirstChild()) return top;
    for (;;) {
      // Each cursor read crosses into WebAssembly: a token the copy drops (punctuation, a
      // keyword without a field) is counted without reading its span, and the type's id
      // gives both its name and whether it is named.
      const typeId = cursor.nodeTypeId;
      let isNamedFlag = named[typeId]!;
      if (isNamedFlag === 0) named[typeId] = isNamedFlag = language.nodeTypeIsNamed(typeId) ? 2 : 1;
      const isNamed = isNamedFlag === 2;
      const field = cursor.currentFieldName;
      if (isNamed || field) {
        const node = new Syntax(language.types[typeId] || "ERROR", cursor.startIndex, cursor.endIndex, isNamed, current, source);
        current.addChild(node, field);
        if (++count > MAX_NODES) return top;
        if (cursor.gotoFirstChild()) {
          current = node;
          continue;
        }
      } else {
        // Dropped: counted in its parent; a placeholder only when it has children to walk.
        current.childTotal++;
        if (++count > MAX_NODES) return top;
        if (cursor.gotoFirstChild()) {
          current = new Syntax("", 0, 0, false, current, source);
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || current.parent === null) return top;
        current = current.parent;
      }
    }
  } finally {
    cursor.delete();
  }
}
