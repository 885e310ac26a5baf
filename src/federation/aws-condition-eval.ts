/**
 * IAM condition semantics for the `sub` and `aud` claims of one issuer, turned into matchers.
 * Kubernetes (and OIDC) tokens always carry `sub` and `aud`, each with one value for these
 * purposes, so `…IfExists` and `ForAnyValue:`/`ForAllValues:` act like the plain operator.
 */
import { isPlainValue } from './aws-conditions.js';
import { anyMatcher, intersect, likePattern, literal, subtract } from './matcher.js';
import type { ConditionUse, Matcher, Pattern } from './types.js';
import { quote } from '../util/input-text.js';

export interface ClaimConstraints {
  subject: Matcher;
  audience: Matcher;
  /** Why no token can satisfy the conditions, when a condition alone says so. */
  unsatisfiable?: string;
}

const POSITIVE = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase']);
const NEGATED = new Set(['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase']);

/** Patterns of a string operator's known values; `unknown` when some value is unresolved or a request variable. */
export function patternsOf(use: ConditionUse): { patterns: Pattern[]; unknown: boolean } {
  const patterns: Pattern[] = [];
  let unknown = false;
  for (const v of use.values) {
    if (!isPlainValue(v)) {
      unknown = true;
      continue;
    }
    if (use.base === 'StringLike' || use.base === 'StringNotLike') patterns.push(likePattern(v));
    else patterns.push(literal(v, use.base.endsWith('IgnoreCase')));
  }
  return { patterns, unknown };
}

/**
 * Applies the uses that constrain this statement's issuer (callers pass only those: no
 * mismatched key) to `sub`/`aud`.
 */
export function evaluateClaims(uses: ConditionUse[]): ClaimConstraints {
  const out: ClaimConstraints = { subject: anyMatcher(), audience: anyMatcher() };
  const fail = (reason: string) => {
    out.unsatisfiable ??= reason;
  };
  for (const use of uses) {
    if (use.claim === undefined) {
      if (use.key.includes('${')) {
        // An unresolved key of unknown claim may constrain either.
        out.subject = { ...out.subject, unknown: true };
        out.audience = { ...out.audience, unknown: true };
      }
      continue;
    }
    if (use.claim !== 'sub' && use.claim !== 'aud') continue;
    const field = use.claim === 'sub' ? 'subject' : 'audience';
    out[field] = applyUse(out[field], use, fail);
  }
  return out;
}

function applyUse(m: Matcher, use: ConditionUse, fail: (reason: string) => void): Matcher {
  // Whether the claim may be absent is the key-presence check's (aws-trust.ts); here it constrains nothing.
  if (use.base === 'Null') return use.values.some((v) => typeof v !== 'string') ? { ...m, unknown: true } : m;
  if (POSITIVE.has(use.base)) {
    if (use.tautology) return m;
    const { patterns, unknown } = patternsOf(use);
    return intersect(m, { allow: patterns, deny: [], unknown });
  }
  if (NEGATED.has(use.base)) {
    if (use.tautology) {
      fail(`${use.operator} on ${quote(use.key)} compares the claim with itself and never holds`);
      return m;
    }
    const { patterns, unknown } = patternsOf(use);
    return subtract(m, patterns, unknown);
  }
  // Another operator family on sub/aud (Arn*, Numeric*, a misspelling): its effect is not modelled.
  return { ...m, unknown: true };
}

/**
 * Whether a use is false when its key is missing from the request: IAM evaluates a positive
 * operator on a missing key as false and a negated one as true; `…IfExists` and `ForAllValues:`
 * are true, `ForAnyValue:` false, without the key; `Null: "false"` asks for the key.
 */
export function requiresKeyPresent(use: ConditionUse): boolean {
  if (use.base === 'Null') return nullExpects(use, 'false');
  if (use.ifExists || use.setOperator === 'ForAllValues') return false;
  return use.setOperator === 'ForAnyValue' || !use.negated;
}

/** Whether a use is false when its key is present: `Null: "true"`. */
export function requiresKeyAbsent(use: ConditionUse): boolean {
  return use.base === 'Null' && nullExpects(use, 'true');
}

/** A `Null` test with this value only (with several values, IAM ORs them). */
function nullExpects(use: ConditionUse, value: 'true' | 'false'): boolean {
  return use.values.length > 0 && use.values.every((v) => typeof v === 'string' && v.toLowerCase() === value);
}
