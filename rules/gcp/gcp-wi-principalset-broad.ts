import type { CodeRule } from '../../src/engine/rule-api.js';
import { describeMember, parseMember } from '../../src/federation/gcp-members.js';
import { obj, str } from '../../src/rules-support/gcp.js';

const rule: CodeRule = {
  meta: {
    id: 'gcp-wi-principalset-broad',
    title: 'Access granted to every workload of a pool, cluster or namespace',
    severity: 'critical',
    lowestSeverity: 'high',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'iam'],
    description: `A \`principalSet://…/workloadIdentityPools/<pool>/…\` member grants a role to many workloads at once: \`/*\`
(every identity of the pool — with GKE, every pod of every cluster of the project or fleet) and
\`/kubernetes.cluster/<url>\` (every pod of a cluster) are critical; \`/namespace/<ns>\` (every pod of that
namespace, in every cluster of the pool) is high. Any pod there — a debug pod, a compromised dependency — gets the access.`,
    remediation: 'Grant the role to the one Kubernetes ServiceAccount that needs it: `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<project>.svc.id.goog/subject/ns/<ns>/sa/<ksa>` (or `serviceAccount:<project>.svc.id.goog[<ns>/<ksa>]` on a Google service account).',
    messages: { broadMember: '{{role}} is granted to {{member}}: {{covers}} gets it.' },
    references: ['https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity#principal-identifiers'],
  },
  check(ctx) {
    for (const binding of ctx.model.ofType('gcp.iam.Binding')) {
      const body = obj(binding.body) ?? {};
      const role = str(body.role) ?? 'a role';
      const members = Array.isArray(body.members) ? body.members : [];
      members.forEach((member, i) => {
        const m = parseMember(member);
        if (m.kind !== 'pool-set') return;
        const pool = m.pool ?? 'a workload pool';
        let covers: string;
        let severity: 'critical' | 'high';
        if (m.scope === 'pool') {
          covers = `every workload of ${pool}`;
          severity = 'critical';
        } else if (m.scope === 'cluster') {
          covers = `every pod of cluster ${m.cluster ?? '(unresolved)'}`;
          severity = 'critical';
        } else if (m.scope === 'namespace') {
          covers = `every pod of namespace ${m.namespace ?? '(unresolved)'} in every cluster of ${pool}`;
          severity = 'high';
        } else return;
        ctx.report({
          resource: binding,
          at: `/members/${i}`,
          severity,
          messageId: 'broadMember',
          data: { role, member: describeMember(member), covers },
          evidence: { scope: m.scope, role },
        });
      });
    }
  },
};

export default rule;
