import { relative, sep } from 'node:path';

/** The last answer: a file's documents ask for its id one after another (a manifest of many objects). */
let last: { root: string; path: string; id: string } | undefined;

/** A file's path relative to the scan root with POSIX separators, for stable resource ids. */
export function relativeId(root: string, path: string): string {
  if (path.startsWith('<')) return path;
  if (last?.root === root && last.path === path) return last.id;
  const rel = relative(root, path).split(sep).join('/');
  const id = rel === '' ? '.' : rel;
  last = { root, path, id };
  return id;
}
