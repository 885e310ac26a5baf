/**
 * The federation view of a Google service account: every workload-pool member granted
 * `roles/iam.workloadIdentityUser` on it (or on its project, which covers every account there).
 * Issuer = the workload pool; subject = the Kubernetes ServiceAccounts the member admits.
 */
import type { JsonObject, JsonValue, Resource } from '../model/types.js';
import type { InventoryIndex } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import type { Federation, GcpGrant, Matcher } from './types.js';
import { anyMatcher } from './matcher.js';
import { SUBJECT_PREFIX } from './kubernetes-subjects.js';
import { type GcpMember, WORKLOAD_IDENTITY_USER, describeMember, isWorkloadMember, parseMember } from './gcp-members.js';

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v) ? v : undefined;
}

/** The email in `projects/P/serviceAccounts/EMAIL`, `projects/-/serviceAccounts/EMAIL` or a bare email. */
export function serviceAccountEmail(name: string): string {
  const m = /(?:^|\/)serviceAccounts\/([^/]+)$/.exec(name);
  return (m ? m[1]! : name).toLowerCase();
}

export function gsaEmail(gsa: Resource): string | undefined {
  const email = obj(gsa.body)?.email;
  return typeof email === 'string' ? email.toLowerCase() : undefined;
}

export function gsaProject(gsa: Resource): string | undefined {
  const body = obj(gsa.body) ?? {};
  if (typeof body.projectId === 'string') return body.projectId;
  const email = gsaEmail(gsa);
  const m = email ? /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email) : null;
  return m ? m[1] : undefined;
}

/** Whether a binding's resource names this service account: by email, or by reference to it. */
export function bindingTargets(binding: Resource, gsa: Resource): 'serviceAccount' | 'project' | undefined {
  const target = obj(obj(binding.body)?.resource);
  if (!target) return undefined;
  const name = target.name;
  if (target.type === 'serviceAccount') {
    if (isUnknown(name)) return name.ref?.id === gsa.id ? 'serviceAccount' : undefined;
    const email = gsaEmail(gsa);
    return typeof name === 'string' && email !== undefined && serviceAccountEmail(name) === email ? 'serviceAccount' : undefined;
  }
  if (target.type === 'project' && typeof name === 'string') {
    const project = gsaProject(gsa);
    return project !== undefined && name.replace(/^projects\//, '') === project ? 'project' : undefined;
  }
  return undefined;
}

/**
 * Which accounts a binding whose resource is unresolved (an interpolated name with no single
 * reference, a bare `get-iam-policy` dump) may be on, beyond those it names: any account, only
 * accounts whose email the scan does not know, or none. Rules that report an absence stay silent
 * on such a binding. It does not depend on the account, so a rule can class every binding once.
 */
export function unresolvedTarget(binding: Resource): 'any-account' | 'account-without-email' | undefined {
  const target = obj(obj(binding.body)?.resource);
  if (!target) return 'any-account';
  const type = target.type;
  if (type !== 'serviceAccount' && type !== 'unknown' && !isUnknown(type)) return undefined;
  const name = target.name;
  if (isUnknown(name)) return name.ref ? undefined : 'any-account';
  return typeof name === 'string' ? 'account-without-email' : 'any-account';
}

function pattern(value: string, wildcard: boolean) {
  return { value, wildcard, ignoreCase: false };
}

function subjectOf(m: GcpMember): Matcher {
  if (m.kind === 'ksa') {
    const unknown = m.namespace === null || m.name === null || m.pool === null;
    const wildcard = m.namespace === null || m.name === null;
    return { allow: [pattern(`${SUBJECT_PREFIX}${m.namespace ?? '*'}:${m.name ?? '*'}`, wildcard)], deny: [], unknown };
  }
  if (m.kind === 'pool-set' && m.scope === 'namespace') {
    if (m.namespace === null || m.namespace === undefined) return { ...anyMatcher(), unknown: true };
    return { allow: [pattern(`${SUBJECT_PREFIX}${m.namespace}:*`, true)], deny: [], unknown: m.pool === null };
  }
  if (m.kind === 'pool-set' && (m.scope === 'pool' || m.scope === 'cluster')) return { ...anyMatcher(), unknown: m.pool === null };
  return { ...anyMatcher(), unknown: true };
}

function grantOf(m: GcpMember, member: JsonValue, role: string | null, level: GcpGrant['level']): GcpGrant {
  const grant: GcpGrant = { pool: m.kind === 'ksa' || m.kind === 'pool-set' ? m.pool : null, scope: 'unknown', member: describeMember(member), role, level };
  if (m.kind === 'ksa') {
    grant.scope = 'ksa';
    grant.namespace = m.namespace;
    grant.name = m.name;
  } else if (m.kind === 'pool-set') {
    grant.scope = m.scope;
    if (m.namespace !== undefined) grant.namespace = m.namespace;
    if (m.cluster !== undefined) grant.cluster = m.cluster;
  }
  return grant;
}

interface BindingLookups {
  byRef: Map<string, number[]>;
  byEmail: Map<string, number[]>;
  byProject: Map<string, number[]>;
}

/** Bindings that may grant Workload Identity User, by what they target; built once per inventory. */
const bindingLookups = new WeakMap<InventoryIndex, BindingLookups>();

function lookupsOf(index: InventoryIndex): BindingLookups {
  let found = bindingLookups.get(index);
  if (found) return found;
  found = { byRef: new Map(), byEmail: new Map(), byProject: new Map() };
  const add = (map: Map<string, number[]>, key: string, at: number): void => {
    const list = map.get(key);
    if (list) list.push(at);
    else map.set(key, [at]);
  };
  index.ofType('gcp.iam.Binding').forEach((binding, at) => {
    const body = obj(binding.body) ?? {};
    if (body.role !== WORKLOAD_IDENTITY_USER && !isUnknown(body.role)) return;
    const target = obj(body.resource);
    const name = target?.name;
    if (target?.type === 'serviceAccount') {
      if (isUnknown(name) && name.ref) add(found!.byRef, name.ref.id, at);
      else if (typeof name === 'string') add(found!.byEmail, serviceAccountEmail(name), at);
    } else if (target?.type === 'project' && typeof name === 'string') {
      add(found!.byProject, name.replace(/^projects\//, ''), at);
    }
  });
  bindingLookups.set(index, found);
  return found;
}

/** The bindings that can target this account (bindingTargets still decides), in inventory order. */
function workloadIdentityBindingsFor(gsa: Resource, index: InventoryIndex): Resource[] {
  const { byRef, byEmail, byProject } = lookupsOf(index);
  const email = gsaEmail(gsa);
  const project = gsaProject(gsa);
  const at = [...(byRef.get(gsa.id) ?? []), ...(email !== undefined ? byEmail.get(email) ?? [] : []), ...(project !== undefined ? byProject.get(project) ?? [] : [])];
  const all = index.ofType('gcp.iam.Binding');
  return [...new Set(at)].sort((a, b) => a - b).map((i) => all[i]!);
}

/** The workload identity federations of a `gcp.iam.ServiceAccount`. */
export function analyzeGcpServiceAccount(gsa: Resource, index: InventoryIndex): Federation[] {
  const out: Federation[] = [];
  for (const binding of workloadIdentityBindingsFor(gsa, index)) {
    const level = bindingTargets(binding, gsa);
    if (!level) continue;
    const body = obj(binding.body) ?? {};
    const role = typeof body.role === 'string' ? body.role : null;
    if (role !== null && role !== WORKLOAD_IDENTITY_USER) continue;
    if (role === null && !isUnknown(body.role)) continue;
    const members = Array.isArray(body.members) ? body.members : [];
    members.forEach((member, i) => {
      const m = parseMember(member);
      if (!isWorkloadMember(m) && m.kind !== 'unknown') return;
      const grant = grantOf(m, member, role, level);
      const subject = subjectOf(m);
      if (role === null) subject.unknown = true;
      const fed: Federation = {
        identityId: gsa.id,
        cloud: 'gcp',
        mechanism: 'gke-workload-identity',
        issuer: { key: grant.pool ?? `unresolved:${grant.member}`, kind: 'kubernetes', ...(grant.cluster ? { cluster: grant.cluster } : {}) },
        subject,
        audience: anyMatcher(),
        sourceId: binding.id,
        pointer: `/members/${i}`,
        conditionPointer: body.condition !== undefined ? '/condition' : '/role',
        conditions: [],
        gcp: grant,
      };
      out.push(fed);
    });
  }
  return out;
}
