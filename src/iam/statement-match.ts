/** Whether one statement applies to a request (action, resource), without conditions. */
import { wildcardMatch } from '../federation/wildcard.js';
import type { IamStatement, ValueList } from './policy-statements.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface StatementMatch {
  applies: Tri;
  /** Pointer to the `Action` value that covers the request, when one does (not for `NotAction`). */
  actionPointer?: string;
}

/** Action names ignore case in IAM; resource ARNs do not. */
/** Action names repeat across every role's policies: lower each once, not at every comparison. */
const lowered = new Map<string, string>();
const MAX_LOWERED = 100_000;

function lower(s: string): string {
  let l = lowered.get(s);
  if (l === undefined) {
    l = s.toLowerCase();
    if (lowered.size < MAX_LOWERED) lowered.set(s, l);
  }
  return l;
}

type ListMatch = Readonly<{ tri: Tri; pointer?: string }>;

// Most probes match nothing: their answers are shared, not built per call.
const NO: ListMatch = Object.freeze({ tri: 'no' });
const UNKNOWN: ListMatch = Object.freeze({ tri: 'unknown' });

function listMatch(list: ValueList, value: string, ignoreCase: boolean): ListMatch {
  const v = ignoreCase ? lower(value) : value;
  for (const k of list.known) {
    if (wildcardMatch(ignoreCase ? lower(k.value) : k.value, v)) return { tri: 'yes', pointer: k.pointer };
  }
  return list.unknown ? UNKNOWN : NO;
}

function negate(t: Tri): Tri {
  return t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'unknown';
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'yes';
}

/** Whether the statement's `Action` (or `NotAction`) covers `action`, whatever the resource. */
export function matchAction(stmt: IamStatement, action: string): Tri {
  const a = listMatch(stmt.actions, action, true);
  return stmt.notAction ? negate(a.tri) : a.tri;
}

const APPLIES_NOT: Readonly<StatementMatch> = Object.freeze({ applies: 'no' });

/**
 * `resource` is an ARN, or the literal `*` for "on resources in general": a `Resource` covers it
 * only with a pattern matching `*` (a bare `*`), a `NotResource` unless it lists `*` — excluding a
 * few ARNs still grants the action almost everywhere.
 */
export function matchStatement(stmt: IamStatement, action: string, resource: string): Readonly<StatementMatch> {
  if (!stmt.resources) return APPLIES_NOT;
  // Resources first: probes ask about `*`, which most statements' resource ARNs rule out.
  const r = listMatch(stmt.resources, resource, false);
  const resourceTri = stmt.notResource ? negate(r.tri) : r.tri;
  if (resourceTri === 'no') return APPLIES_NOT;
  const a = listMatch(stmt.actions, action, true);
  const actionTri = stmt.notAction ? negate(a.tri) : a.tri;
  const applies = and(actionTri, resourceTri);
  if (applies === 'no') return APPLIES_NOT;
  const out: StatementMatch = { applies };
  if (!stmt.notAction && a.pointer !== undefined) out.actionPointer = a.pointer;
  return out;
}
