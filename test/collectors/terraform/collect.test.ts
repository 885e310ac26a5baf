import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import type { Resource } from '../../../src/model/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };

function filesOf(dir: string) {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tf') || n.endsWith('.tfvars'))
    .map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
}

async function collect(name: string) {
  return collectTerraform(filesOf(join(FIXTURES, name)), { root: FIXTURES, limits: LIMITS });
}

function byAddress(resources: Resource[], address: string): Resource {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in ${resources.map((x) => x.address).join(', ')}`);
  return r;
}

const MAIN = join(FIXTURES, 'basic', 'main.tf');
const SUB = '${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub';

describe('collectTerraform on a root module', async () => {
  const result = await collect('basic');

  it('decodes a jsonencode trust policy with an unresolved key and positions', () => {
    const role = byAddress(result.resources, 'aws_iam_role.encoded');
    expect(role.id).toBe('tf:basic:aws_iam_role.encoded');
    expect(role.type).toBe('aws.iam.Role');
    expect(role.name).toBe('encoded-prod');
    const st = (role.body as any).AssumeRolePolicyDocument.Statement[0];
    expect(st.Condition.StringEquals[SUB]).toBe('system:serviceaccount:default:app');
    expect(st.Principal.Federated.ref).toEqual({ id: 'tf:basic:aws_iam_openid_connect_provider.eks', attribute: 'arn' });
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0']!.line).toBe(24);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Principal']!.line).toBe(26);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Action']!.line).toBe(27);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Condition']!.line).toBe(28);
    expect(role.positions[`/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${SUB.replace(/\//g, '~1')}`]!.line).toBe(30);
    expect(role.positions['']).toMatchObject({ line: 20, column: 1 });
  });

  it('reads a heredoc with interpolations as JSON with file lines', () => {
    const role = byAddress(result.resources, 'aws_iam_role.heredoc');
    const st = (role.body as any).AssumeRolePolicyDocument.Statement[0];
    expect(st.Condition.StringLike[SUB]).toBe('system:serviceaccount:*');
    expect(st.Principal.Federated.ref.id).toBe('tf:basic:aws_iam_openid_connect_provider.eks');
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Principal']!.line).toBe(44);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Condition']!.line).toBe(46);
  });

  it('renders a policy document data source with positions in the data block', () => {
    const role = byAddress(result.resources, 'aws_iam_role.data');
    const doc = (role.body as any).AssumeRolePolicyDocument;
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement[0].Effect).toBe('Allow');
    expect(doc.Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(doc.Statement[0].Condition.StringEquals[SUB.replace(':sub', ':aud')]).toBe('sts.amazonaws.com');
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0']!.line).toBe(53);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Principal']!.line).toBe(55);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0/Condition']!.line).toBe(59);
    expect(role.positions[`/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${SUB.replace(':sub', ':aud').replace(/\//g, '~1')}`]!.line).toBe(61);
  });

  it('attaches managed policies from attachment resources', () => {
    const role = byAddress(result.resources, 'aws_iam_role.data');
    expect((role.body as any).AttachedManagedPolicies).toEqual([{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess' }]);
    expect(role.positions['/AttachedManagedPolicies/0']!.line).toBe(74);
  });

  it('maps service accounts per for_each key with annotation positions', () => {
    const sa = byAddress(result.resources, 'kubernetes_service_account.sa["b"]');
    expect(sa.id).toBe('tf:basic:kubernetes_service_account.sa["b"]');
    expect(sa.type).toBe('k8s.ServiceAccount');
    expect(sa.name).toBe('team/sa-b');
    expect(sa.namespace).toBe('team');
    expect((sa.body as any).metadata.annotations['eks.amazonaws.com/role-arn'].ref).toEqual({ id: 'tf:basic:aws_iam_role.data', attribute: 'arn' });
    expect(sa.positions['/metadata/annotations/eks.amazonaws.com~1role-arn']!.line).toBe(83);
  });

  it('maps the cluster and reports it', () => {
    const cluster = byAddress(result.resources, 'aws_eks_cluster.main');
    expect((cluster.body as any).identity.oidc.issuer.ref).toEqual({ id: cluster.id, attribute: 'identity.oidc.issuer' });
    expect(result.clusters).toEqual([{ name: 'cluster-prod', provider: 'aws', resourceId: cluster.id }]);
  });

  it('evaluates a local module once per call, positioned at the caller input', () => {
    const one = byAddress(result.resources, 'module.app1.aws_iam_role.this');
    const two = byAddress(result.resources, 'module.app2.aws_iam_role.this');
    expect(one.name).toBe('irsa-ns1');
    expect(two.name).toBe('irsa-ns2');
    const key = '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/oidc.eks.eu-west-1.amazonaws.com~1id~1ABC:sub';
    expect((two.body as any).AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub']).toBe('system:serviceaccount:ns2:app');
    expect(one.positions[key]).toMatchObject({ file: MAIN, line: 90 });
    expect(two.positions[key]).toMatchObject({ file: MAIN, line: 95 });
    expect(two.positions['/AssumeRolePolicyDocument/Statement/0/Condition']!.file).toBeUndefined();
    expect(two.via).toMatchObject({ file: MAIN, module: 'module.app2' });
  });

  it('notes a registry module and the suppression comment', () => {
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'module', level: 'warning', line: 98, message: expect.stringContaining('module "remote" (terraform-aws-modules/iam/aws) is not analysed') }));
    const role = byAddress(result.resources, 'aws_iam_role.encoded');
    expect(role.suppressions).toEqual([{ ruleId: 'aws-trust-aud-missing', justification: 'reviewed by security', pointer: '', position: expect.objectContaining({ line: 19 }) }]);
  });

  it('does not evaluate a called module as a root', () => {
    expect(result.resources.some((r) => r.address === 'aws_iam_role.this')).toBe(false);
  });
});

describe('bad input', () => {
  it('reports a syntax error with its line and keeps what parsed', async () => {
    const result = await collect('broken');
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'parse-error', level: 'error', line: 7 }));
    expect(result.resources.some((r) => r.address === 'aws_iam_role.ok')).toBe(true);
  });

  it('keeps prototype keys as data', async () => {
    const text = `resource "kubernetes_service_account" "p" {\n  metadata {\n    name = "x"\n    annotations = {\n      "__proto__" = "a"\n      constructor = "b"\n    }\n  }\n}\n`;
    const result = await collectTerraform([{ path: join(FIXTURES, 'proto', 'main.tf'), text }], { root: FIXTURES, limits: LIMITS });
    const ann = (result.resources[0]!.body as any).metadata.annotations;
    expect(Object.keys(ann)).toEqual(['__proto__', 'constructor']);
    expect(ann['__proto__']).toBe('a');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('warns about a suppression without a reason', async () => {
    const text = `# podtrust:ignore aws-node-role-broad\nresource "aws_iam_role" "r" {\n  name = "r"\n}\n`;
    const file = join(FIXTURES, 'noreason', 'main.tf');
    const result = await collectTerraform([{ path: file, text }], { root: FIXTURES, limits: LIMITS });
    expect(result.resources[0]!.suppressions).toBeUndefined();
    expect(result.notes).toContainEqual(expect.objectContaining({ level: 'warning', line: 1, message: expect.stringContaining(`${file}:1`) }));
  });
});
