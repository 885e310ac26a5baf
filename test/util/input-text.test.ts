import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unknown } from '../../src/model/unknown.js';
import { cutText, ELLIPSIS, QUOTED_CHARACTERS, QUOTED_VALUES, quote, quoteEach } from '../../src/util/input-text.js';

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

describe('quote / quoteEach', () => {
  it('quotes strings as JSON, cut to the bound, and other values as they are', () => {
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('x'.repeat(QUOTED_CHARACTERS))).toBe(`"${'x'.repeat(QUOTED_CHARACTERS)}"`);
    expect(quote('x'.repeat(QUOTED_CHARACTERS + 1))).toBe(`"${'x'.repeat(QUOTED_CHARACTERS - 1)}${ELLIPSIS}"`);
    expect(quote(true)).toBe('true');
  });

  it('quotes an unresolved value as the expression it came from, inside a list too', () => {
    expect(quote(unknown('azurerm_user_assigned_identity.x.client_id'))).toBe('azurerm_user_assigned_identity.x.client_id');
    expect(quote(['a', unknown('var.ns')])).toBe('["a","var.ns"]');
  });

  it('lists the first values and counts the others', () => {
    expect(quoteEach(['a', 'b'])).toBe('"a", "b"');
    const many = Array.from({ length: QUOTED_VALUES + 3 }, (_, i) => `v${i}`);
    expect(quoteEach(many)).toBe(`${many.slice(0, QUOTED_VALUES).map((v) => `"${v}"`).join(', ')} and 3 more`);
  });
});
