// Frozen copy of src/federation/kubernetes-subjects.ts as of commit f9c8f1b, before the step budget: the oracle that
// test/federation/budget.test.ts compares the budgeted operations with. Not to be edited.
/**
 * Which Kubernetes namespaces a matcher admits, over subjects
 * `system:serviceaccount:<namespace>:<name>`: a namespace is a DNS label and a name a DNS
 * subdomain, so neither holds `:` (or `*`), and the `:` between them is the only one after the
 * prefix. A namespace counts when at least one name in it is admitted.
 */
import { AutomatonLimitError, MatcherAutomaton, type AutomatonState } from './automaton.js';
import type { Matcher, NamespaceSpan, Pattern } from '../../../src/federation/types.js';

export const SUBJECT_PREFIX = 'system:serviceaccount:';
const NAMESPACE_ALPHABET = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
const NAME_ALPHABET = [...NAMESPACE_ALPHABET, '.'];
/** Finite namespace sets larger than this are reported as not enumerable. */
const ENUMERATION_LIMIT = 256;

export interface NamespaceAnalysis {
  span: NamespaceSpan;
  /** The admitted namespaces when finite and at most {@link ENUMERATION_LIMIT}. */
  namespaces?: string[];
  /** True when the matcher was too complex to analyse; `span` is then an upper bound. */
  limited?: boolean;
}

export function analyzeNamespaces(matcher: Matcher): NamespaceAnalysis {
  const literal = literalAnalysis(matcher);
  if (literal) return literal;
  // Trust analysis and then several rules ask about the same subject patterns.
  const key = JSON.stringify([matcher.allow && patternsKey(matcher.allow), (matcher.allowAlso ?? []).map(patternsKey), patternsKey(matcher.deny)]);
  let answer = automatonAnswers.get(key);
  if (!answer) {
    if (automatonAnswers.size >= AUTOMATON_ANSWERS_KEPT) automatonAnswers.clear();
    automatonAnswers.set(key, (answer = automatonAnalysis(matcher)));
  }
  return answer.namespaces ? { ...answer, namespaces: [...answer.namespaces] } : { ...answer };
}

/** What the automaton reads of each pattern. */
function patternsKey(patterns: readonly Pattern[]): [string, boolean, boolean][] {
  return patterns.map((p) => [p.value, Boolean(p.wildcard), Boolean(p.ignoreCase)]);
}

const AUTOMATON_ANSWERS_KEPT = 10_000;
/** Answers by the patterns' text, so a matcher changed after it was asked about is never answered wrongly. */
const automatonAnswers = new Map<string, NamespaceAnalysis>();

function automatonAnalysis(matcher: Matcher): NamespaceAnalysis {
  try {
    return analyze(new MatcherAutomaton(matcher));
  } catch (e) {
    if (e instanceof AutomatonLimitError) return { span: coarseSpan(matcher), limited: true };
    throw e;
  }
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
