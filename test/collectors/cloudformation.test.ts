import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectCloudFormation, isCloudFormation } from '../../src/collectors/cloudformation/index.js';
import type { CollectResult } from '../../src/collectors/types.js';
import type { Resource } from '../../src/model/types.js';
import { DEFAULT_LIMITS, parseJson } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(import.meta.dirname, 'fixtures', 'cfn');
const idOf = (file: string, logicalId: string) => `cfn:test/collectors/fixtures/cfn/${file}:${logicalId}`;

function collect(name: string): CollectResult {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  const parsed = name.endsWith('.json') ? parseJson(text) : parseYaml(text, { intrinsicTags: true });
  const doc = parsed.documents[0]!;
  expect(isCloudFormation(doc.value)).toBe(true);
  return collectCloudFormation({ path, text }, doc, { root, limits: DEFAULT_LIMITS });
}

function byId(result: CollectResult, id: string): Resource {
  const r = result.resources.find((x) => x.id === id);
  if (!r) throw new Error(`no resource ${id}`);
  return r;
}

const at = (r: Resource, pointer: string) => r.positions[pointer] && [r.positions[pointer]!.line, r.positions[pointer]!.column];

describe('CloudFormation collector: IRSA trust as a !Sub JSON string', () => {
  const result = collect('irsa.yaml');
  const role = byId(result, idOf('irsa.yaml', 'AppRole'));
  const stmt = '/AssumeRolePolicyDocument/Statement/0';

  test('parses the embedded JSON and keeps ${...} keys as source text', () => {
    expect(role).toMatchObject({ type: 'aws.iam.Role', format: 'cloudformation', address: 'AppRole', name: 'payments-app' });
    expect(role.body).toMatchObject({
      RoleName: 'payments-app',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Federated: { $unknown: 'arn:aws:iam::${AWS::AccountId}:oidc-provider/${OIDCProvider}', prefix: 'arn:aws:iam::' } },
            Condition: { StringEquals: { '${OIDCProvider}:sub': 'system:serviceaccount:payments:app', '${OIDCProvider}:aud': 'sts.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('maps positions inside the block scalar line for line', () => {
    expect(at(role, '')).toEqual([21, 3]);
    expect(at(role, stmt)).toEqual([29, 13]);
    expect(at(role, `${stmt}/Principal/Federated`)).toEqual([32, 17]);
    expect(at(role, `${stmt}/Condition`)).toEqual([35, 15]);
    expect(at(role, `${stmt}/Condition/StringEquals/\${OIDCProvider}:sub`)).toEqual([37, 19]);
    expect(at(role, `${stmt}/Condition/StringEquals/\${OIDCProvider}:aud`)).toEqual([38, 19]);
  });

  test('resolves parameter defaults, mappings and decidable conditions; keeps the rest unknown', () => {
    const attached = (role.body as { AttachedManagedPolicies: unknown[] }).AttachedManagedPolicies;
    expect(attached).toEqual([
      { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      { PolicyArn: { $unknown: '${Fn::If IsRegional}' } },
      { PolicyArn: { $unknown: 'arn:aws:iam::${AccountId}:policy/extra', prefix: 'arn:aws:iam::', suffix: ':policy/extra' } },
      { PolicyName: 'mapped', PolicyArn: 'arn:aws:iam::111122223333:policy/mapped' },
    ]);
    expect(at(role, '/AttachedManagedPolicies/3/PolicyArn')?.[0]).toBe(49);
  });

  test('merges AWS::IAM::Policy into the role it names, with its positions', () => {
    expect(result.resources.map((r) => r.type)).toEqual(['aws.iam.Role']);
    expect(role.body).toMatchObject({ RolePolicyList: [{ PolicyName: 'other', PolicyDocument: { Statement: [{ Action: 's3:*' }] } }] });
    expect(at(role, '/RolePolicyList/0')).toEqual([51, 3]);
    expect(at(role, '/RolePolicyList/0/PolicyDocument/Statement/0/Action')).toEqual([60, 13]);
  });

  test('a comment before the logical id suppresses the whole resource', () => {
    expect(role.suppressions).toEqual([
      { ruleId: 'aws-trust-aud-missing', justification: 'audience is pinned by the provider', pointer: '', position: { line: 20, column: 3, endLine: 20, endColumn: 77 } },
    ]);
  });
});

describe('CloudFormation collector: EKS resources', () => {
  const file = 'eks.yaml';
  const result = collect(file);

  test('cluster with an issuer that refers to itself, and its ClusterInfo', () => {
    const cluster = byId(result, idOf(file, 'Cluster'));
    expect(cluster.type).toBe('aws.eks.Cluster');
    expect(cluster.body).toMatchObject({ name: 'prod-eu', identity: { oidc: { issuer: { ref: { id: idOf(file, 'Cluster'), attribute: 'identity.oidc.issuer' } } } } });
    expect(result.clusters).toEqual([{ name: 'prod-eu', provider: 'aws', resourceId: idOf(file, 'Cluster') }]);
  });

  test('GetAtt of a resource is an Unknown that names it', () => {
    const provider = byId(result, idOf(file, 'ClusterOidc'));
    expect(provider.body).toMatchObject({
      Url: { $unknown: '${Cluster.OpenIdConnectIssuerUrl}', ref: { id: idOf(file, 'Cluster'), attribute: 'identity.oidc.issuer' } },
      ClientIDList: ['sts.amazonaws.com'],
    });
    expect(at(provider, '/ClientIDList/0')).toEqual([21, 22]);
    const nodes = byId(result, idOf(file, 'Nodes'));
    expect(nodes.body).toMatchObject({
      clusterName: { ref: { id: idOf(file, 'Cluster'), attribute: 'name' } },
      nodeRole: { ref: { id: idOf(file, 'NodeRole'), attribute: 'Arn' } },
      amiType: 'AL2_x86_64',
      launchTemplate: { id: { ref: { id: idOf(file, 'NodeTemplate'), attribute: 'LaunchTemplateId' } } },
    });
  });

  test('pseudo parameters stay unknown with the known suffix', () => {
    const node = byId(result, idOf(file, 'NodeRole'));
    expect(node.body).toMatchObject({
      AttachedManagedPolicies: [{ PolicyArn: { $unknown: 'arn:${AWS::Partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy', prefix: 'arn:', suffix: ':iam::aws:policy/AmazonEKSWorkerNodePolicy' } }],
    });
  });

  test('launch template keeps only metadata options and instance profile; nested suppression', () => {
    const lt = byId(result, idOf(file, 'NodeTemplate'));
    expect(lt.body).toEqual({ LaunchTemplateName: 'prod-eu-nodes', LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 } } });
    expect(JSON.stringify(lt.body)).not.toContain('c2VjcmV0');
    expect(at(lt, '/LaunchTemplateData/MetadataOptions/HttpTokens')).toEqual([42, 11]);
    expect(lt.suppressions).toMatchObject([{ ruleId: 'aws-node-imds-exposed', pointer: '/LaunchTemplateData/MetadataOptions', position: { line: 40 } }]);
  });

  test('pod identity association with Select/Split resolved', () => {
    const assoc = byId(result, idOf(file, 'AppAssociation'));
    expect(assoc.body).toMatchObject({ namespace: 'payments', serviceAccount: 'app', roleArn: { ref: { id: idOf(file, 'IrsaRole'), attribute: 'Arn' } } });
  });

  test('Fn::Sub list form with variables and ${!Literal}, in a single-line quoted string', () => {
    const role = byId(result, idOf(file, 'IrsaRole'));
    const stmt = '/AssumeRolePolicyDocument/Statement/0';
    expect(role.body).toMatchObject({
      AssumeRolePolicyDocument: {
        Statement: [{ Principal: { Federated: { ref: { id: idOf(file, 'ClusterOidc'), attribute: 'Arn' } } }, Condition: { StringLike: { '${Issuer}:sub': 'system:serviceaccount:*', '${Literal}': 'x' } } }],
      },
    });
    expect(at(role, `${stmt}/Condition/StringLike/\${Issuer}:sub`)).toEqual([66, 189]);
  });

  test('a suppression without a reason is a warning note', () => {
    expect(result.notes).toMatchObject([{ kind: 'skipped', level: 'warning', line: 69 }]);
  });
});

describe('CloudFormation collector: JSON templates and bad input', () => {
  test('JSON template: Fn::Sub string with escapes maps to exact columns; false conditions drop resources', () => {
    const result = collect('template.json');
    expect(result.resources.map((r) => r.address)).toEqual(['JsonRole']);
    const role = result.resources[0]!;
    expect(role.body).toMatchObject({ AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { '${Issuer}:sub': 'system:serviceaccount:a:b' } } }] } });
    expect(at(role, '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${Issuer}:sub')).toEqual([14, 151]);
  });

  test('malformed embedded JSON is an error note with its line, not a throw', () => {
    const result = collect('bad-trust.yaml');
    expect(result.notes).toMatchObject([{ kind: 'parse-error', level: 'error', line: 9 }]);
    expect(result.resources[0]!.body).toMatchObject({ AssumeRolePolicyDocument: { $unknown: expect.any(String) } });
  });

  test('detection', () => {
    expect(isCloudFormation({ Resources: { A: { Type: 'AWS::IAM::Role' } } })).toBe(true);
    expect(isCloudFormation({ Resources: { A: { type: 'x' } } })).toBe(false);
    expect(isCloudFormation({ Version: '2012-10-17', Statement: [] })).toBe(false);
    expect(isCloudFormation('x')).toBe(false);
  });

  test('never throws on strange shapes', () => {
    const text = 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Sub [1, 2]\n      Policies: !Ref Nope\n      ManagedPolicyArns: 7\n';
    const doc = parseYaml(text, { intrinsicTags: true }).documents[0]!;
    const result = collectCloudFormation({ path: join(dir, 'inline.yaml'), text }, doc, { root, limits: DEFAULT_LIMITS });
    expect(result.resources).toHaveLength(1);
  });
});

describe('CloudFormation collector: names from the template that Object.prototype also has', () => {
  test('a resource type or attribute named `constructor` or `toString` is an unknown name, not a crash', () => {
    const text = [
      'Resources:',
      '  Odd:',
      '    Type: constructor',
      '  Other:',
      '    Type: toString',
      '  AppRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      RoleName: !GetAtt Odd.constructor',
      '      Description: !GetAtt Other.toString',
      '      AssumeRolePolicyDocument:',
      '        Statement:',
      '          - { Effect: Allow, Action: sts:AssumeRole, Principal: { Service: !GetAtt Odd.valueOf } }',
      '',
    ].join('\n');
    const doc = parseYaml(text, { intrinsicTags: true }).documents[0]!;
    const result = collectCloudFormation({ path: join(dir, 'prototype-names.yaml'), text }, doc, { root, limits: DEFAULT_LIMITS });
    expect(result.notes.filter((n) => n.level === 'error')).toEqual([]);
    expect(result.resources.map((r) => r.type)).toEqual(['aws.iam.Role']);
    const body = result.resources[0]!.body as Record<string, unknown>;
    expect(JSON.stringify(body.RoleName)).toContain('Odd.constructor');
    expect(typeof body.RoleName).not.toBe('function');
  });
});
