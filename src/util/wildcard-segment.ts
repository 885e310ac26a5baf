/** `*` and `?` matching of one path segment, greedy with single backtrack point: linear time. */
export function wildcardSegment(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === value[v])) {
      p++;
      v++;
    } else if (c === '*') {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
