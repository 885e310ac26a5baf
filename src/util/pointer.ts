/** RFC 6901 JSON pointers. */

export function escapeToken(token: string | number): string {
  const text = String(token);
  // Most tokens need no escape: no regular expression runs over them.
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function join(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const t of tokens) out = child(out, t);
  return out;
}

/** `join` with one token, without the array a rest parameter allocates on every call (evaluation joins millions). */
export function child(base: string, token: string | number): string {
  return base + '/' + escapeToken(token);
}

export function split(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeToken);
}

/** The pointer one level up; `''` for the root. */
export function parent(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/** Reads the value at a pointer, or undefined. */
export function get(value: unknown, pointer: string): unknown {
  return getTokens(value, split(pointer));
}

/** `get` with the pointer split beforehand, for one lookup repeated over many objects. */
export function getTokens(value: unknown, tokens: readonly string[]): unknown {
  let cur: unknown = value;
  for (const token of tokens) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else cur = Object.prototype.hasOwnProperty.call(cur, token) ? (cur as Record<string, unknown>)[token] : undefined;
  }
  return cur;
}
