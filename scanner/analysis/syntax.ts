/**
 * A syntax tree copied out of tree-sitter's WebAssembly memory into plain objects in one
 * cursor walk. Every property read on a web-tree-sitter node crosses into WASM and allocates;
 * the evaluator reads each node many times, so it reads this copy instead (about 20x faster).
 */
import type { Node as TsNode } from "@vscode/tree-sitter-wasm";

export class Syntax {
  readonly children: Syntax[] = [];
  readonly namedChildren: Syntax[] = [];
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

  get childCount(): number {
    return this.childTotal;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(i: number): Syntax | null {
    return this.namedChildren[i] ?? null;
  }

  childForFieldName(name: string): Syntax | null {
    return this.fields?.get(name) ?? null;
  }

  addChild(child: Syntax, field: string | null): void {
    this.childTotal++;
    // Unnamed tokens without a field (brackets, commas) carry nothing the evaluator reads.
    if (!child.isNamed && !field) return;
    this.children.push(child);
    if (child.isNamed) this.namedChildren.push(child);
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

export function copyTree(root: TsNode, source: string): Syntax {
  const cursor = root.walk();
  try {
    const top = new Syntax(cursor.nodeType, cursor.startIndex, cursor.endIndex, cursor.nodeIsNamed, null, source);
    let current = top;
    let count = 1;
    if (!cursor.gotoFirstChild()) return top;
    for (;;) {
      // Each cursor read crosses into WebAssembly: a token the copy drops (punctuation, a
      // keyword without a field) is counted without reading its type and span.
      const isNamed = cursor.nodeIsNamed;
      const field = cursor.currentFieldName;
      const kept = isNamed || Boolean(field);
      const node = kept ? new Syntax(cursor.nodeType, cursor.startIndex, cursor.endIndex, isNamed, current, source) : new Syntax("", 0, 0, false, current, source);
      current.addChild(node, field);
      if (++count > MAX_NODES) return top;
      if (cursor.gotoFirstChild()) {
        current = node;
        continue;
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
