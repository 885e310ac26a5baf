/** An independent, obviously-correct (exponential-free DP) IAM glob matcher for property tests. */
export function referenceMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // can[i][j]: p[i..] matches v[j..]
  const can: boolean[][] = Array.from({ length: p.length + 1 }, () => new Array<boolean>(v.length + 1).fill(false));
  can[p.length]![v.length] = true;
  for (let i = p.length - 1; i >= 0; i--) {
    for (let j = v.length; j >= 0; j--) {
      const c = p[i];
      if (c === '*') can[i]![j] = can[i + 1]![j]! || (j < v.length && can[i]![j + 1]!);
      else can[i]![j] = j < v.length && (c === '?' || c === v[j]) && can[i + 1]![j + 1]!;
    }
  }
  return can[0]![0]!;
}
