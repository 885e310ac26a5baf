import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import { valueText } from '../../src/model/unknown.js';
import { type CloudIdentity, asObject, cloudIdentities, namespaceJoinKey, metadataOf, nameOf } from '../../src/rules-support/kubernetes.js';
import { BUILTIN_CLUSTER_ROLES, dangerousGrants } from '../../src/rules-support/rbac.js';

const ADMIN_GROUPS = new Set(['system:masters']);

function isBootstrapDefault(r: Resource): boolean {
  const labels = asObject(metadataOf(r).labels);
  return labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

/** What the role a binding refers to grants; undefined when the role is neither scanned nor built in. */
function grantsOf(roles: Map<string, Resource>, kind: string, name: string, namespace: string): { grants: string[]; role?: Resource } | undefined {
  const role = roles.get(kind === 'Role' ? `Role/${namespace}/${name}` : `ClusterRole/${name}`);
  if (role) {
    const rules = asObject(role.body)?.rules;
    const grants = Array.isArray(rules) ? [...new Set(rules.flatMap((r) => dangerousGrants(r)))] : [];
    return { grants, role };
  }
  if (kind === 'ClusterRole' && Object.prototype.hasOwnProperty.call(BUILTIN_CLUSTER_ROLES, name)) return { grants: BUILTIN_CLUSTER_ROLES[name]! };
  return undefined;
}

function subjectLabel(s: Record<string, JsonValue>): string {
  const ns = typeof s.namespace === 'string' ? `${s.namespace}/` : '';
  return `${valueText(s.kind)} ${s.kind === 'ServiceAccount' ? ns : ''}${valueText(s.name)}`;
}

/** An object of the RBAC API (live objects may carry no apiVersion: they are read from that API). */
function isRbac(r: Resource): boolean {
  const apiVersion = asObject(r.body)?.['apiVersion'];
  return typeof apiVersion !== 'string' || apiVersion.startsWith('rbac.authorization.k8s.io/');
}

const rule: CodeRule = {
  meta: {
    id: 'k8s-identity-sa-impersonable',
    title: 'Non-admin subjects can act as ServiceAccounts that carry cloud identities',
    severity: 'high',
    provider: 'kubernetes',
    tags: ['rbac', 'irsa', 'pod-identity', 'azure-workload-identity', 'gke-workload-identity'],
    description: `Anyone who can run a pod under a ServiceAccount gets that ServiceAccount's cloud identity. A RoleBinding or
ClusterRoleBinding gives a subject that power in a namespace whose ServiceAccounts carry cloud identities
(\`eks.amazonaws.com/role-arn\`, \`azure.workload.identity/client-id\`, \`iam.gke.io/gcp-service-account\`, or an EKS Pod
Identity association) when its role allows: \`create\` on pods or on workload controllers (Deployments, StatefulSets,
DaemonSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers); \`update\`/\`patch\` on workload controllers or
ServiceAccounts; \`create\` on \`serviceaccounts/token\`, \`pods/exec\`, \`pods/attach\` or \`nodes/proxy\`; \`impersonate\`;
\`bind\`/\`escalate\` on roles; or wildcards. The built-in \`admin\` and \`edit\` ClusterRoles grant this too.

Not reported: cluster admins (the \`system:masters\` group, ClusterRoleBindings to \`cluster-admin\`), the bootstrap
bindings every cluster has (label \`kubernetes.io/bootstrapping: rbac-defaults\`), bindings to roles that are neither
in the scan nor built in (they cannot be judged), rules limited by \`resourceNames\`, and a ServiceAccount subject
whose only reachable identity is its own. One finding per subject, at the subject; the identity-bearing
ServiceAccounts are related locations.`,
    remediation: `Bind the subject to a role without these verbs in that namespace (read-only, or a custom role without
\`create\` on pods and workloads), move the identity-bearing ServiceAccounts to a namespace only their deployer can
write to, or deploy through a pipeline whose identity is the only subject with these rights.`,
    messages: {
      impersonable: '{{subject}} can {{verbs}} {{where}} through {{roleKind}} {{roleName}}, so it can act as ServiceAccounts that carry cloud identities ({{identities}}{{more}}) and use their cloud credentials.',
    },
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
    ],
  },
  check(ctx) {
    const identities = cloudIdentities(ctx.model);
    if (identities.length === 0) return;
    const byNamespace = new Map<string, CloudIdentity[]>();
    for (const i of identities) (byNamespace.get(i.namespace) ?? byNamespace.set(i.namespace, []).get(i.namespace)!).push(i);
    const roles = new Map<string, Resource>();
    // Other APIs have kinds named Role too (ACK's and Crossplane's IAM roles): only RBAC's grant in the cluster.
    for (const r of ctx.model.ofType('k8s.Role')) if (isRbac(r)) roles.set(`Role/${namespaceJoinKey(r)}/${nameOf(r) ?? ''}`, r);
    for (const r of ctx.model.ofType('k8s.ClusterRole')) if (isRbac(r)) roles.set(`ClusterRole/${nameOf(r) ?? ''}`, r);

    for (const binding of [...ctx.model.ofType('k8s.RoleBinding'), ...ctx.model.ofType('k8s.ClusterRoleBinding')]) {
      if (isBootstrapDefault(binding)) continue;
      const body = asObject(binding.body) ?? {};
      const roleRef = asObject(body.roleRef);
      if (!roleRef || typeof roleRef.kind !== 'string' || typeof roleRef.name !== 'string') continue;
      const clusterWide = binding.type === 'k8s.ClusterRoleBinding';
      if (clusterWide && roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') continue;
      const namespace = namespaceJoinKey(binding);
      const granted = grantsOf(roles, roleRef.kind, roleRef.name, namespace);
      if (!granted || granted.grants.length === 0) continue;
      const reachable = clusterWide ? identities : (byNamespace.get(namespace) ?? []);
      if (reachable.length === 0) continue;
      const subjects = Array.isArray(body.subjects) ? body.subjects : [];
      subjects.forEach((raw, i) => {
        const s = asObject(raw);
        if (!s || typeof s.name !== 'string') return;
        if (s.kind === 'Group' && ADMIN_GROUPS.has(s.name)) return;
        const subjectNs = typeof s.namespace === 'string' ? s.namespace : namespace;
        const others = reachable.filter((id) => !(s.kind === 'ServiceAccount' && id.namespace === subjectNs && id.serviceAccount === s.name));
        if (others.length === 0) return;
        const where = clusterWide ? 'in every namespace' : `in namespace ${namespace}`;
        const shown = others.slice(0, 3).map((id) => `${id.namespace}/${id.serviceAccount}`).join(', ');
        const related = others.slice(0, 3).map((id) => ({ resource: id.resource, at: id.at, message: `${id.namespace}/${id.serviceAccount}: ${id.what}` }));
        if (granted.role) related.push({ resource: granted.role, at: '/rules', message: `rules of ${valueText(roleRef.kind)} ${valueText(roleRef.name)}` });
        ctx.report({
          resource: binding,
          at: `/subjects/${i}`,
          key: `${String(s.kind)}/${subjectNs}/${s.name}`,
          messageId: 'impersonable', data: { subject: subjectLabel(s as Record<string, JsonValue>), verbs: granted.grants.join(', '), where, roleKind: valueText(roleRef.kind), roleName: valueText(roleRef.name), identities: shown, more: others.length > 3 ? `, and ${others.length - 3} more` : '' },
          related,
        });
      });
    }
  },
};

export default rule;
