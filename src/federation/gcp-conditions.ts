/**
 * What an IAM Condition on a project/folder/organization-level impersonation grant leaves of it.
 * `iam.serviceAccounts.getAccessToken` (Workload Identity User, Token Creator) is checked against the
 * service account as the resource, and IAM honours resource attributes for it: `resource.type`
 * (`iam.googleapis.com/ServiceAccount`), `resource.service` (`iam.googleapis.com`) and `resource.name`
 * (`projects/-/serviceAccounts/<email or unique id>`). `request.time` restricts when, not which account.
 * Only a conjunction of such clauses is read; anything else is undecided, never guessed.
 */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';

export type ConditionScope =
  /** No condition, or one that does not narrow the accounts (time only, the service-account type itself). */
  | { kind: 'all' }
  /** Only the accounts the condition's resource.name clauses admit. */
  | { kind: 'some'; accounts: string[] }
  /** The condition admits no service account (another resource type or service). */
  | { kind: 'none'; because: string }
  | { kind: 'undecided' };

const SERVICE_ACCOUNT_TYPE = 'iam.googleapis.com/ServiceAccount';
const IAM_SERVICE = 'iam.googleapis.com';
const LITERAL = String.raw`(?:'([^'\\]*)'|"([^"\\]*)")`;
const EQUALS = new RegExp(String.raw`^resource\.(type|service|name)\s*==\s*${LITERAL}$`);
const STARTS_WITH = new RegExp(String.raw`^resource\.name\.startsWith\(\s*${LITERAL}\s*\)$`);
const TIME = /^request\.time\s*(?:<|<=|>|>=)\s*timestamp\(\s*(?:'[^'\\]*'|"[^"\\]*")\s*\)$/;

/** Splits at top-level `&&`; undefined when the expression has a top-level `||`, a negation or unbalanced parentheses. */
function conjuncts(expression: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === '|' || c === '!')) return undefined;
    else if (depth === 0 && c === '&' && expression[i + 1] === '&') {
      out.push(expression.slice(start, i));
      start = i + 2;
      i++;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0 || quote) return undefined;
  out.push(expression.slice(start));
  return out.map(unwrap);
}

function unwrap(clause: string): string {
  let c = clause.trim();
  while (c.startsWith('(') && c.endsWith(')') && conjuncts(c.slice(1, -1))?.length === 1) c = c.slice(1, -1).trim();
  return c;
}

/** What a binding's `condition` (`{ expression }`) leaves of a grant on every service account below it. */
export function conditionScope(condition: JsonValue | Unknown | undefined): ConditionScope {
  if (condition === undefined || condition === null) return { kind: 'all' };
  if (isUnknown(condition) || typeof condition !== 'object' || Array.isArray(condition)) return { kind: 'undecided' };
  const expression = condition.expression;
  if (expression === undefined || expression === null || expression === '') return { kind: 'all' };
  if (typeof expression !== 'string') return { kind: 'undecided' };
  const clauses = conjuncts(expression);
  if (!clauses) return { kind: 'undecided' };
  const accounts: string[] = [];
  for (const clause of clauses) {
    if (TIME.test(clause)) continue;
    const starts = STARTS_WITH.exec(clause);
    if (starts) {
      accounts.push(`${starts[1] ?? starts[2]}*`);
      continue;
    }
    const eq = EQUALS.exec(clause);
    if (!eq) return { kind: 'undecided' };
    const value = eq[2] ?? eq[3]!;
    if (eq[1] === 'type' && value !== SERVICE_ACCOUNT_TYPE) return { kind: 'none', because: `resource.type == '${value}'` };
    if (eq[1] === 'service' && value !== IAM_SERVICE) return { kind: 'none', because: `resource.service == '${value}'` };
    if (eq[1] === 'name') accounts.push(value);
  }
  // Conjoined name clauses narrow further; reading the narrowest would be a guess, so all are named.
  return accounts.length > 0 ? { kind: 'some', accounts } : { kind: 'all' };
}
