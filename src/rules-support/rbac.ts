/**
 * What an RBAC rule lets a subject do that amounts to acting as a namespace's ServiceAccounts:
 * run pods (directly or through a workload controller), mint their tokens, exec into their pods,
 * impersonate, or grant itself more.
 */
import type { JsonValue } from '../model/types.js';

interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

const WORKLOADS: [string, string][] = [
  ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'replicasets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

/** (apiGroup, resource, verb, description) triples that let a subject act as a ServiceAccount. */
const DANGEROUS: { group: string; resource: string; verbs: string[]; what: string }[] = [
  { group: '', resource: 'pods', verbs: ['create'], what: 'create pods' },
  ...WORKLOADS.map(([group, resource]) => ({ group, resource, verbs: ['create', 'update', 'patch'], what: `create or change ${resource}` })),
  { group: '', resource: 'serviceaccounts/token', verbs: ['create'], what: 'create ServiceAccount tokens' },
  { group: '', resource: 'serviceaccounts', verbs: ['update', 'patch'], what: 'change ServiceAccounts' },
  { group: '', resource: 'pods/exec', verbs: ['create'], what: 'exec into pods' },
  { group: '', resource: 'pods/attach', verbs: ['create'], what: 'attach to pods' },
  { group: '', resource: 'nodes/proxy', verbs: ['create'], what: 'use the kubelet API through nodes/proxy' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['bind', 'escalate'], what: 'bind or escalate roles' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verbs: ['bind', 'escalate'], what: 'bind or escalate cluster roles' },
];

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function parseRule(v: JsonValue): RbacRule | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return { apiGroups: strings(v.apiGroups), resources: strings(v.resources), verbs: strings(v.verbs), resourceNames: strings(v.resourceNames) };
}

function resourceMatches(patterns: string[], resource: string): boolean {
  const [main, sub] = resource.split('/');
  return patterns.some((p) => {
    if (p === '*' || p === resource) return true;
    if (sub !== undefined && p === `${main}/*`) return true;
    if (sub !== undefined && p === `*/${sub}`) return true;
    return false;
  });
}

/**
 * The dangerous permissions one rule grants. Rules limited by `resourceNames` are skipped: they
 * cannot grant `create`, and for the rest they name single objects this check cannot judge.
 */
export function dangerousGrants(rule: JsonValue): string[] {
  const r = parseRule(rule);
  if (!r || r.resourceNames.length > 0) return [];
  const out: string[] = [];
  if (r.verbs.includes('*') && r.resources.includes('*') && r.apiGroups.includes('*')) out.push('do anything (wildcard rule)');
  if (r.verbs.includes('impersonate') || r.verbs.includes('*')) {
    if (['users', 'groups', 'serviceaccounts'].some((res) => resourceMatches(r.resources, res)) && (r.apiGroups.includes('') || r.apiGroups.includes('*'))) {
      out.push('impersonate users, groups or ServiceAccounts');
    }
  }
  for (const d of DANGEROUS) {
    if (!(r.apiGroups.includes('*') || r.apiGroups.includes(d.group))) continue;
    if (!resourceMatches(r.resources, d.resource)) continue;
    if (!(r.verbs.includes('*') || d.verbs.some((v) => r.verbs.includes(v)))) continue;
    if (!out.includes(d.what)) out.push(d.what);
  }
  return out;
}

/** Built-in ClusterRoles a scan rarely contains, by what they grant. */
export const BUILTIN_CLUSTER_ROLES: Record<string, string[]> = {
  'cluster-admin': ['do anything (cluster-admin)'],
  admin: ['create pods', 'create or change deployments', 'exec into pods', 'impersonate ServiceAccounts'],
  edit: ['create pods', 'create or change deployments', 'exec into pods', 'impersonate ServiceAccounts'],
  view: [],
};
