import type { CodeRule } from '../../src/engine/rule-api.js';
import { nodeRoles } from '../../src/rules-support/aws-nodes.js';
import { roleName, summarizeNodeRole } from '../../src/rules-support/node-role-grants.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-node-role-broad',
    title: 'A worker node role grants more than the node baseline',
    severity: 'high',
    provider: 'aws',
    tags: ['node-role', 'iam'],
    description: `Every pod on a node can obtain the node role's credentials through the instance metadata service unless
IMDS is locked down, so the node role is effectively granted to every workload scheduled there. A node role
needs only the worker baseline: AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
AmazonEC2ContainerRegistryReadOnly (or PullOnly) and, for Session Manager, AmazonSSMManagedInstanceCore.

Node roles are the roles of \`aws_eks_node_group.node_role_arn\` / \`AWS::EKS::Nodegroup\` \`NodeRole\`, of a
node launch template's instance profile, and any role with AmazonEKSWorkerNodePolicy attached (self-managed
and eksctl node groups). Reported: AWS managed policies that are broad by name (AdministratorAccess,
PowerUserAccess, ReadOnlyAccess, \`*FullAccess\`), \`Action: "*"\` or \`NotAction\`, service wildcards
(\`s3:*\`) and IAM/STS write actions on \`Resource: "*"\`, and admin-equivalent escalation paths — as the IAM
evaluator sees them, so a Deny or a permissions boundary that removes a grant removes the finding. Policies whose
content is not known (an unresolved ARN, an AWS managed policy podtrust does not model) are not guessed at.`,
    remediation: 'Keep only the worker baseline on the node role. Give workloads that need AWS access their own role through IRSA or EKS Pod Identity; move add-on permissions (EBS CSI, load balancer controller, autoscaler) to their service accounts.',
    messages: {
      broadNodeRole: 'Node role {{role}}{{usedBy}} grants {{grants}}{{through}}{{conditional}}: every pod on these nodes inherits it.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html',
      'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
    ],
    examples: {
      bad: 'resource "aws_iam_role_policy_attachment" "s3" {\n  role       = aws_iam_role.node.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"\n}',
      good: 'resource "aws_iam_role_policy_attachment" "worker" {\n  role       = aws_iam_role.node.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"\n}',
    },
  },
  check(ctx) {
    for (const { role, users } of nodeRoles(ctx.model)) {
      const summary = summarizeNodeRole(role, ctx.model);
      const usedBy = users.length > 0 ? ` (used by ${users.map((u) => u.name).join(', ')})` : '';
      for (const excess of summary.excess) {
        const related = users.map((u) => ({ resource: u, at: '', message: `uses node role ${roleName(role)}` }));
        if (excess.related) related.unshift({ resource: excess.related.resource, at: excess.related.pointer, message: `statement of ${excess.policyName}` });
        ctx.report({
          resource: role,
          at: excess.pointer,
          key: excess.pointer,
          messageId: 'broadNodeRole', data: { role: roleName(role), usedBy, grants: excess.whats.join(', '), through: excess.whats.some((w) => w.endsWith(excess.policyName)) ? '' : ` through ${excess.policyName}`, conditional: excess.conditional ? ' (under conditions)' : '' },
          related,
          evidence: { grants: excess.whats.join('; '), policy: excess.policyName },
        });
      }
    }
  },
};

export default rule;
