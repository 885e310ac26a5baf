/**
 * Operations on {@link Matcher}: a set of strings given by allowed patterns minus denied ones.
 * Rules ask these questions instead of reading patterns themselves.
 */
import { admits, patternMatches } from './admission.js';
import { BudgetExceededError, MatcherAutomaton, StepBudget } from './automaton.js';
import { analyzeNamespaces, type NamespaceAnalysis } from './kubernetes-subjects.js';
import type { Matcher, NamespaceSpan, Pattern } from './types.js';
import { hasWildcard } from './wildcard.js';

export { SUBJECT_PREFIX } from './kubernetes-subjects.js';
export { admits, patternMatches };
export { BudgetExceededError, StepBudget, STEP_BUDGET } from './automaton.js';

/**
 * An answer about the set a matcher admits, or `undecided` when the question spent its step
 * budget (see automaton.ts): callers report only what is decided, and say what is not.
 */
export type Decision = boolean | 'undecided';

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

/**
 * Whether the matcher admits nothing in the universe: false for a matcher with unknown
 * constraints, `undecided` when the question spent its budget (a fresh {@link STEP_BUDGET}
 * unless one is given).
 */
export function emptiness(m: Matcher, universe: MatcherUniverse = 'any', budget?: StepBudget): Decision {
  if (m.unknown) return false;
  if (universe === 'kubernetes-subject') {
    const { span } = analyzeNamespaces(m, budget);
    return span === 'undecided' ? span : span === 'none';
  }
  return provablyEmpty(m, budget ?? new StepBudget());
}

/** True when the matcher provably admits nothing in the universe (see {@link emptiness}). */
export function isEmpty(m: Matcher, universe: MatcherUniverse = 'any'): boolean {
  return emptiness(m, universe) === true;
}

/**
 * How many namespaces the matcher admits as Kubernetes subjects (unknown parts ignored).
 * Past the budget, `several` when two are proven, else `undecided` (see analyzeNamespaces).
 */
export function namespaceSpan(m: Matcher): NamespaceSpan | 'undecided' {
  return analyzeNamespaces(m).span;
}

/**
 * Which namespaces the matcher admits as Kubernetes subjects: the span, the namespaces when few
 * enough to list, and the budget error when the analysis stopped at it (see analyzeNamespaces).
 */
export function subjectNamespaces(m: Matcher): NamespaceAnalysis {
  return analyzeNamespaces(m);
}

/** The admitted namespaces when they are finitely many (and few enough to list); else undefined. */
export function namespacesOf(m: Matcher): string[] | undefined {
  return analyzeNamespaces(m).namespaces;
}

/** L(inner) ⊆ L(outer), or `undecided` when the question spends its budget. */
export function inclusion(outer: Pattern, inner: Pattern, budget = new StepBudget()): Decision {
  return provablyEmpty({ allow: [inner], deny: [outer], unknown: false }, budget);
}

/** L(inner) ⊆ L(outer), proven (see {@link inclusion}). */
export function patternIncludes(outer: Pattern, inner: Pattern): boolean {
  return inclusion(outer, inner) === true;
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
    const merged = intersectLists(a.allow, b.allow, new StepBudget());
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
 * (`a*` and `*b`, or an ignore-case literal and a case-sensitive pattern), or when the pairs
 * spend the budget: the caller then keeps both lists, which is exact.
 */
function intersectLists(a: Pattern[], b: Pattern[], budget: StepBudget): Pattern[] | undefined {
  const out: Pattern[] = [];
  try {
    for (const x of a) {
      for (const y of b) {
        // Comparing a pair reads both patterns: a step per PAIR_CHARACTERS characters.
        budget.spend(1 + Math.floor((x.value.length + y.value.length) / PAIR_CHARACTERS));
        if (includesFast(y, x, budget)) out.push(x);
        else if (includesFast(x, y, budget)) out.push(y);
        else if (provablyEmpty({ allow: [x], allowAlso: [[y]], deny: [], unknown: false }, budget) !== true) return undefined;
      }
    }
  } catch (e) {
    if (e instanceof BudgetExceededError) return undefined;
    throw e;
  }
  return dedupe(out);
}

const PAIR_CHARACTERS = 32;

/** L(inner) ⊆ L(outer) proven, answering case-sensitive literals directly. */
function includesFast(outer: Pattern, inner: Pattern, budget: StepBudget): boolean {
  if (!inner.wildcard && (!inner.ignoreCase || !hasCasedLetters(inner.value))) return patternMatches(outer, inner.value);
  return inclusion(outer, inner, budget) === true;
}

function hasCasedLetters(s: string): boolean {
  return s.toLowerCase() !== s.toUpperCase();
}

/** Whether the matcher admits no string at all, within the budget. */
function provablyEmpty(m: Matcher, budget: StepBudget): Decision {
  if (admitsSimplestMember(m)) return false;
  try {
    const auto = new MatcherAutomaton(m, budget);
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
    if (e instanceof BudgetExceededError) return 'undecided';
    throw e;
  }
}

/**
 * Whether the matcher admits the simplest member of one of its first allow list's patterns
 * (stars dropped, each `?` one letter): a witness that it is not empty, found without the
 * automaton. Only for ASCII patterns, where whole-string and per-character case folding agree.
 * Each candidate is matched against every pattern: the first {@link SIMPLEST_MEMBERS} are tried.
 */
function admitsSimplestMember(m: Matcher): boolean {
  const groups = [m.allow ?? [], ...(m.allowAlso ?? []), m.deny];
  if (!groups.every((g) => g.every((p) => ASCII.test(p.value)))) return false;
  const candidates = (m.allow ?? m.allowAlso?.[0] ?? [literal('')]).slice(0, SIMPLEST_MEMBERS);
  return candidates.some((p) => admits(m, p.wildcard ? p.value.replace(/\*/g, '').replace(/\?/g, 'a') : p.value));
}

const SIMPLEST_MEMBERS = 16;

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
