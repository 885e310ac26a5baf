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

/** One part of a value's text: literal text, or an unresolved expression (`${...}` as written). */
export type TextSegment = { text: string } | { expression: string };

/** End (exclusive) of the `${...}` or `"..."` starting at `start`, respecting nested braces, strings and templates. */
function scanEnd(text: string, start: number): number {
  if (text[start] === '"') {
    let i = start + 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '"') return i + 1;
      else if (c === '$' && text[i + 1] === '{') i = scanEnd(text, i);
      else i++;
    }
    return text.length;
  }
  let depth = 0;
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = scanEnd(text, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  return text.length;
}

/**
 * The text of a template split into literal parts and unresolved `${...}` expressions, each expression
 * taken whole (a `]` or `/` inside `${kubernetes_namespace.x.metadata[0].name}` is not the value's).
 * An unterminated expression runs to the end.
 */
export function templateSegments(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '{') {
      const end = scanEnd(text, i);
      if (literal) out.push({ text: literal });
      literal = '';
      out.push({ expression: text.slice(i, end) });
      i = end;
    } else {
      literal += text[i]!;
      i++;
    }
  }
  if (literal) out.push({ text: literal });
  return out;
}

/**
 * The text of an unknown value as written: an interpolated string's template
 * (`serviceAccount:${var.p}.svc.id.goog[a/b]`), a bare reference as `${ref}`, or, when only the
 * ends are known, `prefix${?}suffix`.
 */
export function unknownSource(u: Unknown): string {
  if (u.$unknown.includes('${')) return u.$unknown;
  if (u.prefix || u.suffix) return `${u.prefix ?? ''}\${?}${u.suffix ?? ''}`;
  return '${' + u.$unknown + '}';
}

/**
 * A possibly-unknown value as a message shows it: a string as is, an unresolved value as the
 * expression it came from (`azurerm_user_assigned_identity.x.client_id`), never the internal shape.
 */
export function valueText(value: JsonValue | Unknown | undefined): string {
  if (value === undefined || value === null) return '(unset)';
  if (typeof value === 'string') return value;
  if (isUnknown(value)) return value.$unknown;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (isUnknown(v) ? valueText(v) : v));
}
