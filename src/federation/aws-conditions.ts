/** The tests of an IAM `Condition` block read as {@link ConditionUse}s: which claim and issuer each key names. */
import type { InventoryIndex } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import type { StatementCondition } from '../iam/policy-statements.js';
import { resolveConditionKey } from './issuers.js';
import type { ConditionUse } from './types.js';

/**
 * The uses of a statement's Condition block, in document order. `issuerMismatch` is left false:
 * it depends on the federation the statement is read for.
 */
export function readConditions(condition: StatementCondition, index: InventoryIndex): ConditionUse[] {
  return condition.tests.map((test) => {
    const resolved = resolveConditionKey(test.key, index);
    const values = test.values.map((v) => (isUnknown(v) ? { unknown: v.$unknown } : v));
    const use: ConditionUse = {
      operator: test.operator,
      base: test.base,
      ifExists: test.ifExists,
      negated: test.negated,
      key: test.key,
      issuerMismatch: false,
      values,
      pointer: test.pointer,
      tautology: values.some((v) => isOwnVariable(v, test.key)),
    };
    if (test.setOperator) use.setOperator = test.setOperator;
    if (resolved.claim !== undefined) use.claim = resolved.claim;
    if (resolved.issuer) use.keyIssuer = resolved.issuer;
    return use;
  });
}

/** True when the value is the policy variable of the key itself (`${<key>}`): IAM puts the request's own value there. */
function isOwnVariable(value: string | { unknown: string }, key: string): boolean {
  const text = typeof value === 'string' ? value : value.unknown;
  return text.trim().toLowerCase() === '${' + key.toLowerCase() + '}';
}

/** Whether a value names no request variable (`${...}`): usable as a literal or pattern. */
export function isPlainValue(value: string | { unknown: string }): value is string {
  return typeof value === 'string' && !value.includes('${');
}
