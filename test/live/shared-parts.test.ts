import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditInventory, collectInventory, scan, type ScanOptions } from '../../src/scan.js';
import { renderInventory } from '../../src/model/snapshot.js';
import { positionsUnread } from '../../src/model/lazy-positions.js';
import { render } from '../../src/reporters/index.js';
import { collectLiveKubernetes } from '../../src/live/kubernetes/collect.js';
import { pruneLiveObject } from '../../src/live/kubernetes/prune.js';
import type { JsonObject, Resource } from '../../src/model/types.js';
import { startCluster, writeKubeconfig, type GeneratedItems, type LoopbackCluster } from './k8s-server.js';
import { startAwsFake, type AwsFake } from './aws-server.js';
import { CONTEXT, ISSUER, LARGE, REGION, account, generatedCluster, ns, pods, saName, scaled } from './generated-cluster.js';

type Obj = Record<string, unknown>;

/** The benchmark's mix at 3,000 pods. */
const c = scaled(3_000 / LARGE.pods);
/** A ServiceAccount of the mix that carries an IRSA role (every sixth past the namespaces' defaults). */
const IDENTITY_SA = c.namespaces * 6;

/**
 * Pods the mix lacks, so findings point into pods: replicas of two templates (the parts sharing
 * is about), bare or owned, with a projected token valid for two days, a Windows node selector,
 * a kube2iam annotation and the ServiceAccount that has a cloud identity.
 */
function planted(): Obj[] {
  const out: Obj[] = [];
  for (let i = 0; i < 24; i++) {
    const owned = i % 2 === 1;
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `legacy-batch-${i}`,
        namespace: ns(c, IDENTITY_SA),
        labels: { app: owned ? 'legacy-owned' : 'legacy-bare' },
        annotations: { 'iam.amazonaws.com/role': `arn:aws:iam::111122223333:role/legacy-batch-${owned ? 'owned' : 'bare'}` },
        managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-09-30T12:00:00Z' }],
        ...(owned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'legacy-owned-5d8f7', uid: '3b1f2a9c-0000-4000-8000-000000000002', controller: true }] } : {}),
      },
      spec: {
        serviceAccountName: saName(c, IDENTITY_SA),
        nodeSelector: { 'kubernetes.io/os': 'windows' },
        volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 172_800, path: 'token', audience: 'sts.amazonaws.com' } }] } }],
        containers: [{ name: 'batch', image: `registry.example/batch:${i % 3}`, resources: { limits: { cpu: '1' } }, env: [{ name: 'MODE', value: 'nightly' }], volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/tokens' }] }],
        restartPolicy: 'Never',
      },
      status: { phase: 'Running' },
    });
  }
  return out;
}

function withPlanted(base: GeneratedItems, extra: Obj[]): GeneratedItems {
  return { count: base.count + extra.length, make: (i) => (i < base.count ? base.make(i) : extra[i - base.count]!) };
}

let cluster: LoopbackCluster;
let aws: AwsFake;
let kubeconfig: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  cluster = await startCluster({ issuer: ISSUER, generated: { ...generatedCluster(c), pods: withPlanted(pods(c), planted()) } });
  aws = await startAwsFake(account(c));
  kubeconfig = writeKubeconfig([{ context: CONTEXT, url: cluster.url }]);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test-not-a-secret',
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/podtrust-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/podtrust-test-credentials',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
});

afterAll(async () => {
  process.env = savedEnv;
  await cluster?.close();
  await aws?.close();
});

const fastRetry = { retries: 3, baseDelayMs: 10, maxDelayMs: 2000 };

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out.set(join(f.parentPath, f.name).slice(dir.length), readFileSync(join(f.parentPath, f.name), 'utf8'));
  }
  return out;
}

describe('pods of a large cluster share their repeated parts', () => {
  test('the findings, their locations and the objects written are those of pods that share nothing', async () => {
    const run = async (shareParts: boolean) => {
      const objectsDir = mkdtempSync(join(tmpdir(), 'podtrust-shared-'));
      const result = await scan({ paths: [], root: objectsDir, live: { kubernetes: { kubeconfig, contexts: [CONTEXT], retry: fastRetry, objectsDir, shareParts }, aws: { regions: [REGION] } } });
      return { result, objects: files(objectsDir) };
    };
    const reference = await run(false);
    const shared = await run(true);

    expect(reference.result.notes.filter((n) => n.level === 'error')).toEqual([]);
    // Enough to compare: findings of every kind the mix plants, and many pointing into pods, at lines past the metadata.
    const onPods = reference.result.findings.filter((f) => f.resource.type === 'k8s.Pod');
    expect([...new Set(onPods.map((f) => f.ruleId))]).toEqual(expect.arrayContaining(['aws-kube2iam-legacy', 'k8s-long-lived-sa-token', 'azure-pod-identity-deprecated']));
    // Every planted pod for its token, the bare ones for kube2iam (an owned pod is reported at its owner).
    expect(onPods.length).toBeGreaterThanOrEqual(24 + 12);
    expect(onPods.every((f) => (f.location.position?.line ?? 0) > 1)).toBe(true);
    expect(reference.result.findings.length).toBeGreaterThan(onPods.length);

    expect(shared.result.findings).toEqual(reference.result.findings);
    expect(shared.result.summary).toEqual(reference.result.summary);
    expect(shared.result.notes).toEqual(reference.result.notes);
    expect(shared.objects.size).toBeGreaterThan(c.pods);
    expect(shared.objects).toEqual(reference.objects);
  });

  test('names and positions computed when read are the stored ones, in every form a resource leaves in', async () => {
    const run = async (shareParts: boolean) => {
      const options: ScanOptions = { paths: [], root: '/', live: { kubernetes: { kubeconfig, contexts: [CONTEXT], retry: fastRetry, shareParts }, aws: { regions: [REGION] } } };
      const inventory = await collectInventory(options);
      const resources = inventory.resources.filter((r) => r.format === 'live' && r.id.startsWith('k8s:live:'));
      // Before anything reads the positions: a saved inventory leaves unread ones out.
      const unread = resources.map(positionsUnread);
      const computed = resources.filter((r) => typeof Object.getOwnPropertyDescriptor(r, 'positions')?.get === 'function').length;
      const saved = renderInventory(inventory);
      const result = auditInventory(inventory, options);
      return { resources, unread, computed, saved, sarif: render('sarif', result), json: render('json', result) };
    };
    const stored = await run(false);
    const derived = await run(true);
    expect(derived.resources.length).toBe(stored.resources.length);
    expect(derived.resources.length).toBeGreaterThan(c.pods);
    // Positions computed only when read, as the stored lazy maps were: the same ones never read.
    expect(derived.unread).toEqual(stored.unread);
    expect(stored.computed).toBe(0);
    expect(derived.computed).toBe(derived.unread.filter(Boolean).length);
    expect(derived.computed).toBeGreaterThan(c.pods);
    stored.resources.forEach((own, i) => {
      const r = derived.resources[i]!;
      for (const key of ['id', 'name', 'file', 'logicalLocation'] as const) {
        // Computed, not stored: an accessor of its own, enumerable, where the stored value was.
        expect(typeof Object.getOwnPropertyDescriptor(r, key)?.get, key).toBe('function');
        expect(Object.getOwnPropertyDescriptor(own, key)?.value, key).toBe(r[key]);
      }
      expect({ ...r.positions }).toEqual({ ...own.positions });
      expect(Object.keys(r)).toEqual(Object.keys(own));
      expect(JSON.stringify({ ...r, positions: null })).toBe(JSON.stringify({ ...own, positions: null }));
      expect(structuredClone({ ...r, positions: null })).toEqual(structuredClone({ ...own, positions: null }));
    });
    // What they are, for a namespaced object and a cluster-scoped one.
    const named = (type: string) => {
      const r = derived.resources.find((x) => x.type === type)!;
      return { r, metadata: (r.body as JsonObject).metadata as JsonObject };
    };
    const pod = named('k8s.Pod');
    const at = `${String(pod.metadata.namespace)}/${String(pod.metadata.name)}`;
    expect([pod.r.id, pod.r.name, pod.r.file, pod.r.logicalLocation]).toEqual([`k8s:live:${CONTEXT}:Pod/${at}`, at, `k8s/${CONTEXT}/${String(pod.metadata.namespace)}/Pod/${String(pod.metadata.name)}.yaml`, `/api/v1/namespaces/${at.replace('/', '/pods/')}`]);
    const node = named('k8s.Node');
    const nodeName = String(node.metadata.name);
    expect([node.r.id, node.r.name, node.r.file, node.r.logicalLocation]).toEqual([`k8s:live:${CONTEXT}:Node/${nodeName}`, nodeName, `k8s/${CONTEXT}/_cluster/Node/${nodeName}.yaml`, `/api/v1/nodes/${nodeName}`]);

    expect(derived.saved).toBe(stored.saved);
    expect(derived.sarif).toBe(stored.sarif);
    expect(derived.json).toBe(stored.json);

    // A write replaces the computed value, as it would a stored one.
    const r = derived.resources[0]!;
    r.file = 'k8s/elsewhere.yaml';
    expect(r.file).toBe('k8s/elsewhere.yaml');
    expect(Object.keys(r)).toEqual(Object.keys(stored.resources[0]!));
    expect(r.id).toBe(stored.resources[0]!.id);
  });

  test('replicas hold one instance of each part they repeat, and bodies equal to unshared ones', async () => {
    const collect = (shareParts: boolean) => collectLiveKubernetes({ kubeconfig, contexts: [CONTEXT], root: '/', retry: fastRetry, shareParts, env: process.env });
    const byId = (rs: Resource[]) => new Map(rs.filter((r) => r.type === 'k8s.Pod').map((r) => [r.id, r.body as JsonObject]));
    const shared = byId((await collect(true)).resources);
    const own = byId((await collect(false)).resources);
    expect(shared.size).toBe(c.pods + 24);
    for (const [id, body] of own) expect(JSON.stringify(shared.get(id)), id).toBe(JSON.stringify(body));

    const spec = (id: string, from: Map<string, JsonObject>) => from.get(`k8s:live:${CONTEXT}:Pod/${ns(c, IDENTITY_SA)}/${id}`)!.spec as JsonObject;
    const [a, b] = [spec('legacy-batch-0', shared), spec('legacy-batch-2', shared)];
    expect(a.volumes).toBe(b.volumes);
    expect(a.nodeSelector).toBe(b.nodeSelector);
    expect((a.containers as JsonObject[])[0]!.env).toBe((b.containers as JsonObject[])[0]!.env);
    // Each pod keeps its own spec and containers: an image tag differs.
    expect(a.containers).not.toBe(b.containers);
    expect(spec('legacy-batch-0', own).volumes).not.toBe(spec('legacy-batch-2', own).volumes);
  });
});

describe('pruning', () => {
  /** What pruning was before it copied: the same object with fields deleted from it. */
  function deleted(item: JsonObject, kind: string, apiVersion: string): JsonObject {
    const o = structuredClone(item);
    const drop = (x: unknown, keys: string[]) => {
      if (x && typeof x === 'object') for (const k of keys) delete (x as JsonObject)[k];
    };
    const podSpec = (s: unknown) => {
      drop(s, ['dnsPolicy', 'restartPolicy', 'schedulerName', 'terminationGracePeriodSeconds', 'enableServiceLinks', 'preemptionPolicy', 'priority', 'priorityClassName']);
      for (const g of ['initContainers', 'containers', 'ephemeralContainers']) {
        const list = (s as JsonObject | undefined)?.[g];
        if (Array.isArray(list)) for (const x of list) drop(x, ['livenessProbe', 'readinessProbe', 'startupProbe', 'resources', 'resizePolicy', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'ports', 'stdin', 'stdinOnce', 'tty']);
      }
    };
    const meta = ['managedFields', 'selfLink', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'finalizers'];
    drop(o.metadata, meta);
    delete o.status;
    const spec = o.spec as JsonObject | undefined;
    if (kind === 'Pod') podSpec(spec);
    const templates = [spec?.template, ((spec?.jobTemplate as JsonObject | undefined)?.spec as JsonObject | undefined)?.template];
    for (const t of templates) {
      if (!t || typeof t !== 'object') continue;
      drop((t as JsonObject).metadata, meta);
      podSpec((t as JsonObject).spec);
    }
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return { apiVersion, kind, ...rest };
  }

  test('a copy holds what deleting left, in the same order', () => {
    const pod = pods(c).make(7) as JsonObject;
    const template = { metadata: { labels: { app: 'x' }, creationTimestamp: null }, spec: { serviceAccountName: 'x', restartPolicy: 'OnFailure', containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 1 }], env: [] }] } };
    const deployment = { metadata: { name: 'x', namespace: 'y', generation: 3 }, spec: { replicas: 2, template }, status: { replicas: 2 } } as unknown as JsonObject;
    const cronJob = { metadata: { name: 'x' }, spec: { schedule: '* * * * *', jobTemplate: { metadata: {}, spec: { backoffLimit: 1, template } } } } as unknown as JsonObject;
    for (const [item, kind, apiVersion] of [[pod, 'Pod', 'v1'], [deployment, 'Deployment', 'apps/v1'], [cronJob, 'CronJob', 'batch/v1']] as const) {
      expect(JSON.stringify(pruneLiveObject(structuredClone(item), kind, apiVersion))).toBe(JSON.stringify(deleted(item, kind, apiVersion)));
    }
  });

  test('a __proto__ key the API sends stays data and never becomes a prototype', () => {
    const item = JSON.parse('{"metadata":{"name":"p","__proto__":{"annotations":{"iam.amazonaws.com/role":"x"}}},"spec":{"__proto__":{"hostNetwork":true},"containers":[{"name":"c","__proto__":{"env":[]}}]}}') as JsonObject;
    const out = pruneLiveObject(item, 'Pod', 'v1');
    const metadata = out.metadata as JsonObject;
    const spec = out.spec as JsonObject;
    const container = (spec.containers as JsonObject[])[0]!;
    for (const o of [metadata, spec, container]) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.hasOwn(o, '__proto__')).toBe(true);
    }
    expect(metadata.annotations).toBeUndefined();
    expect(spec.hostNetwork).toBeUndefined();
    expect(JSON.stringify(out)).toContain('"__proto__":{"hostNetwork":true}');
  });
});
