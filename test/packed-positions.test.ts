/** A worker's positions reach the main thread packed and come back exactly as they were, unpacked only when read. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Position, PositionMap, Resource } from '../src/model/types.js';
import { PositionPacker, packInPlace, packPositions, unpackPositions } from '../src/collect/packed-positions.js';
import { isUnread } from '../src/model/lazy-positions.js';

function resource(id: string, positions: PositionMap): Resource {
  return { id, type: 'k8s.ServiceAccount', name: id, file: 'a.yaml', format: 'kubernetes', body: {}, positions };
}

/** Through structured clone, as between threads. */
function sent(resources: Resource[]): Resource[] {
  const packed = packPositions(resources);
  const [arrived, positions] = structuredClone([resources, packed]);
  unpackPositions(arrived, positions);
  return arrived;
}

const position: fc.Arbitrary<Position> = fc
  .record({ line: fc.nat(10_000), column: fc.nat(500), endLine: fc.nat(10_000), endColumn: fc.nat(500), file: fc.option(fc.constantFrom('modules/x/main.tf', 'other.tf'), { nil: undefined }) })
  .map(({ file, ...p }) => (file === undefined ? p : { ...p, file }));
const pointer = fc.constantFrom('', '/metadata', '/metadata/name', '/spec/0', '/spec/0/x~1y', '/Statement/0/Condition');
const map = fc.dictionary(pointer, position).map((d) => Object.assign(Object.create(null) as PositionMap, d));

describe('packed positions', () => {
  it('come back with the same pointers in the same order and the same positions', () => {
    fc.assert(
      fc.property(fc.array(map, { maxLength: 6 }), (maps) => {
        const before = maps.map((m, i) => resource(`r${i}`, m));
        const expected = before.map((r) => JSON.stringify(r.positions));
        const after = sent(before);
        expect(after.map((r) => JSON.stringify(r.positions))).toEqual(expected);
        after.forEach((r, i) => expect(Object.keys(r.positions)).toEqual(Object.keys(maps[i]!)));
      }),
    );
  });

  it('packed file by file (as a worker collects a job) come back as if packed at once', () => {
    fc.assert(
      fc.property(fc.array(fc.array(map, { maxLength: 4 }), { maxLength: 5 }), (files) => {
        let id = 0;
        const parts = files.map((maps) => maps.map((m) => resource(`r${id++}`, m)));
        const expected = parts.flat().map((r) => JSON.stringify(r.positions));
        const packer = new PositionPacker();
        for (const part of parts) packer.add(part);
        const [arrived, positions] = structuredClone([parts.flat(), packer.finish()]);
        expect(positions.starts).toHaveLength(arrived.length + 1);
        unpackPositions(arrived, positions);
        expect(arrived.map((r) => JSON.stringify(r.positions))).toEqual(expected);
      }),
    );
  });

  it('packed in place (a job collected on the main thread) read back as they were, and can still be written', () => {
    fc.assert(
      fc.property(fc.array(map, { maxLength: 6 }), (maps) => {
        const resources = maps.map((m, i) => resource(`r${i}`, m));
        const expected = resources.map((r) => JSON.stringify(r.positions));
        packInPlace(resources);
        expect(resources.map((r) => JSON.stringify(r.positions))).toEqual(expected);
      }),
    );
    const r = resource('a', { '': { line: 3, column: 1, endLine: 9, endColumn: 2 }, '/x': { line: 4, column: 3, endLine: 4, endColumn: 5 } });
    packInPlace([r]);
    // Sorting reads the root position only: nothing is unpacked for it.
    expect(r.positions['']).toEqual({ line: 3, column: 1, endLine: 9, endColumn: 2 });
    expect(isUnread(r.positions)).toBe(true);
    r.positions['/y'] = { line: 5, column: 1, endLine: 5, endColumn: 2 };
    expect(Object.keys(r.positions)).toEqual(['', '/x', '/y']);
  });

  it('leave the packed resources with empty maps, so nothing is sent twice', () => {
    const r = resource('a', { '/x': { line: 1, column: 1, endLine: 1, endColumn: 2 } });
    packPositions([r]);
    expect(r.positions).toEqual({});
  });

  it('answer the root position without unpacking the rest, and unpack on any other read', () => {
    const root: Position = { line: 3, column: 1, endLine: 9, endColumn: 2 };
    const [r] = sent([resource('a', { '': root, '/metadata/name': { line: 4, column: 9, endLine: 4, endColumn: 15, file: 'b.yaml' } })]);
    const rootRead = r!.positions[''];
    expect(rootRead).toEqual(root);
    expect(isUnread(r!.positions)).toBe(true);
    expect(r!.positions['/metadata/name']).toEqual({ line: 4, column: 9, endLine: 4, endColumn: 15, file: 'b.yaml' });
    expect(isUnread(r!.positions)).toBe(false);
    // The root read before unpacking is the unpacked map's own.
    expect(r!.positions['']).toBe(rootRead);
  });
});
