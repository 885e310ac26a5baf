/**
 * A tree-sitter cursor moved by direct calls into the WebAssembly binding.
 *
 * web-tree-sitter keeps a cursor's state in JavaScript and copies it into the binding's transfer
 * buffer before every call and back after every move: eight typed memory accesses per move and
 * four per read, which cost more than the moves themselves when a whole tree is read. The
 * binding's cursor functions read the state from that buffer and its moves write it back, so a
 * walk that makes no other call into the binding can leave the state there: it is copied in once
 * when the walk starts and out once when it ends, before the cursor is deleted (a move can
 * reallocate the cursor's stack, so the JavaScript copy is stale until then).
 *
 * This leans on the binding of the web-tree-sitter version package.json pins exactly;
 * `cursorBinding` checks that every function is there and fails loudly if one is not.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';

/** The binding's exports a walk uses (the Emscripten module object given to `Parser.init`). */
export interface CursorBinding {
  readonly HEAP32: Int32Array;
  /** The transfer buffer's address (the call only writes the library's version into it). */
  readonly buffer: number;
  gotoFirstChild(tree: number): number;
  gotoNextSibling(tree: number): number;
  gotoParent(tree: number): number;
  typeId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  fieldId(tree: number): number;
}

const EXPORTS = {
  gotoFirstChild: '_ts_tree_cursor_goto_first_child_wasm',
  gotoNextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
  gotoParent: '_ts_tree_cursor_goto_parent_wasm',
  typeId: '_ts_tree_cursor_current_node_type_id_wasm',
  startIndex: '_ts_tree_cursor_start_index_wasm',
  endIndex: '_ts_tree_cursor_end_index_wasm',
  fieldId: '_ts_tree_cursor_current_field_id_wasm',
} as const;

/** The binding's cursor functions, from the module object `Parser.init` was given (after it resolved). */
export function cursorBinding(module: Record<string, unknown>): CursorBinding {
  const missing = [...Object.values(EXPORTS), '_ts_init'].filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0 || !(module.HEAP32 instanceof Int32Array)) {
    throw new Error(`the tree-sitter binding lacks ${missing.join(', ') || 'HEAP32'}: web-tree-sitter is not the version package.json pins`);
  }
  const fn = (name: string) => module[name] as (tree: number) => number;
  return {
    get HEAP32() {
      // Replaced when the WebAssembly memory grows.
      return module.HEAP32 as Int32Array;
    },
    buffer: fn('_ts_init')(0),
    gotoFirstChild: fn(EXPORTS.gotoFirstChild),
    gotoNextSibling: fn(EXPORTS.gotoNextSibling),
    gotoParent: fn(EXPORTS.gotoParent),
    typeId: fn(EXPORTS.typeId),
    startIndex: fn(EXPORTS.startIndex),
    endIndex: fn(EXPORTS.endIndex),
    fieldId: fn(EXPORTS.fieldId),
  };
}

/** web-tree-sitter's handles: a tree's address and a cursor's four words of state. */
type Handle = Record<number, number>;

/**
 * A cursor on a tree's root. From its construction to `close` nothing else may call into the binding:
 * the state lives in its transfer buffer.
 */
export class RawCursor {
  private readonly treeId: number;
  private readonly cursor: TreeCursor;

  constructor(
    private readonly binding: CursorBinding,
    tree: Tree,
  ) {
    this.treeId = (tree as unknown as Handle)[0]!;
    this.cursor = tree.walk();
    const state = this.cursor as unknown as Handle;
    const heap = binding.HEAP32;
    const at = binding.buffer >> 2;
    for (let i = 0; i < 4; i++) heap[at + i] = state[i]!;
  }

  /** Copies the state back and deletes the cursor. */
  close(): void {
    const state = this.cursor as unknown as Handle;
    const heap = this.binding.HEAP32;
    const at = this.binding.buffer >> 2;
    for (let i = 0; i < 4; i++) state[i] = heap[at + i]!;
    this.cursor.delete();
  }

  typeId(): number {
    return this.binding.typeId(this.treeId);
  }

  startIndex(): number {
    return this.binding.startIndex(this.treeId);
  }

  endIndex(): number {
    return this.binding.endIndex(this.treeId);
  }

  fieldId(): number {
    return this.binding.fieldId(this.treeId);
  }

  gotoFirstChild(): boolean {
    return this.binding.gotoFirstChild(this.treeId) === 1;
  }

  gotoNextSibling(): boolean {
    return this.binding.gotoNextSibling(this.treeId) === 1;
  }

  gotoParent(): boolean {
    return this.binding.gotoParent(this.treeId) === 1;
  }
}
