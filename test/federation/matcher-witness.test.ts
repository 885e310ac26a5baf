import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect, isEmpty, patternIncludes } from '../../src/federation/matcher.js';
import type { Matcher, Pattern } from '../../src/federation/types.js';

/**
 * Denying one string no generated pattern names literally keeps the matcher empty or not
 * (another character outside the generated alphabet takes its place), and being non-ASCII it
 * sends the question to the automaton: the reference answer.
 */
const viaAutomaton = (m: Matcher): Matcher => ({ ...m, deny: [...m.deny, { value: 'é', wildcard: false, ignoreCase: false }] });

const text = fc.stringMatching(/^[abA*?]{0,4}$/);
const pattern: fc.Arbitrary<Pattern> = fc.record({ value: text, ignoreCase: fc.boolean() }).map(({ value, ignoreCase }) => ({ value, ignoreCase, wildcard: /[*?]/.test(value) }));
const list = fc.array(pattern, { maxLength: 3 });
const matcher: fc.Arbitrary<Matcher> = fc
  .record({ allow: fc.option(list, { nil: null }), also: fc.array(fc.array(pattern, { minLength: 1, maxLength: 2 }), { maxLength: 2 }), deny: list })
  .map(({ allow, also, deny }) => ({ allow, deny, unknown: false, ...(also.length > 0 ? { allowAlso: also } : {}) }));

describe('emptiness decided by a witness before the automaton', () => {
  it('answers as the automaton does', () => {
    fc.assert(
      fc.property(matcher, (m) => {
        expect(isEmpty(m)).toBe(isEmpty(viaAutomaton(m)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps pattern inclusion and intersection answers', () => {
    expect(patternIncludes({ value: 'a*', wildcard: true, ignoreCase: false }, { value: 'ab', wildcard: false, ignoreCase: false })).toBe(true);
    expect(patternIncludes({ value: 'a?', wildcard: true, ignoreCase: false }, { value: 'a*', wildcard: true, ignoreCase: false })).toBe(false);
    const m = intersect({ allow: [{ value: 'a*', wildcard: true, ignoreCase: false }], deny: [], unknown: false }, { allow: [{ value: '*b', wildcard: true, ignoreCase: false }], deny: [], unknown: false });
    expect(m.allowAlso).toEqual([[{ value: '*b', wildcard: true, ignoreCase: false }]]);
  });

  it('finds an admitted audience without the automaton', () => {
    expect(isEmpty({ allow: [{ value: 'sts.amazonaws.com', wildcard: false, ignoreCase: false }], deny: [], unknown: false })).toBe(false);
    expect(isEmpty({ allow: [{ value: 'sts.amazonaws.com', wildcard: false, ignoreCase: false }], deny: [{ value: 'sts.*', wildcard: true, ignoreCase: false }], unknown: false })).toBe(true);
  });
});
