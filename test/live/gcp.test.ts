/**
 * Live GCP collection through the real Google API clients against a loopback server, with
 * Application Default Credentials of type `external_account` (workload identity federation)
 * whose `token_url` points at the server. (A service-account key's `token_uri` is not honoured
 * by google-auth-library 10: its JWT client always posts to oauth2.googleapis.com.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLiveGcp } from '../../src/live/gcp/collect.js';
import { collectGcloudJson } from '../../src/collectors/gcp/gcloud-json.js';
import { parseJson } from '../../src/util/structured.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { useGcpFake, type GcpData } from './gcp-server.js';

const PROJECT = 'acme-prod';

function sa(id: string): Record<string, unknown> {
  const email = `${id}@${PROJECT}.iam.gserviceaccount.com`;
  return { name: `projects/${PROJECT}/serviceAccounts/${email}`, projectId: PROJECT, uniqueId: `1070${id.length}4532198765432`, email, displayName: id, etag: 'MDEwMjE5MjA=', oauth2ClientId: `1070${id.length}4532198765432` };
}

const projectPolicy = {
  bindings: [
    { role: 'roles/container.developer', members: ['group:platform@acme.example'] },
    { role: 'roles/iam.workloadIdentityUser', members: [`serviceAccount:${PROJECT}.svc.id.goog[payments/api]`] },
  ],
};

function data(extra: Partial<GcpData> = {}): GcpData {
  return {
    project: PROJECT,
    pageSize: 2,
    projectPolicy,
    serviceAccounts: [sa('payments-api'), sa('reports'), sa('gke-nodes')],
    serviceAccountPolicies: {
      [`payments-api@${PROJECT}.iam.gserviceaccount.com`]: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`serviceAccount:${PROJECT}.svc.id.goog[payments/api]`] }] },
      [`reports@${PROJECT}.iam.gserviceaccount.com`]: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/${PROJECT}.svc.id.goog/namespace/reports`] }] },
    },
    clusters: [
      {
        name: 'prod',
        location: 'europe-west1',
        zone: 'europe-west1',
        selfLink: `https://container.googleapis.com/v1/projects/${PROJECT}/locations/europe-west1/clusters/prod`,
        status: 'RUNNING',
        currentMasterVersion: '1.30.5-gke.1014001',
        masterAuth: { clusterCaCertificate: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==' },
        workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` },
        resourceLabels: { env: 'prod' },
        nodePools: [
          { name: 'default-pool', config: { machineType: 'e2-standard-4', serviceAccount: `gke-nodes@${PROJECT}.iam.gserviceaccount.com`, imageType: 'COS_CONTAINERD', workloadMetadataConfig: { mode: 'GKE_METADATA' } }, selfLink: `https://container.googleapis.com/v1/projects/${PROJECT}/locations/europe-west1/clusters/prod/nodePools/default-pool`, status: 'RUNNING' },
          { name: 'legacy', config: { machineType: 'e2-standard-4', serviceAccount: 'default', imageType: 'COS_CONTAINERD', workloadMetadataConfig: { mode: 'GCE_METADATA' } }, selfLink: `https://container.googleapis.com/v1/projects/${PROJECT}/locations/europe-west1/clusters/prod/nodePools/legacy`, status: 'RUNNING' },
        ],
      },
    ],
    ...extra,
  };
}

const serve = useGcpFake();

describe('live GCP collection', () => {
  it('reads the project policy, paged service accounts and their policies, and GKE clusters, retrying 429', async () => {
    const server = await serve(data({ throttleServiceAccounts: 1 }));
    const calls = new ApiCallLog();
    const result = await collectLiveGcp({ projects: [PROJECT], endpoint: server.url, calls, retry: { baseDelayMs: 10 } });
    expect(result.notes).toEqual([]);
    // 3 accounts at 2 per page: 2 pages plus the throttled attempt; one policy read per account.
    expect(server.requests.filter((r) => r === 'iam.serviceAccounts.list')).toHaveLength(3);
    expect(server.requests.filter((r) => r === 'iam.serviceAccounts.getIamPolicy')).toHaveLength(3);
    expect(server.tokenRequests).toBe(1);
    expect(result.resources.filter((r) => r.type === 'gcp.iam.ServiceAccount').map((r) => r.name)).toEqual([`payments-api@${PROJECT}.iam.gserviceaccount.com`, `reports@${PROJECT}.iam.gserviceaccount.com`, `gke-nodes@${PROJECT}.iam.gserviceaccount.com`]);
    const bindings = result.resources.filter((r) => r.type === 'gcp.iam.Binding');
    expect(bindings.map((b) => b.body)).toContainEqual({ resource: { type: 'serviceAccount', name: `reports@${PROJECT}.iam.gserviceaccount.com` }, role: 'roles/iam.workloadIdentityUser', members: [expect.stringMatching(/^principalSet:/)] });
    const cluster = result.resources.find((r) => r.type === 'gcp.container.Cluster')!;
    expect(cluster.file).toBe(`gcp/${PROJECT}/container/europe-west1/clusters/prod.json`);
    expect(JSON.stringify(cluster.body)).not.toContain('clusterCaCertificate');
    expect(result.clusters).toEqual([expect.objectContaining({ name: 'prod', provider: 'gcp', account: PROJECT, workloadPool: `${PROJECT}.svc.id.goog` })]);
  });

  it('gives the project bindings the shape the gcloud collector gives them', async () => {
    const server = await serve(data());
    const result = await collectLiveGcp({ projects: [PROJECT], endpoint: server.url });
    const live = result.resources.filter((r) => r.type === 'gcp.iam.Binding' && (r.body as { resource: { type: string } }).resource.type === 'project').map((r) => r.body);
    const dump = { name: `//cloudresourcemanager.googleapis.com/projects/${PROJECT}`, assetType: 'cloudresourcemanager.googleapis.com/Project', iamPolicy: projectPolicy };
    const doc = parseJson(JSON.stringify([dump])).documents[0]!;
    const fromCli = collectGcloudJson({ path: '/x/assets.json', text: '' }, doc, { root: '/x', limits: { maxNodes: 1e6, maxDepth: 64 } }).resources.map((r) => r.body);
    expect(live).toEqual(fromCli);
  });

  it('names a 403 as a permission gap and keeps going', async () => {
    const server = await serve(data({ denied: ['container.clusters.list'] }));
    const result = await collectLiveGcp({ projects: [PROJECT], endpoint: server.url });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ kind: 'permission', level: 'warning' });
    expect(result.notes[0]!.message).toMatch(/GKE clusters/);
    expect(result.resources.filter((r) => r.type === 'gcp.iam.ServiceAccount')).toHaveLength(3);
  });

  it('calls exactly the permissions of deploy/gcp/podtrust-reader-role.yaml', async () => {
    const server = await serve(data());
    await collectLiveGcp({ projects: [PROJECT], endpoint: server.url });
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'gcp', 'podtrust-reader-role.yaml'), 'utf8');
    const allowed = new Set([...text.matchAll(/^- ([a-z.A-Z]+)$/gm)].map((m) => m[1]!));
    const called = new Set(server.requests);
    expect([...called].filter((a) => !allowed.has(a)), 'called but not allowed').toEqual([]);
    expect([...allowed].filter((a) => !called.has(a)), 'allowed but never called').toEqual([]);
  });
});
