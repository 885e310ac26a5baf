/** Values produced by evaluating Terraform expressions: JSON data that may hold Unknowns. */
import type { Unknown } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { bareObject } from '../../util/bare-object.js';
import { jsonNestingOverflow, MAX_DEPTH_CEILING, NestingTooDeep } from '../../util/nesting.js';

export type Value = string | number | boolean | null | Unknown | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

export { isUnknown };

export function newObject(): ObjectValue {
  return bareObject<Value>();
}

export function isObject(v: Value | undefined): v is ObjectValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

/**
 * A piece of an interpolated string whose value is only partly known. `fileStart` is where the piece is
 * written; `sourceLength`, set when the piece's text is not the file's text (an interpolation), how many
 * characters of the file it stands for.
 */
export type Piece = { text: string; fileStart?: number; sourceLength?: number } | { unknown: Unknown; fileStart?: number; sourceLength?: number };

/** Interpolated strings that stayed unknown keep their pieces, so JSON inside them can still be read. */
export const templatePieces = new WeakMap<Unknown, Piece[]>();

/** `jsonencode` of a value holding Unknowns keeps that value, so `jsondecode` and policy readers get it back. */
export const encodedValue = new WeakMap<Unknown, Value>();

export { unknown as mkUnknown } from '../../model/unknown.js';

/** An unknown that is certainly a string (an interpolation or an encoding), not a list that `flatten` would open. */
export function unknownString(u: Unknown): boolean {
  return encodedValue.has(u) || templatePieces.has(u);
}

export function containsUnknownValue(v: Value): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(containsUnknownValue);
  if (isUnknown(v)) return true;
  for (const key in v) if (containsUnknownValue(v[key]!)) return true;
  return false;
}

/** How an Unknown reads inside a string or object key: its known parts around a `${...}` marker. */
export function unknownText(u: Unknown): string {
  return u.$unknown.includes('${') ? u.$unknown : '${' + u.$unknown + '}';
}

/** Terraform's string conversion of a primitive; undefined for what has none. */
export function toStr(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** A number as Terraform writes it in a string: plain digits, never an exponent (`1e21` is `1000000000000000000000`). */
export function numberText(n: number): string {
  const text = String(n);
  if (!text.includes('e')) return text;
  const [mantissa = '', exp = '0'] = text.split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = (mantissa.replace('-', '').indexOf('.') + 1 || mantissa.replace('-', '').length + 1) - 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function toNum(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function toBool(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function equalValues(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i]!));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && equalValues(a[k]!, b[k]!));
  }
  return false;
}

/**
 * Terraform's JSON encoding: object keys sorted, like the providers render them. Written out
 * directly rather than through a sorted copy; keys that are array indices come first in numeric
 * order, as JSON.stringify of such a copy put them.
 */
export function toJson(v: Value): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + toJson(v[i]!);
    return out + ']';
  }
  if (!isObject(v)) return JSON.stringify(v);
  let out = '{';
  let first = true;
  for (const k of encodingOrder(Object.keys(v))) {
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + toJson(v[k]!);
    first = false;
  }
  return out + '}';
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Sorts keys as Array.prototype.sort() does (by UTF-16 code units). Objects have a handful of keys,
 * and sort() allocates a work copy on every call: an insertion sort in place allocates nothing.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = k;
  }
}

function encodingOrder(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  sortKeys(keys);
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}

/** Converts parsed JSON into a Value with prototype-free objects. */
export function fromJson(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === 'object') {
    const out = newObject();
    for (const k of Object.keys(v)) out[k] = fromJson((v as Record<string, unknown>)[k]);
    return out;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

/**
 * JSON.parse without prototype pollution: `__proto__` keys stay data; undefined when the text is
 * not JSON. Text nested past the most `--max-depth` can be is refused before anything recurses
 * into it; within that, the collection leaves out a resource whose value ends up deeper than the limit.
 */
export function parseJsonValue(text: string): Value | undefined {
  if (jsonNestingOverflow(text, MAX_DEPTH_CEILING) >= 0) throw new NestingTooDeep(MAX_DEPTH_CEILING);
  try {
    // JSON.parse makes `__proto__` an own data property; fromJson copies it as data into a prototype-free object.
    return fromJson(JSON.parse(text) as unknown);
  } catch (e) {
    // Not JSON: no value.
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}
