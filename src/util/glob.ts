/**
 * Path globs for `--exclude`, config `ignore` entries and cluster maps: `*` (within a segment),
 * `**` (any number of segments), `?`. Matching is linear in practice: segments are compared
 * with the wildcard matcher, never through a RegExp built from user input.
 */
import { wildcardMatch as wildcardSegment } from '../federation/wildcard.js';

export function globMatch(glob: string, path: string): boolean {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const gs = g.split('/').filter((s) => s !== '');
  const ps = p.split('/').filter((s) => s !== '');
  // A glob without a slash matches a name at any depth, as .gitignore does.
  if (gs.length === 1 && gs[0] !== '**') return ps.some((seg) => wildcardSegment(gs[0]!, seg));
  return matchSegments(gs, 0, ps, 0, new Map());
}

function matchSegments(gs: string[], gi: number, ps: string[], pi: number, memo: Map<number, boolean>): boolean {
  const key = gi * (ps.length + 1) + pi;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  let result: boolean;
  if (gi === gs.length) result = pi === ps.length;
  else if (gs[gi] === '**') result = matchSegments(gs, gi + 1, ps, pi, memo) || (pi < ps.length && matchSegments(gs, gi, ps, pi + 1, memo));
  else result = pi < ps.length && wildcardSegment(gs[gi]!, ps[pi]!) && matchSegments(gs, gi + 1, ps, pi + 1, memo);
  memo.set(key, result);
  return result;
}

/** True when a glob matches the path or one of its parent directories (excluding a folder excludes its content). */
export function globMatchesPathOrParent(glob: string, path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  for (let i = parts.length; i > 0; i--) if (globMatch(glob, parts.slice(0, i).join('/'))) return true;
  return false;
}
