import { relative, sep } from 'node:path';

/** A file's path relative to the scan root with POSIX separators, for stable resource ids. */
export function relativeId(root: string, path: string): string {
  if (path.startsWith('<')) return path;
  const rel = relative(root, path).split(sep).join('/');
  return rel === '' ? '.' : rel;
}
