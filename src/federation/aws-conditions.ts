/** Reading an IAM `Condition` block into {@link ConditionUse}s, in document order. */
import type { InventoryIndex } from '../model/model.js';
import type { JsonValue } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { join } from '../util/pointer.js';
import { resolveConditionKey } from './issuers.js';
import { asRecord, valuesOf } from './aws-policy.js';
import type { ConditionUse } from './types.js';

export interface ParsedOperator {
  base: string;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  negated: boolean;
}

/** Operator names are case-sensitive, as IAM reads them. */
export function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let setOperator: ParsedOperator['setOperator'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(prefix + ':')) {
      setOperator = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const parsed: ParsedOperator = { base, ifExists, negated: base.includes('Not') };
  if (setOperator) parsed.setOperator = setOperator;
  return parsed;
}

/**
 * The uses of a statement's Condition block. `issuerMismatch` is left false: it depends on the
 * federation the statement is read for (see `markIssuerMismatch`).
 */
export function readConditions(condition: JsonValue | undefined, statementPointer: string, index: InventoryIndex): ConditionUse[] {
  const block = asRecord(condition);
  if (!block) return [];
  const uses: ConditionUse[] = [];
  for (const [operator, entries] of Object.entries(block)) {
    const keys = asRecord(entries);
    if (!keys) continue;
    const op = parseOperator(operator);
    for (const [key, raw] of Object.entries(keys)) {
      const resolved = resolveConditionKey(key, index);
      const values = valuesOf(raw).map((v) => (isUnknown(v) ? { unknown: v.$unknown } : v));
      const use: ConditionUse = {
        operator,
        base: op.base,
        ifExists: op.ifExists,
        negated: op.negated,
        key,
        issuerMismatch: false,
        values,
        pointer: join(statementPointer, 'Condition', operator, key),
        tautology: values.some((v) => isOwnVariable(v, key)),
      };
      if (op.setOperator) use.setOperator = op.setOperator;
      if (resolved.claim !== undefined) use.claim = resolved.claim;
      if (resolved.issuer) use.keyIssuer = resolved.issuer;
      uses.push(use);
    }
  }
  return uses;
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
