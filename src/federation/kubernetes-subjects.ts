/**
 * Which Kubernetes namespaces a matcher admits, over subjects
 * `system:serviceaccount:<namespace>:<name>`: a namespace is a DNS label and a name a DNS
 * subdomain, so neither holds `:` (or `*`), and the `:` between them is the only one after the
 * prefix. A namespace counts when at least one name in it is admitted.
 */
import { BudgetExceededError, MatcherAutomaton, StepBudget, type AutomatonState } from './automaton.js';
import type { Matcher, NamespaceSpan, Pattern } from './types.js';
import { admits } from './admission.js';

export const SUBJECT_PREFIX = 'system:serviceaccount:';
const NAMESPACE_ALPHABET = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
const NAME_ALPHABET = [...NAMESPACE_ALPHABET, '.'];
/** Finite namespace sets larger than this are reported as not enumerable. */
const ENUMERATION_LIMIT = 256;

export interface NamespaceAnalysis {
  /**
   * Exact, except past the step budget (`limited`): then what sample subjects prove together
   * with what the patterns' literal namespaces allow — `several` means two or more proven
   * (possibly all), `undecided` that not even that is known.
   */
  span: NamespaceSpan | 'undecided';
  /** The admitted namespaces when finite and at most {@link ENUMERATION_LIMIT}. */
  namespaces?: string[];
  /** Namespaces sample subjects proved admitted, when the analysis stopped at its budget. */
  witnessed?: string[];
  /** The analysis stopped at its step budget (named by {@link BudgetExceededError}). */
  limited?: BudgetExceededError;
}

/** With a `budget` of its own, the answer is neither taken from nor kept in the shared answers. */
export function analyzeNamespaces(matcher: Matcher, budget?: StepBudget): NamespaceAnalysis {
  const literal = literalAnalysis(matcher);
  if (literal) return literal;
  if (budget) return automatonAnalysis(matcher, budget);
  // Trust analysis and then several rules ask about the same subject patterns.
  const key = JSON.stringify([matcher.allow && patternsKey(matcher.allow), (matcher.allowAlso ?? []).map(patternsKey), patternsKey(matcher.deny)]);
  let answer = automatonAnswers.get(key);
  if (!answer) {
    if (automatonAnswers.size >= AUTOMATON_ANSWERS_KEPT) automatonAnswers.clear();
    automatonAnswers.set(key, (answer = automatonAnalysis(matcher, new StepBudget())));
  }
  const copy = { ...answer };
  if (answer.namespaces) copy.namespaces = [...answer.namespaces];
  if (answer.witnessed) copy.witnessed = [...answer.witnessed];
  return copy;
}

/** What the automaton reads of each pattern. */
function patternsKey(patterns: readonly Pattern[]): [string, boolean, boolean][] {
  return patterns.map((p) => [p.value, Boolean(p.wildcard), Boolean(p.ignoreCase)]);
}

const AUTOMATON_ANSWERS_KEPT = 10_000;
/** Answers by the patterns' text, so a matcher changed after it was asked about is never answered wrongly. */
const automatonAnswers = new Map<string, NamespaceAnalysis>();

function automatonAnalysis(matcher: Matcher, budget: StepBudget): NamespaceAnalysis {
  try {
    return analyze(new MatcherAutomaton(matcher, budget));
  } catch (e) {
    if (e instanceof BudgetExceededError) return boundedAnalysis(matcher, e);
    throw e;
  }
}

/**
 * For a matcher past the budget: namespaces proven by sample subjects (a lower bound) against
 * those the allowed patterns name literally (an upper bound). Only what both together prove is
 * a span; the rest is undecided, never guessed.
 */
function boundedAnalysis(matcher: Matcher, limited: BudgetExceededError): NamespaceAnalysis {
  const upper = coarseSpan(matcher);
  if (upper === 'none') return { span: 'none', namespaces: [], limited };
  const witnessed = [...witnessNamespaces(matcher, upper === 'one' ? 1 : 2)].sort(enumerationOrder);
  const out: NamespaceAnalysis = { span: 'undecided', witnessed, limited };
  if (witnessed.length >= 1 && upper === 'one') return { ...out, span: 'one', namespaces: witnessed };
  if (witnessed.length >= 2) out.span = 'several';
  return out;
}

/** Letters that fill wildcards in sample subjects: two, for two namespaces. */
const SAMPLE_LETTERS = ['x', 'y'];
/** How many of a pattern's first stars are tried as the place of the namespace. */
const SAMPLE_STARS = 4;
/** Sample subjects matched against the whole matcher at most (each reads every pattern). */
const SAMPLES_MATCHED = 32;

/**
 * Namespaces admitted by sample subjects built from the allowed patterns, up to `wanted` of
 * them: each `?` filled with a letter, one of the first stars with a namespace and its colon
 * (or the whole subject prefix, or a letter), the other stars with nothing. Each sample that
 * is a subject is checked against the whole matcher with the linear matcher of
 * src/federation/wildcard.ts, {@link SAMPLES_MATCHED} at most: linear in the patterns.
 */
function witnessNamespaces(matcher: Matcher, wanted: number): Set<string> {
  const found = new Set<string>();
  const patterns = matcher.allow ?? [{ value: `${SUBJECT_PREFIX}*`, wildcard: true, ignoreCase: false }];
  const tried = new Set<string>();
  for (const p of patterns) {
    for (const sample of samplesOf(p)) {
      const ns = subjectNamespace(sample);
      if (ns === undefined || found.has(ns) || tried.has(sample)) continue;
      if (tried.size >= SAMPLES_MATCHED) return found;
      tried.add(sample);
      if (!admits(matcher, sample)) continue;
      found.add(ns);
      if (found.size >= wanted) return found;
    }
  }
  return found;
}

function* samplesOf(p: Pattern): Generator<string> {
  const text = p.ignoreCase ? p.value.toLowerCase() : p.value;
  if (!p.wildcard) {
    yield text;
    return;
  }
  const pieces = text.split('*');
  for (const letter of SAMPLE_LETTERS) {
    const fill = (piece: string) => piece.replace(/\?/g, letter);
    yield pieces.map(fill).join('');
    for (let star = 1; star < Math.min(pieces.length, SAMPLE_STARS + 1); star++) {
      for (const inStar of [`${SUBJECT_PREFIX}${letter}:n`, `${letter}:n`, letter]) {
        yield pieces.map((piece, i) => (i === star ? inStar : '') + fill(piece)).join('');
      }
    }
  }
}

/** The namespace of a subject in the analysed universe, or undefined when it is none. */
function subjectNamespace(subject: string): string | undefined {
  if (!subject.startsWith(SUBJECT_PREFIX)) return undefined;
  const rest = subject.slice(SUBJECT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const ns = rest.slice(0, colon);
  return NAMESPACE_CHARS.test(ns) && NAME_CHARS.test(rest.slice(colon + 1)) ? ns : undefined;
}

const NAMESPACE_CHARS = /^[a-z0-9-]+$/;
const NAME_CHARS = /^[a-z0-9.-]+$/;
const RANK = new Map(NAMESPACE_ALPHABET.map((ch, i) => [ch, i]));

/** The automaton's enumeration order: alphabet order, a prefix before its extensions. */
function enumerationOrder(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = RANK.get(a[i]!)! - RANK.get(b[i]!)!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The same answer as the automaton for the common case, allowed literals only (one pinned
 * ServiceAccount per role), without building it: trust analysis of a large account is
 * mostly this case.
 */
function literalAnalysis(matcher: Matcher): NamespaceAnalysis | undefined {
  if (matcher.allow === null || matcher.deny.length > 0 || (matcher.allowAlso?.length ?? 0) > 0) return undefined;
  const namespaces = new Set<string>();
  for (const p of matcher.allow) {
    if (p.wildcard) return undefined;
    const value = p.ignoreCase ? p.value.toLowerCase() : p.value;
    if (!value.startsWith(SUBJECT_PREFIX)) continue;
    const rest = value.slice(SUBJECT_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon < 0) continue;
    const ns = rest.slice(0, colon);
    if (NAMESPACE_CHARS.test(ns) && NAME_CHARS.test(rest.slice(colon + 1))) namespaces.add(ns);
  }
  const list = [...namespaces].sort(enumerationOrder);
  if (list.length === 0) return { span: 'none', namespaces: [] };
  return { span: list.length === 1 ? 'one' : 'several', ...(list.length <= ENUMERATION_LIMIT ? { namespaces: list } : {}) };
}

/**
 * An upper bound for matchers too complex to analyse: when every allowed pattern names its
 * namespace literally, those namespaces (denials ignored); otherwise all.
 */
function coarseSpan(matcher: Matcher): NamespaceSpan {
  if (matcher.allow === null) return 'all';
  const namespaces = new Set<string>();
  for (const p of matcher.allow) {
    const value = p.ignoreCase ? p.value.toLowerCase() : p.value;
    if (!value.startsWith(SUBJECT_PREFIX)) return 'all';
    const rest = value.slice(SUBJECT_PREFIX.length);
    const colon = rest.indexOf(':');
    const ns = colon < 0 ? rest : rest.slice(0, colon);
    if (colon < 0 || (p.wildcard && /[*?]/.test(ns))) return 'all';
    namespaces.add(ns);
  }
  return namespaces.size === 0 ? 'none' : namespaces.size === 1 ? 'one' : 'several';
}

function analyze(auto: MatcherAutomaton): NamespaceAnalysis {
  const start = auto.run(auto.start, SUBJECT_PREFIX);
  if (auto.isDead(start)) return { span: 'none', namespaces: [] };

  // States reachable after a non-empty namespace, with their edges.
  const edges = new Map<AutomatonState, Map<string, AutomatonState>>();
  const reachable = new Set<AutomatonState>();
  const queue: AutomatonState[] = [start];
  const seen = new Set<AutomatonState>([start]);
  while (queue.length > 0) {
    const s = queue.shift()!;
    const row = new Map<string, AutomatonState>();
    edges.set(s, row);
    if (auto.isDead(s)) continue;
    for (const ch of NAMESPACE_ALPHABET) {
      const t = auto.step(s, ch);
      row.set(ch, t);
      reachable.add(t);
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }

  const nameOk = namesAdmitted(auto, [...reachable].map((s) => auto.step(s, ':')));
  const good = (s: AutomatonState) => nameOk(auto.step(s, ':'));

  const reachableList = [...reachable];
  if (!reachableList.some(good)) return { span: 'none', namespaces: [] };
  if (reachableList.every(good)) return { span: 'all' };

  const namespaces = enumerate(start, edges, good);
  if (namespaces === undefined) return { span: 'several' };
  return { span: namespaces.length === 1 ? 'one' : 'several', ...(namespaces.length <= ENUMERATION_LIMIT ? { namespaces } : {}) };
}

/**
 * For states entered right after the `:` that ends the namespace: whether some non-empty name
 * leads to acceptance. Computed backwards over the name-phase graph.
 */
function namesAdmitted(auto: MatcherAutomaton, entries: AutomatonState[]): (s: AutomatonState) => boolean {
  const preds = new Map<AutomatonState, AutomatonState[]>();
  const seen = new Set<AutomatonState>(entries);
  const queue = [...seen];
  const ok = new Set<AutomatonState>();
  const work: AutomatonState[] = [];
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (auto.isDead(s)) continue;
    for (const ch of NAME_ALPHABET) {
      const t = auto.step(s, ch);
      let list = preds.get(t);
      if (!list) preds.set(t, (list = []));
      list.push(s);
      if (auto.accepts(t) && !ok.has(s)) {
        ok.add(s);
        work.push(s);
      }
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  while (work.length > 0) {
    const s = work.pop()!;
    for (const p of preds.get(s) ?? []) {
      if (!ok.has(p)) {
        ok.add(p);
        work.push(p);
      }
    }
  }
  return (s) => ok.has(s);
}

/**
 * The non-empty namespaces leading to a good state, when they are finitely many (no cycle
 * through states that can still reach a good one); undefined when infinite or too many.
 */
function enumerate(
  start: AutomatonState,
  edges: Map<AutomatonState, Map<string, AutomatonState>>,
  good: (s: AutomatonState) => boolean,
): string[] | undefined {
  // Backward closure: states from which a good state is reachable in zero or more steps.
  const live = new Set<AutomatonState>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [s, row] of edges) {
      if (live.has(s)) continue;
      if ((s !== start && good(s)) || [...row.values()].some((t) => live.has(t) || good(t))) {
        live.add(s);
        changed = true;
      }
    }
  }

  const out: string[] = [];
  const onPath = new Set<AutomatonState>();
  let overflow = false;
  const visit = (s: AutomatonState, word: string): boolean => {
    if (onPath.has(s)) return false;
    onPath.add(s);
    for (const [ch, t] of edges.get(s) ?? []) {
      if (!live.has(t) && !good(t)) continue;
      const w = word + ch;
      if (good(t)) {
        out.push(w);
        if (out.length > ENUMERATION_LIMIT * 4) overflow = true;
      }
      if (overflow || !visit(t, w)) return false;
    }
    onPath.delete(s);
    return true;
  };
  const finite = visit(start, '');
  if (!finite) return undefined;
  return out;
}
