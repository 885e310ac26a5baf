import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { collectLines } from '../../helpers/module-calls.js';
import { chooseModel } from '../../../src/collectors/terraform/models/index.js';
import type { Resource } from '../../../src/model/types.js';

const DIR = join(import.meta.dirname, 'fixtures', 'public-modules');
const MAIN = join(DIR, 'main.tf');
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';

describe('choosing the models of the remaining public modules', () => {
  it('knows each module, its submodules and the majors it models', () => {
    expect(chooseModel('terraform-aws-modules/eks-pod-identity/aws', '~> 1.4')).toMatchObject({ kind: 'model', major: 1, assumed: false });
    expect(chooseModel('terraform-aws-modules/eks-pod-identity/aws', undefined)).toMatchObject({ kind: 'model', major: 2, assumed: true });
    expect(chooseModel('terraform-aws-modules/eks-pod-identity/aws', '~> 3.0')).toMatchObject({ kind: 'out-of-range' });
    expect(chooseModel('git::https://github.com/aws-ia/terraform-aws-eks-blueprints-addons.git?ref=v1.16.3', undefined)).toMatchObject({ kind: 'model', major: 1 });
    expect(chooseModel('terraform-google-modules/kubernetes-engine/google//modules/workload-identity', '~> 35.0')).toMatchObject({ kind: 'model', major: 35 });
    expect(chooseModel('terraform-google-modules/kubernetes-engine/google//modules/beta-private-cluster', '~> 33.0')).toMatchObject({ kind: 'model', major: 33 });
    expect(chooseModel('terraform-google-modules/kubernetes-engine/google', '~> 29.0')).toMatchObject({ kind: 'out-of-range' });
    expect(chooseModel('terraform-google-modules/kubernetes-engine/google//modules/fleet-membership', '~> 44.0')).toEqual({ kind: 'none' });
    expect(chooseModel('terraform-google-modules/kubernetes-engine/google//modules/gke-autopilot-cluster', '~> 35.0')).toMatchObject({ kind: 'out-of-range' });
    expect(chooseModel('Azure/aks/azurerm', '9.4.1')).toMatchObject({ kind: 'model', major: 9, assumed: false });
    expect(chooseModel('Azure/aks/azurerm', '~> 6.0')).toMatchObject({ kind: 'out-of-range' });
  });
});

describe('models of the remaining public modules', async () => {
  const result = await collectTerraform([{ path: MAIN, text: readFileSync(MAIN, 'utf8') }], { root: DIR, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
  const by = (address: string): Resource => {
    const r = result.resources.find((x) => x.address === address);
    if (!r) throw new Error(`no ${address} in ${result.resources.map((x) => x.address).join(', ')}`);
    return r;
  };
  const body = (r: Resource) => r.body as any;

  it('eks-pod-identity: the Pod Identity trust, shown at the module call', () => {
    const role = by('module.aws_ebs_csi_pod_identity.aws_iam_role.this[0]');
    expect(body(role).AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }],
    });
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0']!.line).toBe(8);
    // The module's EBS CSI policy is attached; its content is not modelled.
    expect(body(role).AttachedManagedPolicies).toHaveLength(1);
    expect(role.positions['/AttachedManagedPolicies/0']!.line).toBe(14);
  });

  it('eks-pod-identity: associations take association_defaults where the entry is silent', () => {
    const assoc = by('module.aws_ebs_csi_pod_identity.aws_eks_pod_identity_association.this["shop"]');
    expect(body(assoc)).toMatchObject({ clusterName: 'shop', namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' });
    expect(body(assoc).roleArn.ref.id).toBe(by('module.aws_ebs_csi_pod_identity.aws_iam_role.this[0]').id);
    expect(assoc.positions['/namespace']!.line).toBe(17);
    expect(assoc.positions['/clusterName']!.line).toBe(23);
  });

  it('eks-pod-identity: trust_policy_conditions and the custom policy', () => {
    const role = by('module.argocd_pod_identity.aws_iam_role.this[0]');
    expect(body(role).RoleName).toBe('argocd');
    expect(body(role).AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
    const policy = by('module.argocd_pod_identity.aws_iam_policy.custom[0]');
    expect(body(role).AttachedManagedPolicies[0].PolicyArn.ref.id).toBe(policy.id);
    expect(body(policy).PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ArgoCD', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: 'arn:aws:iam::*:role/argocd-spoke' }],
    });
  });

  it('blueprints add-ons: one IRSA role per enabled add-on, with its default ServiceAccount', () => {
    const prefix = 'module.eks_blueprints_addons.module.';
    const roles = result.resources.filter((r) => r.address?.startsWith(prefix) && r.type === 'aws.iam.Role');
    // external-dns has no Route53 zones, so the module creates no role for it.
    expect(roles.map((r) => r.address!.slice(prefix.length).split('.')[0]).sort()).toEqual(['aws_load_balancer_controller', 'cluster_autoscaler', 'karpenter']);
    const subjects = Object.fromEntries(roles.map((r) => [r.address!.slice(prefix.length).split('.')[0], body(r).AssumeRolePolicyDocument.Statement[0].Condition.StringEquals[`${ISSUER}:sub`]]));
    expect(subjects).toEqual({
      aws_load_balancer_controller: 'system:serviceaccount:kube-system:aws-load-balancer-controller-sa',
      cluster_autoscaler: 'system:serviceaccount:kube-system:cluster-autoscaler-sa',
      karpenter: 'system:serviceaccount:kube-system:karpenter',
    });
    const karpenter = roles.find((r) => r.address!.includes('karpenter'))!;
    const sub = `/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${ISSUER.replace(/\//g, '~1')}:sub`;
    expect(karpenter.positions[sub]!.line).toBe(76);
    expect(karpenter.generated).toEqual([`/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${ISSUER.replace(/\//g, '~1')}:aud`]);
    expect(body(karpenter).AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` },
    });
  });

  it('kubernetes-engine: cluster with the default workload pool, node pools with their metadata mode and service account', () => {
    const cluster = by('module.gke.google_container_cluster.primary');
    expect(body(cluster)).toMatchObject({ name: 'prod-1', location: 'europe-west1', project: 'acme-prod', workloadIdentityConfig: { workloadPool: 'acme-prod.svc.id.goog' }, removeDefaultNodePool: true });
    expect(body(cluster).nodePools).toBeUndefined();
    const general = by('module.gke.google_container_node_pool.pools["general"]');
    expect(body(general).config.workloadMetadataConfig).toEqual({ mode: 'GKE_METADATA' });
    expect(body(general).config.serviceAccount.ref.id).toBe(by('module.gke.google_service_account.cluster_service_account[0]').id);
    expect(body(general).cluster.ref.id).toBe(cluster.id);
    const legacy = by('module.gke.google_container_node_pool.pools["legacy"]');
    expect(body(legacy).config).toMatchObject({ serviceAccount: '123456789012-compute@developer.gserviceaccount.com', workloadMetadataConfig: { mode: 'GCE_METADATA' } });
    expect(legacy.positions['/config/workloadMetadataConfig/mode']!.line).toBe(101);
    expect(legacy.positions['/config/serviceAccount']!.line).toBe(102);
  });

  it('workload-identity: GSA, annotated KSA, the workloadIdentityUser binding and the project roles', () => {
    const p = 'module.app_workload_identity.';
    const gsa = by(`${p}google_service_account.cluster_service_account[0]`);
    expect(body(gsa)).toMatchObject({ accountId: 'payments-api', projectId: 'acme-prod', email: 'payments-api@acme-prod.iam.gserviceaccount.com' });
    const ksa = by(`${p}kubernetes_service_account.main[0]`);
    expect(body(ksa).metadata).toMatchObject({ name: 'payments-api', namespace: 'payments', annotations: { 'iam.gke.io/gcp-service-account': 'payments-api@acme-prod.iam.gserviceaccount.com' } });
    expect(body(ksa).automountServiceAccountToken).toBe(false);
    const binding = by(`${p}google_service_account_iam_member.main`);
    expect(body(binding)).toMatchObject({ role: 'roles/iam.workloadIdentityUser', members: ['serviceAccount:acme-prod.svc.id.goog[payments/payments-api]'] });
    expect(body(binding).resource.name.ref.id).toBe(gsa.id);
    const role = by(`${p}google_project_iam_member.workload_identity_sa_bindings["roles/storage.objectViewer"]`);
    expect(body(role)).toEqual({ resource: { type: 'project', name: 'acme-prod' }, role: 'roles/storage.objectViewer', members: ['serviceAccount:payments-api@acme-prod.iam.gserviceaccount.com'] });
  });

  it('Azure/aks: workload identity flags, the Linux system pool and a Windows user pool', () => {
    const cluster = by('module.aks.azurerm_kubernetes_cluster.main');
    expect(body(cluster).name).toBe('shop-aks');
    expect(body(cluster).properties).toMatchObject({
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      agentPoolProfiles: [{ name: 'nodepool', osType: 'Linux', mode: 'System' }],
    });
    const pool = by('module.aks.azurerm_kubernetes_cluster_node_pool.node_pool_create_before_destroy["win"]');
    expect(body(pool).properties).toEqual({ osType: 'Windows', mode: 'User' });
    expect(body(pool).clusterId.ref.id).toBe(cluster.id);
    expect(pool.positions['/properties/osType']!.line).toBe(130);
    expect(result.clusters.some((c) => c.name === 'shop-aks')).toBe(true);
  });

  it('counts every call as modelled', () => {
    const notes = result.notes.filter((n) => n.kind === 'module');
    expect(notes.every((n) => n.level === 'note')).toBe(true);
    expect(notes.map((n) => n.line)).toEqual([1, 8, 28, 61, 80, 107, 117]);
  });
});

describe('kubernetes-engine update variants', async () => {
  const { result } = await collectLines(MAIN, [
    'module "gke" {',
    '  source     = "terraform-google-modules/kubernetes-engine/google//modules/private-cluster-update-variant"',
    '  version    = "~> 44.0"',
    '  name       = "prod-2"',
    '  project_id = "acme-prod"',
    '  region     = "europe-west1"',
    '  node_pools = [',
    '    { name = "general", node_metadata = "GCE_METADATA" },',
    '  ]',
    '}',
  ]);

  it('are the same module, with a random suffix on each pool name', () => {
    const pool = result.resources.find((r) => r.address === 'module.gke.google_container_node_pool.pools["general"]');
    expect(pool).toBeDefined();
    const body = pool!.body as any;
    expect(body.config.workloadMetadataConfig).toEqual({ mode: 'GCE_METADATA' });
    expect(pool!.positions['/config/workloadMetadataConfig/mode']!.line).toBe(8);
    expect(body.name).not.toBe('general');
    expect(body.name.prefix).toBe('general-');
  });
});

describe('kubernetes-engine safer-cluster', async () => {
  const { result, by } = await collectLines(MAIN, [
    'module "safe" {',
    '  source                         = "terraform-google-modules/kubernetes-engine/google//modules/safer-cluster"',
    '  version                        = "~> 44.0"',
    '  name                           = "vault"',
    '  project_id                     = "acme-sec"',
    '  region                         = "europe-west4"',
    '  compute_engine_service_account = "nodes@acme-sec.iam.gserviceaccount.com"',
    '  node_pools                     = [{ name = "main" }]',
    '}',
  ]);

  it('is the beta-private-cluster it calls, with its own inputs renamed and its settings fixed', () => {
    const cluster = by('module.safe.module.gke.google_container_cluster.primary');
    expect(cluster?.body).toMatchObject({ name: 'vault', workloadIdentityConfig: { workloadPool: 'acme-sec.svc.id.goog' }, removeDefaultNodePool: true });
    const pool = by('module.safe.module.gke.google_container_node_pool.pools["main"]');
    expect((pool!.body as any).config).toMatchObject({ serviceAccount: 'nodes@acme-sec.iam.gserviceaccount.com', workloadMetadataConfig: { mode: 'GKE_METADATA' } });
    expect(pool!.positions['/config/serviceAccount']!.line).toBe(7);
    expect((pool!.body as any).cluster.ref.id).toBe(cluster!.id);
    // A given account: none is created.
    expect(result.resources.some((r) => r.type === 'gcp.iam.ServiceAccount' || r.address?.includes('google_service_account.'))).toBe(false);
  });
});

describe('kubernetes-engine Autopilot', async () => {
  const { result, by } = await collectLines(MAIN, [
    'module "autopilot" {',
    '  source     = "terraform-google-modules/kubernetes-engine/google//modules/beta-autopilot-private-cluster"',
    '  version    = "~> 44.0"',
    '  name       = "shop-ap"',
    '  project_id = "acme-shop"',
    '  region     = "us-central1"',
    '}',
  ]);

  it('is a cluster with Autopilot on and the project\'s workload pool, and no node pools', () => {
    const cluster = by('module.autopilot.google_container_cluster.primary');
    expect(cluster?.body).toMatchObject({ name: 'shop-ap', location: 'us-central1', autopilot: { enabled: true }, workloadIdentityConfig: { workloadPool: 'acme-shop.svc.id.goog' } });
    expect((cluster!.body as any).nodePools).toBeUndefined();
    expect(result.resources.filter((r) => r.address?.startsWith('module.autopilot.')).map((r) => r.address)).toEqual([
      'module.autopilot.google_container_cluster.primary',
      'module.autopilot.google_service_account.cluster_service_account[0]',
    ]);
  });
});

describe('kubernetes-engine resource-shaped modules', async () => {
  const { result, by } = await collectLines(MAIN, [
    'module "cluster" {',
    '  source     = "terraform-google-modules/kubernetes-engine/google//modules/gke-standard-cluster"',
    '  version    = "~> 44.0"',
    '  name       = "edge"',
    '  project_id = "acme-edge"',
    '  location   = "europe-west1"',
    '  workload_identity_config = { workload_pool = "acme-edge.svc.id.goog" }',
    '}',
    'module "pool" {',
    '  source     = "terraform-google-modules/kubernetes-engine/google//modules/gke-node-pool"',
    '  version    = "~> 44.0"',
    '  name       = "edge-pool"',
    '  project_id = "acme-edge"',
    '  location   = "europe-west1"',
    '  cluster    = module.cluster.cluster_name',
    '  node_config = {',
    '    service_account          = "edge-nodes@acme-edge.iam.gserviceaccount.com"',
    '    workload_metadata_config = { mode = "GCE_METADATA" }',
    '  }',
    '}',
    'module "default_pool" {',
    '  source     = "terraform-google-modules/kubernetes-engine/google//modules/gke-node-pool"',
    '  version    = "~> 44.0"',
    '  project_id = "acme-edge"',
    '  location   = "europe-west1"',
    '  cluster    = "edge"',
    '}',
  ]);

  it('the cluster takes its arguments from the inputs of the same name', () => {
    const cluster = by('module.cluster.google_container_cluster.main');
    expect(cluster?.body).toMatchObject({ name: 'edge', project: 'acme-edge', location: 'europe-west1', workloadIdentityConfig: { workloadPool: 'acme-edge.svc.id.goog' }, removeDefaultNodePool: true });
    expect(cluster!.positions['/workloadIdentityConfig/workloadPool']!.line).toBe(7);
  });

  it('a node pool joins the cluster through its output, with the node config it is given', () => {
    const pool = by('module.pool.google_container_node_pool.main');
    expect((pool!.body as any).cluster.ref.id).toBe(by('module.cluster.google_container_cluster.main')!.id);
    expect((pool!.body as any).config).toEqual({ serviceAccount: 'edge-nodes@acme-edge.iam.gserviceaccount.com', workloadMetadataConfig: { mode: 'GCE_METADATA' } });
    expect(pool!.positions['/config/workloadMetadataConfig/mode']!.line).toBe(18);
    expect(pool!.positions['/config/serviceAccount']!.line).toBe(17);
  });

  it('a node pool without a node config takes the module default: no service account of its own', () => {
    const pool = by('module.default_pool.google_container_node_pool.main');
    expect((pool!.body as any).config).toEqual({ imageType: 'COS_CONTAINERD', workloadMetadataConfig: { mode: 'GKE_METADATA' } });
    expect(result.notes.filter((n) => n.kind === 'module').every((n) => n.level === 'note')).toBe(true);
  });
});

describe('where a modelled resource is shown', () => {
  it('at the map entry that creates it, not the module call (a managed node group without a launch template)', async () => {
    const { by } = await collectLines(join(DIR, 'placement.tf'), [
      'module "eks" {',
      '  source  = "terraform-aws-modules/eks/aws"',
      '  version = "~> 21.0"',
      '  name    = "prod"',
      '  eks_managed_node_groups = {',
      '    legacy = {',
      '      use_custom_launch_template = false',
      '    }',
      '  }',
      '}',
    ]);
    const group = by('module.eks.module.eks_managed_node_group["legacy"].aws_eks_node_group.this[0]')!;
    expect(group.positions['']).toMatchObject({ line: 6 });
  });
});
