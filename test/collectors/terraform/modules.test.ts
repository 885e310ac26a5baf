import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { collectLines } from '../../helpers/module-calls.js';
import { admittedMajors, parseModuleSource } from '../../../src/collectors/terraform/registry-source.js';
import { chooseModel } from '../../../src/collectors/terraform/models/index.js';
import type { Resource } from '../../../src/model/types.js';

const DIR = join(import.meta.dirname, 'fixtures', 'modules');
const MAIN = join(DIR, 'main.tf');

describe('module sources and version constraints', () => {
  it('reads registry and GitHub sources', () => {
    expect(parseModuleSource('terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks')).toEqual({ address: 'terraform-aws-modules/iam/aws', subdir: 'modules/iam-role-for-service-accounts-eks' });
    expect(parseModuleSource('registry.terraform.io/terraform-aws-modules/eks/aws')).toEqual({ address: 'terraform-aws-modules/eks/aws', subdir: '' });
    expect(parseModuleSource('git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/x?ref=v5.1.0')).toEqual({ address: 'terraform-aws-modules/iam/aws', subdir: 'modules/x', ref: 'v5.1.0' });
    expect(parseModuleSource('./modules/irsa')).toBeUndefined();
  });

  it('computes the majors a constraint admits', () => {
    expect(admittedMajors('~> 5.0', [4, 5, 6])).toEqual([5]);
    expect(admittedMajors('~> 5.39.1', [5, 6])).toEqual([5]);
    // `~> 5` fixes no segment: Terraform admits 6.x too (terraform get takes the newest).
    expect(admittedMajors('~> 5', [4, 5, 6])).toEqual([5, 6]);
    expect(admittedMajors('>= 5.0', [4, 5, 6])).toEqual([5, 6]);
    expect(admittedMajors('>= 5.0, < 6.0', [5, 6])).toEqual([5]);
    expect(admittedMajors('6.0.0', [5, 6])).toEqual([6]);
    expect(admittedMajors('<= 6.0.0', [5, 6])).toEqual([5, 6]);
    expect(admittedMajors(undefined, [5, 6])).toEqual([5, 6]);
    expect(admittedMajors('banana', [5])).toBeUndefined();
  });

  it('chooses the newest modelled major and says when it is assumed', () => {
    const pinned = chooseModel('terraform-aws-modules/eks/aws', '~> 20.0');
    expect(pinned).toMatchObject({ kind: 'model', major: 20, assumed: false });
    expect(chooseModel('terraform-aws-modules/eks/aws', '>= 19')).toMatchObject({ kind: 'model', major: 21, assumed: true });
    expect(chooseModel('terraform-aws-modules/eks/aws', undefined)).toMatchObject({ kind: 'model', major: 21, assumed: true });
    expect(chooseModel('terraform-aws-modules/eks/aws', '~> 18.0')).toMatchObject({ kind: 'out-of-range' });
    expect(chooseModel('terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts', '~> 5.0')).toMatchObject({ kind: 'out-of-range' });
    expect(chooseModel('terraform-aws-modules/vpc/aws', '~> 5.0')).toEqual({ kind: 'none' });
  });
});

describe('modelled public modules', async () => {
  const result = await collectTerraform([{ path: MAIN, text: readFileSync(MAIN, 'utf8') }], { root: DIR, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
  const by = (address: string): Resource => {
    const r = result.resources.find((x) => x.address === address);
    if (!r) throw new Error(`no ${address} in ${result.resources.map((x) => x.address).join(', ')}`);
    return r;
  };

  it('v20 node groups take the module default metadata options (hop limit 2), shown at the map entry', () => {
    const lt = by('module.eks_v20.module.eks_managed_node_group["general"].aws_launch_template.this[0]');
    expect((lt.body as any).LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' });
    expect(lt.positions['/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit']!.line).toBe(8);
    expect(lt.file).toBe(MAIN);
  });

  it('v20 replaces the default map whole when an entry gives its own', () => {
    const lt = by('module.eks_v20.module.eks_managed_node_group["batch"].aws_launch_template.this[0]');
    expect((lt.body as any).LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'optional' });
    expect(lt.positions['/LaunchTemplateData/MetadataOptions/HttpTokens']!.line).toBe(13);
  });

  it('node roles carry the baseline and the additional policies at their input', () => {
    const role = by('module.eks_v20.module.eks_managed_node_group["batch"].aws_iam_role.this[0]');
    const arns = (role.body as any).AttachedManagedPolicies.map((p: any) => p.PolicyArn);
    expect(arns).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(role.positions['/AttachedManagedPolicies/3']!.line).toBe(16);
    const ng = by('module.eks_v20.module.eks_managed_node_group["batch"].aws_eks_node_group.this[0]');
    expect((ng.body as any).nodeRole.ref.id).toBe(role.id);
  });

  it('v21 defaults to hop limit 1', () => {
    const lt = by('module.eks_v21.module.eks_managed_node_group["general"].aws_launch_template.this[0]');
    expect((lt.body as any).LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit).toBe(1);
  });

  it('self-managed groups: a node role in an instance profile, carried by the launch template', () => {
    const p = 'module.eks_self_managed.module.self_managed_node_group["general"].';
    const role = by(`${p}aws_iam_role.this[0]`);
    expect((role.body as any).RoleName).toBe('general-nodes');
    expect(role.positions['/RoleName']!.line).toBe(69);
    // v20: the defaults map's additional policies, shown where they are written.
    expect((role.body as any).AttachedManagedPolicies.map((x: any) => x.PolicyName)).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']);
    expect(role.positions['/AttachedManagedPolicies/3']!.line).toBe(63);
    const profile = by(`${p}aws_iam_instance_profile.this[0]`);
    expect((profile.body as any).InstanceProfileName).toBe('general-nodes');
    expect((profile.body as any).Roles[0].ref.id).toBe(role.id);
    const lt = by(`${p}aws_launch_template.this[0]`);
    expect((lt.body as any).LaunchTemplateData).toMatchObject({ MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 }, IamInstanceProfile: { Arn: { ref: { id: profile.id } } } });
    expect(lt.positions['/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit']!.line).toBe(68);
  });

  it('self-managed groups: an existing instance profile replaces the role and profile', () => {
    const p = 'module.eks_self_managed.module.self_managed_node_group["shared_profile"].';
    expect(result.resources.filter((r) => r.address?.startsWith(p)).map((r) => r.address!.slice(p.length))).toEqual(['aws_launch_template.this[0]']);
    const lt = by(`${p}aws_launch_template.this[0]`);
    expect((lt.body as any).LaunchTemplateData.IamInstanceProfile).toEqual({ Arn: 'arn:aws:iam::111122223333:instance-profile/shared-nodes' });
  });

  it('the IRSA role has the trust document the module documents', () => {
    const role = by('module.irsa.aws_iam_role.this[0]');
    const issuer = 'oidc.eks.eu-west-1.amazonaws.com/id/AAA';
    expect((role.body as any).RoleName).toBe('app');
    expect((role.body as any).AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` },
          Condition: { StringEquals: { [`${issuer}:sub`]: ['system:serviceaccount:shop:cart', 'system:serviceaccount:shop:checkout'], [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    });
    const sub = `/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${issuer.replace(/\//g, '~1')}:sub`;
    expect(role.positions[sub]!.line).toBe(50);
    expect(role.generated).toEqual([`/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${issuer.replace(/\//g, '~1')}:aud`]);
  });

  it('names every call it does not analyse, and counts the modelled ones', () => {
    const notes = result.notes.filter((n) => n.kind === 'module');
    expect(notes.filter((n) => n.level === 'warning').map((n) => n.line).sort()).toEqual([33, 38]);
    expect(notes.find((n) => n.line === 33)!.message).toContain('only for v5');
    expect(notes.find((n) => n.line === 38)!.message).toContain('no model');
    expect(notes.filter((n) => n.level === 'note').map((n) => n.line).sort((a, b) => a! - b!)).toEqual([1, 22, 43, 55]);
  });
});

describe('terraform-aws-modules/iam v6 IRSA role permissions', async () => {
  const { by } = await collectLines(MAIN, [
    'module "irsa" {',
    '  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"',
    '  version = "~> 6.0"',
    '  name    = "app"',
    '  attach_vpc_cni_policy = true',
    '  source_policy_documents = [jsonencode({ Statement = [{ Sid = "Logs", Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })]',
    '  permissions = {',
    '    Read = { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }',
    '  }',
    '  create_inline_policy = true',
    '  inline_policy_permissions = {',
    '    Decrypt = { sid = "KmsDecrypt", actions = ["kms:Decrypt"], resources = ["*"] }',
    '  }',
    '}',
    'module "irsa_none" {',
    '  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"',
    '  version = "~> 6.0"',
    '  name    = "none"',
    '}',
    'module "irsa_v5" {',
    '  source    = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"',
    '  version   = "~> 5.60"',
    '  role_name = "csi"',
    '  attach_ebs_csi_policy = true',
    '}',
  ]);

  it('merges the controller documents, the source documents and `permissions` into the policy it attaches', () => {
    const role = by('module.irsa.aws_iam_role.this[0]')!;
    const policy = by('module.irsa.aws_iam_policy.this[0]')!;
    expect((role.body as any).AttachedManagedPolicies.map((p: any) => p.PolicyArn.ref?.id)).toEqual([policy.id]);
    const statements = (policy.body as any).PolicyDocument.Statement;
    expect(statements).toHaveLength(3);
    expect(statements[0].$unknown).toContain('attach_vpc_cni_policy');
    expect(statements.slice(1)).toEqual([
      { Sid: 'Logs', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' },
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ]);
    expect(policy.positions['/PolicyDocument/Statement/2/Action']!.line).toBe(8);
  });

  it('writes the inline policy from `inline_policy_permissions`', () => {
    const role = by('module.irsa.aws_iam_role.this[0]')!;
    expect((role.body as any).RolePolicyList[0].PolicyDocument).toEqual({ Version: '2012-10-17', Statement: [{ Sid: 'KmsDecrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
    expect(role.positions['/RolePolicyList/0/PolicyDocument/Statement/0/Action']!.line).toBe(12);
  });

  it('v5: attaches one policy of the module\'s own per attach_*_policy flag', () => {
    const role = by('module.irsa_v5.aws_iam_role.this[0]')!;
    const arns = (role.body as any).AttachedManagedPolicies.map((p: any) => p.PolicyArn);
    expect(arns).toHaveLength(1);
    expect(arns[0].$unknown).toContain('attach_ebs_csi_policy');
    expect(role.positions['/AttachedManagedPolicies/0']!.line).toBe(24);
  });

  it('creates no policy when there is nothing to put in it', () => {
    expect(by('module.irsa_none.aws_iam_policy.this[0]')).toBeUndefined();
    expect((by('module.irsa_none.aws_iam_role.this[0]')!.body as any)).toMatchObject({ AttachedManagedPolicies: [], RolePolicyList: [] });
  });
});

describe('EKS node group submodules called directly', async () => {
  const { result, by } = await collectLines(MAIN, [
    'module "eks" {',
    '  source  = "terraform-aws-modules/eks/aws"',
    '  version = "~> 21.0"',
    '  name    = "core"',
    '}',
    'module "managed" {',
    '  source       = "terraform-aws-modules/eks/aws//modules/eks-managed-node-group"',
    '  version      = "~> 21.0"',
    '  name         = "apps"',
    '  cluster_name = module.eks.cluster_name',
    '}',
    'module "self_managed" {',
    '  source       = "terraform-aws-modules/eks/aws//modules/self-managed-node-group"',
    '  version      = "~> 20.0"',
    '  name         = "legacy"',
    '  cluster_name = "core"',
    '  metadata_options = {',
    '    http_tokens = "optional"',
    '  }',
    '}',
  ]);

  it('a managed group: its role, launch template (v21 defaults) and node group at the module\'s own addresses', () => {
    const ng = by('module.managed.aws_eks_node_group.this[0]')!;
    expect((ng.body as any).clusterName).toBe('core');
    expect(ng.positions['/clusterName']!.line).toBe(10);
    expect((ng.body as any).nodeRole.ref.id).toBe(by('module.managed.aws_iam_role.this[0]')!.id);
    const lt = by('module.managed.aws_launch_template.this[0]')!;
    expect((lt.body as any).LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' });
  });

  it('a self-managed group: the metadata options given to the call, shown at its input', () => {
    const lt = by('module.self_managed.aws_launch_template.this[0]')!;
    expect((lt.body as any).LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'optional' });
    expect(lt.positions['/LaunchTemplateData/MetadataOptions/HttpTokens']!.line).toBe(18);
    expect((lt.body as any).LaunchTemplateData.IamInstanceProfile.Arn.ref.id).toBe(by('module.self_managed.aws_iam_instance_profile.this[0]')!.id);
    expect(result.notes.filter((n) => n.kind === 'module').map((n) => n.level)).toEqual(['note', 'note', 'note']);
  });
});
