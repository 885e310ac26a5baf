/**
 * The tree reader moves a cursor by direct calls into the binding (tree-cursor.ts); what it sees
 * must be exactly what web-tree-sitter's own cursor sees on the same tree: the same nodes in the
 * same order, with the same types, places and fields, whatever the text (errors, non-ASCII,
 * trees deep enough to grow the cursor's stack).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Tree } from 'web-tree-sitter';
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
    // The public cursor still works after a raw walk was closed: its state was handed back.
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

  it('hands the state back when the walk grew the cursor past its first stack', async () => {
    // 300 nested tuples: the cursor's stack is reallocated several times on the way down.
    await expectSameWalk(`x = ${'['.repeat(300)}1${']'.repeat(300)}\n`);
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
