import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import type { Model } from '../../src/model/model.js';
import { admits } from '../../src/federation/matcher.js';
import { hasWildcard } from '../../src/federation/wildcard.js';
import { get } from '../../src/util/pointer.js';
import { claimConditions, roleDisplayName } from '../../src/rules-support/aws.js';
import { quote } from '../../src/util/input-text.js';

const SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

function serviceAccountsOf(model: Model, cluster: string): Set<string> {
  const out = new Set<string>();
  for (const sa of model.ofType('k8s.ServiceAccount')) {
    if (sa.cluster !== cluster) continue;
    const md = (sa.body as Record<string, JsonValue>).metadata as Record<string, JsonValue> | undefined;
    if (typeof md?.name !== 'string') continue;
    out.add(`${typeof md.namespace === 'string' ? md.namespace : 'default'}/${md.name}`);
  }
  return out;
}

function valuePointer(role: Resource, keyPointer: string, index: number): string {
  return Array.isArray(get(role.body, keyPointer)) ? `${keyPointer}/${index}` : keyPointer;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-orphan-subject',
    title: 'A role trusts a ServiceAccount that does not exist',
    severity: 'medium',
    provider: 'aws',
    tags: ['irsa'],
    description: `A role's web-identity trust admits \`system:serviceaccount:<namespace>:<name>\` from a cluster's issuer, and that
ServiceAccount does not exist in the cluster: whoever can create it (or its namespace) gets the role. Usually the
workload was removed or renamed and the trust stayed behind.

Only reported for clusters the scan holds completely — a live scan of the cluster, marked \`complete\` in the
inventory. A scan of IaC files never reports it: a ServiceAccount missing from the files may still exist
(created by a Helm chart, an operator, or another repository). Wildcard subjects are the concern of
\`aws-trust-sub-wildcard\`, not this rule.`,
    remediation: 'Remove the subject from the role\'s trust policy (or delete the role) when the workload is gone; if the ServiceAccount was renamed, trust the new name.',
    messages: {
      orphanSubject: 'Role {{role}} trusts {{subject}} from cluster {{cluster}}, where ServiceAccount {{namespace}}/{{name}} does not exist: whoever creates it gets the role.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html'],
  },
  check(ctx) {
    const accounts = new Map<string, Set<string>>();
    for (const role of ctx.model.ofType('aws.iam.Role')) {
      for (const f of ctx.model.federationsOf(role)) {
        if (f.mechanism !== 'irsa' || f.unsatisfiable || f.subject.unknown) continue;
        const cluster = ctx.model.cluster(f.issuer.cluster);
        if (!cluster?.complete) continue;
        const existing = accounts.get(cluster.name) ?? serviceAccountsOf(ctx.model, cluster.name);
        accounts.set(cluster.name, existing);
        for (const c of claimConditions(f, 'sub')) {
          if (c.negated || c.tautology || (c.base !== 'StringEquals' && c.base !== 'StringLike')) continue;
          c.values.forEach((v, i) => {
            if (typeof v !== 'string' || hasWildcard(v)) return;
            const m = SUBJECT.exec(v);
            if (!m || !admits(f.subject, v) || existing.has(`${m[1]}/${m[2]}`)) return;
            ctx.report({
              resource: role,
              at: valuePointer(role, c.pointer, i),
              key: v,
              messageId: 'orphanSubject', data: { role: roleDisplayName(role), subject: quote(v), cluster: cluster.name, namespace: m[1]!, name: m[2]! },
            });
          });
        }
      }
    }
  },
};

export default rule;
