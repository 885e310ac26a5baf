/**
 * Positions of a live object computed on first use. A cluster's objects are many and few of them
 * are ever pointed at by a finding, so rendering every object only to record where its fields
 * would land costs most of a large collection's time and memory. The map behaves as a plain
 * PositionMap (reads, keys, entries, JSON) and is filled once, on the first access of any kind
 * (but a read its creator could answer: see `known`).
 */
import type { JsonValue, PositionMap, Resource } from '../model/types.js';
import { renderYamlWithPositions } from '../util/yaml-render.js';

/** Asked of a lazy map, answers whether nothing has read it yet (a plain map answers undefined). */
const UNREAD = Symbol('unread');

/** Whether these are a live object's positions that were never computed (so never needed): a saved inventory leaves them out rather than render them. */
export function isUnread(positions: PositionMap): boolean {
  return (positions as unknown as Record<symbol, unknown>)[UNREAD] === true;
}

/** A live object's positions: those of its body rendered as YAML, the text its object file holds. */
export function bodyPositions(body: JsonValue): PositionMap {
  return renderYamlWithPositions(body).positions;
}

/**
 * A resource's `positions` as an accessor of its own that computes them from its body on first
 * read and then holds them as a plain value: no map at all, lazy or not, for the objects nothing
 * points at. The accessor is the same for every resource, so they keep sharing a hidden class.
 */
export const POSITIONS_FROM_BODY: PropertyDescriptor = {
  get(this: Resource): PositionMap {
    const positions = bodyPositions(this.body);
    Object.defineProperty(this, 'positions', { value: positions, writable: true, enumerable: true, configurable: true });
    return positions;
  },
  set(this: Resource, positions: PositionMap) {
    Object.defineProperty(this, 'positions', { value: positions, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** Whether a resource's positions were never computed, asked without computing them. */
export function positionsUnread(r: Resource): boolean {
  const own = Object.getOwnPropertyDescriptor(r, 'positions');
  if (own?.get !== undefined) return own.get === POSITIONS_FROM_BODY.get;
  return own !== undefined && isUnread(own.value as PositionMap);
}

/**
 * `known` answers reads of its keys before the map is computed (it must hold the very objects the
 * computed map will), so a caller that reads only those never computes it. `compute` is called
 * with `input`: a function shared by many maps (rather than a closure per map) costs each map
 * nothing.
 */
export function lazyPositions<T>(compute: (input: T) => PositionMap, known?: PositionMap, input?: T): PositionMap {
  const target = {} as LazyTarget;
  target[PENDING] = compute as (input: unknown) => PositionMap;
  target[INPUT] = input;
  target[KNOWN] = known;
  target[SOURCE] = undefined;
  return new Proxy(target as unknown as PositionMap, HANDLER);
}

// A map's state lives on its proxy's target, under keys no position map has, and one handler
// serves every map: a live cluster holds a map per object, and a handler and a closure each cost
// more than the four fields. The traps never report these keys (they answer from the computed
// map), and they are deleted before the target itself becomes the map.
const PENDING = Symbol('pending');
const INPUT = Symbol('input');
const KNOWN = Symbol('known');
// The computed map itself answers, not a copy on the target: copying every position of every
// object a finding points at was a good part of locating findings.
const SOURCE = Symbol('source');

interface LazyTarget {
  [PENDING]: ((input: unknown) => PositionMap) | undefined;
  [INPUT]: unknown;
  [KNOWN]: PositionMap | undefined;
  [SOURCE]: PositionMap | undefined;
}

function filled(t: LazyTarget): PositionMap {
  const fill = t[PENDING];
  if (fill) {
    const input = t[INPUT];
    t[PENDING] = undefined;
    t[INPUT] = undefined;
    t[KNOWN] = undefined;
    try {
      t[SOURCE] = fill(input);
    } catch (e) {
      bareTarget(t);
      throw e;
    }
  }
  return t[SOURCE] ?? bareTarget(t);
}

/**
 * The target as the answering map: without its state, and without a prototype, as a position map
 * is. A plain empty object (56 bytes with its four fields; one without a prototype is a dictionary
 * of 184): the proxy reports no prototype, and the target drops its own before it ever answers.
 */
function bareTarget(t: LazyTarget): PositionMap {
  if (Object.getPrototypeOf(t) !== null) {
    for (const key of [PENDING, INPUT, KNOWN, SOURCE]) delete t[key as typeof PENDING];
    Object.setPrototypeOf(t, null);
  }
  return t as unknown as PositionMap;
}

// What a proxy may only report about properties its target really holds (non-configurable
// ones, or any after extensions are prevented) needs them on the target: move them there.
function settled(t: LazyTarget): PositionMap {
  const from = filled(t);
  const target = bareTarget(t);
  if (from !== target) for (const key of Reflect.ownKeys(from)) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(from, key)!);
  return target;
}

/** The traps of every lazy map. */
const HANDLER: ProxyHandler<PositionMap> = {
  getPrototypeOf: () => null,
  get(m, key) {
    const t = m as unknown as LazyTarget;
    if (key === UNREAD) return t[PENDING] !== undefined;
    const known = t[KNOWN];
    return t[PENDING] && known && typeof key === 'string' && Object.hasOwn(known, key) ? known[key] : Reflect.get(filled(t), key);
  },
  has: (m, key) => Reflect.has(filled(m as unknown as LazyTarget), key),
  ownKeys: (m) => Reflect.ownKeys(filled(m as unknown as LazyTarget)),
  getOwnPropertyDescriptor: (m, key) => Reflect.getOwnPropertyDescriptor(filled(m as unknown as LazyTarget), key),
  set: (m, key, value) => Reflect.set(filled(m as unknown as LazyTarget), key, value),
  deleteProperty: (m, key) => Reflect.deleteProperty(filled(m as unknown as LazyTarget), key),
  defineProperty(m, key, descriptor) {
    const t = m as unknown as LazyTarget;
    return Reflect.defineProperty(staysConfigurable(filled(t), key, descriptor) ? filled(t) : settled(t), key, descriptor);
  },
  preventExtensions: (m) => Reflect.preventExtensions(settled(m as unknown as LazyTarget)),
};

/** Whether the property is configurable after the definition (a new one is not unless it says so). */
function staysConfigurable(map: PositionMap, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  if (descriptor.configurable !== undefined) return descriptor.configurable;
  return Reflect.getOwnPropertyDescriptor(map, key)?.configurable === true;
}
