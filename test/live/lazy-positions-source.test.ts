import { describe, expect, test } from 'vitest';
import { lazyPositions } from '../../src/model/lazy-positions.js';
import type { PositionMap } from '../../src/model/types.js';

const at = (line: number) => ({ line, column: 1, endLine: line, endColumn: 5 });
const computed = (): PositionMap => ({ '': at(1), '/metadata': at(2), '/metadata/name': at(3) });

describe('lazy positions answer from the computed map', () => {
  test('reads, keys, copies and JSON equal the computed map', () => {
    const lazy = lazyPositions(computed);
    expect({ ...lazy }).toEqual(computed());
    expect(Object.assign({}, lazy)).toEqual(computed());
    expect(Object.getOwnPropertyDescriptor(lazy, '/metadata')).toEqual({ value: at(2), writable: true, enumerable: true, configurable: true });
    const keys: string[] = [];
    for (const k in lazy) keys.push(k);
    expect(keys).toEqual(['', '/metadata', '/metadata/name']);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(computed()));
    expect(Object.getPrototypeOf(lazy)).toBeNull();
  });

  test('writes and deletions after the fill are seen by later reads', () => {
    const lazy = lazyPositions(computed);
    lazy['/spec'] = at(4);
    delete lazy['/metadata/name'];
    expect(Object.keys(lazy)).toEqual(['', '/metadata', '/spec']);
    expect('/metadata/name' in lazy).toBe(false);
  });

  test('can be frozen, and then refuses changes like a frozen object', () => {
    const lazy = lazyPositions(computed);
    Object.freeze(lazy);
    expect(Object.isFrozen(lazy)).toBe(true);
    expect(Object.keys(lazy)).toEqual(['', '/metadata', '/metadata/name']);
    expect(lazy['/metadata']).toEqual(at(2));
    expect(() => {
      lazy['/spec'] = at(4);
    }).toThrow(TypeError);
  });

  test('accepts a property defined as non-configurable, as a plain object does', () => {
    const lazy = lazyPositions(computed);
    Object.defineProperty(lazy, '/status', { value: at(9), enumerable: true });
    expect(Object.getOwnPropertyDescriptor(lazy, '/status')).toEqual({ value: at(9), writable: false, enumerable: true, configurable: false });
    expect(Object.keys(lazy)).toEqual(['', '/metadata', '/metadata/name', '/status']);
    expect(lazy['/metadata/name']).toEqual(at(3));
  });

  test('a computation that throws leaves an empty map, computed once', () => {
    let calls = 0;
    const lazy = lazyPositions(() => {
      calls++;
      throw new Error('render failed');
    });
    expect(() => lazy['']).toThrow('render failed');
    expect(Object.keys(lazy)).toEqual([]);
    expect(calls).toBe(1);
  });
});
