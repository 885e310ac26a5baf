/**
 * Positions of a live object computed on first use. A cluster's objects are many and few of them
 * are ever pointed at by a finding, so rendering every object only to record where its fields
 * would land costs most of a large collection's time and memory. The map behaves as a plain
 * PositionMap (reads, keys, entries, JSON) and is filled once, on the first access of any kind.
 */
import type { PositionMap } from '../model/types.js';

export function lazyPositions(compute: () => PositionMap): PositionMap {
  const target = Object.create(null) as PositionMap;
  let pending: (() => PositionMap) | undefined = compute;
  const filled = (): PositionMap => {
    if (pending) {
      const fill = pending;
      pending = undefined;
      Object.assign(target, fill());
    }
    return target;
  };
  return new Proxy(target, {
    get: (_t, key) => Reflect.get(filled(), key),
    has: (_t, key) => Reflect.has(filled(), key),
    ownKeys: () => Reflect.ownKeys(filled()),
    getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(filled(), key),
    set: (_t, key, value) => Reflect.set(filled(), key, value),
    deleteProperty: (_t, key) => Reflect.deleteProperty(filled(), key),
    defineProperty: (_t, key, descriptor) => Reflect.defineProperty(filled(), key, descriptor),
  });
}
