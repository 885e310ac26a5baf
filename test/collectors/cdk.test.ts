import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectStructured } from '../../src/collectors/documents.js';
import type { CollectResult } from '../../src/collectors/types.js';
import type { Resource } from '../../src/model/types.js';
import { DEFAULT_LIMITS } from '../../src/util/structured.js';
import { accessKeyId, secretAccessKey } from '../helpers/credentials.js';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'fixtures', 'rules', 'aws-trust-sub-wildcard', 'fail-cdk-cfnjson-stringlike', 'cdk.out');
const templatePath = join(out, 'PaymentsStack.template.json');
const templateText = readFileSync(templatePath, 'utf8');

function collect(path: string, text: string): CollectResult {
  return collectStructured({ path, text }, { root, limits: DEFAULT_LIMITS });
}

function ofType(result: CollectResult, type: string): Resource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The 1-based line of the first line of the template containing `needle` after line `after`. */
function lineOf(needle: string, after = 0): number {
  const lines = templateText.split('\n');
  const i = lines.findIndex((l, k) => k >= after && l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

describe('AWS CDK synthesized templates', () => {
  const result = collect(templatePath, templateText);

  test('the cluster and OIDC provider custom resources become the canonical cluster and provider', () => {
    const [cluster] = ofType(result, 'aws.eks.Cluster');
    expect(cluster).toMatchObject({ address: 'Cluster9EE0221C', name: 'payments', body: { name: 'payments', version: '1.31' } });
    expect(cluster!.positions['/name']?.line).toBe(lineOf('"name": "payments"'));
    expect(result.clusters).toEqual([{ name: 'payments', provider: 'aws', resourceId: cluster!.id }]);
    const [provider] = ofType(result, 'aws.iam.OIDCProvider');
    expect(provider!.body).toMatchObject({ ClientIDList: ['sts.amazonaws.com'], Url: { ref: { id: cluster!.id, attribute: 'identity.oidc.issuer' } } });
  });

  test('a trust condition read through Fn::GetAtt of a CfnJson is the JSON it builds, at the CfnJson lines', () => {
    const role = ofType(result, 'aws.iam.Role').find((r) => r.address === 'ClusterledgerRole11FFD0A4')!;
    const condition = (role.body as { AssumeRolePolicyDocument: { Statement: { Condition: Record<string, Record<string, unknown>> }[] } }).AssumeRolePolicyDocument.Statement[0]!.Condition;
    const keys = Object.keys(condition['StringLike']!);
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => k.slice(k.lastIndexOf(':')))).toEqual([':aud', ':sub']);
    const sub = keys[1]!;
    expect(condition['StringLike']![sub]).toBe('system:serviceaccount:*');
    const stmt = '/AssumeRolePolicyDocument/Statement/0/Condition';
    // The operator stays at the role; the test itself is where the CfnJson spells it.
    expect(role.positions[`${stmt}/StringLike`]?.line).toBe(lineOf('"StringLike"'));
    expect(role.positions[`${stmt}/StringLike/${sub.replace(/~/g, '~0').replace(/\//g, '~1')}`]?.line).toBe(lineOf(':sub\\":\\"system:serviceaccount:*'));
  });

  test('the objects of a KubernetesResource manifest are Kubernetes objects at the Manifest lines', () => {
    const [sa] = ofType(result, 'k8s.ServiceAccount');
    expect(sa).toMatchObject({ name: 'payments/ledger', namespace: 'payments', format: 'cloudformation', address: 'ClusterledgermanifestledgerServiceAccountResource8FC996C5.Manifest[0]' });
    const annotation = (sa!.body as { metadata: { annotations: Record<string, unknown> } }).metadata.annotations['eks.amazonaws.com/role-arn'];
    expect(annotation).toMatchObject({ ref: { attribute: 'Arn' } });
    expect(sa!.positions['']?.line).toBe(lineOf('"[{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"ServiceAccount\\"'));
    expect(sa!.positions['/metadata/annotations/eks.amazonaws.com~1role-arn']?.line).toBe(lineOf('eks.amazonaws.com/role-arn'));
  });

  test('the template is accounted as CDK output; the cloud assembly metadata is not infrastructure', () => {
    expect(result.accounts).toEqual([{ file: templatePath, format: 'AWS CDK (synthesized CloudFormation)', state: 'analysed' }]);
    expect(result.notes).toEqual([]);
    for (const name of readdirSync(out).filter((f) => f !== 'PaymentsStack.template.json')) {
      const path = join(out, name);
      const other = collect(path, readFileSync(path, 'utf8'));
      expect({ name, resources: other.resources, notes: other.notes, accounts: other.accounts }).toEqual({ name, resources: [], notes: [], accounts: undefined });
    }
  });

  test('a manifest that is not JSON is an error at its line; one the template does not spell out is named', () => {
    const broken = templateText.replace('"[{\\"apiVersion\\":\\"v1\\"', '"[{\\"apiVersion\\" \\"v1\\"');
    const notes = collect(templatePath, broken).notes;
    expect(notes).toEqual([expect.objectContaining({ kind: 'parse-error', level: 'error', line: lineOf('"[{\\"apiVersion\\":\\"v1\\"'), message: expect.stringContaining('Kubernetes manifest is not valid JSON') })]);
    const imported = JSON.parse(templateText) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    imported.Resources['ClusterledgermanifestledgerServiceAccountResource8FC996C5']!.Properties['Manifest'] = { 'Fn::ImportValue': 'shared-manifest' };
    const unread = collect(templatePath, JSON.stringify(imported, null, 1));
    expect(ofType(unread, 'k8s.ServiceAccount')).toEqual([]);
    expect(unread.notes).toEqual([expect.objectContaining({ kind: 'unresolved', level: 'warning', message: expect.stringContaining('ClusterledgermanifestledgerServiceAccountResource8FC996C5') })]);
  });

  test('a Secret in a manifest keeps no part of its value; a Helm chart custom resource is named', () => {
    const [keyId, secret] = [accessKeyId(), secretAccessKey()];
    const template = JSON.parse(templateText) as { Resources: Record<string, unknown> };
    template.Resources['ClusterAppSecret0A1B2C3D'] = {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: { Manifest: JSON.stringify([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws', namespace: 'payments' }, stringData: { AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secret } }]) },
    };
    template.Resources['ClusterchartIngress5E6F7A8B'] = { Type: 'Custom::AWSCDK-EKS-HelmChart', Properties: { Chart: 'ingress-nginx', Repository: 'https://kubernetes.github.io/ingress-nginx' } };
    const text = JSON.stringify(template, null, 1);
    const r = collect(templatePath, text);
    const [s] = ofType(r, 'k8s.Secret');
    expect(s!.credentials?.map((c) => c.kind)).toContain('aws-access-key');
    const saved = JSON.stringify(r.resources);
    expect(saved).not.toContain(secret);
    expect(saved).not.toContain(keyId);
    const chartLine = text.split('\n').findIndex((l) => l.includes('"ClusterchartIngress5E6F7A8B"')) + 1;
    expect(r.notes).toEqual([expect.objectContaining({ kind: 'unsupported', level: 'note', line: chartLine, message: expect.stringContaining('chart ingress-nginx') })]);
  });
});
