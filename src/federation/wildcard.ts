/**
 * IAM wildcard matching: `*` matches any run of characters (also empty), `?` exactly one.
 * No RegExp is ever built from policy input.
 */

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True when the pattern is made of stars only (it matches every string). */
export function isAllStars(pattern: string): boolean {
  if (pattern.length === 0) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*') return false;
  return true;
}

/**
 * Whether `value` matches `pattern`.
 *
 * The pattern is split at its stars into segments; the first is anchored at the start, the last
 * at the end, and each middle segment is placed at its leftmost occurrence (leftmost placement
 * never loses a match). Segments without `?` are found with KMP, so matching is linear in
 * `pattern.length + value.length` for them; a segment with `?` falls back to a direct scan.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Most policy patterns are exact names or `service:Prefix*`: answer those without splitting.
  const star = p.indexOf('*');
  if (star < 0 && !p.includes('?')) return p === v;
  if (star === p.length - 1 && !p.includes('?')) return v.startsWith(p.slice(0, star));
  const segments = p.split('*');
  if (segments.length === 1) return segmentAt(p, v, 0) && p.length === v.length;

  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.length + last.length > v.length) return false;
  if (!segmentAt(first, v, 0)) return false;
  if (!segmentAt(last, v, v.length - last.length)) return false;

  let from = first.length;
  const end = v.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if (seg.length === 0) continue;
    const at = findSegment(seg, v, from, end);
    if (at < 0) return false;
    from = at + seg.length;
  }
  return true;
}

/** Whether the star-free segment (may hold `?`) matches `value` at `offset`. */
function segmentAt(segment: string, value: string, offset: number): boolean {
  if (offset < 0 || offset + segment.length > value.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c !== '?' && c !== value[offset + i]) return false;
  }
  return true;
}

/** Leftmost index in `[from, end - segment.length]` where the segment matches, or -1. */
function findSegment(segment: string, value: string, from: number, end: number): number {
  if (segment.includes('?')) {
    for (let at = from; at + segment.length <= end; at++) if (segmentAt(segment, value, at)) return at;
    return -1;
  }
  return kmpIndexOf(segment, value, from, end);
}

function kmpIndexOf(needle: string, haystack: string, from: number, end: number): number {
  const fail = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1]!;
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && haystack[i] !== needle[k]) k = fail[k - 1]!;
    if (haystack[i] === needle[k]) k++;
    if (k === needle.length) return i - needle.length + 1;
  }
  return -1;
}
