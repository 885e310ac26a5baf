/**
 * What a cloud identity can do, in words for the reports' identity map: the effective AWS
 * permissions of a role (admin-equivalent and broad grants first, then its policies by name),
 * the IAM roles a Google service account holds, the Azure roles a managed identity holds at
 * their scopes. Read from the same views the rules use; nothing here decides a finding.
 */
import type { JsonValue, Resource } from './types.js';
import type { Model } from './model.js';
import { effectivePermissions } from '../iam/effective-permissions.js';
import { findIdentity } from '../federation/azure.js';
import { gsaEmail, gsaProject } from '../federation/gcp.js';
import { parseMember } from '../federation/gcp-members.js';
import { obj } from '../rules-support/gcp.js';
import { roleNameOf, scopeInfoOf } from '../rules-support/azure.js';
import type { ScopeInfo } from '../iam/azure-scope.js';
import { shown } from '../util/input-text.js';

/** Grants written once per statement; the report shows them without Markdown code spans. */
function plain(what: string): string {
  return what.replace(/`/g, '');
}

function awsRole(role: Resource, model: Model): string[] {
  const effective = effectivePermissions(role, model);
  const out: string[] = [];
  const named = new Set<string>();
  for (const a of effective.adminEquivalent) {
    out.push(`admin (${a.policyName}${a.conditional ? ', under conditions' : ''})`);
    named.add(a.policyName);
  }
  const kind = new Map(effective.policies.identity.map((p) => [p.name, p.kind]));
  for (const b of effective.broad) {
    if (named.has(b.policyName) && kind.get(b.policyName) === 'aws-managed') continue;
    const conditions = b.conditional ? ', under conditions' : '';
    out.push(kind.get(b.policyName) === 'aws-managed' ? `${b.policyName} (broad)` : `${plain(b.what)} on * (${b.policyName}${conditions})`);
    named.add(b.policyName);
  }
  for (const p of effective.policies.identity) {
    if (named.has(p.name)) continue;
    // AWS managed policies are known by name even where podtrust does not model their content.
    if (p.statements === null && p.kind !== 'aws-managed') out.push(`${p.name} (content not read)`);
    else out.push(p.kind === 'inline' ? `inline policy ${p.name}` : p.name);
  }
  const boundary = effective.policies.boundary;
  if (boundary) out.push(`bounded by ${boundary.name}`);
  return out;
}

function gcpGrant(binding: Resource): string | undefined {
  const body = obj(binding.body);
  const role = body?.['role'];
  if (typeof role !== 'string') return undefined;
  const target = obj(body?.['resource']);
  const type = target?.['type'];
  const name = target?.['name'];
  return typeof type === 'string' && typeof name === 'string' ? `${role} on ${type} ${name}` : role;
}

/** The roles granted to each Google service account member, by `ref:<resource id>` or `email:<address>`, in one pass. */
function gcpGrantsByMember(model: Model): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const binding of model.ofType('gcp.iam.Binding')) {
    const members = obj(binding.body)?.['members'];
    if (!Array.isArray(members)) continue;
    const grant = gcpGrant(binding);
    if (grant === undefined) continue;
    for (const m of members) {
      const member = parseMember(m);
      if (member.kind !== 'gsa') continue;
      const key = member.ref ? `ref:${member.ref.id}` : member.email !== null ? `email:${member.email.toLowerCase()}` : undefined;
      if (key === undefined) continue;
      const list = out.get(key);
      if (list) list.push(grant);
      else out.set(key, [grant]);
    }
  }
  return out;
}

function azureScope(scope: ScopeInfo | undefined): string {
  if (!scope) return 'an unresolved scope';
  if (scope.level === 'root') return 'the tenant root';
  return `${scope.level} ${scope.resource ?? scope.resourceGroup ?? scope.subscription ?? scope.managementGroup ?? '(unresolved)'}`;
}

/** The roles assigned to each scanned managed identity, by its resource id, in one pass over the assignments. */
function azureGrantsByIdentity(model: Model): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const assignment of model.ofType('azure.authorization.RoleAssignment')) {
    const principal = obj(obj(assignment.body)?.['properties'])?.['principalId'];
    const identity = findIdentity(principal, model, 'principalId');
    if (!identity) continue;
    const grant = `${roleNameOf(assignment) ?? '(unresolved role)'} at ${azureScope(scopeInfoOf(assignment))}`;
    const list = out.get(identity.id);
    if (list) list.push(grant);
    else out.set(identity.id, [grant]);
  }
  return out;
}

/**
 * What each identity can do, most powerful first; empty when the scan holds no grant to it.
 * The indexes of grants are built on first use and each identity is summarised once, however
 * many ServiceAccounts name it.
 */
export function identityPermissionReader(model: Model): (identity: Resource) => string[] {
  let gcp: Map<string, string[]> | undefined;
  let azure: Map<string, string[]> | undefined;
  const seen = new Map<string, string[]>();
  const summarise = (identity: Resource): string[] => {
    if (identity.type === 'aws.iam.Role') return awsRole(identity, model);
    if (identity.type === 'gcp.iam.ServiceAccount') {
      gcp ??= gcpGrantsByMember(model);
      const email = gsaEmail(identity);
      return [...(gcp.get(`ref:${identity.id}`) ?? []), ...(email !== undefined ? (gcp.get(`email:${email}`) ?? []) : [])];
    }
    if (identity.type === 'azure.msi.UserAssignedIdentity') return (azure ??= azureGrantsByIdentity(model)).get(identity.id) ?? [];
    return [];
  };
  return (identity) => {
    let list = seen.get(identity.id);
    if (!list) seen.set(identity.id, (list = [...new Set(summarise(identity).map((p) => shown(p)))]));
    return list;
  };
}

const AWS_ACCOUNT = /^arn:aws[\w-]*:iam::(\d{12}):/;
const AZURE_SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;
const GSA_PROJECT = /@([^.@]+)\.iam\.gserviceaccount\.com$/i;

/** The account, project or subscription an identity lives in, when the scan tells: from the identity, else from the name a ServiceAccount gives it. */
export function identityScope(provider: 'aws' | 'azure' | 'gcp', identity: Resource | undefined, named: JsonValue | undefined): string | undefined {
  const body = obj(identity?.body);
  if (provider === 'aws') {
    const arn = [body?.['Arn'], named].find((v): v is string => typeof v === 'string' && AWS_ACCOUNT.test(v));
    return arn !== undefined ? `AWS account ${AWS_ACCOUNT.exec(arn)![1]}` : undefined;
  }
  if (provider === 'gcp') {
    const project = identity ? gsaProject(identity) : typeof named === 'string' ? GSA_PROJECT.exec(named)?.[1] : undefined;
    return project !== undefined ? `GCP project ${shown(project)}` : undefined;
  }
  const id = body?.['id'];
  const subscription = typeof id === 'string' ? AZURE_SUBSCRIPTION.exec(id)?.[1] : undefined;
  return subscription !== undefined ? `Azure subscription ${shown(subscription)}` : undefined;
}
