import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../../src/collectors/terraform/hcl-parser.js';
import type { Expr } from '../../../src/collectors/terraform/ast.js';

async function attr(source: string, name = 'a'): Promise<Expr> {
  const parsed = await parseHcl('main.tf', source);
  const found = parsed.body.attributes.find((a) => a.name === name);
  if (!found) throw new Error(`no attribute ${name}`);
  return found.expr;
}

describe('HCL syntax tree conversion', () => {
  it('reads a heredoc with interpolation, an if directive and a for directive', async () => {
    const source = 'a = <<EOT\nhi ${var.n} $${raw}\n%{ if var.on }on%{ else }off%{ endif }\n%{ for k, v in var.m }${k}=${v}%{ endfor }\nEOT\n';
    const e = await attr(source);
    expect(e.kind).toBe('template');
    if (e.kind !== 'template') return;
    expect(e.heredoc).toBe(true);
    expect(e.parts.map((p) => p.kind)).toEqual(['literal', 'interpolation', 'literal', 'if', 'literal', 'for', 'literal']);
    expect(e.parts[0]).toMatchObject({ kind: 'literal', text: 'hi ', start: source.indexOf('hi ') });
    expect(e.parts[2]).toMatchObject({ kind: 'literal', text: ' ${raw}\n' });
    const ifPart = e.parts[3]!;
    expect(ifPart).toMatchObject({ kind: 'if', then: [{ kind: 'literal', text: 'on' }], else: [{ kind: 'literal', text: 'off' }] });
    const forPart = e.parts[5]!;
    expect(forPart).toMatchObject({ kind: 'for', keyVar: 'k', valueVar: 'v', collection: { kind: 'traversal', text: 'var.m' } });
    if (forPart.kind === 'for') expect(forPart.body.map((p) => p.kind)).toEqual(['interpolation', 'literal', 'interpolation']);
  });

  it('reads a <<- heredoc as a heredoc template with its interpolation', async () => {
    const e = await attr('a = <<-EOT\n    one ${var.x}\n    EOT\n');
    expect(e).toMatchObject({ kind: 'template', heredoc: true });
    if (e.kind !== 'template') return;
    expect(e.parts.map((p) => p.kind)).toEqual(['literal', 'interpolation', 'literal']);
    expect(e.parts[1]).toMatchObject({ kind: 'interpolation', expr: { kind: 'traversal', text: 'var.x' } });
  });

  it('unescapes quoted strings and keeps their source offsets', async () => {
    const source = 'a = "q\\" \\u00e9 $${x}"\n';
    const e = await attr(source);
    expect(e).toMatchObject({ kind: 'literal', value: 'q" é ${x}', start: 4, end: source.length - 1, text: source.slice(4, -1) });
    expect(e.pos).toEqual({ line: 1, column: 5, endLine: 1, endColumn: source.length });
  });

  it('reads traversals with legacy index, splats and bracket index', async () => {
    const legacy = await attr('a = var.list.0.name\n');
    expect(legacy).toMatchObject({ kind: 'traversal', base: { kind: 'variable', name: 'var' } });
    if (legacy.kind === 'traversal') {
      expect(legacy.steps).toMatchObject([{ kind: 'attr', name: 'list' }, { kind: 'index', key: { kind: 'literal', value: 0, text: '.0' } }, { kind: 'attr', name: 'name' }]);
    }
    const splat = await attr('a = aws_iam_role.r[*].arn\n');
    if (splat.kind !== 'traversal') throw new Error('expected a traversal');
    expect(splat.steps).toMatchObject([{ kind: 'attr', name: 'r' }, { kind: 'splat', steps: [{ kind: 'attr', name: 'arn' }] }]);
    const index = await attr('a = module.m["k"].out\n');
    if (index.kind !== 'traversal') throw new Error('expected a traversal');
    expect(index.steps[1]).toMatchObject({ kind: 'index', key: { kind: 'literal', value: 'k' } });
  });

  it('reads for expressions with a condition and grouping', async () => {
    const e = await attr('a = {for k, v in var.m : k => v... if v != null}\n');
    expect(e).toMatchObject({
      kind: 'for',
      object: true,
      keyVar: 'k',
      valueVar: 'v',
      group: true,
      keyExpr: { kind: 'variable', name: 'k' },
      valueExpr: { kind: 'variable', name: 'v' },
      cond: { kind: 'binary', op: '!=', right: { kind: 'literal', value: null } },
    });
  });

  it('reads operators, parentheses and calls with an expanded last argument', async () => {
    const e = await attr('a = var.on ? -1 : ((2 + 3))\n');
    expect(e).toMatchObject({
      kind: 'conditional',
      cond: { kind: 'traversal', text: 'var.on' },
      then: { kind: 'unary', op: '-', operand: { kind: 'literal', value: 1 } },
      else: { kind: 'binary', op: '+', left: { kind: 'literal', value: 2 }, right: { kind: 'literal', value: 3 }, text: '2 + 3', start: 20 },
    });
    expect(await attr('a = 2 * 3 >= 4\n')).toMatchObject({ kind: 'binary', op: '>=', left: { kind: 'binary', op: '*' } });
    const call = await attr('a = concat(var.x, [true, null]...)\n');
    expect(call).toMatchObject({ kind: 'call', name: 'concat', expandLast: true, args: [{ kind: 'traversal' }, { kind: 'tuple', items: [{ value: true }, { value: null }] }] });
  });

  it('reads object keys that are names, quoted strings and expressions, skipping comments', async () => {
    const e = await attr('a = {\n  # note\n  plain = 1 // trailing\n  "quoted key" = 2\n  (var.k) = /* inline */ 3\n}\n');
    if (e.kind !== 'object') throw new Error('expected an object');
    expect(e.items.map((i) => i.keyName)).toEqual(['plain', undefined, undefined]);
    expect(e.items.map((i) => i.key.kind)).toEqual(['variable', 'literal', 'traversal']);
    expect(e.items.map((i) => (i.value.kind === 'literal' ? i.value.value : undefined))).toEqual([1, 2, 3]);
    expect(e.items[1]!.pos).toEqual({ line: 4, column: 3, endLine: 4, endColumn: 19 });
  });

  it('reads blocks with labels and keeps what parsed before a missing brace', async () => {
    const parsed = await parseHcl('main.tf', 'resource "aws_iam_role" "r" {\n  name = "x"\n  tags = { a = "b" }\n');
    expect(parsed.error?.message).toMatch(/syntax error/);
    const block = parsed.body.blocks[0];
    expect(block).toMatchObject({ type: 'resource', labels: ['aws_iam_role', 'r'] });
    expect(block?.body.attributes.map((a) => a.name)).toEqual(['name', 'tags']);
  });

  it('reports the first syntax error with its line and column', async () => {
    const parsed = await parseHcl('main.tf', 'locals {\n  a = 1\n  b = [1, 2\n}\n');
    expect(parsed.error).toMatchObject({ line: 3 });
    expect(parsed.error?.message).toMatch(/^syntax error: /);
    expect(parsed.body.blocks[0]?.body.attributes[0]).toMatchObject({ name: 'a', expr: { kind: 'literal', value: 1 } });
  });

  it('keeps traversal steps of operands: the grammar lays an operand out as sibling parts', async () => {
    expect(await attr('a = var.env.name == "prod"\n')).toMatchObject({
      kind: 'binary',
      op: '==',
      left: { kind: 'traversal', text: 'var.env.name', base: { kind: 'variable', name: 'var' }, steps: [{ kind: 'attr', name: 'env' }, { kind: 'attr', name: 'name' }] },
      right: { kind: 'literal', value: 'prod' },
    });
    expect(await attr('a = !var.flags.off\n')).toMatchObject({ kind: 'unary', op: '!', operand: { kind: 'traversal', text: 'var.flags.off' } });
    expect(await attr('a = local.m["k"] != null\n')).toMatchObject({ kind: 'binary', op: '!=', left: { kind: 'traversal', steps: [{ kind: 'attr', name: 'm' }, { kind: 'index', key: { kind: 'literal', value: 'k' } }] } });
  });

  it('takes the operator outside parentheses, and steps after a parenthesized expression', async () => {
    expect(await attr('a = (2 + 3) * 4\n')).toMatchObject({ kind: 'binary', op: '*', left: { kind: 'binary', op: '+' }, right: { kind: 'literal', value: 4 } });
    expect(await attr('a = (var.list)[0]\n')).toMatchObject({ kind: 'traversal', base: { kind: 'traversal', text: 'var.list' }, steps: [{ kind: 'index', key: { kind: 'literal', value: 0 } }] });
  });

  it('removes the common indentation of a <<- heredoc that ends with a newline', async () => {
    const source = 'a = <<-EOT\n    {\n      "k": 1\n    }\n    EOT\n';
    const e = await attr(source);
    if (e.kind !== 'template') throw new Error('not a template');
    expect(e.parts.map((p) => (p.kind === 'literal' ? p.text : '')).join('')).toBe('{\n  "k": 1\n}\n');
    // Each kept line still points at its place in the file.
    const k = e.parts.find((p) => p.kind === 'literal' && p.text.startsWith('  "k"'));
    expect(k).toMatchObject({ start: source.indexOf('"k"') - 2, pos: { line: 3, column: 5 } });
  });

  it('reads expressions the same in a file with a syntax error, where the walk takes every node from the tree', async () => {
    const clean = [
      'a = -(x /* ) */ + 2) * (y.b[0] - (z)) == !(w)',
      'b = [for k, v in var.m : v.*.id if (k != "x")]',
      'c = { "q" : l[*].c, k = x.0.y, (var.k) = "${p}-%{ if q }r%{ endif }" }',
      'd = f(a.b, (c)...)',
      'e = <<-EOT\n    ${(1 + 2)}\n  EOT\n',
    ].join('\n');
    const good = await parseHcl('main.tf', `${clean}\n`);
    const broken = await parseHcl('main.tf', `${clean}\nz = (1 +\n`);
    expect(good.error).toBeUndefined();
    expect(broken.error?.line).toBe(clean.split('\n').length + 1);
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const want = good.body.attributes.find((x) => x.name === name);
      expect(want?.expr.kind).not.toBe('invalid');
      expect(broken.body.attributes.find((x) => x.name === name)).toEqual(want);
    }
  });

  it('reads a file as before after another was too deeply nested', async () => {
    const source = 'a = (1 + 2) * -x\n';
    const before = await parseHcl('main.tf', source);
    const deep = await parseHcl('deep.tf', `a = ${'('.repeat(80)}1${')'.repeat(80)}\n`, { maxDepth: 8 });
    expect(deep.error?.limit).toBe(true);
    expect(await parseHcl('main.tf', source)).toEqual(before);
  });

  it('skips comments inside operations', async () => {
    expect(await attr('a = x + /* c */ y\n')).toMatchObject({ kind: 'binary', op: '+', left: { kind: 'variable', name: 'x' }, right: { kind: 'variable', name: 'y' } });
    expect(await attr('a = !/* c */var.on\n')).toMatchObject({ kind: 'unary', op: '!', operand: { kind: 'traversal', text: 'var.on' } });
    expect(await attr('a = x /* c */ == y\n')).toMatchObject({ kind: 'binary', op: '==', left: { kind: 'variable', name: 'x' } });
  });

  it('strips nothing from a <<- heredoc whose first line starts with an interpolation, and keeps blank lines', async () => {
    const text = async (source: string) => {
      const e = await attr(source);
      if (e.kind !== 'template') throw new Error('not a template');
      return e.parts.map((p) => (p.kind === 'literal' ? p.text : '${}')).join('');
    };
    expect(await text('a = <<-EOT\n${x}\n    b\nEOT\n')).toBe('${}\n    b\n');
    expect(await text('a = <<-EOT\n    a\n        \n    b\n    EOT\n')).toBe('a\n        \nb\n');
  });

  it('places each stripped line at its place in the file, also after an escaped $${', async () => {
    const source = 'a = <<-EOT\n    $${c}\n      d\n    EOT\n';
    const e = await attr(source);
    if (e.kind !== 'template') throw new Error('not a template');
    const d = e.parts.find((p) => p.kind === 'literal' && p.text.includes('d'));
    expect(d).toMatchObject({ text: '  d\n', start: source.indexOf('  d'), pos: { line: 3, column: 5 } });
  });
});

