/**
 * A lazily built deterministic automaton over all patterns of a matcher at once (subset
 * construction of the patterns' glob automata). It answers questions about the whole set a
 * matcher admits (emptiness, which namespaces) that no single pattern comparison can.
 *
 * Subset construction can need exponentially many states (fifty patterns of a hundred stars
 * each), so every question is given a {@link StepBudget}: compiling a pattern costs a step per
 * character, and each transition one per position it advances. Past the budget the question
 * is undecided.
 */
import type { Matcher, Pattern } from './types.js';

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string };

interface CompiledPattern {
  tokens: Token[];
  ignoreCase: boolean;
  /** Index of the allow list it belongs to, or -1 for a deny pattern. */
  group: number;
  /** First global position id of this pattern. */
  base: number;
}

export interface AutomatonState {
  readonly key: string;
  readonly positions: readonly number[];
  /** No continuation can be accepted: some allow list has no live position left. */
  readonly dead: boolean;
}

/** Steps one question about a matcher may take, over every automaton it builds: about a tenth of a second here, and ninety times what the most complex trust among the rule fixtures takes (2,700). */
export const STEP_BUDGET = 250_000;

/** Thrown when a question spends its budget; the question is then undecided. */
export class BudgetExceededError extends Error {
  constructor(readonly limit: number) {
    super(`the wildcard analysis stopped at its budget of ${limit.toLocaleString('en-US')} steps`);
  }
}

/** The work one question may do; shared by every automaton built to answer it. */
export class StepBudget {
  private spent = 0;

  constructor(readonly limit: number = STEP_BUDGET) {}

  spend(steps: number): void {
    this.spent += steps;
    if (this.spent > this.limit) throw new BudgetExceededError(this.limit);
  }
}

export class MatcherAutomaton {
  private readonly patterns: CompiledPattern[] = [];
  /** Global position id → [pattern index, position in tokens]. */
  private readonly owner: [number, number][] = [];
  private readonly groupCount: number;
  private readonly states = new Map<string, AutomatonState>();
  private readonly transitions = new Map<AutomatonState, Map<string, AutomatonState>>();
  readonly start: AutomatonState;

  constructor(
    matcher: Matcher,
    private readonly budget: StepBudget,
  ) {
    const groups: Pattern[][] = [];
    if (matcher.allow !== null) groups.push(matcher.allow);
    for (const g of matcher.allowAlso ?? []) groups.push(g);
    this.groupCount = groups.length;
    groups.forEach((g, i) => g.forEach((p) => this.add(p, i)));
    matcher.deny.forEach((p) => this.add(p, -1));
    this.start = this.intern(this.closure(this.patterns.map((p) => p.base)));
  }

  /** Every character some pattern names literally, in both cases when a pattern ignores case. */
  literalCharacters(): Set<string> {
    const out = new Set<string>();
    for (const p of this.patterns) {
      for (const t of p.tokens) {
        if (t.kind !== 'char') continue;
        out.add(t.ch);
        if (p.ignoreCase) out.add(t.ch.toUpperCase());
      }
    }
    return out;
  }

  /** No continuation can be accepted. (With no allow list, the empty state accepts everything.) */
  isDead(state: AutomatonState): boolean {
    return state.dead;
  }

  accepts(state: AutomatonState): boolean {
    const matched = new Set<number>();
    for (const id of state.positions) {
      const [pi, pos] = this.owner[id]!;
      const p = this.patterns[pi]!;
      if (pos !== p.tokens.length) continue;
      if (p.group < 0) return false;
      matched.add(p.group);
    }
    return matched.size === this.groupCount;
  }

  step(state: AutomatonState, ch: string): AutomatonState {
    let row = this.transitions.get(state);
    if (!row) this.transitions.set(state, (row = new Map()));
    const cached = row.get(ch);
    if (cached) return cached;
    this.budget.spend(state.positions.length + 1);
    const lower = ch.toLowerCase();
    const next: number[] = [];
    for (const id of state.positions) {
      const [pi, pos] = this.owner[id]!;
      const p = this.patterns[pi]!;
      const t = p.tokens[pos];
      if (!t) continue;
      if (t.kind === 'star') next.push(id);
      else if (t.kind === 'any' || t.ch === (p.ignoreCase ? lower : ch)) next.push(id + 1);
    }
    const result = this.intern(this.closure(next));
    row.set(ch, result);
    return result;
  }

  run(state: AutomatonState, text: string): AutomatonState {
    let s = state;
    for (let i = 0; i < text.length && !this.isDead(s); i++) s = this.step(s, text[i]!);
    return s;
  }

  private add(pattern: Pattern, group: number): void {
    // Compiling costs a step per character, like advancing over a position.
    this.budget.spend(pattern.value.length + 1);
    const text = pattern.ignoreCase ? pattern.value.toLowerCase() : pattern.value;
    const tokens: Token[] = [];
    // Code units, like wildcardMatch.
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (pattern.wildcard && ch === '*') {
        if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
      } else if (pattern.wildcard && ch === '?') tokens.push({ kind: 'any' });
      else tokens.push({ kind: 'char', ch });
    }
    const index = this.patterns.length;
    const base = this.owner.length;
    for (let pos = 0; pos <= tokens.length; pos++) this.owner.push([index, pos]);
    this.patterns.push({ tokens, ignoreCase: pattern.ignoreCase, group, base });
  }

  /** Adds the position after every star, since a star may match nothing. */
  private closure(ids: number[]): number[] {
    const out = new Set<number>();
    for (let id of ids) {
      out.add(id);
      for (;;) {
        const [pi, pos] = this.owner[id]!;
        if (this.patterns[pi]!.tokens[pos]?.kind !== 'star') break;
        id += 1;
        out.add(id);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  private intern(positions: number[]): AutomatonState {
    const key = positions.join(',');
    let s = this.states.get(key);
    if (!s) {
      this.budget.spend(positions.length + 1);
      s = { key, positions, dead: this.deadAt(positions) };
      this.states.set(key, s);
    }
    return s;
  }

  /** Whether some allow list has no position among these: a value must match a pattern of each. */
  private deadAt(positions: readonly number[]): boolean {
    if (this.groupCount === 0) return false;
    const live = new Set<number>();
    for (const id of positions) {
      const group = this.patterns[this.owner[id]![0]]!.group;
      if (group >= 0) live.add(group);
    }
    return live.size < this.groupCount;
  }
}
