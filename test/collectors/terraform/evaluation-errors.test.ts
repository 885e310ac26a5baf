/**
 * The evaluator's own error type: a value that cannot be computed becomes unknown and evaluation
 * goes on; any other exception (a programming error) is never mistaken for an unknown value;
 * an exhausted budget is not a value `try()` or `can()` may replace with their fallback.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform, parseHcl } from '../../../src/collectors/terraform/index.js';
import { safeEvaluate } from '../../../src/collectors/terraform/body.js';
import type { Resolver, Scope } from '../../../src/collectors/terraform/evaluator.js';
import { EvaluationBudget } from '../../../src/collectors/terraform/evaluation-budget.js';
import { isUnknown } from '../../../src/collectors/terraform/values.js';

const ROOT = '/project';
const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };

/** The attributes of a `locals` block, by name. */
async function locals(text: string) {
  const parsed = await parseHcl('/project/main.tf', `locals {\n${text}\n}\n`);
  return new Map(parsed.body.blocks[0]!.body.attributes.map((a) => [a.name, a]));
}

/** A scope whose references (`var.x`) are answered by `resolve`. */
function scope(resolve: Resolver['resolve'], budget?: EvaluationBudget): Scope {
  return { resolver: { resolve, origin: () => undefined, ...(budget ? { budget } : {}) }, bindings: new Map() };
}

describe('evaluation errors', () => {
  it('a call with arguments it rejects is unknown; the rest of the root is evaluated and nothing is reported as an internal error', async () => {
    const text = `resource "aws_iam_role" "bad" {
  name        = element([], 0)
  description = lower(["not", "a", "string"])
  path        = jsondecode("{")
  tags        = { a = regex("(", "x"), b = nosuchfunction(1), c = keys("text"), d = can() }
}

resource "aws_iam_role" "good" {
  name = upper("good")
}
`;
    const r = await collectTerraform([{ path: join(ROOT, 'infra', 'main.tf'), text }], { root: ROOT, limits: LIMITS });
    expect(r.notes).toEqual([]);
    expect(r.resources.map((x) => x.name)).toEqual(['aws_iam_role.bad', 'GOOD']);
    const bad = r.resources[0]!.body as { RoleName: never; Tags: never };
    expect([isUnknown(bad.RoleName), isUnknown(bad.Tags)]).toEqual([true, true]);
  });

  it('a TypeError raised under evaluation is not an unknown value: attributes, try() and can() let it through', async () => {
    const attrs = await locals('plain = var.x\ntried = try(var.x, "fallback")\ncan_ = can(var.x)\ninside = "${upper(var.x)}-suffix"');
    const buggy = scope(() => {
      throw new TypeError('Cannot read properties of undefined');
    });
    for (const name of ['plain', 'tried', 'can_', 'inside']) expect(() => safeEvaluate(attrs.get(name)!, buggy)).toThrow(TypeError);
    // The same expressions over a reference that is merely invalid: try() and can() answer, as Terraform does.
    const invalid = scope(() => ({ value: 'text', used: 0 }));
    expect(safeEvaluate((await locals('tried = try(var.x.missing, "fallback")')).get('tried')!, invalid)).toBe('fallback');
    expect(safeEvaluate((await locals('can_ = can(var.x.missing)')).get('can_')!, invalid)).toBe(false);
  });

  it('a spent budget is unknown, even under try() and can(), and names where it ran out', async () => {
    const attrs = await locals('big = [for a in range(1000) : a]\ntried = try([for a in range(1000) : a], "fallback")\ncan_ = can([for a in range(1000) : a])');
    const none = (): undefined => undefined;
    for (const name of ['big', 'tried', 'can_']) {
      const budget = new EvaluationBudget(100);
      const v = safeEvaluate(attrs.get(name)!, scope(none, budget));
      expect(isUnknown(v)).toBe(true);
      expect(budget.hit).toEqual({ file: '/project/main.tf', line: name === 'big' ? 2 : name === 'tried' ? 3 : 4 });
    }
    const enough = new EvaluationBudget(10_000);
    expect(safeEvaluate(attrs.get('tried')!, scope(none, enough))).toHaveLength(1000);
    expect(enough.hit).toBeUndefined();
  });

  it('a for expression over more items than the evaluator takes is unknown, even under try(), and named once at its line', async () => {
    const main = [
      'locals {',
      '  flat  = flatten([for i in range(120) : [for j in range(100) : "${i}-${j}"]])',
      '  names = [for x in local.flat : upper(x)]',
      '  tried = try([for x in local.flat : x], [])',
      '}',
      'resource "aws_iam_role" "many" {',
      '  count              = 2',
      '  name               = "r-${length(local.names)}-${length(local.tried)}-${count.index}"',
      '  assume_role_policy = "{}"',
      '}',
      'resource "aws_iam_role" "tried" {',
      '  name               = "t-${length(local.tried)}"',
      '  assume_role_policy = "{}"',
      '}',
      'resource "aws_iam_role" "few" {',
      '  name               = "few-${length([for x in range(1000) : x])}"',
      '  assume_role_policy = "{}"',
      '}',
      '',
    ].join('\n');
    const r = await collectTerraform([{ path: join(ROOT, 'main.tf'), text: main }], { root: ROOT, limits: LIMITS });
    const names = Object.fromEntries(r.resources.map((x) => [x.address, (x.body as { RoleName?: unknown }).RoleName]));
    expect(isUnknown(names['aws_iam_role.many[0]'] as never)).toBe(true);
    expect(names['aws_iam_role.few']).toBe('few-1000');
    // try() takes no fallback for a limit of the evaluator's own: Terraform would have computed the list.
    expect(isUnknown(names['aws_iam_role.tried'] as never)).toBe(true);
    const limits = r.notes.filter((n) => n.kind === 'limit');
    expect(limits.map((n) => [n.file, n.line, n.level])).toEqual([
      [join(ROOT, 'main.tf'), 3, 'error'],
      [join(ROOT, 'main.tf'), 4, 'error'],
    ]);
    expect(limits[0]!.message).toContain('more than 10000 items is not evaluated');
  });

  it('input nested beyond what can be evaluated is named as such, not as an internal error; the other roots are evaluated', async () => {
    const depth = 20_000;
    const deep = `resource "aws_iam_role" "deep" {\n  name = ${'['.repeat(depth)}1${']'.repeat(depth)}\n}\n`;
    const links = 10_000;
    const chain = ['locals {', ...Array.from({ length: links }, (_, i) => `  l${i} = local.l${i + 1}`), `  l${links} = "end"`, '}', 'resource "aws_iam_role" "chain" {', '  name = local.l0', '}', ''].join('\n');
    const files = { 'deep/main.tf': deep, 'chain/main.tf': chain, 'ok/main.tf': 'resource "aws_iam_role" "ok" {\n  name = "ok"\n}\n' };
    const r = await collectTerraform(Object.entries(files).map(([name, text]) => ({ path: join(ROOT, name), text })), { root: ROOT, limits: LIMITS });
    // The chain's name cannot be computed: the role is kept, its name unknown, and the place named.
    expect(r.resources.map((x) => x.id)).toEqual(['tf:chain:aws_iam_role.chain', 'tf:ok:aws_iam_role.ok']);
    const tooDeep = 'nesting deeper than 256 levels; raise the limit with --max-depth';
    expect(r.notes).toEqual([
      { kind: 'limit', level: 'error', file: join(ROOT, 'deep/main.tf'), line: 2, column: expect.any(Number), message: tooDeep },
      { kind: 'limit', level: 'error', file: join(ROOT, 'chain/main.tf'), line: expect.any(Number), column: expect.any(Number), message: tooDeep },
    ]);
  });
});
