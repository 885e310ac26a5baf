/** The EKS module's Karpenter submodule, by major: the controller's trust, its association, the node role's policies. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLines } from '../../helpers/module-calls.js';
import { REPO } from '../../helpers/fixtures.js';

const FILE = join(REPO, 'test', 'collectors', 'terraform', 'fixtures', 'karpenter', 'main.tf');
const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';

async function karpenter(version: string, inputs: string[] = []) {
  const { result, by } = await collectLines(FILE, [
    'module "karpenter" {',
    '  source       = "terraform-aws-modules/eks/aws//modules/karpenter"',
    `  version      = "${version}"`,
    '  cluster_name = "prod"',
    ...inputs,
    '}',
  ]);
  const body = (address: string) => by(`module.karpenter.${address}`)?.body as any;
  return { result, body };
}

const policies = (role: any) => role.AttachedManagedPolicies.map((p: any) => p.PolicyArn);

describe('karpenter model', () => {
  it('v21: Pod Identity trust, an association to kube-system/karpenter, a node role with the PullOnly baseline', async () => {
    const { body } = await karpenter('~> 21.0');
    expect(body('aws_iam_role.controller[0]').AssumeRolePolicyDocument.Statement).toEqual([
      { Sid: 'PodIdentity', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } },
    ]);
    expect(body('aws_eks_pod_identity_association.karpenter[0]')).toMatchObject({ clusterName: 'prod', namespace: 'kube-system', serviceAccount: 'karpenter' });
    expect(policies(body('aws_iam_role.node[0]'))).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
    ]);
    expect(body('aws_iam_role.node[0]').AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });

  it('v20: no association unless asked, the ReadOnly registry policy, and IRSA when enabled', async () => {
    const plain = await karpenter('~> 20.0');
    expect(plain.body('aws_eks_pod_identity_association.karpenter[0]')).toBeUndefined();
    expect(policies(plain.body('aws_iam_role.node[0]'))).toContain('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
    const irsa = await karpenter('~> 20.0', ['  enable_pod_identity = false', '  enable_irsa = true', `  irsa_oidc_provider_arn = "${PROVIDER}"`]);
    expect(irsa.body('aws_iam_role.controller[0]').AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER },
      Condition: { StringEquals: {
        'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub': 'system:serviceaccount:karpenter:karpenter',
        'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:aud': 'sts.amazonaws.com',
      } },
    }]);
  });

  it('creates what the flags ask for: no node role, an instance profile, nothing at all', async () => {
    const noNode = await karpenter('~> 21.0', ['  create_node_iam_role = false', '  create_instance_profile = true']);
    expect(noNode.body('aws_iam_role.node[0]')).toBeUndefined();
    const profile = await karpenter('~> 21.0', ['  create_instance_profile = true']);
    expect(profile.body('aws_iam_instance_profile.this[0]')).toBeDefined();
    const off = await karpenter('~> 21.0', ['  create = false']);
    expect(off.result.resources.filter((r) => r.address?.startsWith('module.karpenter.'))).toEqual([]);
  });

  it('an unreadable source trust document leaves the controller trust unknown, not guessed', async () => {
    const { body } = await karpenter('~> 21.0', ['  iam_role_source_assume_policy_documents = [var.extra]']);
    expect(body('aws_iam_role.controller[0]').AssumeRolePolicyDocument).toHaveProperty('$unknown');
  });
});
