import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectIamJson, isIamJson } from '../../src/collectors/iam-json.js';
import type { CollectResult } from '../../src/collectors/types.js';
import type { Resource } from '../../src/model/types.js';
import { DEFAULT_LIMITS, parseJson } from '../../src/util/structured.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(import.meta.dirname, 'fixtures', 'iam');

function collect(name: string): CollectResult {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  const doc = parseJson(text).documents[0]!;
  expect(isIamJson(doc.value)).toBe(true);
  return collectIamJson({ path, text }, doc, { root, limits: DEFAULT_LIMITS });
}

function line(r: Resource, pointer: string): number | undefined {
  return r.positions[pointer]?.line;
}

const SUB = '/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/oidc.eks.eu-west-1.amazonaws.com~1id~1ABC:sub';

describe('IAM JSON collector', () => {
  test('a bare trust policy becomes a role named after the file, with exact lines', () => {
    const { resources, notes } = collect('trust-irsa.json');
    expect(notes).toEqual([]);
    expect(resources).toHaveLength(1);
    const role = resources[0]!;
    expect(role).toMatchObject({ type: 'aws.iam.Role', name: 'trust-irsa', format: 'iam-json', id: 'file:test/collectors/fixtures/iam/trust-irsa.json#' });
    expect(role.body).toMatchObject({ RoleName: 'trust-irsa', AssumeRolePolicyDocument: { Version: '2012-10-17' } });
    expect(line(role, '/AssumeRolePolicyDocument/Statement/0')).toBe(4);
    expect(line(role, '/AssumeRolePolicyDocument/Statement/0/Principal/Federated')).toBe(7);
    expect(line(role, '/AssumeRolePolicyDocument/Statement/0/Condition')).toBe(10);
    expect(line(role, '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/oidc.eks.eu-west-1.amazonaws.com~1id~1ABC:sub')).toBe(12);
    expect(line(role, '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/oidc.eks.eu-west-1.amazonaws.com~1id~1ABC:aud')).toBe(13);
  });

  test('a bare permission policy becomes a policy', () => {
    const { resources } = collect('s3-read.json');
    expect(resources.map((r) => [r.type, r.name])).toEqual([['aws.iam.Policy', 's3-read']]);
    expect(line(resources[0]!, '/PolicyDocument/Statement')).toBe(3);
  });

  test('list-roles output: URL-encoded trust decoded, positions at the string line, ids from the ARN', () => {
    const { resources, notes } = collect('list-roles.json');
    expect(notes).toEqual([]);
    expect(resources.map((r) => r.id)).toEqual(['file:test/collectors/fixtures/iam/list-roles.json#aws:111122223333:role/web', 'file:test/collectors/fixtures/iam/list-roles.json#aws:111122223333:role/batch']);
    const [web, batch] = resources as [Resource, Resource];
    expect(web.body).toMatchObject({
      RoleName: 'web',
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringLike: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:*' } } }] },
    });
    expect(line(web, '')).toBe(3);
    expect(line(web, SUB)).toBe(9);
    expect(line(web, '/AssumeRolePolicyDocument/Statement/0')).toBe(9);
    expect(web.logicalLocation).toBe('arn:aws:iam::111122223333:role/web');
    expect(line(batch, SUB)).toBe(29);
    expect(line(batch, '/AssumeRolePolicyDocument/Statement')).toBe(20);
  });

  test('get-role output keeps the RoleDetail shape', () => {
    const { resources } = collect('get-role.json');
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ id: 'file:test/collectors/fixtures/iam/get-role.json#aws:444455556666:role/pod-identity', type: 'aws.iam.Role', name: 'pod-identity' });
    expect(resources[0]!.body).toMatchObject({ PermissionsBoundary: { PermissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/boundary' } });
    expect(line(resources[0]!, '/AssumeRolePolicyDocument/Statement/0/Principal/Service')).toBe(12);
  });

  test('account authorization details: inline and default-version managed policies decoded', () => {
    const { resources, notes } = collect('account-details.json');
    expect(notes).toEqual([]);
    expect(resources.map((r) => [r.type, r.id])).toEqual([
      ['aws.iam.Role', 'file:test/collectors/fixtures/iam/account-details.json#aws:111122223333:role/node'],
      ['aws.iam.Policy', 'file:test/collectors/fixtures/iam/account-details.json#aws:111122223333:policy/team-s3'],
    ]);
    const [node, policy] = resources as [Resource, Resource];
    expect(node.body).toMatchObject({
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] },
      RolePolicyList: [{ PolicyName: 'inline-admin', PolicyDocument: { Statement: [{ Action: '*', Resource: '*' }] } }],
      AttachedManagedPolicies: [{ PolicyName: 'AmazonEKSWorkerNodePolicy' }, { PolicyName: 'team-s3' }],
    });
    expect(line(node, '/RolePolicyList/0/PolicyDocument/Statement/0/Action')).toBe(14);
    expect(policy.body).toMatchObject({ PolicyName: 'team-s3', PolicyDocument: { Statement: [{ Action: 's3:*' }] } });
    expect(line(policy, '/PolicyDocument/Statement/0')).toBe(31);
  });

  test('an OIDC provider with a Url', () => {
    const { resources } = collect('oidc-provider.json');
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ type: 'aws.iam.OIDCProvider', body: { Url: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC', ClientIDList: ['sts.amazonaws.com'] } });
    expect(line(resources[0]!, '/ClientIDList')).toBe(3);
  });

  test('a malformed encoded document is an error note with its line, not a throw', () => {
    const { resources, notes } = collect('malformed.json');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'parse-error', level: 'error', line: 6 });
    expect(resources).toHaveLength(1);
  });

  test('recognizes only IAM shapes', () => {
    expect(isIamJson({ apiVersion: 'v1', kind: 'ServiceAccount' })).toBe(false);
    expect(isIamJson({ Resources: {} })).toBe(false);
    expect(isIamJson([1, 2])).toBe(false);
    expect(isIamJson({ OpenIDConnectProviderList: [{ Arn: 'arn:aws:iam::1:oidc-provider/x' }] })).toBe(true);
  });
});
