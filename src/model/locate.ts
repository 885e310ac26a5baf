import type { Location, Position, PositionMap, Resource } from '../model/types.js';
import { parent } from '../util/pointer.js';

/** The closest known position of a pointer: the pointer itself, else its nearest ancestor. */
export function positionOf(resource: Resource, pointer: string): Position | undefined {
  return closestPosition(resource.positions, pointer);
}

/** {@link positionOf} in a bare position map (a parsed document's). */
export function closestPosition(positions: PositionMap, pointer: string): Position | undefined {
  let p = pointer;
  for (;;) {
    const pos = positions[p];
    if (pos) return pos;
    if (p === '') return undefined;
    p = parent(p);
  }
}

/** Where a finding on `pointer` of `resource` is shown: a file and a region, or a live object's path. */
export function locate(resource: Resource, pointer: string, message?: string): Location {
  const pos = positionOf(resource, pointer);
  const file = pos?.file ?? resource.file;
  const loc: Location = { file };
  if (pos) {
    const { file: _ignored, ...region } = pos;
    loc.position = region;
  }
  if (resource.logicalLocation) loc.logical = resource.logicalLocation;
  if (message !== undefined) loc.message = message;
  return loc;
}
