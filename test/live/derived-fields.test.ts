import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditInventory, collectInventory, type ScanOptions } from '../../src/scan.js';
import { loadInventory, renderInventory } from '../../src/model/snapshot.js';
import { render, REPORT_FORMATS } from '../../src/reporters/index.js';
import { applyBaseline, newFindingCount, parseBaseline } from '../../src/baseline/baseline.js';
import type { Resource } from '../../src/model/types.js';
import { startCluster, writeKubeconfig, type LoopbackCluster } from './k8s-server.js';

/**
 * Objects whose names a hostile or unusual API server may send (separators, escapes, unicode, a
 * name far longer than a DNS label), of namespaced and cluster-scoped kinds, served by two
 * clusters with the same objects under context names with special characters.
 */
const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ODD_NS = 'pay/ments%2F..';
const LONG = `ünïcødé-${'x'.repeat(200)}`;
const SECRET = 'Zq8vR2mT5xW9kL3nB7cF1hJ4pD6sG0aE+yU/oI2w';
const OBJECTS: Record<string, unknown>[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ODD_NS } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ODD_NS, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/odd' } } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: LONG, namespace: 'web', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/long' } } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'web', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web' } } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p/q%r ü', namespace: ODD_NS, annotations: { 'iam.amazonaws.com/role': 'arn:aws:iam::111122223333:role/legacy' } },
    spec: {
      serviceAccountName: 'default',
      containers: [{ name: 'c', image: 'registry.example/c:1', env: [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET }] }],
    },
  },
  // Names of most kinds are DNS subdomains of up to 253 characters: longer than a file name may be with `.yaml`.
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${'c'.repeat(250)}.io`, namespace: 'web' }, data: { k: 'v' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:odd/role%' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'odd/binding' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:odd/role%' },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ODD_NS }],
  },
];
const CONTEXTS = ['arn:aws:eks:eu-west-1:111122223333:cluster/prod', 'prod/eu ü%41'];

const servers: LoopbackCluster[] = [];
let kubeconfig: string;
beforeAll(async () => {
  for (const _ of CONTEXTS) servers.push(await startCluster({ objects: OBJECTS, issuer: ISSUER }));
  kubeconfig = writeKubeconfig(CONTEXTS.map((context, i) => ({ context, url: servers[i]!.url })));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const fastRetry = { retries: 3, baseDelayMs: 10, maxDelayMs: 2000 };
const timing = { startedAt: new Date('2026-01-02T03:04:05Z'), finishedAt: new Date('2026-01-02T03:04:06Z') };

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out.set(join(f.parentPath, f.name).slice(dir.length), readFileSync(join(f.parentPath, f.name), 'utf8'));
  }
  return out;
}

async function run(shareParts: boolean) {
  const objectsDir = mkdtempSync(join(tmpdir(), 'podtrust-derived-'));
  const options: ScanOptions = { paths: [], root: '/', live: { kubernetes: { kubeconfig, contexts: CONTEXTS, retry: fastRetry, shareParts, objectsDir } } };
  const inventory = await collectInventory(options);
  const resources = inventory.resources.filter((r) => r.id.startsWith('k8s:live:'));
  const saved = renderInventory(inventory);
  const result = auditInventory(inventory, options);
  const reports = Object.fromEntries(REPORT_FORMATS.map((f) => [f, render(f, result, { ...timing, asffAccount: '111122223333', asffRegion: 'eu-west-1' })]));
  const savedFile = join(mkdtempSync(join(tmpdir(), 'podtrust-derived-inv-')), 'inventory.json');
  writeFileSync(savedFile, saved);
  const reloaded = auditInventory(loadInventory(savedFile), options);
  return { resources, saved, result, reports, reloaded, objects: files(objectsDir) };
}

function fields(r: Resource) {
  return { id: r.id, name: r.name, file: r.file, logicalLocation: r.logicalLocation, cluster: r.cluster, type: r.type, keys: Object.keys(r), positions: { ...r.positions } };
}

describe('live objects with odd names, in two clusters, computed and stored', () => {
  test('give the same ids, files, API references, positions, inventories, reports and fingerprints', async () => {
    const stored = await run(false);
    const derived = await run(true);
    expect(stored.result.notes.filter((n) => n.level === 'error')).toEqual([]);
    // Both clusters, every kind, the odd names among them.
    expect(stored.resources.length).toBe(OBJECTS.length * CONTEXTS.length);
    expect(new Set(stored.resources.map((r) => r.cluster))).toEqual(new Set(CONTEXTS));
    expect(stored.resources.some((r) => r.name === `${ODD_NS}/p/q%r ü`)).toBe(true);
    expect(stored.result.findings.some((f) => f.resource.type === 'k8s.Pod')).toBe(true);
    expect(new Set(stored.result.findings.map((f) => f.resource.id)).size).toBeGreaterThan(CONTEXTS.length);

    expect(derived.resources.map(fields)).toEqual(stored.resources.map(fields));
    expect(new Set(derived.resources.map((r) => r.id)).size).toBe(derived.resources.length);
    expect(derived.saved).toBe(stored.saved);
    expect(derived.result.resourceClusters).toEqual(stored.result.resourceClusters);
    for (const format of REPORT_FORMATS) expect(derived.reports[format], format).toBe(stored.reports[format]);
    expect(derived.objects).toEqual(stored.objects);
    expect(derived.objects.size).toBe(stored.resources.length);
    // Every object's file is the one written for it.
    expect(stored.result.notes.filter((n) => n.message.includes('cannot write'))).toEqual([]);
    for (const r of derived.resources) expect(derived.objects.has(`/${r.file}`), r.file).toBe(true);

    // A saved inventory scanned again reports the same, at the same lines.
    const results = (sarif: string) => (JSON.parse(sarif) as { runs: { results: unknown[] }[] }).runs[0]!.results;
    expect(results(render('sarif', derived.reloaded))).toEqual(results(stored.reports.sarif!));
    // Baselines written from one are the other's: nothing is new.
    for (const format of ['sarif', 'json'] as const) {
      const baseline = parseBaseline(stored.reports[format]!, `baseline.${format}`);
      expect(baseline.fingerprints.size).toBeGreaterThan(0);
      expect(newFindingCount(applyBaseline(derived.result, baseline).findings)).toBe(0);
    }
    // The secret value reaches no output, position map or object file.
    for (const text of [derived.saved, ...Object.values(derived.reports), ...derived.objects.values(), JSON.stringify(derived.resources.map(fields))]) expect(text).not.toContain(SECRET.slice(8));
  });
});
