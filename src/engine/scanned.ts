/** What a scan read, as the reports' headers name it: the paths given and the commit they are at. */
import { resolve } from 'node:path';
import type { ScannedInputs } from './result.js';
import { gitHead } from '../util/git-head.js';
import { isAbsoluteAnywhere, rootRelative, toPosix } from '../util/paths.js';

/** A path given on the command line (relative to the working directory) as the reports show it: relative to the root. */
function fromRoot(root: string, given: string): string {
  if (given === '-') return given;
  const absolute = resolve(given);
  const rel = rootRelative(resolve(root), absolute);
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith('../') || isAbsoluteAnywhere(rel) ? toPosix(absolute) : rel;
}

export function scannedInputs(options: { paths: string[]; root: string; inventories?: readonly unknown[]; commit?: string }): ScannedInputs {
  const commit = options.commit ?? (options.paths.length > 0 ? gitHead(options.root) : undefined);
  return { paths: options.paths.map((p) => fromRoot(options.root, p)), inventories: options.inventories?.length ?? 0, ...(commit !== undefined ? { commit } : {}) };
}
