import type { PositionMap, Position } from '../../model/types.js';
import { forEachInSubtree } from '../../util/position-subtree.js';

/** Collects positions for a translated body by copying them from the source resource's pointers. */
export class PositionCopier {
  readonly positions: PositionMap = Object.create(null) as PositionMap;
  constructor(private readonly source: PositionMap, private readonly file?: string) {}

  private put(pointer: string, pos: Position): void {
    if (this.positions[pointer] !== undefined) return;
    this.positions[pointer] = this.file !== undefined && pos.file === undefined ? { ...pos, file: this.file } : pos;
  }

  /** `from` and everything below it, re-keyed under `to`. */
  move(from: string, to: string): void {
    forEachInSubtree(this.source, from, (p, pos) => this.put(to + p.slice(from.length), pos));
  }

  set(pointer: string, from: string): void {
    const pos = this.source[from];
    if (pos) this.put(pointer, pos);
  }
}
