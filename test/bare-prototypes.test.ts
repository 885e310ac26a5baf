/** Objects built without a prototype get it back after structured clone, as between threads; the others keep theirs. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bareObjectsOf, restoreBareObjects } from '../src/collect/bare-prototypes.js';
import { prototypesByPath as prototypes } from './helpers/prototypes.js';

/** Through structured clone, as a worker's reply is. */
function sent<T>(value: T): T {
  const [arrived, bare] = structuredClone([value, bareObjectsOf(value)]);
  restoreBareObjects(arrived, bare);
  return arrived;
}

const KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'a', '0', '12', 'metadata'];

/** A JSON-like value whose objects each have no prototype or Object's, with keys that Object.prototype also has. */
const tree = fc.letrec((t) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, t('leaf'), t('array'), t('object')),
  leaf: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
  array: fc.array(t('value'), { maxLength: 4 }),
  object: fc.tuple(fc.boolean(), fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), t('value')), { maxLength: 4, selector: ([k]) => k })).map(([bare, entries]) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (bare) Object.setPrototypeOf(o, null);
    return o;
  }),
}));

describe('prototypes across structured clone', () => {
  it('every object comes back with the prototype it had, keys named like Object.prototype members included', () => {
    fc.assert(
      fc.property(tree.value, (value) => {
        const arrived = sent(value);
        expect(prototypes(arrived)).toEqual(prototypes(value));
        expect(JSON.stringify(arrived)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('an input key of an Object.prototype member name reads as data, or as absent, after the clone', () => {
    const annotations = Object.assign(Object.create(null) as Record<string, string>, { toString: 'x' });
    const body = Object.assign(Object.create(null) as Record<string, unknown>, { metadata: Object.assign(Object.create(null) as Record<string, unknown>, { annotations }) });
    const cloned = structuredClone(body) as typeof body;
    expect('constructor' in (cloned.metadata as object)).toBe(true);
    const arrived = sent(body);
    const meta = arrived.metadata as Record<string, Record<string, unknown>>;
    expect(meta.annotations!.constructor).toBeUndefined();
    expect('hasOwnProperty' in meta.annotations!).toBe(false);
    expect(meta.annotations!.toString).toBe('x');
  });

  it('an object shared by two places, and one in a cycle, is restored once and keeps its identity', () => {
    const shared = Object.assign(Object.create(null) as Record<string, unknown>, { valueOf: 'v' });
    const plain: Record<string, unknown> = { shared };
    const root = Object.assign(Object.create(null) as Record<string, unknown>, { a: shared, b: [shared, plain] });
    plain.root = root;
    const arrived = sent(root);
    expect(arrived.a).toBe((arrived.b as unknown[])[0]);
    expect(Object.getPrototypeOf(arrived.a)).toBeNull();
    expect(Object.getPrototypeOf(arrived)).toBeNull();
    expect(Object.getPrototypeOf((arrived.b as unknown[])[1])).toBe(Object.prototype);
  });

  it("walks a value nested far beyond the parsers' depth limit (256)", () => {
    let deep: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const top = deep;
    for (let i = 0; i < 1_000; i++) {
      const next = Object.create(null) as Record<string, unknown>;
      deep.child = [next];
      deep = next;
    }
    let cur = sent(top);
    let depth = 0;
    while (cur) {
      expect(Object.getPrototypeOf(cur)).toBeNull();
      cur = (cur.child as Record<string, unknown>[] | undefined)?.[0] as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(1_001);
  });
});
