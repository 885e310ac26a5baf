import type { CodeRule, RuleContext } from '../../src/engine/rule-api.js';
import { isUnknown, valueText } from '../../src/model/unknown.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import type { Federation } from '../../src/federation/types.js';
import { admits } from '../../src/federation/matcher.js';
import { normalizeIssuer } from '../../src/federation/issuers.js';
import { RoleIndex, roleDisplayName } from '../../src/rules-support/aws.js';
import { chainedRoles, targetAdmitsSource } from '../../src/rules-support/pod-identity-targets.js';
import { escapeToken } from '../../src/util/pointer.js';
import { AWS_ROLE_ARN_ANNOTATION } from '../../src/model/annotations.js';

const STS_AUDIENCE = 'sts.amazonaws.com';

function annotations(sa: Resource): Record<string, JsonValue> {
  const md = (sa.body as Record<string, JsonValue>).metadata as Record<string, JsonValue> | undefined;
  const a = md?.annotations;
  return a && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, JsonValue>) : {};
}

/** The federations of a role that concern the ServiceAccount's cluster; all IRSA ones when its issuer is not known. */
function relevantFederations(ctx: RuleContext, sa: Resource, feds: Federation[]): Federation[] {
  const irsa = feds.filter((f) => f.mechanism === 'irsa' || f.mechanism === 'web-identity');
  const cluster = ctx.model.cluster(sa.cluster);
  if (!cluster) return irsa;
  const host = cluster.issuer ? normalizeIssuer(cluster.issuer) : undefined;
  const mine = irsa.filter((f) => f.issuer.cluster === cluster.name || (host !== undefined && f.issuer.host === host));
  if (host === undefined && cluster.resourceId === undefined) return irsa;
  return mine;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-irsa-trust-mismatch',
    title: "A ServiceAccount names a role whose trust does not admit it",
    severity: 'medium',
    provider: 'aws',
    tags: ['irsa', 'pod-identity'],
    description: `The ServiceAccount's \`eks.amazonaws.com/role-arn\` annotation (or an EKS Pod Identity association) names a
role in the scan whose trust policy does not admit that ServiceAccount from its cluster: pods get
\`AccessDenied\` from STS, or — worse — the workload only works because a broader trust elsewhere (a node role,
a wildcard) gives it credentials. When the ServiceAccount's cluster issuer is not known, its subject is
checked against every issuer the role trusts. A manifest that names no namespace (rendered Helm output, whose
namespace is chosen at install) is not decided and is counted in the coverage notes.

An association with a \`target_role_arn\` (role chaining, usually to another account) gives the pod the target
role, which EKS assumes with the association's role: the target's trust must admit that role (or its account)
for \`sts:AssumeRole\` and \`sts:TagSession\`, or the pod gets no credentials.`,
    remediation: 'Add the exact subject `system:serviceaccount:<namespace>:<name>` (with `StringEquals`) for the cluster\'s issuer to the role\'s trust policy, or point the annotation at the role meant for this ServiceAccount. For a Pod Identity target role, allow `sts:AssumeRole` and `sts:TagSession` to the association\'s role ARN in the target role\'s trust.',
    messages: {
      associationRoleUntrusted: 'Pod Identity association for {{namespace}}/{{name}} names role {{role}}, which does not trust pods.eks.amazonaws.com: its pods cannot assume the role.',
      targetRoleUntrusted: 'Pod Identity association for {{namespace}}/{{name}} chains to target role {{target}}, whose trust does not let {{role}} assume it with sts:AssumeRole and sts:TagSession: its pods get no credentials.',
      trustDoesNotAdmit: 'ServiceAccount {{namespace}}/{{name}} names role {{role}}, whose trust does not admit {{subject}}{{where}}: its pods cannot assume the role.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html', 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html'],
  },
  check(ctx) {
    const roles = RoleIndex.of(ctx.model);
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      const value = annotations(sa)[AWS_ROLE_ARN_ANNOTATION];
      const role = roles.find(value);
      if (!role) continue;
      const md = (sa.body as Record<string, JsonValue>).metadata as Record<string, JsonValue>;
      const name = typeof md.name === 'string' ? md.name : undefined;
      if (!name) {
        if (isUnknown(md.name)) ctx.undecided(sa, '/metadata/name', 'the name of this ServiceAccount');
        continue;
      }
      // A manifest without a namespace (rendered Helm output) is installed into one chosen later.
      if (typeof md.namespace !== 'string' && sa.format !== 'live') {
        ctx.undecided(sa, `/metadata/annotations/${escapeToken(AWS_ROLE_ARN_ANNOTATION)}`, 'the namespace of this ServiceAccount');
        continue;
      }
      const namespace = typeof md.namespace === 'string' ? md.namespace : 'default';
      const subject = `system:serviceaccount:${namespace}:${name}`;
      const feds = relevantFederations(ctx, sa, ctx.model.federationsOf(role)).filter((f) => !f.unsatisfiable);
      if (feds.some((f) => f.subject.unknown || f.audience.unknown)) continue;
      if (feds.some((f) => admits(f.subject, subject) && admits(f.audience, STS_AUDIENCE))) continue;
      const cluster = ctx.model.cluster(sa.cluster);
      ctx.report({
        resource: sa,
        at: `/metadata/annotations/${escapeToken(AWS_ROLE_ARN_ANNOTATION)}`,
        messageId: 'trustDoesNotAdmit', data: { namespace, name, role: roleDisplayName(role), subject, where: cluster ? ` from cluster ${cluster.name}` : '' },
        related: [{ resource: role, at: '/AssumeRolePolicyDocument', message: `trust policy of ${roleDisplayName(role)}` }],
      });
    }
    for (const assoc of ctx.model.ofType('aws.eks.PodIdentityAssociation')) {
      const body = assoc.body as Record<string, JsonValue>;
      const role = roles.find(body.roleArn);
      if (!role) continue;
      const feds = ctx.model.federationsOf(role).filter((f) => f.mechanism === 'pod-identity' && !f.unsatisfiable);
      if (feds.length > 0) continue;
      ctx.report({
        resource: assoc,
        at: '/roleArn',
        messageId: 'associationRoleUntrusted', data: { namespace: valueText(body.namespace), name: valueText(body.serviceAccount), role: roleDisplayName(role) },
        related: [{ resource: role, at: '/AssumeRolePolicyDocument', message: `trust policy of ${roleDisplayName(role)}` }],
      });
    }
    for (const chain of chainedRoles(ctx.model, roles)) {
      if (targetAdmitsSource(chain) !== 'no') continue;
      const body = chain.association.body as Record<string, JsonValue>;
      const target = roleDisplayName(chain.target);
      ctx.report({
        resource: chain.association,
        at: '/targetRoleArn',
        messageId: 'targetRoleUntrusted', data: { namespace: valueText(body.namespace), name: valueText(body.serviceAccount), target, role: chain.source ? roleDisplayName(chain.source) : valueText(body.roleArn) },
        related: [{ resource: chain.target, at: '/AssumeRolePolicyDocument', message: `trust policy of ${target}` }],
      });
    }
  },
};

export default rule;
