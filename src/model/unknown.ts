import type { JsonValue, Unknown } from './types.js';

/** True for a value a collector could not resolve (see {@link Unknown}). */
export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $unknown?: unknown }).$unknown === 'string';
}

export function unknown(expression: string, extra: Omit<Unknown, '$unknown'> = {}): Unknown {
  const u: Unknown = { $unknown: expression };
  if (extra.prefix) u.prefix = extra.prefix;
  if (extra.suffix) u.suffix = extra.suffix;
  if (extra.ref) u.ref = extra.ref;
  return u;
}

/** True when the value, or anything inside it, is unknown. */
export function containsUnknown(value: JsonValue | Unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsUnknown(v as JsonValue));
  return false;
}
