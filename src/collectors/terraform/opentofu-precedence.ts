/**
 * OpenTofu's precedence in a module folder: `x.tofu` replaces `x.tf`, `x.tofu.json` replaces
 * `x.tf.json` (OpenTofu's configs.filterTfPathsWithTofuAlternatives). The replaced file is not read:
 * it is left out as OpenTofu leaves it out, and named in a note.
 */
import { basename } from 'node:path';
import type { CoverageNote } from '../../model/types.js';
import { tofuReplacement } from './file-kinds.js';

/** The files of `paths` that a `.tofu` file among them replaces, each with its replacement. */
export function replacedByTofu(paths: readonly string[]): Map<string, string> {
  const present = new Set(paths);
  const out = new Map<string, string>();
  for (const p of paths) {
    const replacement = tofuReplacement(p, present);
    if (replacement !== undefined) out.set(p, replacement);
  }
  return out;
}

export function replacedNote(file: string, replacement: string): CoverageNote {
  return { kind: 'skipped', level: 'note', file, line: 1, message: `not read: OpenTofu loads ${basename(replacement)} in its place (a .tofu file replaces the .tf file of the same name)` };
}
