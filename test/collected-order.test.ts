/** Collected notes have one order whatever order the collectors (threads) produced them in. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CoverageNote } from '../src/model/types.js';
import { sortCollected } from '../src/scan.js';

const notes: CoverageNote[] = [
  { kind: 'parse-error', level: 'error', file: '/r/a.yaml', line: 3, column: 9, message: 'unexpected end' },
  { kind: 'parse-error', level: 'error', file: '/r/a.yaml', line: 3, column: 2, message: 'bad indentation' },
  { kind: 'unresolved', level: 'note', file: '/r/a.yaml', line: 3, column: 2, message: 'value not known' },
  { kind: 'parse-error', level: 'error', file: '/r/a.yaml', line: 3, column: 2, message: 'a duplicate key' },
  { kind: 'limit', level: 'warning', file: '/r/a.yaml', line: 1, message: 'too large' },
  { kind: 'skipped', level: 'note', message: 'no file' },
];

function sorted(list: CoverageNote[]): CoverageNote[] {
  const c = { resources: [], clusters: [], notes: [...list] };
  sortCollected(c);
  return c.notes;
}

describe('sortCollected', () => {
  it('breaks file and line ties on column, kind and message', () => {
    expect(sorted(notes).map((n) => n.message)).toEqual(['no file', 'too large', 'a duplicate key', 'bad indentation', 'value not known', 'unexpected end']);
  });

  it('gives the same order for any merge order', () => {
    const expected = sorted(notes);
    fc.assert(fc.property(fc.shuffledSubarray(notes, { minLength: notes.length }), (shuffled) => {
      expect(sorted(shuffled)).toEqual(expected);
    }));
  });
});
