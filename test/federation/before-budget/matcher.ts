// Frozen copy of src/federation/matcher.ts as of commit f9c8f1b, before the step budget: the oracle that
// test/federation/budget.test.ts compares the budgeted operations with. Not to be edited.
/**
 * Operations on {@link Matcher}: a set of strings given by allowed patterns minus denied ones.
 * Rules ask these questions instead of reading patterns themselves.
 */
import { AutomatonLimitError, MatcherAutomaton } from './automaton.js';
import { analyzeNamespaces } from './kubernetes-subjects.js';
import type { Matcher, NamespaceSpan, Pattern } from '../../../src/federation/types.js';
import { hasWildcard, wildcardMatch } from '../../../src/federation/wildcard.js';

export { SUBJECT_PREFIX } from './kubernetes-subjects.js';

/**
 * The strings a matcher is asked about: `any` string, or `kubernetes-subject`:
 * `system:serviceaccount:<namespace>:<name>` with DNS-label namespace and DNS-subdomain name.
 */
export type MatcherUniverse = 'any' | 'kubernetes-subject';

/** Admits every string. */
export function anyMatcher(): Matcher {
  return { allow: null, deny: [], unknown: false };
}

export function literal(value: string, ignoreCase = false): Pattern {
  return { value, wildcard: false, ignoreCase };
}

/** A pattern from a `StringLike` value: a wildcard only when it holds `*` or `?`. */
export function likePattern(value: string, ignoreCase = false): Pattern {
  return { value, wildcard: hasWildcard(value), ignoreCase };
}

export function patternMatches(p: Pattern, value: string): boolean {
  if (p.wildcard) return wildcardMatch(p.value, value, p.ignoreCase);
  return p.ignoreCase ? p.value.toLowerCase() === value.toLowerCase() : p.value === value;
}

/** Whether the known constraints admit the value (with `m.unknown`, a lower bound). */
export function admits(m: Matcher, value: string): boolean {
  if (m.allow !== null && !m.allow.some((p) => patternMatches(p, value))) return false;
  for (const group of m.allowAlso ?? []) if (!group.some((p) => patternMatches(p, value))) return false;
  return !m.deny.some((p) => patternMatches(p, value));
}

/**
 * True when the matcher provably admits nothing in the universe. Never true for a matcher with
 * unknown constraints, nor for one too complex to analyse.
 */
export function isEmpty(m: Matcher, universe: MatcherUniverse = 'any'): boolean {
  if (m.unknown) return false;
  if (universe === 'kubernetes-subject') {
    const analysis = analyzeNamespaces(m);
    return !analysis.limited && analysis.span === 'none';
  }
  return provablyEmpty(m) === true;
}

/** How many namespaces the matcher admits as Kubernetes subjects (unknown parts ignored). */
export function namespaceSpan(m: Matcher): NamespaceSpan {
  return analyzeNamespaces(m).span;
}

/** The admitted namespaces when they are finitely many (and few enough to list); else undefined. */
export function namespacesOf(m: Matcher): string[] | undefined {
  return analyzeNamespaces(m).namespaces;
}

/** L(inner) ⊆ L(outer). */
export function patternIncludes(outer: Pattern, inner: Pattern): boolean {
  return provablyEmpty({ allow: [inner], deny: [outer], unknown: false }) === true;
}

/** The AND of two constraints on the same value. */
export function intersect(a: Matcher, b: Matcher): Matcher {
  const unknown = a.unknown || b.unknown;
  const deny = dedupe([...a.deny, ...b.deny]);
  const also = [...(a.allowAlso ?? []), ...(b.allowAlso ?? [])];
  let allow: Pattern[] | null;
  if (a.allow === null) allow = b.allow;
  else if (b.allow === null) allow = a.allow;
  else {
    const merged = intersectLists(a.allow, b.allow);
    if (merged) allow = merged;
    else {
      allow = a.allow;
      also.push(b.allow);
    }
  }
  const out: Matcher = { allow, deny, unknown };
  if (also.length > 0) out.allowAlso = also;
  return out;
}

/** Adds denied patterns (a negated condition or a Deny statement). */
export function subtract(m: Matcher, denied: Pattern[], unknown = false): Matcher {
  return { ...m, deny: dedupe([...m.deny, ...denied]), unknown: m.unknown || unknown };
}

/**
 * The patterns of A ∩ B when that has a pattern form: for each pair, the one contained in the
 * other, or nothing when they are disjoint. Undefined when two patterns overlap only in part
 * (`a*` and `*b`, or an ignore-case literal and a case-sensitive pattern).
 */
function intersectLists(a: Pattern[], b: Pattern[]): Pattern[] | undefined {
  const out: Pattern[] = [];
  for (const x of a) {
    for (const y of b) {
      if (includesFast(y, x)) out.push(x);
      else if (includesFast(x, y)) out.push(y);
      else if (provablyEmpty({ allow: [x], allowAlso: [[y]], deny: [], unknown: false }) !== true) return undefined;
    }
  }
  return dedupe(out);
}

/** L(inner) ⊆ L(outer), answering case-sensitive literals directly. */
function includesFast(outer: Pattern, inner: Pattern): boolean {
  if (!inner.wildcard && (!inner.ignoreCase || !hasCasedLetters(inner.value))) return patternMatches(outer, inner.value);
  return patternIncludes(outer, inner);
}

function hasCasedLetters(s: string): boolean {
  return s.toLowerCase() !== s.toUpperCase();
}

/** True / false when decided; undefined when the matcher is too complex to analyse. */
function provablyEmpty(m: Matcher): boolean | undefined {
  if (admitsSimplestMember(m)) return false;
  try {
    const auto = new MatcherAutomaton(m);
    const alphabet = [...auto.literalCharacters(), freshCharacter(auto.literalCharacters())];
    const seen = new Set([auto.start]);
    const queue = [auto.start];
    while (queue.length > 0) {
      const s = queue.pop()!;
      if (auto.accepts(s)) return false;
      if (auto.isDead(s)) continue;
      for (const ch of alphabet) {
        const t = auto.step(s, ch);
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    return true;
  } catch (e) {
    if (e instanceof AutomatonLimitError) return undefined;
    throw e;
  }
}

/**
 * Whether the matcher admits the simplest member of one of its first allow list's patterns
 * (stars dropped, each `?` one letter): a witness that it is not empty, found without the
 * automaton. Only for ASCII patterns, where whole-string and per-character case folding agree.
 */
function admitsSimplestMember(m: Matcher): boolean {
  const groups = [m.allow ?? [], ...(m.allowAlso ?? []), m.deny];
  if (!groups.every((g) => g.every((p) => ASCII.test(p.value)))) return false;
  const candidates = m.allow ?? m.allowAlso?.[0] ?? [literal('')];
  return candidates.some((p) => admits(m, p.wildcard ? p.value.replace(/\*/g, '').replace(/\?/g, 'a') : p.value));
}

const ASCII = /^[\x00-\x7f]*$/;

/** A character no pattern names: it stands for every such character. */
function freshCharacter(used: Set<string>): string {
  for (let code = 0x4e00; ; code++) {
    const ch = String.fromCharCode(code);
    if (!used.has(ch) && !used.has(ch.toLowerCase())) return ch;
  }
}

function dedupe(patterns: Pattern[]): Pattern[] {
  const seen = new Set<string>();
  return patterns.filter((p) => {
    const k = `${p.wildcard ? 'w' : 'l'}${p.ignoreCase ? 'i' : 'c'}${p.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
