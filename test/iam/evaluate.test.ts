import { describe, expect, it } from 'vitest';
import { evaluate, type Decision } from '../../src/iam/evaluate.js';
import { effectivePermissions } from '../../src/iam/effective-permissions.js';
import { awsManagedPolicyName } from '../../src/iam/aws-managed-policies.js';
import { unknown } from '../../src/model/unknown.js';
import type { JsonObject } from '../../src/model/types.js';
import { customerPolicy, index, inline, policies, role } from './iam-helpers.js';

const allow = (Action: unknown, Resource: unknown = '*', extra: JsonObject = {}): JsonObject => ({ Effect: 'Allow', Action, Resource, ...extra }) as JsonObject;
const deny = (Action: unknown, Resource: unknown = '*', extra: JsonObject = {}): JsonObject => ({ Effect: 'Deny', Action, Resource, ...extra }) as JsonObject;

describe('evaluate', () => {
  const cases: [string, JsonObject[], string, string, Decision][] = [
    ['exact action', [allow('s3:GetObject')], 's3:GetObject', '*', 'allow'],
    ['actions ignore case', [allow('S3:getobject')], 's3:GetObject', '*', 'allow'],
    ['service wildcard', [allow('s3:*')], 's3:PutObject', '*', 'allow'],
    ['other service', [allow('s3:*')], 'ec2:RunInstances', '*', 'deny'],
    ['question mark', [allow('s3:Get?bject')], 's3:GetObject', '*', 'allow'],
    ['NotAction excludes', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], 'iam:CreateUser', '*', 'deny'],
    ['NotAction admits the rest', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], 'ec2:RunInstances', '*', 'allow'],
    ['resource pattern', [allow('s3:GetObject', 'arn:aws:s3:::logs/*')], 's3:GetObject', 'arn:aws:s3:::logs/a', 'allow'],
    ['resource pattern is not every resource', [allow('s3:GetObject', 'arn:aws:s3:::logs/*')], 's3:GetObject', '*', 'deny'],
    ['resources are case-sensitive', [allow('s3:GetObject', 'arn:aws:s3:::Logs/*')], 's3:GetObject', 'arn:aws:s3:::logs/a', 'deny'],
    ['NotResource', [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }], 's3:GetObject', 'arn:aws:s3:::secret/a', 'deny'],
    ['NotResource elsewhere', [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }], 's3:GetObject', 'arn:aws:s3:::public/a', 'allow'],
    ['deny subtracts', [allow('*'), deny('iam:*')], 'iam:PassRole', '*', 'deny'],
    ['deny elsewhere', [allow('*'), deny('iam:*')], 's3:GetObject', '*', 'allow'],
    ['conditional allow', [allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } })], 'sts:AssumeRole', '*', 'conditional'],
    ['conditional deny weakens', [allow('*'), deny('iam:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })], 'iam:PassRole', '*', 'conditional'],
    ['unknown action value', [allow([unknown('var.actions')])], 'iam:PassRole', '*', 'unknown'],
    ['unknown among known values still grants the known', [allow(['s3:GetObject', unknown('var.more')])], 's3:GetObject', '*', 'allow'],
    ['unknown deny', [allow('*'), deny(unknown('var.denied'))], 'iam:PassRole', '*', 'unknown'],
    ['no resource element is ignored', [{ Effect: 'Allow', Action: '*' }], 's3:GetObject', '*', 'deny'],
  ];
  it.each(cases)('%s', (_name, statements, action, resource, expected) => {
    expect(evaluate(policies([inline(...statements)]), action, resource).decision).toBe(expected);
  });

  it('a boundary intersects', () => {
    const boundary = { ...inline(allow('s3:*')), name: 'boundary', pointer: '/PermissionsBoundary' };
    const p = policies([inline(allow('*'))], boundary);
    expect(evaluate(p, 's3:GetObject').decision).toBe('allow');
    expect(evaluate(p, 'iam:PassRole').decision).toBe('deny');
  });

  it('an unreadable boundary makes grants unknown', () => {
    const p = policies([inline(allow('*'))], { name: 'b', kind: 'unresolved', statements: null, pointer: '/PermissionsBoundary' });
    expect(evaluate(p, 's3:GetObject').decision).toBe('unknown');
  });

  it('an unreadable identity policy may allow but does not deny', () => {
    const unread = { name: 'x', kind: 'unresolved' as const, statements: null, pointer: '/AttachedManagedPolicies/1' };
    expect(evaluate(policies([unread]), 's3:GetObject').decision).toBe('unknown');
    expect(evaluate(policies([inline(allow('s3:*')), unread]), 's3:GetObject').decision).toBe('allow');
  });
});

describe('effectivePermissions', () => {
  const arn = (name: string) => `arn:aws:iam::aws:policy/${name}`;

  it('knows AWS managed policies by ARN and points at the attachment', () => {
    const r = role({ RoleName: 'app', AttachedManagedPolicies: [{ PolicyArn: arn('AmazonS3ReadOnlyAccess') }, { PolicyArn: arn('AdministratorAccess') }] });
    const p = effectivePermissions(r, index([r]));
    expect(p.grants('iam:CreateUser')).toBe('allow');
    expect(p.adminEquivalent).toEqual([expect.objectContaining({ pointer: '/AttachedManagedPolicies/1', policyName: 'AdministratorAccess' })]);
    expect(p.unresolved).toEqual(['AmazonS3ReadOnlyAccess']);
  });

  it('counts PowerUserAccess as admin-equivalent through sts:AssumeRole, not as `*` on `*`', () => {
    const r = role({ RoleName: 'app', AttachedManagedPolicies: [{ PolicyArn: arn('PowerUserAccess') }] });
    const p = effectivePermissions(r, index([r]));
    expect(p.grants('iam:CreateUser')).toBe('deny');
    expect(p.adminEquivalent.map((a) => a.reason)).toEqual([expect.stringContaining('sts:AssumeRole')]);
  });

  it('finds escalation paths in inline policies at the action value', () => {
    const r = role({ RoleName: 'app', RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Statement: [allow(['s3:GetObject', 'iam:PassRole']), allow('lambda:CreateFunction')] } }] });
    const p = effectivePermissions(r, index([r]));
    expect(p.adminEquivalent).toEqual([expect.objectContaining({ pointer: '/RolePolicyList/0/PolicyDocument/Statement/0/Action/1', reason: expect.stringContaining('PassRole') })]);
  });

  it('does not count iam:PassRole without a compute service', () => {
    const r = role({ RoleName: 'app', RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Statement: [allow('iam:PassRole')] } }] });
    expect(effectivePermissions(r, index([r])).adminEquivalent).toEqual([]);
  });

  it('reads customer managed policies from the inventory by reference and by ARN', () => {
    const pol = customerPolicy('pol', 'ci-admin', { Statement: [allow('iam:*')] });
    const byRef = role({ RoleName: 'a', AttachedManagedPolicies: [{ PolicyArn: unknown('aws_iam_policy.ci.arn', { ref: { id: 'pol', attribute: 'arn' } }) as unknown as JsonObject }] });
    const byArn = role({ RoleName: 'b', AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::111122223333:policy/ci-admin' }] }, 'b');
    for (const r of [byRef, byArn]) {
      const p = effectivePermissions(r, index([r, pol]));
      expect(p.adminEquivalent).toEqual([expect.objectContaining({ pointer: '/AttachedManagedPolicies/0', reason: expect.stringContaining('iam:*'), related: { resource: pol, pointer: '/PolicyDocument/Statement/0/Action' } })]);
    }
  });

  it('reports broad grants beyond the exempt baseline', () => {
    const r = role({
      RoleName: 'node',
      AttachedManagedPolicies: [{ PolicyArn: arn('AmazonEKSWorkerNodePolicy') }, { PolicyArn: arn('AmazonS3FullAccess') }],
      RolePolicyList: [{ PolicyName: 'extra', PolicyDocument: { Statement: [allow(['ec2:Describe*', 'dynamodb:*', 'sts:AssumeRole']), allow('kms:*', 'arn:aws:kms:eu-west-1:111122223333:key/abc')] } }],
    });
    const p = effectivePermissions(r, index([r]), { exempt: ['AmazonEKSWorkerNodePolicy'] });
    expect(p.broad.map((b) => [b.what, b.pointer])).toEqual([
      ['the AWS managed policy AmazonS3FullAccess', '/AttachedManagedPolicies/1'],
      ['`dynamodb:*`', '/RolePolicyList/0/PolicyDocument/Statement/0/Action/1'],
      ['`sts:AssumeRole`', '/RolePolicyList/0/PolicyDocument/Statement/0/Action/2'],
    ]);
  });

  it('a Deny removes a broad grant', () => {
    const r = role({ RoleName: 'n', RolePolicyList: [{ PolicyName: 'x', PolicyDocument: { Statement: [allow('s3:*'), deny('s3:*')] } }] });
    expect(effectivePermissions(r, index([r])).broad).toEqual([]);
  });

  it('names AWS managed policies from partial ARNs', () => {
    expect(awsManagedPolicyName('arn:aws-us-gov:iam::aws:policy/service-role/AmazonEC2RoleforSSM')).toBe('AmazonEC2RoleforSSM');
    expect(awsManagedPolicyName(unknown('x', { prefix: 'arn:', suffix: ':iam::aws:policy/AdministratorAccess' }))).toBe('AdministratorAccess');
    expect(awsManagedPolicyName(unknown('x', { suffix: '/AmazonEKS_CNI_Policy' }))).toBe('AmazonEKS_CNI_Policy');
    expect(awsManagedPolicyName(unknown('x', { suffix: '/my-policy' }))).toBeUndefined();
    expect(awsManagedPolicyName('arn:aws:iam::111122223333:policy/AdministratorAccess')).toBeUndefined();
  });
});

describe('escalation through a compute service on some resources', () => {
  it('counts iam:PassRole on * with lambda:CreateFunction on a function pattern', () => {
    const r = role({ RoleName: 'd', RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Statement: [
      { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
    ] } }] });
    expect(effectivePermissions(r, index([r])).adminEquivalent.map((a) => a.pointer)).toEqual(['/RolePolicyList/0/PolicyDocument/Statement/1/Action']);
  });
});
