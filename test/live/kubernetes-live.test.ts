import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { scan, collectInventory } from '../../src/scan.js';
import { collectLiveKubernetes } from '../../src/live/kubernetes/collect.js';
import { renderInventory, validateInventory } from '../../src/engine/snapshot.js';
import { startCluster, writeKubeconfig, type ClusterSpec, type LoopbackCluster } from './k8s-server.js';
import { CONTEXT, ISSUER, LEDGER_ROLE, OBJECTS } from './parity-fixture.js';
import type { Finding } from '../../src/model/types.js';
import { runCli, runCliAsync } from '../helpers/cli.js';

const RULES = ['k8s-identity-on-default-sa', 'aws-irsa-trust-mismatch'];
const started: LoopbackCluster[] = [];
afterAll(async () => {
  await Promise.all(started.map((c) => c.close()));
});

async function cluster(spec: ClusterSpec): Promise<{ server: LoopbackCluster; kubeconfig: string }> {
  const server = await startCluster(spec);
  started.push(server);
  return { server, kubeconfig: writeKubeconfig([{ context: CONTEXT, url: server.url }]) };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podtrust-live-'));
}

function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.resource.type} ${f.resource.name}`).sort();
}

const fastRetry = { retries: 3, baseDelayMs: 10, maxDelayMs: 2000 };

describe('live Kubernetes scans through the client over HTTP', () => {
  test('the same objects as manifests and as a live cluster give the same findings', async () => {
    const repo = tempDir();
    mkdirSync(join(repo, 'k8s'));
    writeFileSync(join(repo, 'k8s', 'all.yaml'), OBJECTS.map((o) => stringify(o)).join('---\n'));
    mkdirSync(join(repo, 'iam'));
    writeFileSync(join(repo, 'iam', 'ledger-writer.json'), JSON.stringify(LEDGER_ROLE, null, 2));
    writeFileSync(join(repo, '.podtrust.yaml'), stringify({ clusters: [{ paths: ['k8s/**'], name: CONTEXT, provider: 'aws', issuer: ISSUER }] }));
    const { loadConfig } = await import('../../src/engine/config.js');
    const asManifests = await scan({ paths: [repo], root: repo, config: loadConfig(repo), ruleIds: RULES });

    const iamOnly = tempDir();
    writeFileSync(join(iamOnly, 'ledger-writer.json'), JSON.stringify(LEDGER_ROLE, null, 2));
    const { kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER });
    const live = await scan({ paths: [iamOnly], root: iamOnly, ruleIds: RULES, live: { kubernetes: { kubeconfig, contexts: [CONTEXT], retry: fastRetry } } });

    expect(summary(asManifests.findings)).toEqual([
      'aws-irsa-trust-mismatch k8s.ServiceAccount payments/ledger',
      'k8s-identity-on-default-sa k8s.ServiceAccount payments/default',
      'k8s-identity-on-default-sa k8s.ServiceAccount web/default',
    ]);
    expect(summary(live.findings)).toEqual(summary(asManifests.findings));
    expect(live.findings.every((f) => f.origin === 'live')).toBe(true);

    const mismatch = live.findings.find((f) => f.ruleId === 'aws-irsa-trust-mismatch')!;
    expect(mismatch.location.file).toBe('k8s/prod-eu/payments/ServiceAccount/ledger.yaml');
    expect(mismatch.location.logical).toBe('/api/v1/namespaces/payments/serviceaccounts/ledger');
    expect(mismatch.location.position?.line).toBe(7);
    expect(mismatch.related[0]?.file).toContain('ledger-writer.json');
  });

  test('--objects-dir writes each object where its findings point', async () => {
    const { kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER });
    const dir = tempDir();
    const live = await scan({ paths: [], root: dir, ruleIds: RULES, live: { kubernetes: { kubeconfig, objectsDir: dir, retry: fastRetry } } });
    const f = live.findings.find((x) => x.resource.name === 'web/default')!;
    const text = readFileSync(join(dir, f.location.file), 'utf8');
    const line = text.split('\n')[f.location.position!.line - 1]!;
    expect(line).toContain('eks.amazonaws.com/role-arn');
    expect(line).toContain('arn:aws:iam::111122223333:role/web');
  });

  test('the cluster is named by its context, carries the issuer from discovery, and is complete when every type was read', async () => {
    const { kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER });
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
    expect(result.clusters).toEqual([{ name: CONTEXT, issuer: ISSUER, provider: 'aws', complete: true }]);
    expect(result.notes).toEqual([]);
    const ids = result.resources.map((r) => r.id).sort();
    expect(ids).toContain('k8s:live:prod-eu:ServiceAccount/payments/ledger');
    expect(ids).toContain('k8s:live:prod-eu:Namespace/payments');
    const deployment = result.resources.find((r) => r.type === 'k8s.Deployment')!;
    const body = deployment.body as Record<string, any>;
    expect(body.apiVersion).toBe('apps/v1');
    expect(body.kind).toBe('Deployment');
    expect(body.metadata.managedFields).toBeUndefined();
    expect(body.spec.template.spec.serviceAccountName).toBe('ledger');
    expect(body.spec.template.spec.containers[0].ports).toBeUndefined();
  });

  test('pages with limit=500 and continue: ceil(n/500) list calls per type, every object once', async () => {
    for (const n of [3, 500, 1234]) {
      const { server, kubeconfig } = await cluster({ generated: { pods: { count: n, make: podNumber } } });
      const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
      const calls = server.listRequests('pods');
      expect(calls.length).toBe(Math.ceil(n / 500));
      expect(calls.every((c) => c.query.get('limit') === '500')).toBe(true);
      expect(calls.slice(1).every((c) => c.query.get('continue'))).toBe(true);
      const pods = result.resources.filter((r) => r.type === 'k8s.Pod');
      expect(new Set(pods.map((p) => p.id)).size).toBe(n);
    }
  });

  test('20,000 pods: 40 pages, bounded bodies', async () => {
    const { server, kubeconfig } = await cluster({ generated: { pods: { count: 20_000, make: podNumber } } });
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
    expect(server.listRequests('pods').length).toBe(40);
    const pods = result.resources.filter((r) => r.type === 'k8s.Pod');
    expect(pods.length).toBe(20_000);
    const sample = pods[12_345]!.body as Record<string, any>;
    expect(sample.status).toBeUndefined();
    expect(sample.spec.containers[0].resources).toBeUndefined();
    expect(sample.spec.serviceAccountName).toBe('worker');
    expect(result.clusters[0]?.complete).toBe(true);
  }, 120_000);

  test('410 Gone on an expired continue token restarts that list once and says so', async () => {
    const { server, kubeconfig } = await cluster({ generated: { pods: { count: 1200, make: podNumber } }, expireContinueOnce: ['pods'] });
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
    const calls = server.listRequests('pods');
    expect(calls.map((c) => c.status)).toEqual([200, 410, 200, 200, 200]);
    const pods = result.resources.filter((r) => r.type === 'k8s.Pod');
    expect(pods.length).toBe(1200);
    expect(new Set(pods.map((p) => p.id)).size).toBe(1200);
    expect(result.notes.some((n) => n.message.includes('410') && n.message.includes('pods'))).toBe(true);
    expect(result.clusters[0]?.complete).toBe(true);
  });

  test('429 with Retry-After is retried', async () => {
    const { server, kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER, throttleOnce: ['serviceaccounts'] });
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
    expect(server.listRequests('serviceaccounts').map((c) => c.status)).toEqual([429, 200]);
    expect(result.resources.filter((r) => r.type === 'k8s.ServiceAccount').length).toBe(3);
    expect(result.notes).toEqual([]);
  });

  test('a 403 on one type is a named permission gap, and the cluster is not complete', async () => {
    const { kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER, forbidden: ['secrets'] });
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, retry: fastRetry });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ kind: 'permission', level: 'warning' });
    expect(result.notes[0]!.message).toContain('secrets');
    expect(result.clusters[0]?.complete).toBe(false);
    expect(result.resources.filter((r) => r.type === 'k8s.ServiceAccount').length).toBe(3);
  });

  test('AAD Pod Identity resources are read when discovery lists them, and absent APIs are no error', async () => {
    const identity = { apiVersion: 'aadpodidentity.k8s.io/v1', kind: 'AzureIdentity', metadata: { name: 'billing', namespace: 'payments' }, spec: { type: 0, resourceID: '/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/billing', clientID: '00000000-0000-0000-0000-000000000001' } };
    const withCrd = await cluster({ objects: [identity], aadPodIdentity: true });
    const a = await collectLiveKubernetes({ root: '/', kubeconfig: withCrd.kubeconfig, retry: fastRetry });
    expect(a.resources.map((r) => r.type)).toContain('k8s.AzureIdentity');
    const without = await cluster({ issuer: ISSUER });
    const b = await collectLiveKubernetes({ root: '/', kubeconfig: without.kubeconfig, retry: fastRetry });
    expect(b.notes).toEqual([]);
    expect(without.server.requests.some((r) => r.path.includes('aadpodidentity'))).toBe(false);
  });

  test('Secret values never reach the inventory; --no-secret-values asks for metadata only', async () => {
    const secretValue = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9rQ3mKpL';
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'aws-creds', namespace: 'payments' }, data: { AWS_SECRET_ACCESS_KEY: Buffer.from(secretValue).toString('base64'), AWS_ACCESS_KEY_ID: Buffer.from('AKIAZ7Q3LKJ4MVNRT2XW').toString('base64') } };
    const { server, kubeconfig } = await cluster({ objects: [secret] });
    const full = await collectInventory({ paths: [], root: '/', live: { kubernetes: { kubeconfig, retry: fastRetry } } });
    const text = renderInventory(full);
    expect(text).not.toContain(secretValue);
    expect(text).not.toContain(Buffer.from(secretValue).toString('base64'));
    expect(text).toContain('AWS_SECRET_ACCESS_KEY');
    expect(validateInventory(JSON.parse(text))).toEqual([]);

    const meta = await collectInventory({ paths: [], root: '/', live: { kubernetes: { kubeconfig, secretValues: false, retry: fastRetry } } });
    const secretCalls = server.listRequests('secrets');
    expect(secretCalls.at(-1)!.accept).toContain('as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    const body = meta.resources.find((r) => r.type === 'k8s.Secret')!.body as Record<string, unknown>;
    expect(body.data).toBeUndefined();
    expect(body.kind).toBe('Secret');
    expect(server.listRequests('pods').every((c) => !c.accept.includes('PartialObjectMetadata'))).toBe(true);
  });

  test('an unknown context and an unreachable server are errors that make the scan partial', async () => {
    const { kubeconfig } = await cluster({});
    const unknownContext = await collectLiveKubernetes({ root: '/', kubeconfig, contexts: ['nope'], retry: fastRetry });
    expect(unknownContext.notes[0]).toMatchObject({ level: 'error' });
    expect(unknownContext.notes[0]!.message).toContain('nope');
    const dead = writeKubeconfig([{ context: 'gone', url: 'http://127.0.0.1:9' }]);
    const unreachable = await collectLiveKubernetes({ root: '/', kubeconfig: dead, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(unreachable.clusters).toEqual([]);
    expect(unreachable.notes[0]).toMatchObject({ level: 'error' });
    const badToken = writeKubeconfig([{ context: CONTEXT, url: started[0]!.url, token: 'wrong' }]);
    const denied = await collectLiveKubernetes({ root: '/', kubeconfig: badToken, retry: fastRetry });
    expect(denied.notes[0]!.message).toContain('authentication failed');
  });

  test('--all-contexts reads every context as its own cluster', async () => {
    const a = await startCluster({ objects: OBJECTS, issuer: ISSUER });
    const b = await startCluster({ objects: OBJECTS, issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0000000000000000000000000' });
    started.push(a, b);
    const kubeconfig = writeKubeconfig([{ context: 'prod-eu', url: a.url }, { context: 'prod-us', url: b.url }]);
    const result = await collectLiveKubernetes({ root: '/', kubeconfig, allContexts: true, retry: fastRetry });
    expect(result.clusters.map((c) => c.name)).toEqual(['prod-eu', 'prod-us']);
    expect(result.resources.filter((r) => r.type === 'k8s.ServiceAccount').map((r) => r.file).sort()).toContain('k8s/prod-us/web/ServiceAccount/default.yaml');
  });
});

describe('the CLI', () => {
  test('a 403 is a warning (exit by findings) unless --strict (exit 2); collect then scan --inventory gives the same findings', async () => {
    const { kubeconfig } = await cluster({ objects: OBJECTS, issuer: ISSUER, forbidden: ['secrets'] });
    const base = ['--kubeconfig', kubeconfig, '--context', CONTEXT, '--fail-on', 'none', '--format', 'json'];
    const plain = await runCliAsync(['scan', ...base]);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toContain('secrets');
    const strict = await runCliAsync(['scan', ...base, '--strict']);
    expect(strict.status).toBe(2);

    const dir = tempDir();
    const snapshot = join(dir, 'prod-eu.inventory.json');
    const collect = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--context', CONTEXT, '--no-secret-values', '--output', snapshot]);
    expect(collect.status).toBe(0);
    expect(existsSync(snapshot)).toBe(true);
    const fromSnapshot = await runCliAsync(['scan', '--inventory', snapshot, '--fail-on', 'none', '--format', 'json']);
    const fromLive = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--context', CONTEXT, '--no-secret-values', '--fail-on', 'none', '--format', 'json']);
    const findings = (out: string): string[] => (JSON.parse(out) as { findings: Finding[] }).findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.location.file}:${f.location.position?.line ?? 0}`).sort();
    expect(findings(fromSnapshot.stdout).length).toBeGreaterThan(0);
    expect(findings(fromSnapshot.stdout)).toEqual(findings(fromLive.stdout));
  });

  test('podtrust --version does not load the Kubernetes client', () => {
    const dir = tempDir();
    const log = join(dir, 'resolved.log');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) { appendFileSync(${JSON.stringify(log)}, specifier + '\\n'); return next(specifier, context); }\n`);
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});\n`);
    const run = runCli(['--version'], { env: { NODE_OPTIONS: `--import ${register}` } });
    expect(run.status).toBe(0);
    const resolved = readFileSync(log, 'utf8');
    expect(resolved).toContain('cli.js');
    expect(resolved).not.toContain('@kubernetes/client-node');
  });
});

function podNumber(i: number): Record<string, unknown> {
  const ns = `team-${i % 40}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `worker-7d9f8c6b5-${i.toString(36).padStart(5, '0')}`,
      namespace: ns,
      labels: { app: 'worker', 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'worker-7d9f8c6b5', uid: 'c0ffee00-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      serviceAccountName: 'worker',
      nodeName: `ip-10-0-${i % 200}-${i % 250}.eu-west-1.compute.internal`,
      containers: [{ name: 'worker', image: 'registry.example.com/worker:2.3.1', resources: { requests: { cpu: '100m', memory: '128Mi' } }, env: [{ name: 'QUEUE', value: 'jobs' }] }],
      volumes: [{ name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
    },
    status: { phase: 'Running', podIP: '10.0.1.2', hostIP: '10.0.0.1', qosClass: 'Burstable' },
  };
}
