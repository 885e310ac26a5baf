/**
 * Values that keep, for every field, the position in the file that set it, while patches and
 * transformers rewrite them. Positions hang off each container (an object's by key, an array's
 * by index, shifted with the array), so an edit moves a field's position with the field, and a
 * value copied from a patch brings the patch's positions along.
 */
import type { JsonObject, JsonValue, Position, PositionMap } from '../../model/types.js';
import { createObject } from '../../util/structured.js';
import { escapeToken } from '../../util/pointer.js';
import { isObject } from '../../util/json-object.js';

type Slots = Map<string, Position> | (Position | undefined)[];

/**
 * Kept on each container under a symbol that is not enumerable (invisible to JSON, `Object.keys`
 * and comparisons): a WeakMap holding millions of containers made a rendering ten times slower.
 */
const SLOTS = Symbol('positions');

const slots = {
  get(o: object): Slots | undefined {
    return (o as { [SLOTS]?: Slots })[SLOTS];
  },
  set(o: object, s: Slots): void {
    Object.defineProperty(o, SLOTS, { value: s, writable: true, configurable: true, enumerable: false });
  },
};

function objectSlots(o: JsonObject): Map<string, Position> {
  let s = slots.get(o) as Map<string, Position> | undefined;
  if (!s) slots.set(o, (s = new Map()));
  return s;
}

function arraySlots(a: JsonValue[]): (Position | undefined)[] {
  let s = slots.get(a) as (Position | undefined)[] | undefined;
  if (!s) slots.set(a, (s = []));
  return s;
}

/** Attaches a parsed document's positions (keyed by pointer) to its values, each marked with `file`. */
export function attach(value: JsonValue, positions: PositionMap, file: string, pointer = ''): void {
  if (Array.isArray(value)) {
    const s = arraySlots(value);
    value.forEach((item, i) => {
      const p = `${pointer}/${i}`;
      const pos = positions[p];
      s[i] = pos ? { ...pos, file } : undefined;
      attach(item, positions, file, p);
    });
  } else if (isObject(value)) {
    const s = objectSlots(value);
    for (const [k, item] of Object.entries(value)) {
      const p = `${pointer}/${escapeToken(k)}`;
      const pos = positions[p];
      if (pos) s.set(k, { ...pos, file });
      attach(item, positions, file, p);
    }
  }
}

/** The position of a child of a container. */
export function positionAt(container: JsonObject | JsonValue[], key: string | number): Position | undefined {
  const s = slots.get(container);
  if (!s) return undefined;
  return Array.isArray(s) ? s[Number(key)] : s.get(String(key));
}

/** Sets a child and the position that set it (kept as it was when `at` is undefined and the child existed). */
export function setChild(container: JsonObject | JsonValue[], key: string | number, value: JsonValue, at: Position | undefined): void {
  if (Array.isArray(container)) {
    const i = Number(key);
    container[i] = value;
    if (at) arraySlots(container)[i] = at;
  } else {
    container[String(key)] = value;
    if (at) objectSlots(container).set(String(key), at);
  }
}

export function deleteChild(container: JsonObject | JsonValue[], key: string | number): void {
  if (Array.isArray(container)) {
    const i = Number(key);
    container.splice(i, 1);
    arraySlots(container).splice(i, 1);
  } else {
    delete container[String(key)];
    objectSlots(container).delete(String(key));
  }
}

export function insertChild(array: JsonValue[], index: number, value: JsonValue, at: Position | undefined): void {
  array.splice(index, 0, value);
  const s = arraySlots(array);
  while (s.length < index) s.push(undefined);
  s.splice(index, 0, at);
}

/** Thrown when one rendering copies more values than `--max-document-values` allows (a patch that copies a subtree into itself, over and over). */
export class ValueBudgetExceeded extends Error {}

let budget = Infinity;

/** Runs `render` allowing it to copy at most `max` values. */
export function withValueBudget<T>(max: number, render: () => T): T {
  const before = budget;
  budget = max;
  try {
    return render();
  } finally {
    budget = before;
  }
}

/** Rewrites an array's items, each with the position that set it. */
export function replaceItems(array: JsonValue[], items: { value: JsonValue; at: Position | undefined }[]): void {
  array.length = 0;
  const s = arraySlots(array);
  s.length = 0;
  for (const { value, at } of items) (array.push(value), s.push(at));
}

/** A deep copy that keeps every position (counted against the rendering's value budget). */
export function cloneLocated<T extends JsonValue>(value: T): T {
  if (--budget < 0) throw new ValueBudgetExceeded();
  if (Array.isArray(value)) {
    const out = value.map((v) => cloneLocated(v));
    const s = slots.get(value);
    if (s) slots.set(out, [...(s as (Position | undefined)[])]);
    return out as T;
  }
  if (isObject(value)) {
    const out = createObject();
    for (const [k, v] of Object.entries(value)) out[k] = cloneLocated(v);
    const s = slots.get(value);
    if (s) slots.set(out, new Map(s as Map<string, Position>));
    return out as T;
  }
  return value;
}

/** Marks every field of a value the transformer built itself (a label it added) with one position. */
export function stamp(value: JsonValue, at: Position | undefined): void {
  if (!at) return;
  if (Array.isArray(value)) value.forEach((v, i) => (arraySlots(value)[i] = at, stamp(v, at)));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) (objectSlots(value).set(k, at), stamp(v, at));
}

/** The pointer → position map of a value, rooted at `at`. */
export function positionMap(value: JsonValue, at: Position | undefined): PositionMap {
  const out = Object.create(null) as PositionMap;
  if (at) out[''] = at;
  const walk = (v: JsonValue, pointer: string): void => {
    if (Array.isArray(v)) {
      const s = slots.get(v) as (Position | undefined)[] | undefined;
      v.forEach((item, i) => {
        const p = `${pointer}/${i}`;
        const pos = s?.[i];
        if (pos) out[p] = pos;
        walk(item, p);
      });
    } else if (isObject(v)) {
      const s = slots.get(v) as Map<string, Position> | undefined;
      for (const [k, item] of Object.entries(v)) {
        const p = `${pointer}/${escapeToken(k)}`;
        const pos = s?.get(k);
        if (pos) out[p] = pos;
        walk(item, p);
      }
    }
  };
  walk(value, '');
  return out;
}

/** The object at `keys` under `obj`, created (with position `at`) where missing; undefined when a non-object is in the way. */
export function ensurePath(obj: JsonObject, keys: readonly string[], at: Position | undefined): JsonObject | undefined {
  let cur = obj;
  for (const k of keys) {
    const next = cur[k];
    if (next === undefined || next === null) {
      const made = createObject();
      setChild(cur, k, made, at);
      cur = made;
    } else if (isObject(next)) cur = next;
    else return undefined;
  }
  return cur;
}
