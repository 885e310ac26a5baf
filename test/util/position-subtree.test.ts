/** Subtree lookups in a position map give exactly what a scan of the whole map gives, in the same order. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Position, PositionMap } from '../../src/model/types.js';
import { forEachInSubtree } from '../../src/util/position-subtree.js';

const at = (line: number): Position => ({ line, column: 1, endLine: line, endColumn: 2 });

function mapOf(keys: string[]): PositionMap {
  const m = Object.create(null) as PositionMap;
  keys.forEach((k, i) => (m[k] = at(i + 1)));
  return m;
}

function byScan(positions: PositionMap, from: string): string[] {
  return Object.keys(positions).filter((k) => k === from || (from === '' ? k.startsWith('/') : k.startsWith(from + '/')));
}

function bySubtree(positions: PositionMap, from: string): string[] {
  const out: string[] = [];
  forEachInSubtree(positions, from, (k, pos) => {
    expect(pos).toBe(positions[k]);
    out.push(k);
  });
  return out;
}

/** Enough keys, under `/pad`, for a map to be indexed rather than scanned. */
const PADDING = Array.from({ length: 80 }, (_, i) => `/pad/${i}`);

describe('forEachInSubtree', () => {
  it.each([[[]], [PADDING]])('a document-ordered map: each subtree, and nothing of a sibling that shares a prefix (%#: small, large)', (padding: string[]) => {
    const m = mapOf(['', '/items', '/items/0', '/items/0/name', '/items/1', '/items/1/name', '/items/10', '/items/10/x', '/kind', ...padding]);
    expect(bySubtree(m, '/items/1')).toEqual(['/items/1', '/items/1/name']);
    expect(bySubtree(m, '/items/10')).toEqual(['/items/10', '/items/10/x']);
    expect(bySubtree(m, '')).toEqual(Object.keys(m));
    expect(bySubtree(m, '/missing')).toEqual([]);
  });

  it('maps out of document order fall back to the scan', () => {
    const childFirst = mapOf(['/a/b', '/a', '/c']);
    expect(bySubtree(childFirst, '/a')).toEqual(['/a/b', '/a']);
    const split = mapOf(['/b', '/b/a/x', '/c', '/b/a/y']);
    expect(bySubtree(split, '/b')).toEqual(['/b', '/b/a/x', '/b/a/y']);
    const gap = mapOf(['/a/x', '/b', '/a/y']);
    expect(bySubtree(gap, '/a/x')).toEqual(['/a/x']);
  });

  it('agrees with a scan of the whole map on any map', () => {
    const segment = fc.constantFrom('a', 'b', 'items', '0', '1', '10', '');
    const pointer = fc.array(segment, { minLength: 0, maxLength: 4 }).map((s) => (s.length === 0 ? '' : '/' + s.join('/')));
    fc.assert(
      fc.property(fc.uniqueArray(pointer, { maxLength: 25 }), pointer, fc.boolean(), (keys, from, padded) => {
        const m = mapOf(padded ? [...PADDING, ...keys] : keys);
        expect(bySubtree(m, from)).toEqual(byScan(m, from));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with a scan on maps in document order', () => {
    // Pre-order listings of random trees: the indexed path is the one taken.
    const treeOf = (depth: number): fc.Arbitrary<string[]> =>
      depth === 0
        ? fc.constant([])
        : fc.array(fc.tuple(fc.constantFrom('a', 'b', '0', '1', '10'), treeOf(depth - 1)), { maxLength: 3 }).map((children) => {
            const seen = new Set<string>();
            const out: string[] = [];
            for (const [name, sub] of children) {
              if (seen.has(name)) continue;
              seen.add(name);
              out.push('/' + name, ...sub.map((p) => '/' + name + p));
            }
            return out;
          });
    const tree = treeOf(4);
    fc.assert(
      fc.property(tree, fc.boolean(), fc.boolean(), (keys, withRoot, padded) => {
        // Small maps are scanned; a padded one is large enough to be indexed.
        const all = padded ? [...keys, '/pad', ...PADDING] : keys;
        const m = mapOf(withRoot ? ['', ...all] : all);
        for (const from of ['', ...keys]) expect(bySubtree(m, from)).toEqual(byScan(m, from));
      }),
      { numRuns: 500 },
    );
  });
});
