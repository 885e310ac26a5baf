import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectStructured } from '../../src/collectors/documents.js';
import type { CollectResult } from '../../src/collectors/types.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import { DEFAULT_LIMITS } from '../../src/util/structured.js';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { auditInventory } from '../../src/scan.js';

const root = join(import.meta.dirname, '..', '..');

function collect(text: string, name = 'cluster.yaml'): CollectResult {
  return collectStructured({ path: join(root, 'infra', name), text }, { root, limits: DEFAULT_LIMITS });
}

function one(result: CollectResult, type: string, name?: string): Resource {
  const hits = result.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(hits.map((r) => r.name), `${type} ${name ?? ''}`).toHaveLength(1);
  return hits[0]!;
}

function field(v: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let cur = v;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, JsonValue>)[k as string] : undefined;
  return cur;
}

const refId = (v: JsonValue | undefined): string | undefined => field(v, 'ref', 'id') as string | undefined;
const policyNames = (role: Resource): JsonValue[] => ((field(role.body, 'AttachedManagedPolicies') as JsonValue[] | undefined) ?? []).map((p) => field(p, 'PolicyName')!);

/** The first five lines of a ClusterConfig. */
const header = (name: string, region: string): string => `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: ${name}\n  region: ${region}\n`;

const IRSA = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig

metadata:
  name: payments
  region: eu-west-1

iam:
  withOIDC: true
  serviceAccounts:
  - metadata:
      name: default
      namespace: kube-system
    attachPolicyARNs:
    - "arn:aws:iam::aws:policy/AdministratorAccess"
  - metadata:
      name: no-namespace
    roleOnly: true
    wellKnownPolicies:
      ebsCSIController: true
      externalDNS: true
  - metadata:
      name: some-app
      namespace: apps
    attachRoleARN: arn:aws:iam::111122223333:role/already-created
`;

describe('eksctl ClusterConfig collector', () => {
  test('the file is claimed before the Kubernetes collector and accounted as an eksctl ClusterConfig', () => {
    const result = collect(IRSA);
    expect(result.accounts).toEqual([{ file: join(root, 'infra', 'cluster.yaml'), format: 'eksctl ClusterConfig', state: 'analysed' }]);
    expect(result.resources.some((r) => r.type === 'k8s.ClusterConfig')).toBe(false);
    expect(result.notes).toEqual([]);
    const cluster = one(result, 'aws.eks.Cluster');
    expect(result.clusters).toEqual([{ name: 'payments', provider: 'aws', resourceId: cluster.id }]);
    expect(cluster.format).toBe('eksctl');
  });

  test('IRSA roles carry the trust eksctl generates, on the OIDC provider withOIDC creates', () => {
    const result = collect(IRSA);
    const provider = one(result, 'aws.iam.OIDCProvider');
    expect(field(provider.body, 'ClientIDList')).toEqual(['sts.amazonaws.com']);
    const role = one(result, 'aws.iam.Role', 'eksctl-payments-addon-iamserviceaccount-kube-system-default');
    const statement = field(role.body, 'AssumeRolePolicyDocument', 'Statement', 0);
    expect(field(statement, 'Action')).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(refId(field(statement, 'Principal', 'Federated'))).toBe(provider.id);
    const key = 'oidc.eks.eu-west-1.amazonaws.com/id/${payments.oidc-id}';
    expect(field(statement, 'Condition')).toEqual({ StringEquals: { [`${key}:sub`]: 'system:serviceaccount:kube-system:default', [`${key}:aud`]: 'sts.amazonaws.com' } });
    expect(policyNames(role)).toEqual(['AdministratorAccess']);
    expect(role.positions['/AttachedManagedPolicies/0']?.line).toBe(15);
    expect(role.positions['']?.line).toBe(11);
  });

  test('the ServiceAccount eksctl creates is annotated with its role; roleOnly creates none; attachRoleARN names the given role', () => {
    const result = collect(IRSA);
    const sas = result.resources.filter((r) => r.type === 'k8s.ServiceAccount');
    expect(sas.map((r) => r.name)).toEqual(['kube-system/default', 'apps/some-app']);
    const role = one(result, 'aws.iam.Role', 'eksctl-payments-addon-iamserviceaccount-kube-system-default');
    const annotation = field(sas[0]!.body, 'metadata', 'annotations', 'eks.amazonaws.com/role-arn');
    expect(refId(annotation)).toBe(role.id);
    expect(sas[0]!.positions['/metadata/annotations/eks.amazonaws.com~1role-arn']?.line).toBe(12);
    expect(sas[0]).toMatchObject({ cluster: 'payments', namespace: 'kube-system' });
    expect(field(sas[1]!.body, 'metadata', 'annotations')).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/already-created' });
    expect(result.resources.filter((r) => r.type === 'aws.iam.Role').map((r) => r.name)).not.toContain('eksctl-payments-addon-iamserviceaccount-apps-some-app');
  });

  test('a service account without a namespace is in default; wellKnownPolicies become the policies eksctl attaches, placed at each flag', () => {
    const result = collect(IRSA);
    const role = one(result, 'aws.iam.Role', 'eksctl-payments-addon-iamserviceaccount-default-no-namespace');
    expect(field(role.body, 'AssumeRolePolicyDocument', 'Statement', 0, 'Condition', 'StringEquals', 'oidc.eks.eu-west-1.amazonaws.com/id/${payments.oidc-id}:sub')).toBe('system:serviceaccount:default:no-namespace');
    expect(field(role.body, 'AttachedManagedPolicies')).toEqual([{ PolicyName: 'AmazonEBSCSIDriverPolicy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy' }]);
    expect(role.positions['/AttachedManagedPolicies/0']?.line).toBe(20);
    expect(((field(role.body, 'RolePolicyList') as JsonValue[]) ?? []).map((p) => field(p, 'PolicyName'))).toEqual(['PolicyExternalDNSChangeSet', 'PolicyExternalDNSHostedZones']);
    expect(role.positions['/RolePolicyList/1/PolicyDocument']?.line).toBe(21);
  });

  test('without withOIDC the trust names the cluster issuer, and subjectPattern is matched with StringLike', () => {
    const result = collect(`${header('batch', 'cn-north-1')}iam:
  serviceAccounts:
  - metadata:
      name: runner
      namespace: jobs
    subjectPattern: "job-*"
`);
    expect(result.resources.filter((r) => r.type === 'aws.iam.OIDCProvider')).toEqual([]);
    const cluster = one(result, 'aws.eks.Cluster');
    const role = one(result, 'aws.iam.Role');
    const statement = field(role.body, 'AssumeRolePolicyDocument', 'Statement', 0);
    expect(refId(field(statement, 'Principal', 'Federated'))).toBe(cluster.id);
    const key = 'oidc.eks.cn-north-1.amazonaws.com/id/${batch.oidc-id}';
    expect(field(statement, 'Condition')).toEqual({ StringLike: { [`${key}:sub`]: 'system:serviceaccount:jobs:job-*' }, StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com' } });
    expect(role.positions[`/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/${key.replace(/\//g, '~1')}:sub`]?.line).toBe(11);
  });

  test('node groups: eksctl writes IMDSv2 required with hop limit 2 unless the file says otherwise, at the line that says it', () => {
    const result = collect(`${header('nodes', 'us-east-1')}nodeGroups:
  - name: defaults
    instanceType: m5.large
  - name: v1
    disableIMDSv1: false
managedNodeGroups:
  - name: no-pod-imds
    disablePodIMDS: true
  - name: own-template
    launchTemplate:
      id: lt-0a1b2c3d4e5f67890
      version: "3"
`);
    const options = (name: string) => field(one(result, 'aws.ec2.LaunchTemplate', `eksctl-nodes-nodegroup-${name}`).body, 'LaunchTemplateData', 'MetadataOptions');
    expect(options('defaults')).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    expect(options('v1')).toEqual({ HttpTokens: 'optional', HttpPutResponseHopLimit: 2 });
    expect(options('no-pod-imds')).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    const lt = (name: string) => one(result, 'aws.ec2.LaunchTemplate', `eksctl-nodes-nodegroup-${name}`);
    expect(lt('defaults').positions['/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit']?.line).toBe(7);
    expect(lt('v1').positions['/LaunchTemplateData/MetadataOptions/HttpTokens']?.line).toBe(10);
    expect(lt('no-pod-imds').positions['/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit']?.line).toBe(13);
    // A managed node group's own template is not in the file: no template is invented, and a note says so.
    expect(result.resources.some((r) => r.name === 'eksctl-nodes-nodegroup-own-template')).toBe(false);
    expect(field(one(result, 'aws.eks.NodeGroup', 'own-template').body, 'launchTemplate')).toEqual({ id: 'lt-0a1b2c3d4e5f67890', version: '3' });
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'unresolved', level: 'note', line: 15 })]);
  });

  test('node roles get the policies eksctl attaches; self-managed groups reach theirs through the instance profile', () => {
    const result = collect(`${header('roles', 'us-east-1')}nodeGroups:
  - name: self
    iam:
      attachPolicyARNs:
        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy
      withAddonPolicies:
        cloudWatch: true
        fsx: true
  - name: existing
    iam:
      instanceRoleARN: arn:aws:iam::111122223333:role/nodes
managedNodeGroups:
  - name: managed
  - name: windows
    amiFamily: WindowsServer2022CoreContainer
`);
    const role = (name: string) => one(result, 'aws.iam.Role', `eksctl-roles-nodegroup-${name}-NodeInstanceRole`);
    expect(policyNames(role('managed'))).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']);
    expect(policyNames(role('self'))).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'CloudWatchAgentServerPolicy']);
    expect(((field(role('self').body, 'RolePolicyList') as JsonValue[]) ?? []).map((p) => field(p, 'PolicyName'))).toEqual(['PolicyFSX', 'PolicyServiceLinkRole']);
    expect(role('self').positions['/RolePolicyList/0/PolicyDocument']?.line).toBe(13);
    expect(role('self').positions['/AttachedManagedPolicies/2']?.line).toBe(12);
    // Self-managed: launch template → instance profile → role.
    const lt = one(result, 'aws.ec2.LaunchTemplate', 'eksctl-roles-nodegroup-self');
    const profile = one(result, 'aws.iam.InstanceProfile', 'eksctl-roles-nodegroup-self-NodeInstanceProfile');
    expect(refId(field(lt.body, 'LaunchTemplateData', 'IamInstanceProfile', 'Arn'))).toBe(profile.id);
    expect(refId(field(profile.body, 'Roles', 0, 'RoleName'))).toBe(role('self').id);
    const managed = one(result, 'aws.eks.NodeGroup', 'managed');
    expect(refId(field(managed.body, 'nodeRole'))).toBe(role('managed').id);
    expect(field(managed.body, 'clusterName')).toBe('roles');
    expect(field(one(result, 'aws.eks.NodeGroup', 'existing').body, 'nodeRole')).toBe('arn:aws:iam::111122223333:role/nodes');
    // With instanceRoleARN eksctl creates the instance profile only, for the role the file names.
    expect(field(one(result, 'aws.iam.InstanceProfile', 'eksctl-roles-nodegroup-existing-NodeInstanceProfile').body, 'Roles')).toEqual([{ RoleName: 'nodes' }]);
    expect(result.resources.filter((r) => r.type === 'aws.iam.Role').map((r) => r.name)).not.toContain('eksctl-roles-nodegroup-existing-NodeInstanceRole');
    const windows = one(result, 'aws.eks.NodeGroup', 'windows');
    expect(field(windows.body, 'amiType')).toBe('WINDOWS_CORE_2022_x86_64');
    expect(windows.positions['/amiType']?.line).toBe(20);
  });

  test('pod identity associations: the association, the role eksctl creates with the pods.eks.amazonaws.com trust, the ServiceAccount', () => {
    const result = collect(`${header('cluster-39', 'us-west-2')}iam:
  podIdentityAssociations:
  - namespace: dev
    serviceAccountName: nginx
    createServiceAccount: true
    permissionPolicy:
      Version: "2012-10-17"
      Statement:
      - Effect: Allow
        Action: ["s3:GetObject"]
        Resource: "*"
  - namespace: default
    serviceAccountName: reader
    roleARN: arn:aws:iam::111122223333:role/role-a
    targetRoleARN: arn:aws:iam::444455556666:role/role-b
`);
    const role = one(result, 'aws.iam.Role');
    expect(field(role.body, 'AssumeRolePolicyDocument')).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }] });
    expect(role.positions['/RolePolicyList/0/PolicyDocument/Statement/0/Action']?.line).toBe(15);
    const [created, given] = result.resources.filter((r) => r.type === 'aws.eks.PodIdentityAssociation');
    expect(refId(field(created!.body, 'roleArn'))).toBe(role.id);
    expect(given!.body).toEqual({ clusterName: 'cluster-39', namespace: 'default', serviceAccount: 'reader', roleArn: 'arn:aws:iam::111122223333:role/role-a', targetRoleArn: 'arn:aws:iam::444455556666:role/role-b' });
    expect(given!.positions['/roleArn']?.line).toBe(19);
    const sa = one(result, 'k8s.ServiceAccount');
    expect(sa.name).toBe('dev/nginx');
    expect(field(sa.body, 'metadata', 'annotations')).toBeUndefined();
  });

  test("an addon's pod identity associations are read like iam.podIdentityAssociations", () => {
    const result = collect(`${header('addons', 'us-west-2')}addons:
  - name: aws-ebs-csi-driver
    podIdentityAssociations:
    - namespace: kube-system
      serviceAccountName: ebs-csi-controller-sa
      wellKnownPolicies:
        ebsCSIController: true
`);
    const association = one(result, 'aws.eks.PodIdentityAssociation');
    expect(association.name).toBe('addons/kube-system/ebs-csi-controller-sa');
    const role = one(result, 'aws.iam.Role');
    expect(refId(field(association.body, 'roleArn'))).toBe(role.id);
    expect(policyNames(role)).toEqual(['AmazonEBSCSIDriverPolicy']);
    expect(role.positions['/AttachedManagedPolicies/0']?.line).toBe(12);
    expect(result.notes).toEqual([]);
  });

  test('another eksctl apiVersion is recognised but not analysed, with a warning saying what to do', () => {
    const result = collect('apiVersion: eksctl.io/v1alpha4\nkind: ClusterConfig\nmetadata:\n  name: old\n');
    expect(result.resources).toEqual([]);
    expect(result.accounts).toEqual([{ file: join(root, 'infra', 'cluster.yaml'), format: 'eksctl ClusterConfig', state: 'not-analysed' }]);
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'unsupported', level: 'warning', line: 1 })]);
  });

  test('a field of the wrong shape is named in a warning and the rest of the file is read', () => {
    const result = collect('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: odd\nnodeGroups: ng-1\nmanagedNodeGroups:\n  - name: fine\n  - just-a-name\niam: true\n');
    expect(result.notes.map((n) => [n.kind, n.level, n.line])).toEqual([['unsupported', 'warning', 9], ['unsupported', 'warning', 5], ['unsupported', 'warning', 8]]);
    expect(one(result, 'aws.eks.NodeGroup').name).toBe('fine');
  });
  test('what eksctl creates but podtrust does not model is named in a note: addon IAM settings, Karpenter', () => {
    const result = collect(`${header('notes', 'us-east-1')}karpenter:
  version: "1.2.1"
addons:
  - name: aws-ebs-csi-driver
    wellKnownPolicies:
      ebsCSIController: true
`);
    expect(result.notes.map((n) => [n.kind, n.level, n.line])).toEqual([['unsupported', 'note', 6], ['unsupported', 'note', 9]]);
  });

  test('values copied from the file go through the redaction walk', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYzq4t8Lw2Hm';
    const result = collect(`${header('leaky', 'us-east-1')}iam:
  withOIDC: true
  serviceAccounts:
  - metadata:
      name: app
      namespace: apps
      annotations:
        legacy: "--aws-secret-access-key=${secret}"
`);
    const sa = one(result, 'k8s.ServiceAccount');
    expect(JSON.stringify(result.resources)).not.toContain(secret.slice(8, 30));
    expect(sa.credentials?.map((c) => c.kind)).toEqual(['aws-access-key']);
  });
});

describe('AWS CLI Pod Identity association dumps', () => {
  const describeOutput = `{
    "association": {
        "clusterName": "retail",
        "namespace": "payments",
        "serviceAccount": "ledger",
        "roleArn": "arn:aws:iam::111122223333:role/ledger",
        "associationArn": "arn:aws:eks:us-west-2:111122223333:podidentityassociation/retail/a-0a1b2c3d4e5f6a7b8",
        "associationId": "a-0a1b2c3d4e5f6a7b8",
        "tags": {},
        "disableSessionTags": false
    }
}`;

  test('describe-pod-identity-association output becomes the association the live collector builds', () => {
    const result = collect(describeOutput, 'association.json');
    const a = one(result, 'aws.eks.PodIdentityAssociation');
    expect(a).toMatchObject({ name: 'retail/payments/ledger', format: 'cli-json', logicalLocation: 'arn:aws:eks:us-west-2:111122223333:podidentityassociation/retail/a-0a1b2c3d4e5f6a7b8' });
    expect(field(a.body, 'roleArn')).toBe('arn:aws:iam::111122223333:role/ledger');
    expect(a.positions['/roleArn']?.line).toBe(6);
    expect(result.notes).toEqual([]);
    expect(result.accounts?.map((x) => x.state)).toEqual(['analysed']);
  });

  test('list-pod-identity-associations output: summaries without roles, and a note naming the command that gives them', () => {
    const result = collect(`{"associations": [
  {"clusterName": "retail", "namespace": "a", "serviceAccount": "x", "associationArn": "arn:aws:eks:us-west-2:111122223333:podidentityassociation/retail/a-1", "associationId": "a-1"},
  {"clusterName": "retail", "namespace": "b", "serviceAccount": "y", "associationArn": "arn:aws:eks:us-west-2:111122223333:podidentityassociation/retail/a-2", "associationId": "a-2"}
]}`, 'list.json');
    expect(result.resources.map((r) => r.name)).toEqual(['retail/a/x', 'retail/b/y']);
    expect(result.resources[1]!.positions['']?.line).toBe(3);
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'unresolved', level: 'note', message: expect.stringContaining('describe-pod-identity-association') })]);
  });

  test('other JSON with an associations key is not taken for a dump', () => {
    expect(collect('{"associations": [{"name": "x"}]}', 'other.json').resources).toEqual([]);
    expect(collect('{"associations": []}', 'empty.json').accounts).toBeUndefined();
  });
});

describe('hostile ClusterConfigs', () => {
  // Values of any shape where eksctl expects its fields: the collector and every rule after it must not throw.
  const keys = ['name', 'namespace', 'metadata', 'iam', 'withOIDC', 'serviceAccounts', 'podIdentityAssociations', 'serviceAccountName', 'roleARN', 'roleName', 'attachPolicyARNs', 'attachPolicy', 'permissionPolicy', 'permissionPolicyARNs', 'wellKnownPolicies', 'withAddonPolicies', 'autoScaler', 'efs', 'instanceRoleARN', 'instanceProfileARN', 'disableIMDSv1', 'disablePodIMDS', 'amiFamily', 'launchTemplate', 'subjectPattern', 'roleOnly', 'createServiceAccount', 'Statement', 'Action', 'Resource', '__proto__', 'constructor'];
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('WindowsServer2019FullContainer', 'arn:aws:iam::aws:policy/AdministratorAccess', '*', 'default', ''),
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('v'), { maxKeys: 4 }),
    ),
  })).v;
  const config = fc.record({ metadata: value, iam: value, nodeGroups: value, managedNodeGroups: value, addons: value }, { requiredKeys: [] });

  test('arbitrary field values never make the collector or a rule throw', () => {
    fc.assert(
      fc.property(config, (c) => {
        const text = stringify({ apiVersion: 'eksctl.io/v1alpha5', kind: 'ClusterConfig', ...c });
        const collected = collectStructured({ path: '/fuzz/cluster.yaml', text }, { root: '/fuzz', limits: DEFAULT_LIMITS });
        expect(collected.notes.filter((n) => n.kind === 'internal-error')).toEqual([]);
        const audit = auditInventory({ version: 1, resources: collected.resources, clusters: collected.clusters, notes: [] }, { paths: [], root: '/fuzz' });
        expect(audit.notes.filter((n) => n.kind === 'rule-error')).toEqual([]);
      }),
      { numRuns: 1000, seed: 20261207 },
    );
  });
});
