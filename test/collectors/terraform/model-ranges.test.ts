/** Which majors of each public module podtrust models, what README says of them, and calls beyond them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLines } from '../../helpers/module-calls.js';
import { MODELS, chooseModel } from '../../../src/collectors/terraform/models/index.js';
import { describeMajors } from '../../../src/collectors/terraform/models/ranges.js';
import type { ModelCall } from '../../../src/collectors/terraform/models/types.js';
import { type Value, mkUnknown } from '../../../src/collectors/terraform/values.js';
import { REPO } from '../../helpers/fixtures.js';

/** The majors each (module, subdir) is modelled for, keyed like a module source. */
function ranges(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of MODELS) {
    for (const [major, subdir] of Object.entries(m.subdirs)) {
      const key = subdir ? `${m.address}//${subdir}` : m.address;
      out.set(key, [...(out.get(key) ?? []), Number(major)]);
    }
  }
  return out;
}

describe('modelled majors', () => {
  it('cover the current major of every modelled public module', () => {
    const covered = Object.fromEntries([...ranges()].map(([key, list]) => [key, describeMajors(list)]));
    expect(covered).toEqual({
      'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks': 'v5',
      'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts': 'v6',
      'terraform-aws-modules/eks/aws': 'v19–v21',
      'terraform-aws-modules/eks/aws//modules/eks-managed-node-group': 'v19–v21',
      'terraform-aws-modules/eks/aws//modules/self-managed-node-group': 'v19–v21',
      'terraform-aws-modules/eks/aws//modules/karpenter': 'v20–v21',
      'terraform-aws-modules/eks-pod-identity/aws': 'v1–v2',
      'aws-ia/eks-blueprints-addons/aws': 'v1',
      'terraform-google-modules/kubernetes-engine/google': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/private-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-public-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-private-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/workload-identity': 'v30–v44',
      'terraform-google-modules/gcloud/google//modules/kubectl-wrapper': 'v3–v4',
      'terraform-google-modules/kubernetes-engine/google//modules/private-cluster-update-variant': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-public-cluster-update-variant': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-private-cluster-update-variant': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-autopilot-public-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/beta-autopilot-private-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/safer-cluster': 'v30–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/gke-standard-cluster': 'v38–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/gke-autopilot-cluster': 'v38–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/gke-node-pool': 'v38–v44',
      'terraform-google-modules/kubernetes-engine/google//modules/safer-cluster-update-variant': 'v30–v44',
      'Azure/aks/azurerm': 'v7–v11',
      'Azure/aks/azurerm//v4': 'v10',
    });
  });

  it('README states each module\'s range', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const byModule = new Map<string, number[]>();
    for (const [key, list] of ranges()) {
      const name = key.split('/').slice(0, 2).join('/');
      byModule.set(name, [...(byModule.get(name) ?? []), ...list]);
    }
    for (const [name, list] of byModule) {
      const at = readme.indexOf(`\`${name}\` (`);
      expect(at, `README names ${name}`).toBeGreaterThan(-1);
      const stated = readme.slice(at, readme.indexOf(')', at));
      expect(stated, `README states the majors of ${name}`).toContain(describeMajors([...new Set(list)]));
    }
  });

  it('choose the newest major for the current releases\' constraints, without assuming', () => {
    for (const [source, version, major] of [
      ['terraform-google-modules/kubernetes-engine/google//modules/workload-identity', '~> 44.0', 44],
      ['terraform-google-modules/kubernetes-engine/google//modules/private-cluster', '44.2.0', 44],
      ['Azure/aks/azurerm', '~> 11.5', 11],
      ['Azure/aks/azurerm//v4', '10.2.0', 10],
      ['terraform-aws-modules/eks/aws', '~> 21.19', 21],
      ['terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts', '~> 6.5', 6],
      ['terraform-aws-modules/eks-pod-identity/aws', '~> 2.8', 2],
    ] as const) {
      expect(chooseModel(source, version), `${source} ${version}`).toMatchObject({ kind: 'model', major, assumed: false });
    }
  });
});

describe('a call newer than its model', async () => {
  const file = join(REPO, 'test', 'collectors', 'terraform', 'fixtures', 'model-ranges', 'main.tf');
  const { result, by } = await collectLines(file, [
    'module "gke_next" {',
    '  source  = "terraform-google-modules/kubernetes-engine/google//modules/workload-identity"',
    '  version = "~> 45.0"',
    '}',
    'module "aks_next" {',
    '  source  = "Azure/aks/azurerm"',
    '  version = ">= 12.1.0, < 13.0.0"',
    '}',
    'module "eks_old" {',
    '  source  = "terraform-aws-modules/eks/aws"',
    '  version = "~> 18.0"',
    '}',
    'module "gke_now" {',
    '  source  = "terraform-google-modules/kubernetes-engine/google"',
    '  version = "~> 44.0"',
    '  name    = "prod"',
    '}',
    'module "irsa_next" {',
    '  source = "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts?ref=v7.0.0"',
    '}',
  ]);
  const note = (line: number) => result.notes.find((n) => n.kind === 'module' && n.line === line);

  it('is a warning naming the module and the version it asks for', () => {
    expect(note(1)).toMatchObject({ level: 'warning', file });
    expect(note(1)!.message).toContain('terraform-google-modules/kubernetes-engine/google//modules/workload-identity v45 is newer than podtrust\'s model of it (v30–v44)');
    expect(note(5)).toMatchObject({ level: 'warning' });
    expect(note(5)!.message).toContain('Azure/aks/azurerm v12 is newer than podtrust\'s model of it (v7–v11)');
    expect(note(18)!.message).toContain('terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts v7 is newer than podtrust\'s model of it (v6)');
  });

  it('differs from a call older than the model, and the current major is analysed', () => {
    expect(note(9)).toMatchObject({ level: 'warning' });
    expect(note(9)!.message).toContain('podtrust models terraform-aws-modules/eks/aws only for v19–v21');
    expect(note(13)).toMatchObject({ level: 'note' });
    expect(note(13)!.message).toContain('(v44;');
    expect(by('module.gke_now.google_container_cluster.primary')).toBeDefined();
    expect(result.resources.some((r) => r.address?.startsWith('module.gke_next.') || r.address?.startsWith('module.aks_next.'))).toBe(false);
  });
});

describe('every model, given inputs of the wrong type', () => {
  /** Inputs where every name the model reads holds `value`, nested entries included. */
  function call(major: number, value: Value): ModelCall {
    const inputs = new Proxy({} as Record<string, Value>, { get: (_t, k) => (typeof k === 'string' ? value : undefined), has: () => true });
    return { major, inputs, inputPositions: {}, callPosition: { file: 'main.tf', line: 1, column: 1, endLine: 1, endColumn: 2 }, idFor: (a) => a };
  }
  const hostile: Value[] = ['x', 7, true, null, [1, 'a', null, [2]], { a: 'b', c: [3] }, mkUnknown('unresolved')];

  it('models what it can and never throws', () => {
    for (const model of MODELS) {
      for (const major of Object.keys(model.subdirs).map(Number)) {
        for (const value of hostile) {
          const c = call(major, value);
          const label = `${model.address}//${model.subdirs[major]} v${major} with ${JSON.stringify(value)}`;
          expect(() => model.resources(c), label).not.toThrow();
          for (const r of model.resources(c)) expect(typeof r.localAddress, label).toBe('string');
          expect(() => model.output?.(c, 'name'), label).not.toThrow();
        }
      }
    }
  });
});
