/**
 * The tree reader moves a cursor by direct calls into the binding (tree-cursor.ts); what it sees
 * must be exactly what web-tree-sitter's own cursor sees on the same tree: the same nodes in the
 * same order, with the same types, places and fields, whatever the text (errors, non-ASCII,
 * trees deep enough to grow the cursor's stack).
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { TreeCursor, type Tree } from 'web-tree-sitter';
import { hclCursorBinding, hclParser } from '../../../src/collectors/terraform/hcl-parser.js';
import { RawCursor } from '../../../src/collectors/terraform/tree-cursor.js';

type Visit = [type: number, start: number, end: number, field: number];

/** Every node in document order, through the public cursor. */
function publicWalk(tree: Tree): Visit[] {
  const out: Visit[] = [];
  const c = tree.walk();
  for (;;) {
    out.push([c.nodeTypeId, c.startIndex, c.endIndex, c.currentFieldId]);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) {
        c.delete();
        return out;
      }
    }
  }
}

async function rawWalk(tree: Tree): Promise<Visit[]> {
  const out: Visit[] = [];
  const c = new RawCursor(await hclCursorBinding(), tree);
  try {
    for (;;) {
      out.push([c.typeId(), c.startIndex(), c.endIndex(), c.fieldId()]);
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return out;
      }
    }
  } finally {
    c.close();
  }
}

async function expectSameWalk(text: string): Promise<void> {
  const tree = (await hclParser()).parse(text)!;
  try {
    const raw = await rawWalk(tree);
    expect(raw).toEqual(publicWalk(tree));
    // The binding still serves a public cursor after a raw walk was closed.
    expect(publicWalk(tree)).toEqual(raw);
  } finally {
    tree.delete();
  }
}

describe('RawCursor', () => {
  it('visits what the public cursor visits, in a file with objects, templates and heredocs', async () => {
    await expectSameWalk(
      [
        'resource "aws_iam_role" "r" {',
        '  name = "é-${var.x}😀"',
        '  tags = { team = "a", "quoted key" = local.y[0] }',
        '  policy = <<-EOT',
        '    {"a": "${join(",", [for k, v in var.m : k if v])}"}',
        '  EOT',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('visits what the public cursor visits in a file with syntax errors', async () => {
    await expectSameWalk('resource "a" {\n  x = [1, 2\n  y = "unclosed\n}\n}}} = = \n');
  });

  it('visits what the public cursor visits when the walk grows the cursor past its first stack', async () => {
    // 300 nested tuples: the cursor's stack is reallocated several times on the way down.
    await expectSameWalk(`x = ${'['.repeat(300)}1${']'.repeat(300)}\n`);
  });

  it('deletes the cursor with the state the walk left, not the one it started from', async () => {
    // A walk that ends deep in the tree: the cursor's stack has grown (and may have moved), so
    // deleting it with the state it was opened with frees the wrong block and leaks the live one.
    const binding = await hclCursorBinding();
    const tree = (await hclParser()).parse(`x = ${'['.repeat(300)}1${']'.repeat(300)}\n`)!;
    const deleted: number[][] = [];
    const original = TreeCursor.prototype.delete;
    const spy = vi.spyOn(TreeCursor.prototype, 'delete').mockImplementation(function (this: TreeCursor) {
      const state = this as unknown as Record<number, number>;
      deleted.push([state[0]!, state[1]!, state[2]!, state[3]!]);
      original.call(this);
    });
    try {
      const c = new RawCursor(binding, tree);
      // Down to the innermost `1`.
      while (c.gotoFirstChild()) {
        while (c.endIndex() <= 304) c.gotoNextSibling();
      }
      const at = binding.buffer >> 2;
      const live = [...binding.HEAP32.subarray(at, at + 4)];
      c.close();
      expect(deleted).toEqual([live]);
      // The stack's size word: hundreds of levels deep, not the root's one.
      expect(live[1]).toBeGreaterThan(300);
    } finally {
      spy.mockRestore();
      tree.delete();
    }
  });

  it('visits what the public cursor visits, for any text of HCL pieces', async () => {
    const piece = fc.constantFrom('a', 'b = ', '"s"', '"${x}"', '{', '}', '[', ']', '(', ')', ',', '\n', ' ', 'é', '😀', '<<E\nt\nE\n', '# c\n', 'f(1)', '.k', '[0]', '?', ':', 'for', 'in');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), (pieces) => expectSameWalk(pieces.join(''))),
      { numRuns: 200 },
    );
  });

  it('names what is missing when the binding is not the one it was written for', async () => {
    const { cursorBinding } = await import('../../../src/collectors/terraform/tree-cursor.js');
    expect(() => cursorBinding({ HEAP32: new Int32Array(4) })).toThrow(/_ts_tree_cursor_goto_first_child_wasm.*not the version package\.json pins/);
  });
});
