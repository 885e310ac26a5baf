/**
 * Live AWS collection through the real SDK clients against a loopback server speaking the
 * AWS wire formats; endpoints come from the SDK's own `AWS_ENDPOINT_URL`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { collectLiveAws } from '../../src/live/aws/collect.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { startAwsFake, type AwsFake, type FakeAccount } from './aws-server.js';

const ACCOUNT = '123456789012';
const ISSUER_HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}`;

function irsaTrust(operator: string, sub: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { [operator]: { [`${ISSUER_HOST}:sub`]: sub }, StringEquals: { [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com' } },
      },
    ],
  };
}

function account(extra: Partial<FakeAccount> = {}): FakeAccount {
  return {
    account: ACCOUNT,
    pageSize: 2,
    throttleFirstPage: 1,
    roles: [
      { name: 'reporting', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${ISSUER_HOST}:sub`]: 'system:serviceaccount:*:reporting' }, StringEquals: { [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com' } } }] }, inline: [{ name: 'read-reports', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-reports/*' }] } }] },
      { name: 'payments-api', trust: irsaTrust('StringEquals', 'system:serviceaccount:payments:api'), attached: [`arn:aws:iam::${ACCOUNT}:policy/payments-data`] },
      { name: 'eks-node', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, attached: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'], instanceProfile: 'eks-node' },
      { name: 'orders-pod-identity', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] } },
      { name: 'legacy-ci', trust: irsaTrust('StringEquals', 'system:serviceaccount:ci:runner') },
    ],
    policies: [{ name: 'payments-data', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payments` }] } }],
    oidcProviders: [{ url: ISSUER_HOST, clientIds: ['sts.amazonaws.com'] }],
    clusters: {
      'eu-west-1': [
        {
          name: 'prod-eu',
          issuer: `https://${ISSUER_HOST}`,
          nodegroups: [{ name: 'general', nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`, launchTemplate: { id: 'lt-0abcd1234efgh5678', name: 'general-nodes', version: '3' } }],
          podIdentity: [{ id: 'a-abcdefghijklmnop1', namespace: 'orders', serviceAccount: 'orders', roleArn: `arn:aws:iam::${ACCOUNT}:role/orders-pod-identity` }],
        },
      ],
    },
    launchTemplates: [{ id: 'lt-0abcd1234efgh5678', name: 'general-nodes', version: 3, metadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' } }],
    ...extra,
  };
}

let fake: AwsFake | undefined;
const saved = { ...process.env };

async function serve(a: FakeAccount): Promise<AwsFake> {
  fake = await startAwsFake(a);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/podtrust-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/podtrust-test-credentials',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return fake;
}

beforeEach(() => {
  fake = undefined;
});

afterEach(async () => {
  await fake?.close();
  process.env = { ...saved };
});

describe('live AWS collection', () => {
  it('reads IAM through paged GetAccountAuthorizationDetails, retrying Throttling, in the canonical shapes', async () => {
    const server = await serve(account());
    const calls = new ApiCallLog();
    const summaries: string[] = [];
    const result = await collectLiveAws({ regions: ['eu-west-1'], calls, onSummary: (s) => summaries.push(s) });
    expect(result.notes).toEqual([]);
    // 5 roles at 2 per page = 3 pages, plus the one throttled attempt: never one call per role.
    expect(server.requests.filter((r) => r === 'iam:GetAccountAuthorizationDetails')).toHaveLength(4);
    expect(calls.operations('aws')).toContain('iam:GetAccountAuthorizationDetails');
    const roles = result.resources.filter((r) => r.type === 'aws.iam.Role');
    expect(roles.map((r) => r.id).sort()).toEqual(['eks-node', 'legacy-ci', 'orders-pod-identity', 'payments-api', 'reporting'].map((n) => `aws:${ACCOUNT}:role/${n}`));
    const reporting = roles.find((r) => r.name === 'reporting')!;
    expect(reporting.format).toBe('live');
    expect(reporting.file).toBe(`aws/${ACCOUNT}/iam/roles/reporting.json`);
    expect(reporting.logicalLocation).toBe(`arn:aws:iam::${ACCOUNT}:role/reporting`);
    const body = reporting.body as Record<string, any>;
    expect(body.AssumeRolePolicyDocument.Statement[0].Condition.StringLike[`${ISSUER_HOST}:sub`]).toBe('system:serviceaccount:*:reporting');
    expect(body.RolePolicyList[0].PolicyDocument.Statement[0].Action).toBe('s3:GetObject');
    expect(reporting.positions['/AssumeRolePolicyDocument/Statement/0/Condition/StringLike']?.line).toBeGreaterThan(1);
    const policy = result.resources.find((r) => r.type === 'aws.iam.Policy')!;
    // The default version (v2), not the older one.
    expect((policy.body as any).PolicyDocument.Statement[0].Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(result.resources.find((r) => r.type === 'aws.iam.InstanceProfile')?.body).toMatchObject({ InstanceProfileName: 'eks-node', Roles: [{ RoleName: 'eks-node' }] });
    expect(result.resources.find((r) => r.type === 'aws.iam.OIDCProvider')?.body).toMatchObject({ Url: ISSUER_HOST, ClientIDList: ['sts.amazonaws.com'] });
    expect(result.clusters).toEqual([expect.objectContaining({ name: 'prod-eu', provider: 'aws', issuer: `https://${ISSUER_HOST}`, account: ACCOUNT })]);
    expect(result.resources.find((r) => r.type === 'aws.eks.NodeGroup')?.body).toMatchObject({ nodegroupName: 'general', clusterName: 'prod-eu', nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`, launchTemplate: { name: 'general-nodes' } });
    expect(result.resources.find((r) => r.type === 'aws.eks.PodIdentityAssociation')?.body).toMatchObject({ clusterName: 'prod-eu', namespace: 'orders', serviceAccount: 'orders', roleArn: `arn:aws:iam::${ACCOUNT}:role/orders-pod-identity` });
    const lt = result.resources.find((r) => r.type === 'aws.ec2.LaunchTemplate')!;
    expect(lt.body).toMatchObject({ LaunchTemplateName: 'general-nodes', LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 } } });
    expect(JSON.stringify(lt.body)).not.toContain('IyEvYmluL2Jhc2g');
    expect(summaries[0]).toMatch(/^aws account 123456789012: .*5 aws\.iam\.Role.*; \d+ API call\(s\) in/);
  });

  it('finds the same problems as the equivalent IaC, at the live object with its ARN', async () => {
    await serve(account({ throttleFirstPage: 0 }));
    const root = mkdtempSync(join(tmpdir(), 'podtrust-aws-'));
    const result = await scan({ paths: [], root, live: { aws: { regions: ['eu-west-1'] } }, ruleIds: ['aws-trust-sub-wildcard', 'aws-node-imds-exposed', 'aws-pod-identity-trust-unscoped'] });
    const wildcard = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(wildcard).toHaveLength(1);
    expect(wildcard[0]).toMatchObject({ severity: 'critical', origin: 'live', resource: { name: 'reporting' }, location: { file: `aws/${ACCOUNT}/iam/roles/reporting.json`, logical: `arn:aws:iam::${ACCOUNT}:role/reporting` } });
    expect(wildcard[0]!.location.position?.line).toBeGreaterThan(1);
    expect(result.notes.filter((n) => n.level === 'error')).toEqual([]);
  });

  it('names a permission gap as a coverage note and keeps going', async () => {
    const server = await serve(account({ denied: ['eks:ListPodIdentityAssociations', 'ec2:DescribeLaunchTemplateVersions'], throttleFirstPage: 0 }));
    const result = await collectLiveAws({ regions: ['eu-west-1'] });
    expect(result.notes.map((n) => [n.kind, n.level])).toEqual([
      ['permission', 'warning'],
      ['permission', 'warning'],
    ]);
    expect(result.notes[0]!.message).toMatch(/eks:ListPodIdentityAssociations/);
    expect(result.notes[1]!.message).toMatch(/ec2:DescribeLaunchTemplateVersions/);
    expect(result.resources.filter((r) => r.type === 'aws.iam.Role')).toHaveLength(5);
    expect(result.resources.some((r) => r.type === 'aws.eks.NodeGroup')).toBe(true);
    expect(server.requests).toContain('eks:DescribeNodegroup');
  });

  it('calls exactly the actions deploy/aws/podtrust-readonly.json allows', async () => {
    const server = await serve(account({ throttleFirstPage: 0 }));
    await collectLiveAws({ regions: ['eu-west-1'] });
    const doc = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'aws', 'podtrust-readonly.json'), 'utf8')) as { Statement: { Action: string[] }[] };
    const allowed = new Set(doc.Statement.flatMap((s) => s.Action));
    const called = new Set(server.requests);
    expect([...called].filter((a) => !allowed.has(a)), 'called but not allowed').toEqual([]);
    expect([...allowed].filter((a) => !called.has(a)), 'allowed but never called').toEqual([]);
  });

  it('reads a generated account of 5,000 roles in the minimum of calls (benchmark)', async () => {
    const roles = Array.from({ length: 5000 }, (_, i) => ({ name: `svc-${String(i).padStart(4, '0')}`, trust: irsaTrust('StringEquals', `system:serviceaccount:team-${i % 50}:svc-${i}`) }));
    const server = await serve({ account: ACCOUNT, roles });
    const calls = new ApiCallLog();
    const started = Date.now();
    const result = await collectLiveAws({ regions: ['eu-west-1'], calls });
    const elapsed = Date.now() - started;
    expect(result.resources.filter((r) => r.type === 'aws.iam.Role')).toHaveLength(5000);
    // The minimum: one GetAccountAuthorizationDetails page per 1,000 roles (the API's MaxItems), one
    // caller-identity call, one OIDC provider list, one EKS cluster list per region.
    const minimum = Math.ceil(5000 / 1000) + 1 + 1 + 1;
    expect(server.requests).toHaveLength(minimum);
    expect(calls.count('aws')).toBe(minimum);
    console.log(`5,000 roles: ${calls.count('aws')} API calls (minimum ${minimum}) in ${elapsed} ms`);
  });
});
