import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Federation } from '../../src/federation/types.js';
import { effectivePermissions } from '../../src/iam/effective-permissions.js';
import { displayIssuer, roleDisplayName } from '../../src/rules-support/aws.js';
import { type ChainedRole, chainedRoles, targetAdmitsSource } from '../../src/rules-support/pod-identity-targets.js';

/** Federations through which pods obtain the role: IRSA to a Kubernetes issuer, or EKS Pod Identity. */
function podFederations(feds: Federation[]): Federation[] {
  return feds.filter((f) => (f.mechanism === 'irsa' || f.mechanism === 'pod-identity') && !f.unsatisfiable);
}

function how(f: Federation): string {
  return f.mechanism === 'pod-identity' ? 'EKS Pod Identity' : `IRSA from ${displayIssuer(f)}`;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-workload-role-admin',
    title: 'A role assumable by pods is admin-equivalent',
    severity: 'high',
    provider: 'aws',
    tags: ['irsa', 'pod-identity', 'iam'],
    description: `A role that pods can assume — web identity from a Kubernetes issuer (IRSA) or the EKS Pod Identity
service principal \`pods.eks.amazonaws.com\`, or the target role of a Pod Identity association, which EKS assumes
for the pod by role chaining — has permissions equivalent to administrator access: a compromised
pod, or anyone who can run a pod with that ServiceAccount, owns the account.

Decided by an IAM evaluator, not by keywords: \`Action\`/\`NotAction\` and \`Resource\`/\`NotResource\` wildcards,
Deny statements, permissions boundaries, AWS managed policies by content (AdministratorAccess, PowerUserAccess,
IAMFullAccess, ...) and customer managed policies in the scan. Admin-equivalent means \`*\` on \`*\`, \`iam:*\`, or
an escalation path: \`iam:PassRole\` on \`*\` with a compute service, \`iam:CreatePolicyVersion\`,
\`iam:Attach*Policy\`, \`iam:Put*Policy\`, \`iam:CreateAccessKey\`, \`iam:UpdateAssumeRolePolicy\`, \`sts:AssumeRole\`
on \`*\`. An allow under conditions is still reported (the conditions are named in the message). Policies whose
content is unknown are not guessed at.`,
    remediation: 'Grant the workload only the actions and resources it uses. Remove broad managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess) from roles that pods assume, scope `iam:PassRole` and `sts:AssumeRole` to named role ARNs, and set a permissions boundary on workload roles.',
    messages: {
      adminEquivalent: 'Role {{role}}, assumable by pods through {{via}}, is admin-equivalent: {{grants}} through {{policy}}{{conditional}}.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    ],
    examples: {
      bad: 'resource "aws_iam_role_policy_attachment" "app" {\n  role       = aws_iam_role.app_irsa.name\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}',
      good: 'resource "aws_iam_role_policy_attachment" "app" {\n  role       = aws_iam_role.app_irsa.name\n  policy_arn = aws_iam_policy.app_bucket_read.arn\n}',
    },
  },
  check(ctx) {
    // A Pod Identity target role is the role the pod ends up with, whatever its own trust names.
    const chained = new Map<string, ChainedRole[]>();
    for (const c of chainedRoles(ctx.model)) if (targetAdmitsSource(c) !== 'no') chained.set(c.target.id, [...(chained.get(c.target.id) ?? []), c]);
    for (const role of ctx.model.ofType('aws.iam.Role')) {
      const feds = podFederations(ctx.model.federationsOf(role));
      const chains = chained.get(role.id) ?? [];
      if (feds.length === 0 && chains.length === 0) continue;
      const perms = effectivePermissions(role, ctx.model);
      const byPointer = new Map<string, typeof perms.adminEquivalent>();
      for (const a of perms.adminEquivalent) byPointer.set(a.pointer, [...(byPointer.get(a.pointer) ?? []), a]);
      const via = [...new Set([...feds.map(how), ...(chains.length > 0 ? ['EKS Pod Identity role chaining (target role)'] : [])])].join(' and ');
      for (const [pointer, grants] of byPointer) {
        const first = grants[0]!;
        const conditional = grants.every((g) => g.conditional);
        const related = [
          ...feds.map((f) => ({ resource: role, at: f.pointer, message: `trust statement: ${how(f)}` })),
          ...chains.map((c) => ({ resource: c.association, at: '/targetRoleArn', message: 'Pod Identity association that chains to this role' })),
        ];
        if (first.related) related.unshift({ resource: first.related.resource, at: first.related.pointer, message: `statement of ${first.policyName}` });
        ctx.report({
          resource: role,
          at: pointer,
          key: pointer,
          messageId: 'adminEquivalent', data: { role: roleDisplayName(role), via, grants: grants.map((g) => g.reason).join('; '), policy: first.policyName, conditional: conditional ? ' (under conditions)' : '' },
          related,
          evidence: { grants: grants.map((g) => g.reason).join('; '), policy: first.policyName },
        });
      }
    }
  },
};

export default rule;
