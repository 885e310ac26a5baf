import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { collectInventory } from '../../../src/scan.js';
import { Model } from '../../../src/model/model.js';
import { clusterOfNodePool } from '../../../src/rules-support/gcp.js';
import type { Inventory, Resource } from '../../../src/model/types.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'rules');

async function inventoryOf(rule: string, fixture: string): Promise<Inventory> {
  const dir = join(FIXTURES, rule, fixture);
  return collectInventory({ paths: [dir], root: dir });
}

function ofType(inv: Inventory, type: string): Resource[] {
  return inv.resources.filter((r) => r.type === type);
}

describe('GCP sources', () => {
  it('maps Terraform clusters and node pools with positions, and makes a ClusterInfo with the workload pool', async () => {
    const inv = await inventoryOf('gcp-node-metadata-exposed', 'fail-terraform-gce-metadata');
    const [cluster] = ofType(inv, 'gcp.container.Cluster');
    expect(cluster!.body).toMatchObject({ name: 'web-prod', project: 'acme-web-prod', workloadIdentityConfig: { workloadPool: 'acme-web-prod.svc.id.goog' }, removeDefaultNodePool: true });
    expect(cluster!.positions['/workloadIdentityConfig/workloadPool']!.line).toBe(15);
    expect(inv.clusters).toEqual([{ name: 'web-prod', provider: 'gcp', resourceId: cluster!.id, account: 'acme-web-prod', workloadPool: 'acme-web-prod.svc.id.goog' }]);
    const batch = ofType(inv, 'gcp.container.NodePool').find((r) => r.name === 'batch')!;
    expect(batch.body).toMatchObject({ config: { workloadMetadataConfig: { nodeMetadata: 'EXPOSE' } } });
    // `cluster = google_container_cluster.web.name` is the name the configuration sets; the pool still finds its cluster.
    expect((batch.body as { cluster: unknown }).cluster).toBe('web-prod');
    expect(clusterOfNodePool(new Model(inv), batch)?.id).toBe(cluster!.id);
  });

  it('splits an authoritative policy into bindings located in its data.google_iam_policy', async () => {
    const inv = await inventoryOf('gcp-wi-binding-project-level', 'fail-terraform-authoritative-policy');
    expect(ofType(inv, 'gcp.iam.Policy')).toEqual([]);
    expect(ofType(inv, 'gcp.iam.PolicyData')).toEqual([]);
    const bindings = ofType(inv, 'gcp.iam.Binding');
    expect(bindings.map((b) => b.name)).toEqual(['acme-data-prod roles/owner', 'acme-data-prod roles/iam.workloadIdentityUser', 'acme-data-prod roles/container.developer']);
    expect(bindings[1]!.positions['/members/1']!.line).toBe(18);
    expect(bindings[1]!.positions['/resource/name']!.line).toBe(31);
  });

  it('translates Config Connector objects and resolves IAMServiceAccount references', async () => {
    const inv = await inventoryOf('gcp-gsa-primitive-role', 'fail-config-connector-owner');
    expect(ofType(inv, 'gcp.iam.ServiceAccount').map((r) => r.body)).toEqual([
      { email: 'platform-admin@acme-platform.iam.gserviceaccount.com', accountId: 'platform-admin', projectId: 'acme-platform', displayName: 'Platform automation' },
    ]);
    const bindings = ofType(inv, 'gcp.iam.Binding').map((b) => b.body);
    expect(bindings).toEqual([
      { resource: { type: 'serviceAccount', name: 'platform-admin@acme-platform.iam.gserviceaccount.com' }, role: 'roles/iam.workloadIdentityUser', members: ['serviceAccount:acme-platform.svc.id.goog[platform/automation]'] },
      { resource: { type: 'project', name: 'acme-platform' }, role: 'roles/owner', members: ['serviceAccount:platform-admin@acme-platform.iam.gserviceaccount.com'] },
    ]);
  });

  it('reads gcloud asset search results with the resource each policy belongs to', async () => {
    const inv = await inventoryOf('gcp-wi-binding-project-level', 'fail-gcloud-asset-search');
    const bindings = ofType(inv, 'gcp.iam.Binding');
    expect(bindings.map((b) => (b.body as { resource: unknown }).resource)).toEqual([
      { type: 'project', name: 'acme-shop-prod' },
      { type: 'project', name: 'acme-shop-prod' },
      { type: 'serviceAccount', name: 'checkout@acme-shop-prod.iam.gserviceaccount.com' },
    ]);
    expect(bindings.every((b) => b.format === 'cli-json')).toBe(true);
    expect(inv.notes.filter((n) => n.level === 'error')).toEqual([]);
  });

  it('gives a Google service account the federations of its workload identity bindings', async () => {
    const inv = await inventoryOf('gcp-wi-no-binding', 'pass-bound-and-unresolved');
    const model = new Model(inv);
    const byName = (n: string) => model.ofType('gcp.iam.ServiceAccount').find((g) => g.name.startsWith(n))!;
    const [worker] = model.federationsOf(byName('worker@'));
    expect(worker).toMatchObject({ cloud: 'gcp', mechanism: 'gke-workload-identity', issuer: { key: 'acme-jobs.svc.id.goog', kind: 'kubernetes' }, pointer: '/members/0' });
    expect(worker!.subject).toEqual({ allow: [{ value: 'system:serviceaccount:jobs:worker', wildcard: false, ignoreCase: false }], deny: [], unknown: false });
    const [scheduler] = model.federationsOf(byName('scheduler@'));
    expect(scheduler!.subject.unknown).toBe(true);
    expect(scheduler!.gcp).toMatchObject({ pool: null, scope: 'ksa', namespace: null, name: 'scheduler' });
  });

  it('does not treat a bare get-iam-policy dump as belonging to any resource', async () => {
    const inv = await inventoryOf('gcp-wi-principalset-broad', 'fail-gcloud-get-iam-policy');
    const [first] = ofType(inv, 'gcp.iam.Binding');
    expect((first!.body as { resource: { type: string; name: unknown } }).resource.type).toBe('unknown');
    expect(first!.positions['/members/0']!.line).toBe(5);
  });
});
