/** Paths as podtrust shows and matches them: relative to the scan root, with POSIX separators. */
import path from 'node:path';

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Absolute in either flavour: a Windows path read on Linux (a saved inventory) is still absolute. */
export function isAbsoluteAnywhere(p: string): boolean {
  return path.posix.isAbsolute(p) || path.win32.isAbsolute(p);
}

/**
 * `file` relative to `root` with POSIX separators (`..` segments when it lies outside). Paths that
 * are not absolute — live objects' virtual paths (`k8s/<context>/...`), `<stdin>` — are already
 * root-relative and are returned as they are: resolving them would make them relative to the cwd.
 */
export function rootRelative(root: string, file: string): string {
  if (!isAbsoluteAnywhere(file)) return file;
  const usesWin32 = path.win32.isAbsolute(file) && !path.posix.isAbsolute(file);
  return toPosix((usesWin32 ? path.win32 : path.posix).relative(root, file));
}
