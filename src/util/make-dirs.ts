import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a folder and the missing folders above it, one level at a time, for folders the
 * operator names (`--output`, `--cache-dir`, `--objects-dir`, the Action's report paths). Node's own
 * `mkdirSync(…, { recursive: true })` never returns for a path under `/proc` that the kernel
 * refuses; made level by level, such a path fails at once with the refusing level's error code.
 */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); ) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!, mode === undefined ? undefined : { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Made meanwhile by another process: what matters is that it is there. A link to nothing (or
      // a loop of links) fails here with stat's ENOENT (ELOOP), as Node's recursive mkdir reports it,
      // rather than "already exists".
      if (!statSync(missing[i]!).isDirectory()) throw e;
    }
  }
}
