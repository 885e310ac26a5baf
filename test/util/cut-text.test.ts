import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutText, ELLIPSIS } from '../../src/util/cut-text.js';

describe('cutText', () => {
  it('keeps text within the bound and cuts longer text with an ellipsis', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abcdefg', 6)).toBe(`abcde${ELLIPSIS}`);
    expect(cutText('😀😀😀', 3)).toBe('😀😀😀');
    expect(cutText('😀😀😀😀', 3)).toBe(`😀😀${ELLIPSIS}`);
  });

  it('returns a prefix of at most max characters, cut only when the text is longer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 50 }), (text, max) => {
        const out = cutText(text, max);
        const chars = Array.from(text);
        if (chars.length <= max) expect(out).toBe(text);
        else {
          expect(Array.from(out)).toHaveLength(max);
          expect(out).toBe(`${chars.slice(0, max - 1).join('')}${ELLIPSIS}`);
        }
      }),
    );
  });
});
