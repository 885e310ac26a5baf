import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectStructured } from '../../src/collectors/documents.js';
import { linkCloudNative } from '../../src/collectors/cloud-native/links.js';
import { mergeResults, emptyResult, type CollectResult } from '../../src/collectors/types.js';
import type { JsonObject, Resource } from '../../src/model/types.js';
import { DEFAULT_LIMITS } from '../../src/util/structured.js';

const root = '/repo';

/** Collects each file as the scan does, then links across them. */
function scanFiles(files: Record<string, string>): CollectResult {
  const all = emptyResult();
  for (const [name, text] of Object.entries(files)) mergeResults(all, collectStructured({ path: join(root, name), text }, { root, limits: DEFAULT_LIMITS }));
  const linked = linkCloudNative(all.resources);
  all.resources = linked.resources;
  all.notes.push(...linked.notes);
  return all;
}

function one(result: CollectResult, type: string, name?: string): Resource & { body: JsonObject } {
  const found = result.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ''}`).toHaveLength(1);
  return found[0] as Resource & { body: JsonObject };
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

const ACK = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: ledger
  namespace: payments
spec:
  name: payments-ledger
  assumeRolePolicyDocument: >
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
          "StringEquals": {
            "oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub": "system:serviceaccount:payments:ledger"
          }
        }
      }]
    }
  policies:
    - arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess
  policyRefs:
    - from:
        name: ledger-tables
  inlinePolicies:
    kms/decrypt: |
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
  tags:
    - key: team
      value: payments
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Policy
metadata:
  name: ledger-tables
  namespace: payments
spec:
  name: ledger-tables
  policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}]}'
`;

describe('ACK IAM resources', () => {
  const result = scanFiles({ 'ack.yaml': ACK });
  const role = one(result, 'aws.iam.Role');

  test('a Role becomes the canonical role, its trust decoded with positions inside the folded scalar', () => {
    expect(role).toMatchObject({ id: 'k8s:ack.yaml:Role/payments/ledger>aws.iam.Role', name: 'payments-ledger', namespace: 'payments', file: join(root, 'ack.yaml') });
    expect(role.body['RoleName']).toBe('payments-ledger');
    expect(role.body['Tags']).toEqual([{ Key: 'team', Value: 'payments' }]);
    const key = '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/oidc.eks.eu-west-1.amazonaws.com~1id~1AB12:sub';
    expect(role.positions[key]?.line).toBe(lineOf(ACK, ':sub"'));
    expect(role.positions['/RoleName']?.line).toBe(lineOf(ACK, 'name: payments-ledger'));
  });

  test('policies, policyRefs and inlinePolicies become attached and inline policies', () => {
    const policy = one(result, 'aws.iam.Policy');
    expect(role.body['AttachedManagedPolicies']).toEqual([
      { PolicyName: 'AmazonSQSReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess' },
      { PolicyArn: expect.objectContaining({ ref: { id: policy.id, attribute: 'Arn' } }) },
    ]);
    expect(role.positions['/AttachedManagedPolicies/1']?.line).toBe(lineOf(ACK, '- from:'));
    expect(role.body['RolePolicyList']).toEqual([{ PolicyName: 'kms/decrypt', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } }]);
    expect(role.positions['/RolePolicyList/0/PolicyDocument/Statement/0/Action']?.line).toBe(lineOf(ACK, '"kms:Decrypt"'));
    expect(policy.body['PolicyDocument']).toMatchObject({ Statement: [{ Action: 'dynamodb:Query' }] });
  });

  test('the intermediate attachment does not stay in the inventory; the file is accounted as ACK', () => {
    expect(result.resources.map((r) => r.type).sort()).toEqual(['aws.iam.Policy', 'aws.iam.Role', 'k8s.Policy', 'k8s.Role']);
    expect(result.accounts).toEqual([{ file: join(root, 'ack.yaml'), format: 'ACK (AWS Controllers for Kubernetes)', state: 'analysed' }]);
    expect(result.notes).toEqual([]);
  });

  test('a suppression written on the object applies to the role it describes', () => {
    const annotated = ACK.replace('  namespace: payments\nspec:\n  name: payments-ledger', '  namespace: payments\n  annotations:\n    podtrust.io/ignore.aws-workload-role-admin: break-glass role, reviewed\nspec:\n  name: payments-ledger');
    const r = one(scanFiles({ 'ack.yaml': annotated }), 'aws.iam.Role');
    expect(r.suppressions).toEqual([expect.objectContaining({ ruleId: 'aws-workload-role-admin', justification: 'break-glass role, reviewed', pointer: '' })]);
  });

  test('a trust document that is not JSON is an error at its line, and the trust stays unresolved', () => {
    const broken = ACK.replace('"Effect": "Allow",\n        "Principal"', '"Effect": "Allow"\n        "Principal"');
    const r = scanFiles({ 'ack.yaml': broken });
    expect(r.notes).toEqual([expect.objectContaining({ kind: 'parse-error', level: 'error', file: join(root, 'ack.yaml'), line: lineOf(broken, '"Principal"') })]);
    expect(one(r, 'aws.iam.Role').body['AssumeRolePolicyDocument']).toMatchObject({ $unknown: expect.stringContaining('invalid') });
  });
});

const CLASSIC = `apiVersion: iam.aws.crossplane.io/v1beta1
kind: Role
metadata:
  name: etl
  annotations:
    crossplane.io/external-name: etl-prod
spec:
  forProvider:
    assumeRolePolicyDocument: |
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
---
apiVersion: iam.aws.crossplane.io/v1beta1
kind: Policy
metadata:
  name: etl-bucket
spec:
  forProvider:
    name: etl-bucket
    document: |
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
`;

const CLASSIC_LINKS = `apiVersion: iam.aws.crossplane.io/v1beta1
kind: RolePolicyAttachment
metadata:
  name: etl-bucket
spec:
  forProvider:
    policyArnRef:
      name: etl-bucket
    roleNameRef:
      name: etl
---
apiVersion: iam.aws.crossplane.io/v1beta1
kind: RolePolicyAttachment
metadata:
  name: etl-by-name
spec:
  forProvider:
    policyArn: arn:aws:iam::aws:policy/AmazonAthenaFullAccess
    roleName: etl-prod
---
apiVersion: iam.aws.crossplane.io/v1beta1
kind: RolePolicy
metadata:
  name: etl-logs
spec:
  forProvider:
    roleName: etl-prod
    document: |
      {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]
      }
---
apiVersion: iam.aws.crossplane.io/v1beta1
kind: RolePolicyAttachment
metadata:
  name: orphan
spec:
  forProvider:
    policyArn: arn:aws:iam::aws:policy/ReadOnlyAccess
    roleNameRef:
      name: not-in-this-repository
`;

describe('Crossplane AWS provider (classic)', () => {
  const result = scanFiles({ 'role.yaml': CLASSIC, 'links.yaml': CLASSIC_LINKS });
  const role = one(result, 'aws.iam.Role');

  test('the external name is the role name; attachments and inline policies in another file fold into the role there', () => {
    expect(role.body['RoleName']).toBe('etl-prod');
    const policy = one(result, 'aws.iam.Policy');
    expect(role.body['AttachedManagedPolicies']).toEqual([
      { PolicyArn: expect.objectContaining({ ref: { id: policy.id, attribute: 'Arn' } }) },
      { PolicyName: 'AmazonAthenaFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonAthenaFullAccess' },
    ]);
    expect(role.positions['/AttachedManagedPolicies/1']).toMatchObject({ file: join(root, 'links.yaml'), line: lineOf(CLASSIC_LINKS, 'AmazonAthenaFullAccess') });
    expect(role.body['RolePolicyList']).toEqual([{ PolicyName: 'etl-logs', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] } }]);
    expect(role.positions['/RolePolicyList/0/PolicyDocument/Statement']).toMatchObject({ file: join(root, 'links.yaml'), line: lineOf(CLASSIC_LINKS, 'logs:PutLogEvents') });
  });

  test('an attachment that names no scanned role is named in a note', () => {
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'skipped', file: join(root, 'links.yaml'), line: lineOf(CLASSIC_LINKS, 'name: orphan') - 3, message: expect.stringContaining('RolePolicyAttachment orphan') })]);
    expect(result.resources.some((r) => r.type === 'aws.iam.RolePolicyAttachment' || r.type === 'aws.iam.RolePolicy')).toBe(false);
  });
});

const UPBOUND = `apiVersion: iam.aws.upbound.io/v1beta1
kind: Role
metadata:
  name: ingest
spec:
  forProvider:
    assumeRolePolicy: |
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}
    managedPolicyArns:
      - arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess
    inlinePolicy:
      - name: write-events
        policy: |
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": "*"}]}
    permissionsBoundary: arn:aws:iam::111122223333:policy/workload-boundary
    tags:
      team: data
---
apiVersion: iam.aws.upbound.io/v1beta1
kind: OpenIDConnectProvider
metadata:
  name: prod-cluster
spec:
  forProvider:
    url: https://oidc.eks.eu-west-1.amazonaws.com/id/AB12
    clientIdList:
      - sts.amazonaws.com
    thumbprintList:
      - 9e99a48a9960b14926bb7f3b02e22da2b0ab7280
`;

describe('Crossplane AWS provider (Upbound)', () => {
  const result = scanFiles({ 'upbound.yaml': UPBOUND });

  test('managed policy ARNs, inline policies, the boundary and map tags', () => {
    const role = one(result, 'aws.iam.Role');
    expect(role.body).toMatchObject({
      RoleName: 'ingest',
      AttachedManagedPolicies: [{ PolicyName: 'AmazonKinesisReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess' }],
      RolePolicyList: [{ PolicyName: 'write-events', PolicyDocument: { Statement: [{ Action: 'events:PutEvents' }] } }],
      PermissionsBoundary: { PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/workload-boundary' },
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    expect(role.positions['/RolePolicyList/0/PolicyDocument/Statement/0/Action']?.line).toBe(lineOf(UPBOUND, 'events:PutEvents'));
  });

  test('selectors pick the one Role and Policy whose labels match; several matches pick none', () => {
    const labelled = UPBOUND.replace('  name: ingest\n', '  name: ingest\n  labels:\n    app: ingest\n');
    const links = `apiVersion: iam.aws.upbound.io/v1beta1
kind: Policy
metadata:
  name: ingest-queue
  labels:
    app: ingest
spec:
  forProvider:
    policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}'
---
apiVersion: iam.aws.upbound.io/v1beta1
kind: RolePolicyAttachment
metadata:
  name: ingest-queue
spec:
  forProvider:
    policyArnSelector:
      matchLabels:
        app: ingest
    roleSelector:
      matchLabels:
        app: ingest
`;
    const r = scanFiles({ 'upbound.yaml': labelled, 'links.yaml': links });
    const policy = one(r, 'aws.iam.Policy');
    expect(one(r, 'aws.iam.Role').body['AttachedManagedPolicies']).toEqual([
      { PolicyName: 'AmazonKinesisReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess' },
      { PolicyArn: expect.objectContaining({ ref: { id: policy.id, attribute: 'Arn' } }) },
    ]);
    const twice = scanFiles({ 'upbound.yaml': labelled, 'other.yaml': labelled.replace('name: ingest\n', 'name: ingest-copy\n'), 'links.yaml': links });
    expect(twice.notes).toEqual([expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('RolePolicyAttachment ingest-queue names no role') })]);
  });

  test('an OIDC provider becomes the canonical provider', () => {
    expect(one(result, 'aws.iam.OIDCProvider').body).toMatchObject({ Url: 'https://oidc.eks.eu-west-1.amazonaws.com/id/AB12', ClientIDList: ['sts.amazonaws.com'] });
    expect(result.accounts).toEqual([{ file: join(root, 'upbound.yaml'), format: 'Crossplane AWS provider (Upbound)', state: 'analysed' }]);
  });
});

const ASO = `apiVersion: managedidentity.azure.com/v1api20230131
kind: UserAssignedIdentity
metadata:
  name: reporter
  namespace: reports
spec:
  azureName: reporter-prod
  location: westeurope
  owner:
    name: reports-rg
  operatorSpec:
    configMaps:
      principalId:
        name: reporter-identity
        key: principalId
---
apiVersion: managedidentity.azure.com/v1api20230131
kind: FederatedIdentityCredential
metadata:
  name: reporter-aks
  namespace: reports
spec:
  owner:
    name: reporter
  audiences:
    - api://AzureADTokenExchange
  issuerFromConfig:
    name: aks-oidc
    key: issuer
  subject: system:serviceaccount:reports:reporter
---
apiVersion: authorization.azure.com/v1api20220401
kind: RoleAssignment
metadata:
  name: reporter-owner
  namespace: reports
spec:
  owner:
    armId: /subscriptions/00000000-0000-0000-0000-000000000000
  principalIdFromConfig:
    name: reporter-identity
    key: principalId
  roleDefinitionReference:
    armId: /subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635
---
apiVersion: authorization.azure.com/v1api20220401
kind: RoleAssignment
metadata:
  name: auditor-reader
  namespace: reports
spec:
  owner:
    name: reports-rg
    group: resources.azure.com
    kind: ResourceGroup
  principalIdFromConfig:
    name: auditors
    key: principalId
  roleDefinitionReference:
    wellKnownName: Reader
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: auditors
  namespace: reports
data:
  principalId: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f
`;

describe('Azure Service Operator', () => {
  const result = scanFiles({ 'aso.yaml': ASO });
  const identity = one(result, 'azure.msi.UserAssignedIdentity');

  test('an identity, its credential linked through the owner, the issuer read from a ConfigMap unresolved', () => {
    expect(identity).toMatchObject({ name: 'reporter-prod', body: { name: 'reporter-prod', location: 'westeurope' } });
    const credential = one(result, 'azure.msi.FederatedIdentityCredential');
    expect(credential.body).toMatchObject({
      name: 'reporter-aks',
      parentType: 'userAssignedIdentity',
      identityId: { ref: { id: identity.id, attribute: 'id' } },
      properties: { issuer: { $unknown: expect.stringContaining('aks-oidc') }, subject: 'system:serviceaccount:reports:reporter', audiences: ['api://AzureADTokenExchange'] },
    });
    expect(credential.positions['/properties/subject']?.line).toBe(lineOf(ASO, 'subject: system:serviceaccount'));
  });

  test('role assignments: the principal from the ConfigMap the identity writes, or a literal ConfigMap; the scope from the owner', () => {
    const owner = one(result, 'azure.authorization.RoleAssignment', 'reports/reporter-owner');
    expect(owner.body).toMatchObject({
      properties: { scope: '/subscriptions/00000000-0000-0000-0000-000000000000', principalId: { ref: { id: identity.id, attribute: 'principalId' } }, roleDefinitionId: expect.stringContaining('8e3af657') },
      scopeInfo: { level: 'subscription', subscription: '00000000-0000-0000-0000-000000000000' },
    });
    const reader = one(result, 'azure.authorization.RoleAssignment', 'reports/auditor-reader');
    expect(reader.body).toMatchObject({ properties: { roleDefinitionName: 'Reader', principalId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }, scopeInfo: { level: 'resourceGroup', resourceGroup: 'reports-rg' } });
    expect(reader.positions['/properties/roleDefinitionName']?.line).toBe(lineOf(ASO, 'wellKnownName: Reader'));
    expect(result.accounts).toEqual([{ file: join(root, 'aso.yaml'), format: 'Azure Service Operator', state: 'analysed' }]);
  });
});
