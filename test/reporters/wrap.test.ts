import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitColumns, wrapText } from '../../src/reporters/wrap.js';

describe('wrapText', () => {
  it('breaks at spaces, after dashes and slashes, and splits only overlong pieces', () => {
    expect(wrapText('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapText('aws-trust-sub-missing', 10)).toEqual(['aws-trust-', 'sub-', 'missing']);
    expect(wrapText('k8s/prod/team/web.yaml', 9)).toEqual(['k8s/prod/', 'team/', 'web.yaml']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 5)).toEqual(['']);
  });

  it('never exceeds the width and loses no non-space character', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (text, width) => {
        const lines = wrapText(text, width);
        for (const line of lines) expect(Array.from(line).length).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
});

/** Wrapping as a list of pieces joined greedily: the obviously-correct form of the one-pass wrapper (ASCII text). */
function referenceWrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  let spaceBefore = false;
  for (const token of text.match(/\s+|[^\s/-]*[/-]+|[^\s/-]+/g) ?? []) {
    if (/^\s+$/.test(token)) {
      spaceBefore = current !== '';
      continue;
    }
    const joined = `${current}${spaceBefore ? ' ' : ''}${token}`;
    spaceBefore = false;
    if (joined.length <= width) {
      current = joined;
      continue;
    }
    if (current !== '') lines.push(current);
    for (let i = 0; i < token.length; i += width) {
      if (i + width < token.length) lines.push(token.slice(i, i + width));
      else current = token.slice(i);
    }
  }
  lines.push(current);
  return lines;
}

describe('wrapText against the greedy reference', () => {
  it('gives the same lines for any text of blanks, dashes, slashes and letters', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '  ', '\t', '-', '/', 'xyz'), maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (text, width) => {
        expect(wrapText(text, width)).toEqual(referenceWrap(text, width));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fitColumns', () => {
  it('keeps narrow columns whole and never exceeds the room', () => {
    expect(fitColumns([8, 30, 50], 60)).toEqual([8, 26, 26]);
    expect(fitColumns([5, 5], 100)).toEqual([5, 5]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 300 }), (natural, room) => {
        const widths = fitColumns(natural, room);
        expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(room);
        widths.forEach((w, i) => expect(w).toBeLessThanOrEqual(natural[i]!));
      }),
    );
  });
});
