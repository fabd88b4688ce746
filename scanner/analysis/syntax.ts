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

/**
 * The cursor functions of tree-sitter's WebAssembly module (the Emscripten module object
 * `Parser.init` was given). Each takes the tree and works on the cursor held in the module's
 * transfer buffer. web-tree-sitter's TreeCursor writes its four words into that buffer before
 * every call and reads them back after every move (eight typed-array writes through
 * Emscripten's `setValue`/`getValue`, which switch on a type name): with one walk per parse,
 * that copying cost more than the calls themselves. The walk below leaves the cursor in the
 * buffer from `walk()` to the end and reads it back once, before the cursor is freed.
 */
export interface CursorModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

/** The handles web-tree-sitter keeps in numbered slots: a tree's address, a cursor's four words. */
type Handles = Record<0 | 1 | 2 | 3, number>;

export function copyTree(wasm: CursorModule, transferBuffer: number, root: TsNode, source: string): Syntax {
  const language = root.tree.language;
  const named = namedTypesOf(language);
  const fields = language.fields;
  // walk() leaves the new cursor in the transfer buffer, where the calls below read and move it.
  const cursor = root.walk();
  const tree = (root.tree as unknown as Handles)[0];
  try {
    const top = new Syntax(language.types[wasm._ts_tree_cursor_current_node_type_id_wasm(tree)] || "ERROR", wasm._ts_tree_cursor_start_index_wasm(tree), wasm._ts_tree_cursor_end_index_wasm(tree), cursor.nodeIsNamed, null, source);
    let current = top;
    let count = 1;
    if (wasm._ts_tree_cursor_goto_first_child_wasm(tree) !== 1) return top;
    for (;;) {
      // A token the copy drops (punctuation, a keyword without a field) is counted without
      // reading its span, and the type's id gives both its name and whether it is named.
      const typeId = wasm._ts_tree_cursor_current_node_type_id_wasm(tree);
      let isNamedFlag = named[typeId]!;
      if (isNamedFlag === 0) named[typeId] = isNamedFlag = language.nodeTypeIsNamed(typeId) ? 2 : 1;
      const isNamed = isNamedFlag === 2;
      const fieldId = wasm._ts_tree_cursor_current_field_id_wasm(tree);
      const field = fieldId === 0 ? null : (fields[fieldId] ?? null);
      if (isNamed || field) {
        const node = new Syntax(language.types[typeId] || "ERROR", wasm._ts_tree_cursor_start_index_wasm(tree), wasm._ts_tree_cursor_end_index_wasm(tree), isNamed, current, source);
        current.addChild(node, field);
        if (++count > MAX_NODES) return top;
        if (wasm._ts_tree_cursor_goto_first_child_wasm(tree) === 1) {
          current = node;
          continue;
        }
      } else {
        // Dropped: counted in its parent; a placeholder only when it has children to walk.
        current.childTotal++;
        if (++count > MAX_NODES) return top;
        if (wasm._ts_tree_cursor_goto_first_child_wasm(tree) === 1) {
          current = new Syntax("", 0, 0, false, current, source);
          continue;
        }
      }
      while (wasm._ts_tree_cursor_goto_next_sibling_wasm(tree) !== 1) {
        if (wasm._ts_tree_cursor_goto_parent_wasm(tree) !== 1 || current.parent === null) return top;
        current = current.parent;
      }
    }
  } finally {
    // The moves may have grown the cursor's stack (a new address): free what the buffer holds now.
    const heap = wasm.HEAP32;
    const words = cursor as unknown as Handles;
    for (let i = 0; i < 4; i++) words[i as 0 | 1 | 2 | 3] = heap[(transferBuffer >> 2) + i]!;
    cursor.delete();
  }
}
