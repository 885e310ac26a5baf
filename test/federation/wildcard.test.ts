import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasWildcard, isAllStars, wildcardMatch } from '../../src/federation/wildcard.js';
import { referenceMatch } from './reference-glob.js';

describe('wildcardMatch', () => {
  it.each([
    ['system:serviceaccount:prod:app', 'system:serviceaccount:prod:app', true],
    ['system:serviceaccount:prod:app', 'system:serviceaccount:prod:ap', false],
    ['system:serviceaccount:*', 'system:serviceaccount:prod:app', true],
    ['system:serviceaccount:*', 'system:serviceaccount:', true],
    ['system:serviceaccount:team-*:app', 'system:serviceaccount:team-a:app', true],
    ['system:serviceaccount:team-*:app', 'system:serviceaccount:team-a:b:app', true],
    ['system:serviceaccount:team-*:app', 'system:serviceaccount:other:app', false],
    ['system:serviceaccount:prod:ap?', 'system:serviceaccount:prod:api', true],
    ['system:serviceaccount:prod:ap?', 'system:serviceaccount:prod:ap', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['?', '', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*ab*ab*', 'xabyab', true],
    ['*ab*ab*', 'xaby', false],
    ['**', 'anything', true],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('ignores case only when asked', () => {
    expect(wildcardMatch('System:ServiceAccount:*', 'system:serviceaccount:a:b')).toBe(false);
    expect(wildcardMatch('System:ServiceAccount:*', 'system:serviceaccount:a:b', true)).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
    expect(wildcardMatch('a.b', 'a.b')).toBe(true);
    expect(wildcardMatch('(a+)+$', '(a+)+$')).toBe(true);
  });

  it('agrees with a reference matcher on random patterns and strings', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ':', '*', '?'), maxLength: 10 });
    const value = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ':'), maxLength: 12 });
    fc.assert(
      fc.property(pattern, value, fc.boolean(), (p, v, ignoreCase) => {
        expect(wildcardMatch(p, v, ignoreCase)).toBe(referenceMatch(p, v, ignoreCase));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference when the value is built to match', () => {
    // Random values rarely match long patterns; derive values from the pattern instead.
    const arb = fc
      .array(fc.oneof(fc.constantFrom('a', 'b', ':', '?', '*'), fc.constant('*')), { maxLength: 10 })
      .chain((tokens) =>
        fc.tuple(
          fc.constant(tokens.join('')),
          fc.tuple(...tokens.map((t) => (t === '*' ? fc.string({ unit: fc.constantFrom('a', 'b', ':'), maxLength: 3 }) : t === '?' ? fc.constantFrom('a', 'b', ':') : fc.constant(t)))).map((parts) => parts.join('')),
          fc.integer({ min: 0, max: 12 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([p, v, cut]) => {
        expect(wildcardMatch(p, v)).toBe(true);
        const mutated = v.slice(0, cut) + v.slice(cut + 1);
        expect(wildcardMatch(p, mutated)).toBe(referenceMatch(p, mutated));
      }),
      { numRuns: 2000 },
    );
  });

  it('completes on pathological patterns against long strings', () => {
    const star = '*a'.repeat(2500);
    const longA = 'a'.repeat(100_000);
    expect(star.length).toBe(5000);
    expect(wildcardMatch(star, longA)).toBe(true);
    expect(wildcardMatch(star + 'b', longA)).toBe(false);
    expect(wildcardMatch(star, 'b'.repeat(100_000))).toBe(false);
    expect(wildcardMatch('*' + 'a'.repeat(4999) + 'b', longA)).toBe(false);
    expect(wildcardMatch('*' + 'a'.repeat(4999) + 'b*', longA + 'b')).toBe(true);
    expect(wildcardMatch('*?b'.repeat(1666), 'ab'.repeat(50_000))).toBe(true);
    expect(wildcardMatch('*a?'.repeat(1666) + 'c', 'ab'.repeat(50_000))).toBe(false);
  });
});

describe('hasWildcard / isAllStars', () => {
  it.each([
    ['a*', true, false],
    ['a?', true, false],
    ['abc', false, false],
    ['***', true, true],
    ['', false, false],
  ])('%s', (p, wild, stars) => {
    expect(hasWildcard(p)).toBe(wild);
    expect(isAllStars(p)).toBe(stars);
  });
});
