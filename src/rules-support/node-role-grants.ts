/** What a worker node role grants beyond the EKS node baseline, grouped by the element to change. */
import type { JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { effectivePermissions, type GrantLocation } from '../iam/effective-permissions.js';
import { NODE_BASELINE_POLICIES } from '../iam/aws-managed-policies.js';
import { shown } from '../util/input-text.js';

export interface ExcessGrant extends GrantLocation {
  /** What is granted there, for the message (`s3:*`, `the AWS managed policy AdministratorAccess`). */
  whats: string[];
  conditional: boolean;
}

export interface NodeRoleSummary {
  excess: ExcessGrant[];
  /** Names of the policies attached or inline, for messages. */
  policyNames: string[];
}

export function summarizeNodeRole(role: Resource, model: Model): NodeRoleSummary {
  const perms = effectivePermissions(role, model, { exempt: NODE_BASELINE_POLICIES });
  const byPointer = new Map<string, ExcessGrant>();
  const add = (loc: GrantLocation, what: string, conditional: boolean) => {
    const entry = byPointer.get(loc.pointer) ?? { ...loc, whats: [], conditional };
    if (!entry.whats.includes(what)) entry.whats.push(what);
    entry.conditional &&= conditional;
    byPointer.set(loc.pointer, entry);
  };
  for (const b of perms.broad) add(b, b.what, b.conditional);
  for (const a of perms.adminEquivalent) add(a, `${a.reason} (admin-equivalent)`, a.conditional);
  return { excess: [...byPointer.values()], policyNames: perms.policies.identity.map((p) => p.name) };
}

/** A short description of what a node role grants, for messages of rules about reaching it. */
export function describeNodeRole(role: Resource | undefined, model: Model): { text: string; broad: boolean } {
  if (!role) return { text: 'the node role (not in the scan)', broad: false };
  const summary = summarizeNodeRole(role, model);
  const name = roleName(role);
  if (summary.excess.length > 0) {
    const whats = summary.excess.flatMap((e) => e.whats);
    return { text: `node role ${name}, which grants ${whats.join(', ')} beyond the worker baseline`, broad: true };
  }
  const names = summary.policyNames.filter((n) => !n.startsWith('unresolved'));
  return { text: `node role ${name} (${names.length > 0 ? names.join(', ') : 'no policies in the scan'})`, broad: false };
}

export function roleName(role: Resource): string {
  const body = role.body as Record<string, JsonValue>;
  return shown(typeof body.RoleName === 'string' ? body.RoleName : role.name);
}
