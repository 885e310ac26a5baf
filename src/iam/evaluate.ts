/**
 * IAM evaluation of identity policies and a permissions boundary for one request.
 *
 * Order of decisions, weakest first: `deny` < `unknown` < `conditional` < `allow`. A boundary
 * intersects: the result is the weaker of the identity and boundary decisions. Conditions are never
 * evaluated: an allow under a condition is `conditional`, a deny under a condition weakens an allow to
 * `conditional`. Unresolved content is `unknown`, never guessed.
 */
import type { PolicyInput, RolePolicies } from './role-policies.js';
import type { IamStatement } from './policy-statements.js';
import { type StatementMatch, matchStatement } from './statement-match.js';

export type Decision = 'allow' | 'conditional' | 'deny' | 'unknown';

const RANK: Record<Decision, number> = { deny: 0, unknown: 1, conditional: 2, allow: 3 };

export function weaker(a: Decision, b: Decision): Decision {
  return RANK[a] <= RANK[b] ? a : b;
}

export function isGranted(d: Decision): boolean {
  return d === 'allow' || d === 'conditional';
}

/** A statement that allows the request, and where it lives. */
export interface Grant {
  policy: PolicyInput;
  statement: IamStatement;
  /** The `Action` value that covers the request, when the statement lists actions. */
  actionPointer?: string;
  conditional: boolean;
}

export interface Evaluation {
  decision: Decision;
  /** The identity-policy statements that allow the request (empty when none does for certain). */
  grants: Grant[];
}

interface Applying {
  statement: IamStatement;
  m: Readonly<StatementMatch>;
}

/**
 * AWS managed policies' statements are shared by every role they are attached to: match each
 * request on `*` (the probes every role is asked) once. Other resources vary by role; not kept.
 */
const sharedMatches = new WeakMap<IamStatement[], Map<string, Applying[]>>();

/** The statements of a policy that apply (or may apply) to the request. */
function applying(kind: PolicyInput['kind'], statements: IamStatement[], action: string, resource: string): Applying[] {
  if (kind !== 'aws-managed' || resource !== '*') return matchAll(statements, action, resource);
  let byRequest = sharedMatches.get(statements);
  if (!byRequest) sharedMatches.set(statements, (byRequest = new Map()));
  let found = byRequest.get(action);
  if (!found) byRequest.set(action, (found = matchAll(statements, action, resource)));
  return found;
}

function matchAll(statements: IamStatement[], action: string, resource: string): Applying[] {
  const out: Applying[] = [];
  for (const statement of statements) {
    const m = matchStatement(statement, action, resource);
    if (m.applies !== 'no') out.push({ statement, m });
  }
  return out;
}

/**
 * An unreadable identity policy may allow anything, so it turns an implicit deny into `unknown`.
 * It is not assumed to deny: Deny statements in identity policies are rare, and an allow that is
 * certain elsewhere stays certain (the unread policy is still named by the rules that report).
 */
function evaluatePolicies(policies: readonly PolicyInput[], action: string, resource: string, unreadable: 'may-allow' | 'unknown'): Evaluation {
  let allowYes = false;
  let allowConditional = false;
  let allowUnknown = false;
  let denyYes = false;
  let denyConditional = false;
  let denyUnknown = false;
  const grants: Grant[] = [];
  for (const policy of policies) {
    if (policy.statements === null) {
      allowUnknown = true;
      if (unreadable === 'unknown') denyUnknown = true;
      continue;
    }
    for (const { statement, m } of applying(policy.kind, policy.statements, action, resource)) {
      const certain = m.applies === 'yes';
      if (statement.effect === 'unknown') {
        allowUnknown = true;
        denyUnknown = true;
      } else if (statement.effect === 'Allow') {
        if (!certain) allowUnknown = true;
        else {
          if (statement.conditional) allowConditional = true;
          else allowYes = true;
          const g: Grant = { policy, statement, conditional: statement.conditional };
          if (m.actionPointer !== undefined) g.actionPointer = m.actionPointer;
          grants.push(g);
        }
      } else if (!certain) denyUnknown = true;
      else if (statement.conditional) denyConditional = true;
      else denyYes = true;
    }
  }
  if (denyYes) return { decision: 'deny', grants: [] };
  let decision: Decision = allowYes ? 'allow' : allowConditional ? 'conditional' : allowUnknown ? 'unknown' : 'deny';
  if (decision !== 'deny') {
    if (denyUnknown) decision = weaker(decision, 'unknown');
    else if (denyConditional) decision = weaker(decision, 'conditional');
  }
  // Only certain grants are kept; conditional ones first lose to unconditional ones for pointing.
  grants.sort((a, b) => Number(a.conditional) - Number(b.conditional));
  return { decision, grants: decision === 'deny' ? [] : grants };
}

/** The decision for `action` on `resource` (an ARN, or `*` for resources in general). */
export function evaluate(policies: RolePolicies, action: string, resource = '*'): Evaluation {
  const identity = evaluatePolicies(policies.identity, action, resource, 'may-allow');
  if (!policies.boundary || identity.decision === 'deny') return identity;
  const boundary = evaluatePolicies([policies.boundary], action, resource, 'unknown');
  const decision = weaker(identity.decision, boundary.decision);
  return { decision, grants: decision === 'deny' ? [] : identity.grants };
}
