/** EKS Pod Identity role chaining (`target_role_arn`): read from written associations and from eks-pod-identity v2, not v1. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLines } from '../../helpers/module-calls.js';
import { REPO } from '../../helpers/fixtures.js';
import { Model } from '../../../src/model/model.js';
import type { Resource } from '../../../src/model/types.js';
import { chainedRoles, targetAdmitsSource } from '../../../src/rules-support/pod-identity-targets.js';

const FILE = join(REPO, 'test', 'collectors', 'terraform', 'fixtures', 'pod-identity-target', 'main.tf');

function call(version: string, entry: string[], defaults: string[] = []): string[] {
  return [
    'module "pi" {',
    '  source  = "terraform-aws-modules/eks-pod-identity/aws"',
    `  version = "${version}"`,
    '  name    = "app"',
    ...(defaults.length > 0 ? ['  association_defaults = {', ...defaults, '  }'] : []),
    '  associations = {',
    '    one = {',
    '      cluster_name    = "prod"',
    '      namespace       = "apps"',
    '      service_account = "api"',
    ...entry,
    '    }',
    '  }',
    '}',
  ];
}

const association = (resources: Resource[]) => resources.find((r) => r.type === 'aws.eks.PodIdentityAssociation')!.body as Record<string, unknown>;

describe('eks-pod-identity target_role_arn by major', () => {
  it('v2 reads the entry\'s target role, else association_defaults\', shown where it is written', async () => {
    const own = await collectLines(FILE, call('~> 2.8', ['      target_role_arn = "arn:aws:iam::222233334444:role/target"']));
    const assoc = own.result.resources.find((r) => r.type === 'aws.eks.PodIdentityAssociation')!;
    expect(association(own.result.resources).targetRoleArn).toBe('arn:aws:iam::222233334444:role/target');
    expect(assoc.positions['/targetRoleArn']).toMatchObject({ line: 10 });
    const shared = await collectLines(FILE, call('~> 2.0', [], ['    target_role_arn = "arn:aws:iam::222233334444:role/shared"']));
    expect(association(shared.result.resources).targetRoleArn).toBe('arn:aws:iam::222233334444:role/shared');
  });

  it('v1 has no target role (the input did not exist)', async () => {
    const v1 = await collectLines(FILE, call('~> 1.12', ['      target_role_arn = "arn:aws:iam::222233334444:role/target"']));
    expect(association(v1.result.resources)).not.toHaveProperty('targetRoleArn');
  });

  it('no target role leaves the association as it was', async () => {
    const none = await collectLines(FILE, call('~> 2.8', []));
    expect(association(none.result.resources)).not.toHaveProperty('targetRoleArn');
  });
});

describe('whether a target role trusts the association\'s role', () => {
  async function verdict(principal: string, action = '["sts:AssumeRole", "sts:TagSession"]'): Promise<string[]> {
    return verdictOf(`[{ Effect = "Allow", Principal = { AWS = ${principal} }, Action = ${action} }]`);
  }

  async function verdictOf(statements: string): Promise<string[]> {
    const { result } = await collectLines(FILE, [
      'resource "aws_iam_role" "source" {',
      '  name               = "source"',
      '  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "pods.eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }] })',
      '}',
      'resource "aws_iam_role" "target" {',
      '  name               = "target"',
      `  assume_role_policy = jsonencode({ Statement = ${statements} })`,
      '}',
      'resource "aws_eks_pod_identity_association" "a" {',
      '  cluster_name    = "prod"',
      '  namespace       = "apps"',
      '  service_account = "api"',
      '  role_arn        = aws_iam_role.source.arn',
      '  target_role_arn = aws_iam_role.target.arn',
      '}',
    ]);
    return chainedRoles(new Model({ version: 1, resources: result.resources, clusters: [], notes: [] })).map(targetAdmitsSource);
  }

  it('admits the role by reference, or anyone; not a role of another name, nor without TagSession', async () => {
    expect(await verdict('aws_iam_role.source.arn')).toEqual(['yes']);
    expect(await verdict('"*"')).toEqual(['yes']);
    expect(await verdict('"arn:aws:iam::111122223333:role/other"')).toEqual(['no']);
    expect(await verdict('aws_iam_role.source.arn', '"sts:AssumeRole"')).toEqual(['no']);
  });

  it('admits the role when AssumeRole and TagSession are allowed in separate statements', async () => {
    const allow = (action: string, principal = 'aws_iam_role.source.arn') => `{ Effect = "Allow", Principal = { AWS = ${principal} }, Action = "${action}" }`;
    expect(await verdictOf(`[${allow('sts:AssumeRole')}, ${allow('sts:TagSession')}]`)).toEqual(['yes']);
    // TagSession allowed to another role only: the association's role still cannot tag its session.
    expect(await verdictOf(`[${allow('sts:AssumeRole')}, ${allow('sts:TagSession', '"arn:aws:iam::111122223333:role/other"')}]`)).toEqual(['no']);
    expect(await verdictOf(`[${allow('sts:AssumeRole')}, ${allow('sts:TagSession', 'var.other')}]`)).toEqual(['unknown']);
  });

  it('refuses the role an unconditional Deny names; a conditional Deny leaves it undecided', async () => {
    const both = '{ Effect = "Allow", Principal = { AWS = aws_iam_role.source.arn }, Action = ["sts:AssumeRole", "sts:TagSession"] }';
    const deny = (extra = '') => `{ Effect = "Deny", Principal = { AWS = aws_iam_role.source.arn }, Action = "sts:AssumeRole"${extra} }`;
    expect(await verdictOf(`[${both}, ${deny()}]`)).toEqual(['no']);
    expect(await verdictOf(`[${both}, ${deny(', Condition = { Bool = { "aws:SecureTransport" = "false" } }')}]`)).toEqual(['unknown']);
    expect(await verdictOf(`[${both}, { Effect = "Deny", Principal = { AWS = "arn:aws:iam::111122223333:role/other" }, Action = "sts:AssumeRole" }]`)).toEqual(['yes']);
  });

  it('does not decide what it cannot know: an account root, or a role named by an unresolved value', async () => {
    expect(await verdict('"arn:aws:iam::111122223333:root"')).toEqual(['unknown']);
    expect(await verdict('var.source_arn')).toEqual(['unknown']);
  });
});
