/** What a mapper of one Terraform resource type is given, and what it builds the canonical body and its positions with. */
import type { JsonValue, PositionMap } from '../../model/types.js';
import type { ObjectValue } from './values.js';
import { forEachInSubtree } from '../../util/position-subtree.js';

export interface MappedResource {
  type: string;
  name: string;
  namespace?: string;
  body: JsonValue;
  positions: PositionMap;
}

export interface MappingContext {
  /** Inventory id of the resource being mapped. */
  id: string;
  address: string;
  values: ObjectValue;
  /** Positions keyed by pointers into `values`. */
  positions: PositionMap;
}

export type Mapper = (ctx: MappingContext, out: Builder) => { type: string; name: string; namespace?: string; body: ObjectValue };

/** Builds body positions by copying source positions from `values` pointers. */
export class Builder {
  readonly positions: PositionMap = Object.create(null) as PositionMap;
  constructor(private readonly source: PositionMap) {}

  /** Copies the position of `from` (and everything below it) to `to`. */
  move(from: string, to: string): void {
    forEachInSubtree(this.source, from, (p, pos) => {
      const target = to + p.slice(from.length);
      if (this.positions[target] === undefined) this.positions[target] = pos;
    });
  }

  set(pointer: string, from: string): void {
    const pos = this.source[from];
    if (pos && this.positions[pointer] === undefined) this.positions[pointer] = pos;
  }
}
