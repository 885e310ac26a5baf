/**
 * The wildcard-set operations under their step budget: below it, the exact answers (those of an
 * unlimited budget); past it, `undecided` or what sample subjects prove, never an answer the
 * exact analysis would contradict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeNamespaces } from '../../src/federation/kubernetes-subjects.js';
import { emptiness, inclusion, isEmpty, patternIncludes, StepBudget, STEP_BUDGET } from '../../src/federation/matcher.js';
import type { Matcher, Pattern } from '../../src/federation/types.js';

const SA = 'system:serviceaccount:';

const prefix = fc.constantFrom(SA, SA, SA, 'system:serviceaccount', 'system:*', 'SYSTEM:SERVICEACCOUNT:', '*', '', 'system:serviceaccount:?');
const tail = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '*', '?', ':'), maxLength: 4 });
const pattern: fc.Arbitrary<Pattern> = fc.record({ value: fc.tuple(prefix, tail).map(([p, t]) => p + t), wildcard: fc.boolean(), ignoreCase: fc.boolean() });
const list = (min: number) => fc.array(pattern, { minLength: min, maxLength: 2 });
const matcher: fc.Arbitrary<Matcher> = fc
  .record({ allow: fc.option(list(0), { nil: null }), also: fc.array(list(1), { maxLength: 1 }), deny: list(0) })
  .map(({ allow, also, deny }) => ({ allow, deny, unknown: false, ...(also.length > 0 ? { allowAlso: also } : {}) }));

const like = (value: string): Pattern => ({ value, wildcard: /[*?]/.test(value), ignoreCase: false });
const allowing = (...values: string[]): Matcher => ({ allow: values.map(like), deny: [], unknown: false });

describe('below the budget', () => {
  it('answers as an unlimited budget does', () => {
    const unlimited = (): StepBudget => new StepBudget(Number.POSITIVE_INFINITY);
    fc.assert(
      fc.property(matcher, pattern, pattern, (m, p, q) => {
        for (const universe of ['any', 'kubernetes-subject'] as const) {
          const answer = emptiness(m, universe);
          expect(answer).not.toBe('undecided');
          expect(answer).toBe(emptiness(m, universe, unlimited()));
          expect(isEmpty(m, universe)).toBe(answer);
        }
        const included = inclusion(p, q);
        expect(included).not.toBe('undecided');
        expect(included).toBe(inclusion(p, q, unlimited()));
        expect(patternIncludes(p, q)).toBe(included);
      }),
      { numRuns: 400 },
    );
  });

  it('is exact for the patterns trusts are written with', () => {
    expect(analyzeNamespaces(allowing(`${SA}team-*:app`, `${SA}prod:*`))).toEqual({ span: 'several' });
    expect(analyzeNamespaces(allowing(`${SA}*`))).toEqual({ span: 'all' });
    expect(emptiness(allowing('repo:acme/*'), 'kubernetes-subject')).toBe(true);
    expect(inclusion(like('repo:acme/*'), like('repo:acme/app:ref:*'))).toBe(true);
  });
});

describe('past the budget', () => {
  it('leaves a question undecided when its budget is spent, and answers it with a larger one', () => {
    expect(inclusion(like('a*'), like('*a*b'), new StepBudget(0))).toBe('undecided');
    expect(inclusion(like('a*'), like('*a*b'), new StepBudget(STEP_BUDGET))).toBe(false);
    const partialOverlap: Matcher = { allow: [like('a*b*')], allowAlso: [[like('*b*a')]], deny: [like('*ab*')], unknown: false };
    expect(emptiness(partialOverlap, 'any', new StepBudget(3))).toBe('undecided');
    expect(emptiness(partialOverlap, 'any')).toBe(false);
    // Never proven empty on a budget: not a dead role.
    expect(isEmpty(partialOverlap, 'any')).toBe(false);
  });

  it('a hostile AND of two pattern lists: undecided, never empty and never a span', () => {
    const stars = (letters: string, i: number) => Array.from({ length: 100 }, (_, k) => `*${letters[(i + k) % letters.length]}`).join('');
    const hostile: Matcher = {
      allow: Array.from({ length: 50 }, (_, i) => like(SA + stars('abcdefghij', i))),
      allowAlso: [Array.from({ length: 50 }, (_, i) => like(SA + stars('jihgfedcba', i)))],
      deny: [],
      unknown: false,
    };
    const analysis = analyzeNamespaces(hostile);
    expect(analysis.span).toBe('undecided');
    expect(analysis.limited?.message).toBe(`the wildcard analysis stopped at its budget of ${STEP_BUDGET.toLocaleString('en-US')} steps`);
    expect(emptiness(hostile, 'kubernetes-subject')).toBe('undecided');
    expect(isEmpty(hostile, 'kubernetes-subject')).toBe(false);
  });

  it('fifty patterns of a hundred stars: two namespaces proven by sample subjects', () => {
    const m = allowing(...Array.from({ length: 50 }, (_, i) => SA + Array.from({ length: 100 }, (_, k) => `*${'abcdefghij'[(i + k) % 10]}`).join('')));
    const analysis = analyzeNamespaces(m);
    expect(analysis.limited).toBeDefined();
    expect(analysis.span).toBe('several');
    expect(analysis.witnessed).toHaveLength(2);
  });

  it('claims nothing the exact analysis contradicts, whatever the budget', () => {
    fc.assert(
      fc.property(matcher, fc.integer({ min: 0, max: 400 }), (m, limit) => {
        const exact = analyzeNamespaces(m);
        const bounded = analyzeNamespaces(m, new StepBudget(limit));
        if (!bounded.limited) {
          expect(bounded).toEqual(exact);
        } else if (bounded.span === 'none') expect(exact.span).toBe('none');
        else if (bounded.span === 'one') expect(exact).toMatchObject({ span: 'one', namespaces: bounded.namespaces });
        else if (bounded.span === 'several') expect(['several', 'all']).toContain(exact.span);
        for (const ns of bounded.witnessed ?? []) expect(exact.span === 'all' || exact.namespaces === undefined || exact.namespaces.includes(ns)).toBe(true);
        for (const universe of ['any', 'kubernetes-subject'] as const) {
          const answer = emptiness(m, universe, new StepBudget(limit));
          if (answer !== 'undecided') expect(answer).toBe(emptiness(m, universe));
        }
      }),
      { numRuns: 600 },
    );
  });
});
