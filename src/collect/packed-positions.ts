/**
 * The positions of a worker's resources, sent to the main thread packed: a table of the pointers
 * and one integer array, moved rather than copied. They are most of a job's result (70% of its
 * size on the benchmark), and the main thread reads few of them: the root position of each
 * resource, to sort, and those of the resources a finding points at. So each resource's map is
 * unpacked on its first use beyond the root.
 */
import type { Position, PositionMap, Resource } from '../model/types.js';
import { lazyPositions } from '../model/lazy-positions.js';

export interface PackedPositions {
  /** Each distinct pointer once, in the order first seen. */
  pointers: string[];
  /** Files of positions that lie outside their resource's file. */
  files: string[];
  /** Per position: pointer index, line, column, end line, end column, file index + 1 (0: none). */
  numbers: Int32Array<ArrayBuffer>;
  /** Per resource: the index of its first position; one more entry ends the last resource. */
  starts: Int32Array<ArrayBuffer>;
}

const FIELDS = 6;

/**
 * Packs resources' positions as they are collected, file by file, and leaves each resource an
 * empty map, so they are not sent twice: a job's positions kept as objects until it ends outlived
 * the young generation. The packed result lists the resources in the order they were added.
 */
export class PositionPacker {
  private readonly pointerIndex = new Map<string, number>();
  private readonly pointers: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly chunks: Int32Array<ArrayBuffer>[] = [];
  private readonly starts: number[] = [];
  private count = 0;

  add(resources: readonly Resource[]): void {
    let count = 0;
    for (const r of resources) for (const _ in r.positions) count++;
    const numbers = new Int32Array(count * FIELDS);
    let n = 0;
    for (const r of resources) {
      this.starts.push(this.count + n / FIELDS);
      const map = r.positions;
      for (const pointer in map) {
        const pos = map[pointer]!;
        let p = this.pointerIndex.get(pointer);
        if (p === undefined) this.pointerIndex.set(pointer, (p = this.pointers.push(pointer) - 1));
        let f = 0;
        if (pos.file !== undefined) {
          f = this.fileIndex.get(pos.file) ?? 0;
          if (f === 0) this.fileIndex.set(pos.file, (f = this.files.push(pos.file)));
        }
        numbers[n++] = p;
        numbers[n++] = pos.line;
        numbers[n++] = pos.column;
        numbers[n++] = pos.endLine;
        numbers[n++] = pos.endColumn;
        numbers[n++] = f;
      }
      r.positions = {};
    }
    this.count += count;
    this.chunks.push(numbers);
  }

  /** Everything added so far, in one table. */
  finish(): PackedPositions {
    const numbers = this.chunks.length === 1 ? this.chunks[0]! : new Int32Array(this.count * FIELDS);
    if (this.chunks.length !== 1) {
      let at = 0;
      for (const chunk of this.chunks) {
        numbers.set(chunk, at);
        at += chunk.length;
      }
    }
    const starts = new Int32Array(this.starts.length + 1);
    starts.set(this.starts);
    starts[this.starts.length] = this.count;
    return { pointers: this.pointers, files: this.files, numbers, starts };
  }
}

/** Packs the resources' positions and leaves each resource an empty map, so they are not sent twice. */
export function packPositions(resources: Resource[]): PackedPositions {
  const packer = new PositionPacker();
  packer.add(resources);
  return packer.finish();
}

/** Gives each resource back its positions, unpacked on first use; reading only the root position unpacks nothing. */
export function unpackPositions(resources: Resource[], packed: PackedPositions): void {
  const root = packed.pointers.indexOf('');
  resources.forEach((r, i) => {
    const from = packed.starts[i]!;
    const to = packed.starts[i + 1]!;
    if (from === to) {
      r.positions = Object.create(null) as PositionMap;
      return;
    }
    let rootPosition: Position | undefined;
    for (let k = from; k < to; k++) if (packed.numbers[k * FIELDS] === root) rootPosition = positionAt(packed, k);
    const unpack = (): PositionMap => {
      const map = Object.create(null) as PositionMap;
      for (let k = from; k < to; k++) {
        const pointer = packed.pointers[packed.numbers[k * FIELDS]!]!;
        map[pointer] = pointer === '' && rootPosition ? rootPosition : positionAt(packed, k);
      }
      return map;
    };
    r.positions = lazyPositions(unpack, rootPosition && { '': rootPosition });
  });
}

function positionAt(packed: PackedPositions, k: number): Position {
  const at = k * FIELDS;
  const n = packed.numbers;
  const pos: Position = { line: n[at + 1]!, column: n[at + 2]!, endLine: n[at + 3]!, endColumn: n[at + 4]! };
  const f = n[at + 5]!;
  // Collectors add `file` last; the unpacked position has the same shape as the one packed.
  if (f !== 0) pos.file = packed.files[f - 1]!;
  return pos;
}

/**
 * A job collected in this thread keeps its positions as a worker's arrive: packed, each map
 * unpacked on first use. Kept as objects, they were most of what in-thread collection held.
 */
export function packInPlace(resources: Resource[]): void {
  unpackPositions(resources, packPositions(resources));
}
