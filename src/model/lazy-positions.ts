/**
 * Positions of a live object computed on first use. A cluster's objects are many and few of them
 * are ever pointed at by a finding, so rendering every object only to record where its fields
 * would land costs most of a large collection's time and memory. The map behaves as a plain
 * PositionMap (reads, keys, entries, JSON) and is filled once, on the first access of any kind
 * (but a read its creator could answer: see `known`).
 */
import type { PositionMap } from '../model/types.js';

/** Lazy maps nothing has read yet: a saved inventory leaves them out rather than render them. */
const unread = new WeakSet<PositionMap>();

/** Whether these are a live object's positions that were never computed (so never needed). */
export function isUnread(positions: PositionMap): boolean {
  return unread.has(positions);
}

/**
 * `known` answers reads of its keys before the map is computed (it must hold the very objects the
 * computed map will), so a caller that reads only those never computes it.
 */
export function lazyPositions(compute: () => PositionMap, known?: PositionMap): PositionMap {
  const target = Object.create(null) as PositionMap;
  let pending: (() => PositionMap) | undefined = compute;
  // The computed map itself answers, not a copy on the target: copying every position of every
  // object a finding points at was a good part of locating findings.
  let source: PositionMap = target;
  const filled = (): PositionMap => {
    if (pending) {
      const fill = pending;
      pending = undefined;
      unread.delete(proxy);
      source = fill();
    }
    return source;
  };
  // What a proxy may only report about properties its target really holds (non-configurable
  // ones, or any after extensions are prevented) needs them on the target: move them there.
  const settled = (): PositionMap => {
    const from = filled();
    if (from !== target) {
      for (const key of Reflect.ownKeys(from)) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(from, key)!);
      source = target;
    }
    return target;
  };
  const proxy: PositionMap = new Proxy(target, {
    get: (_t, key) => (pending && known && typeof key === 'string' && Object.hasOwn(known, key) ? known[key] : Reflect.get(filled(), key)),
    has: (_t, key) => Reflect.has(filled(), key),
    ownKeys: () => Reflect.ownKeys(filled()),
    getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(filled(), key),
    set: (_t, key, value) => Reflect.set(filled(), key, value),
    deleteProperty: (_t, key) => Reflect.deleteProperty(filled(), key),
    defineProperty: (_t, key, descriptor) => Reflect.defineProperty(staysConfigurable(filled(), key, descriptor) ? filled() : settled(), key, descriptor),
    preventExtensions: () => Reflect.preventExtensions(settled()),
  });
  unread.add(proxy);
  return proxy;
}

/** Whether the property is configurable after the definition (a new one is not unless it says so). */
function staysConfigurable(map: PositionMap, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  if (descriptor.configurable !== undefined) return descriptor.configurable;
  return Reflect.getOwnPropertyDescriptor(map, key)?.configurable === true;
}
