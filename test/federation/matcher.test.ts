import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admits, anyMatcher, intersect, isEmpty, namespaceSpan, namespacesOf, patternIncludes, subtract } from '../../src/federation/matcher.js';
import type { Matcher, NamespaceSpan, Pattern } from '../../src/federation/types.js';
import { wildcardMatch } from '../../src/federation/wildcard.js';

const like = (value: string, ignoreCase = false): Pattern => ({ value, wildcard: /[*?]/.test(value), ignoreCase });
const lit = (value: string, ignoreCase = false): Pattern => ({ value, wildcard: false, ignoreCase });
const matcher = (allow: Pattern[] | null, deny: Pattern[] = []): Matcher => ({ allow, deny, unknown: false });
const SA = 'system:serviceaccount:';

describe('namespaceSpan', () => {
  it.each<[string, Pattern[] | null, Pattern[], NamespaceSpan]>([
    ['exact subject', [lit(`${SA}prod:app`)], [], 'one'],
    ['whole namespace', [like(`${SA}prod:*`)], [], 'one'],
    ['namespace prefix', [like(`${SA}team-*:app`)], [], 'several'],
    ['every service account', [like(`${SA}*`)], [], 'all'],
    ['bare star', [like('*')], [], 'all'],
    ['any namespace, one name', [like(`${SA}*:app`)], [], 'all'],
    ['star running across the colon', [like(`${SA}prod*`)], [], 'several'],
    ['star spanning namespace from the prefix', [like('system:service*')], [], 'all'],
    ['two exact namespaces', [lit(`${SA}a:x`), lit(`${SA}b:x`)], [], 'several'],
    ['same namespace twice', [lit(`${SA}a:x`), lit(`${SA}a:y`)], [], 'one'],
    ['no allow, deny everything', null, [like('*')], 'none'],
    ['no constraint at all', null, [], 'all'],
    ['deny subtracts a namespace', [like(`${SA}*`)], [like(`${SA}kube-system:*`)], 'several'],
    ['deny of one name keeps the namespace', [like(`${SA}prod:*`)], [lit(`${SA}prod:app`)], 'one'],
    ['deny removes the only namespace', [like(`${SA}prod:*`)], [like(`${SA}prod:*`)], 'none'],
    ['literal star is no subject', [lit('*')], [], 'none'],
    ['literal star namespace is no subject', [lit(`${SA}*:app`)], [], 'none'],
    ['not a service account subject', [lit('repo:org/x:ref:refs/heads/main')], [], 'none'],
    ['case-insensitive prefix', [lit('SYSTEM:SERVICEACCOUNT:PROD:APP', true)], [], 'one'],
    ['case-sensitive upper case never matches', [lit('SYSTEM:SERVICEACCOUNT:PROD:APP')], [], 'none'],
    ['question mark namespace', [like(`${SA}?:app`)], [], 'several'],
  ])('%s', (_, allow, deny, expected) => {
    expect(namespaceSpan(matcher(allow, deny))).toBe(expected);
  });

  it('lists finite namespace sets', () => {
    expect(namespacesOf(matcher([lit(`${SA}b:x`), like(`${SA}a:*`)]))?.sort()).toEqual(['a', 'b']);
    expect(namespacesOf(matcher([like(`${SA}team-*:app`)]))).toBeUndefined();
    expect(namespacesOf(matcher([like(`${SA}ab?:x`)]))?.length).toBe(37);
    expect(namespacesOf(matcher([lit('*')]))).toEqual([]);
  });
});

describe('isEmpty', () => {
  it.each<[string, Matcher, 'any' | 'kubernetes-subject', boolean]>([
    ['any matcher', anyMatcher(), 'any', false],
    ['empty allow list', matcher([]), 'any', true],
    ['literal star is a string', matcher([lit('*')]), 'any', false],
    ['literal star is no subject', matcher([lit('*')]), 'kubernetes-subject', true],
    ['deny covers allow', matcher([like('a*b')], [like('a*')]), 'any', true],
    ['deny union covers allow', matcher([like('a*')], [lit('a'), like('a?*')]), 'any', true],
    ['deny does not cover allow', matcher([like('a*')], [like('a?*')]), 'any', false],
    ['case-insensitive deny covers', matcher([lit('ABC')], [lit('abc', true)]), 'any', true],
    ['case-sensitive deny does not cover ignore-case allow', matcher([lit('abc', true)], [lit('abc')]), 'any', false],
    ['unknown is never empty', { allow: [], deny: [], unknown: true }, 'any', false],
  ])('%s', (_, m, universe, expected) => {
    expect(isEmpty(m, universe)).toBe(expected);
  });
});

describe('intersect', () => {
  it('keeps literals the other side admits', () => {
    const m = intersect(matcher([lit(`${SA}a:x`), lit(`${SA}b:x`)]), matcher([like(`${SA}a:*`)]));
    expect(m.allow).toEqual([lit(`${SA}a:x`)]);
  });

  it('contradictory literals leave nothing', () => {
    const m = intersect(matcher([lit('a')]), matcher([lit('b')]));
    expect(isEmpty(m)).toBe(true);
  });

  it('keeps the narrower of nested patterns', () => {
    const m = intersect(matcher([like(`${SA}*`)]), matcher([like(`${SA}prod:*`)]));
    expect(m.allow).toEqual([like(`${SA}prod:*`)]);
    expect(m.allowAlso).toBeUndefined();
  });

  it('represents partial overlap exactly', () => {
    const m = intersect(matcher([like('a*')]), matcher([like('*b')]));
    expect(admits(m, 'ab')).toBe(true);
    expect(admits(m, 'axxb')).toBe(true);
    expect(admits(m, 'a')).toBe(false);
    expect(admits(m, 'b')).toBe(false);
    expect(isEmpty(m)).toBe(false);
  });

  it('drops disjoint pattern pairs', () => {
    const m = intersect(matcher([like('a*')]), matcher([like('b*')]));
    expect(isEmpty(m)).toBe(true);
  });

  it('any matcher is the identity and unknown propagates', () => {
    const m = matcher([like('a*')], [lit('ab')]);
    expect(intersect(anyMatcher(), m)).toEqual(m);
    expect(intersect(m, { ...anyMatcher(), unknown: true }).unknown).toBe(true);
  });

  it('agrees with the AND of admits', () => {
    const pattern = fc.record({
      value: fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 4 }),
      wildcard: fc.boolean(),
      ignoreCase: fc.constant(false),
    });
    const m = fc.record({ allow: fc.option(fc.array(pattern, { maxLength: 2 }), { nil: null }), deny: fc.array(pattern, { maxLength: 1 }), unknown: fc.constant(false) });
    fc.assert(
      fc.property(m, m, fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 5 }), (a, b, s) => {
        expect(admits(intersect(a, b), s)).toBe(admits(a, s) && admits(b, s));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('patternIncludes / subtract', () => {
  it.each([
    ['*', 'a*', true],
    ['a*', '*', false],
    ['?*', '*?', true],
    ['a*b', 'a?b', true],
    ['a?b', 'a*b', false],
  ])('%s ⊇ %s: %s', (outer, inner, expected) => {
    expect(patternIncludes(like(outer), like(inner))).toBe(expected);
  });

  it('subtract adds denied patterns', () => {
    const m = subtract(matcher([like(`${SA}*`)]), [like(`${SA}kube-system:*`)]);
    expect(admits(m, `${SA}kube-system:x`)).toBe(false);
    expect(admits(m, `${SA}prod:x`)).toBe(true);
  });
});

describe('namespaceSpan property', () => {
  // Namespaces over a, b (pattern letters) and c, d (stand-ins for every other character).
  const words = (alphabet: string[], maxLength: number): string[] => {
    let level = [''];
    const out: string[] = [];
    for (let n = 1; n <= maxLength; n++) {
      level = level.flatMap((w) => alphabet.map((c) => w + c));
      out.push(...level);
    }
    return out;
  };
  // Lengths exceed what the short pattern tails below can pin down.
  const namespaces = words(['a', 'b', 'c', 'd'], 4);
  const names = words(['a', 'b', 'c'], 3);

  // wildcardMatch is checked against the reference matcher in wildcard.test.ts; this test is
  // about the namespace analysis, and enumeration needs the speed.
  const admitsRef = (m: Matcher, s: string): boolean => {
    const match = (p: Pattern) => (p.wildcard ? wildcardMatch(p.value, s, p.ignoreCase) : p.ignoreCase ? p.value.toLowerCase() === s : p.value === s);
    return (m.allow === null || m.allow.some(match)) && !m.deny.some(match);
  };

  const bruteSpan = (m: Matcher): NamespaceSpan => {
    const admitted = namespaces.filter((ns) => names.some((name) => admitsRef(m, `${SA}${ns}:${name}`)));
    if (admitted.length === 0) return 'none';
    if (admitted.length === namespaces.length) return 'all';
    return admitted.length === 1 ? 'one' : 'several';
  };

  const prefix = fc.constantFrom(SA, SA, SA, 'system:serviceaccount', 'system:*', 'SYSTEM:SERVICEACCOUNT:', '*', '', 'system:serviceaccount:?');
  const tail = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '*', '?', ':'), maxLength: 3 });
  const pattern = fc.record({
    value: fc.tuple(prefix, tail).map(([p, t]) => p + t),
    wildcard: fc.boolean(),
    ignoreCase: fc.boolean(),
  });

  it('agrees with brute-force enumeration', () => {
    fc.assert(
      fc.property(fc.option(fc.array(pattern, { minLength: 1, maxLength: 2 }), { nil: null }), fc.array(pattern, { maxLength: 2 }), (allow, deny) => {
        const m = matcher(allow, deny);
        expect(namespaceSpan(m)).toBe(bruteSpan(m));
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile patterns', () => {
  const huge = (value: string): Pattern => ({ value, wildcard: true, ignoreCase: false });

  it('analysis completes and claims only what sample subjects prove', () => {
    const everyName = matcher([huge(SA + '*a'.repeat(2500))]);
    // All namespaces in truth; past the budget, two are proven.
    expect(namespaceSpan(everyName)).toBe('several');
    expect(isEmpty(everyName, 'kubernetes-subject')).toBe(false);
    expect(isEmpty(matcher([huge(SA + '*a'.repeat(2500))], [huge('*b')]))).toBe(false);
    expect(namespaceSpan(matcher([huge(SA + 'prod:' + '*a'.repeat(2500))]))).toBe('one');
    expect(namespaceSpan(matcher([huge('*a' + '?'.repeat(40))]))).toBe('several');
  });
});
