import { describe, expect, test } from 'vitest';
import { POSITIONS_FROM_BODY, lazyPositions, positionsUnread } from '../../src/model/lazy-positions.js';
import type { Resource } from '../../src/model/types.js';
import { renderYamlWithPositions } from '../../src/util/yaml-render.js';

const body = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ledger', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ledger' } } };

describe('lazy positions of live objects', () => {
  test('are not computed until read, then once, and equal the eager map', () => {
    let calls = 0;
    const eager = renderYamlWithPositions(body).positions;
    const lazy = lazyPositions(() => {
      calls++;
      return renderYamlWithPositions(body).positions;
    });
    expect(calls).toBe(0);
    expect(lazy['/metadata/annotations/eks.amazonaws.com~1role-arn']).toEqual(eager['/metadata/annotations/eks.amazonaws.com~1role-arn']);
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    expect(Object.entries(lazy)).toEqual(Object.entries(eager));
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(JSON.parse(JSON.stringify(eager)));
    expect('/metadata/name' in lazy).toBe(true);
    expect(lazy['/nope']).toBeUndefined();
    expect(calls).toBe(1);
  });

  test('any first access fills it: keys before any read', () => {
    const lazy = lazyPositions(() => ({ '': { line: 1, column: 1, endLine: 3, endColumn: 5 } }));
    expect(Object.keys(lazy)).toEqual(['']);
    lazy['/x'] = { line: 2, column: 1, endLine: 2, endColumn: 4 };
    expect(Object.keys(lazy).sort()).toEqual(['', '/x']);
  });

  test('as an accessor of the resource: nothing until read, then the rendered map, held', () => {
    const r = { id: 'x', body: structuredClone(body) } as unknown as Resource;
    Object.defineProperty(r, 'positions', POSITIONS_FROM_BODY);
    Object.defineProperty(r, 'format', { value: 'live', writable: true, enumerable: true, configurable: true });
    expect(positionsUnread(r)).toBe(true);
    const read = r.positions;
    expect({ ...read }).toEqual({ ...renderYamlWithPositions(body).positions });
    expect(positionsUnread(r)).toBe(false);
    expect(r.positions).toBe(read);
    expect(Object.keys(r)).toEqual(['id', 'body', 'positions', 'format']);
    expect(Object.getOwnPropertyDescriptor(r, 'positions')).toEqual({ value: read, writable: true, enumerable: true, configurable: true });
    // Written before it was read: the value written, and the body never rendered.
    const other = { body: null } as unknown as Resource;
    Object.defineProperty(other, 'positions', POSITIONS_FROM_BODY);
    other.positions = {};
    expect(other.positions).toEqual({});
    expect(positionsUnread(other)).toBe(false);
    // A lazy map answers for itself; a plain one is read.
    expect(positionsUnread({ positions: lazyPositions(() => ({})) } as unknown as Resource)).toBe(true);
    expect(positionsUnread({ positions: {} } as unknown as Resource)).toBe(false);
  });
});
