import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue } from '../../src/model/types.js';
import { isUnknown } from '../../src/model/unknown.js';
import { get } from '../../src/util/pointer.js';
import { roleDisplayName } from '../../src/rules-support/aws.js';

/** Condition keys that tie a Pod Identity trust to one account or cluster. */
const SCOPING_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:requesttag/eks-cluster-arn', 'aws:requesttag/eks-cluster-name']);

const rule: CodeRule = {
  meta: {
    id: 'aws-pod-identity-trust-unscoped',
    title: 'An EKS Pod Identity trust is not scoped to a cluster or account',
    severity: 'low',
    provider: 'aws',
    tags: ['pod-identity'],
    description: `A role trusts the EKS Pod Identity service principal \`pods.eks.amazonaws.com\` without an \`aws:SourceAccount\`,
\`aws:SourceArn\` or \`aws:RequestTag/eks-cluster-arn\` (\`eks-cluster-name\`) condition: anyone allowed to create a pod
identity association in any cluster can hand the role to a ServiceAccount there. Low: AWS's own default trust for
Pod Identity is unscoped and the association itself needs \`iam:PassRole\`; the condition is defence in depth.
A trust whose conditions are unresolved is not reported.`,
    remediation: 'Add `"Condition": {"StringEquals": {"aws:SourceAccount": "<account-id>"}, "ArnEquals": {"aws:SourceArn": "arn:aws:eks:<region>:<account-id>:cluster/<cluster>"}}` (or `aws:RequestTag/eks-cluster-arn`) to the Pod Identity trust statement.',
    messages: {
      unscoped: 'Role {{role}} trusts pods.eks.amazonaws.com without an aws:SourceAccount, aws:SourceArn or eks-cluster-arn condition: a pod identity association in any cluster can hand it out.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html', 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html'],
    examples: {
      bad: '{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}',
      good: '{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"],\n "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}',
    },
  },
  check(ctx) {
    for (const role of ctx.model.ofType('aws.iam.Role')) {
      for (const f of ctx.model.federationsOf(role)) {
        if (f.mechanism !== 'pod-identity' || f.unsatisfiable) continue;
        const condition = get(role.body, `${f.pointer}/Condition`) as JsonValue | undefined;
        if (isUnknown(condition)) continue;
        if (f.conditions.some((c) => !c.negated && SCOPING_KEYS.has(c.key.toLowerCase()))) continue;
        if (f.conditions.some((c) => isUnknown(c.key as unknown) || c.values.some((v) => typeof v !== 'string'))) continue;
        ctx.report({
          resource: role,
          at: f.conditionPointer,
          messageId: 'unscoped', data: { role: roleDisplayName(role) },
        });
      }
    }
  },
};

export default rule;
