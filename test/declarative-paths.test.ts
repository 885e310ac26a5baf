import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCodeRule, type DeclarativeRule } from '../src/engine/declarative.js';
import { Model } from '../src/model/model.js';
import type { Report } from '../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../src/model/types.js';

const LEAVES: JsonValue[] = ['yes', 'no', 1, null, true];

/** A rule reporting every node the path selects on resources whose first `where` node equals `wanted`. */
function rule(path: string, where?: { path: string; wanted: JsonValue }): DeclarativeRule {
  return {
    id: 'path-probe',
    title: 'probe',
    severity: 'low',
    provider: 'kubernetes',
    description: 'probe',
    remediation: 'probe',
    references: [],
    given: { types: ['k8s.*'], ...(where ? { where: [{ path: where.path, check: { function: 'equals', value: where.wanted } }] } : {}), path },
    then: { function: 'undefined' },
    message: '{{property}}={{value}}',
  };
}

function reports(r: DeclarativeRule, bodies: JsonValue[]): { resource: string; at: string; message: string }[] {
  const resources: Resource[] = bodies.map((body, i) => ({ id: `r${i}`, type: 'k8s.Thing', name: `r${i}`, file: `r${i}.yaml`, format: 'kubernetes', body, positions: {} }));
  const model = new Model({ version: 1, clusters: [], notes: [], resources } as never);
  const out: { resource: string; at: string; message: string }[] = [];
  toCodeRule(r).check({ model, report: (x: Report) => out.push({ resource: x.resource.id, at: x.at, message: x.message }), undecided: () => {}, limited: () => {} });
  return out;
}

/** The same query with a blank before its first segment (valid JSONPath): always evaluated by the library. */
const viaLibrary = (path: string): string => path.replace(/^\$/, '$ ');

const KEYS = ['a', 'b', 'metadata', 'x/y', 'm~n', 'k.v', ''];
const key = fc.constantFrom(...KEYS);
const value: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.array(tie('v'), { maxLength: 2 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const body = fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 });
const quoted = key.map((k) => (k.includes("'") ? `"${k}"` : `'${k}'`));
const segment = fc.oneof(
  fc.constantFrom('.a', '.b', '.metadata', '._x1'),
  fc.array(quoted, { minLength: 1, maxLength: 3 }).map((names) => `[${names.join(', ')}]`),
  fc.array(quoted, { minLength: 1, maxLength: 2 }).map((names) => `[ ${names.join(' ,')} ]`),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '$' + s.join(''));

describe('declarative paths of name selectors', () => {
  it('select the nodes the JSONPath library selects, in its order, with the same pointers', () => {
    fc.assert(
      fc.property(path, fc.array(body, { minLength: 1, maxLength: 4 }), (p, bodies) => {
        expect(reports(rule(p), bodies)).toEqual(reports(rule(viaLibrary(p)), bodies));
      }),
      { numRuns: 500 },
    );
  });

  it('filter on the first node the library selects', () => {
    fc.assert(
      fc.property(path, fc.constantFrom(...LEAVES), fc.array(body, { minLength: 1, maxLength: 4 }), (w, wanted, bodies) => {
        expect(reports(rule('$', { path: w, wanted }), bodies)).toEqual(reports(rule('$', { path: viaLibrary(w), wanted }), bodies));
      }),
      { numRuns: 500 },
    );
  });

  it('escape keys in pointers and keep written selector order', () => {
    const body: JsonValue = { metadata: { annotations: { 'x/y': 'one', 'm~n': 'two' }, name: 'yes' } };
    expect(reports(rule("$.metadata.annotations['m~n','x/y']", { path: '$.metadata.name', wanted: 'yes' }), [body])).toEqual([
      { resource: 'r0', at: '/metadata/annotations/m~0n', message: 'm~n=two' },
      { resource: 'r0', at: '/metadata/annotations/x~1y', message: 'x/y=one' },
    ]);
  });

  it('skip arrays and values that are not objects, and inherited keys', () => {
    const bodies: JsonValue[] = [{ a: [{ b: 'v' }], w: 'yes' }, { a: 'text', w: 'yes' }, { a: {}, w: 'yes' }];
    expect(reports(rule('$.a.b', { path: '$.w', wanted: 'yes' }), bodies)).toEqual([]);
    expect(reports(rule('$.a.toString', { path: '$.w', wanted: 'yes' }), bodies)).toEqual([]);
  });
});
