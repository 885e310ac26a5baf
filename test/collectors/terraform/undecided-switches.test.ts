/** A module model's switch that is not known statically: what it would create is named in an unresolved note, never dropped unsaid. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLines } from '../../helpers/module-calls.js';
import { REPO } from '../../helpers/fixtures.js';

const FIXTURES = join(REPO, 'test', 'collectors', 'terraform', 'fixtures');

describe('karpenter model: a switch not known statically', () => {
  it('names the association it cannot decide, at the module call, instead of dropping it unsaid', async () => {
    const file = join(FIXTURES, 'karpenter', 'main.tf');
    const { result } = await collectLines(file, [
      'module "karpenter" {',
      '  source                          = "terraform-aws-modules/eks/aws//modules/karpenter"',
      '  version                         = "~> 21.0"',
      '  cluster_name                    = "prod"',
      '  create_pod_identity_association = var.associate',
      '}',
    ]);
    expect(result.resources.some((r) => r.type === 'aws.eks.PodIdentityAssociation')).toBe(false);
    const notes = result.notes.filter((n) => n.kind === 'unresolved');
    expect(notes).toEqual([expect.objectContaining({ level: 'note', file, line: 1, message: expect.stringContaining('create_pod_identity_association is not known statically') })]);
  });
});

describe('GKE workload-identity model: annotate_k8s_sa not known statically', () => {
  it('names the annotation of the existing ServiceAccount it cannot decide', async () => {
    const file = join(FIXTURES, 'workload-identity', 'main.tf');
    const { result } = await collectLines(file, [
      'module "wi" {',
      '  source              = "terraform-google-modules/kubernetes-engine/google//modules/workload-identity"',
      '  version             = "~> 36.0"',
      '  project_id          = "acme-prod"',
      '  name                = "reporter"',
      '  namespace           = "reports"',
      '  use_existing_k8s_sa = true',
      '  annotate_k8s_sa     = var.annotate',
      '}',
    ]);
    expect(result.resources.some((r) => r.type === 'k8s.ServiceAccount')).toBe(false);
    expect(result.notes.filter((n) => n.kind === 'unresolved')).toEqual([expect.objectContaining({ file, line: 1, message: expect.stringContaining('annotate_k8s_sa is not known statically') })]);
  });
});

describe('any model switch not known statically', () => {
  it('is named once, at the module call, whichever model reads it', async () => {
    const file = join(FIXTURES, 'workload-identity', 'main.tf');
    const { result } = await collectLines(file, [
      'module "eks" {',
      '  source          = "terraform-aws-modules/eks/aws"',
      '  version         = "~> 21.0"',
      '  name            = "prod"',
      '  enable_irsa     = var.irsa',
      '}',
      'module "wi" {',
      '  source              = "terraform-google-modules/kubernetes-engine/google//modules/workload-identity"',
      '  version             = "~> 36.0"',
      '  project_id          = "acme-prod"',
      '  name                = "reporter"',
      '  namespace           = "reports"',
      '  use_existing_k8s_sa = var.existing',
      '}',
    ]);
    const unresolved = result.notes.filter((n) => n.kind === 'unresolved').map((n) => [n.line, n.message]);
    expect(unresolved).toEqual(expect.arrayContaining([
      [1, expect.stringContaining('enable_irsa is not known statically')],
      [7, expect.stringContaining('use_existing_k8s_sa is not known statically')],
    ]));
    expect(unresolved.filter(([, m]) => String(m).includes('enable_irsa'))).toHaveLength(1);
  });
});
