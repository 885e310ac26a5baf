/**
 * What an IAM role is allowed to do, from its attached, inline and customer managed policies and
 * its permissions boundary, with pointers to the policy element that grants each finding.
 */
import type { Resource } from '../model/types.js';
import type { InventoryIndex } from '../model/types.js';
import { evaluate, type Decision, type Grant } from './evaluate.js';
import { rolePolicies, type PolicyInput, type RolePolicies } from './role-policies.js';
import { adminEquivalentGrants } from './privilege-escalation.js';
import { broadGrants } from './broad-grants.js';

/** Where a grant is written: a pointer into the role, and for customer managed policies the statement too. */
export interface GrantLocation {
  pointer: string;
  /** The customer managed policy and the pointer of its statement, as a related location. */
  related?: { resource: Resource; pointer: string };
  policyName: string;
}

export interface AdminEquivalent extends GrantLocation {
  reason: string;
  conditional: boolean;
}

export interface BroadPermission extends GrantLocation {
  what: string;
  conditional: boolean;
}

export interface EffectivePermissions {
  policies: RolePolicies;
  /** The decision for one action on one resource ARN (`*`, the default, for resources in general). */
  grants(action: string, resource?: string): Decision;
  adminEquivalent: AdminEquivalent[];
  /** Broad grants outside the exempt AWS managed policies. */
  broad: BroadPermission[];
  /** Policies whose content is not known (their names), so that findings can say what was not read. */
  unresolved: string[];
}

/** Where the user changes a grant: the inline statement's action, or the managed policy's attachment. */
export function locateGrant(grant: Grant): GrantLocation {
  return locate(grant.policy, grant.actionPointer ?? grant.statement.actionPointer);
}

function locate(policy: PolicyInput, statementPointer: string): GrantLocation {
  if (policy.kind === 'inline') return { pointer: statementPointer, policyName: policy.name };
  const out: GrantLocation = { pointer: policy.pointer, policyName: policy.name };
  if (policy.kind === 'customer-managed' && policy.policyResource) out.related = { resource: policy.policyResource, pointer: statementPointer };
  return out;
}

/** One view per role and inventory: a rule and the reports' identity map read the same role. */
const shared = new WeakMap<InventoryIndex, WeakMap<Resource, EffectivePermissions>>();

export function effectivePermissions(role: Resource, index: InventoryIndex, options: { exempt?: readonly string[] } = {}): EffectivePermissions {
  if (options.exempt !== undefined) return computeEffectivePermissions(role, index, options);
  let byRole = shared.get(index);
  if (!byRole) shared.set(index, (byRole = new WeakMap()));
  let view = byRole.get(role);
  if (!view) byRole.set(role, (view = computeEffectivePermissions(role, index, options)));
  return view;
}

function computeEffectivePermissions(role: Resource, index: InventoryIndex, options: { exempt?: readonly string[] }): EffectivePermissions {
  const policies = rolePolicies(role, index);
  // Each rule reads one of these: compute them on first use.
  let adminEquivalent: AdminEquivalent[] | undefined;
  let broad: BroadPermission[] | undefined;
  return {
    policies,
    grants: (action, resource = '*') => evaluate(policies, action, resource).decision,
    get adminEquivalent() {
      return (adminEquivalent ??= adminEquivalentOf(policies));
    },
    get broad() {
      return (broad ??= broadGrants(policies, options.exempt ?? []).map((b): BroadPermission => ({ ...locate(b.policy, b.pointer), what: b.what, conditional: b.conditional })));
    },
    unresolved: [...policies.identity, ...(policies.boundary ? [policies.boundary] : [])].filter((p) => p.statements === null).map((p) => p.name),
  };
}

function adminEquivalentOf(policies: RolePolicies): AdminEquivalent[] {
  const out: AdminEquivalent[] = [];
  for (const a of adminEquivalentGrants(policies)) {
    const grant = a.evaluation.grants[0];
    if (!grant) continue;
    out.push({ ...locateGrant(grant), reason: a.reason, conditional: a.decision === 'conditional' });
  }
  return out;
}
