/**
 * Positions of a live object computed on first use. A cluster's objects are many and few of them
 * are ever pointed at by a finding, so rendering every object only to record where its fields
 * would land costs most of a large collection's time and memory. The map behaves as a plain
 * PositionMap (reads, keys, entries, JSON) and is filled once, on the first access of any kind
 * (but a read its creator could answer: see `known`).
 */
import type { PositionMap } from '../model/types.js';

/** Asked of a lazy map, answers whether nothing has read it yet (a plain map answers undefined). */
const UNREAD = Symbol('unread');

/** Whether these are a live object's positions that were never computed (so never needed): a saved inventory leaves them out rather than render them. */
export function isUnread(positions: PositionMap): boolean {
  return (positions as unknown as Record<symbol, unknown>)[UNREAD] === true;
}

/**
 * `known` answers reads of its keys before the map is computed (it must hold the very objects the
 * computed map will), so a caller that reads only those never computes it.
 */
export function lazyPositions(compute: () => PositionMap, known?: PositionMap): PositionMap {
  const handler = new LazyHandler(compute, known);
  return new Proxy(handler.target, handler);
}

/**
 * The traps of one lazy map. A class rather than closures: a live cluster holds a map per object,
 * and eight closures each cost several times what these fields do.
 */
class LazyHandler implements ProxyHandler<PositionMap> {
  /**
   * A plain empty object (56 bytes; one without a prototype is a dictionary of 184): the proxy
   * reports no prototype, and the target drops its own before it ever answers a read.
   */
  readonly target = {} as PositionMap;
  // The computed map itself answers, not a copy on the target: copying every position of every
  // object a finding points at was a good part of locating findings.
  private source: PositionMap | undefined;

  constructor(
    private pending: (() => PositionMap) | undefined,
    private readonly known: PositionMap | undefined,
  ) {}

  private filled(): PositionMap {
    if (this.pending) {
      const fill = this.pending;
      this.pending = undefined;
      this.source = fill();
    }
    return this.source ?? this.bareTarget();
  }

  /** The target as the answering map: without a prototype, as a position map is. */
  private bareTarget(): PositionMap {
    if (Object.getPrototypeOf(this.target) !== null) Object.setPrototypeOf(this.target, null);
    return this.target;
  }

  // What a proxy may only report about properties its target really holds (non-configurable
  // ones, or any after extensions are prevented) needs them on the target: move them there.
  private settled(): PositionMap {
    const from = this.filled();
    const target = this.bareTarget();
    if (from !== target) {
      for (const key of Reflect.ownKeys(from)) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(from, key)!);
      this.source = target;
    }
    return target;
  }

  getPrototypeOf(): object | null {
    return null;
  }

  get(_t: PositionMap, key: string | symbol): unknown {
    if (key === UNREAD) return this.pending !== undefined;
    return this.pending && this.known && typeof key === 'string' && Object.hasOwn(this.known, key) ? this.known[key] : Reflect.get(this.filled(), key);
  }
  has(_t: PositionMap, key: string | symbol): boolean {
    return Reflect.has(this.filled(), key);
  }
  ownKeys(): (string | symbol)[] {
    return Reflect.ownKeys(this.filled());
  }
  getOwnPropertyDescriptor(_t: PositionMap, key: string | symbol): PropertyDescriptor | undefined {
    return Reflect.getOwnPropertyDescriptor(this.filled(), key);
  }
  set(_t: PositionMap, key: string | symbol, value: unknown): boolean {
    return Reflect.set(this.filled(), key, value);
  }
  deleteProperty(_t: PositionMap, key: string | symbol): boolean {
    return Reflect.deleteProperty(this.filled(), key);
  }
  defineProperty(_t: PositionMap, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    return Reflect.defineProperty(staysConfigurable(this.filled(), key, descriptor) ? this.filled() : this.settled(), key, descriptor);
  }
  preventExtensions(): boolean {
    return Reflect.preventExtensions(this.settled());
  }
}

/** Whether the property is configurable after the definition (a new one is not unless it says so). */
function staysConfigurable(map: PositionMap, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  if (descriptor.configurable !== undefined) return descriptor.configurable;
  return Reflect.getOwnPropertyDescriptor(map, key)?.configurable === true;
}
