/**
 * The fleet part of `npm run bench` (run through bench/vitest.config.ts, never `npm test`): 20
 * kubeconfig contexts, each a loopback API server answering after 50–150 ms with a few hundred
 * objects, and an AWS Organization of 30 accounts whose calls take 50–150 ms, collected by the
 * built bundle in a child process one target at a time (`--concurrency 1`) and with the default
 * of 8. Writes .bench-data/fleet.json.
 */
import { test } from 'vitest';
import { runChild } from './run-child.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, writeKubeconfig, type GeneratedItems, type LoopbackCluster } from '../test/live/k8s-server.js';
import { organizationEnv, startOrganization, workloadAccount } from '../test/fleet/aws-organization-server.js';
import { DEFAULT_TARGET_CONCURRENCY } from '../src/live/target-limit.js';

type Obj = Record<string, unknown>;

const REPO = join(import.meta.dirname, '..');
const CLUSTERS = 20;
const ACCOUNTS = 30;
const ROLE = 'podtrust-reader';
const REGION = 'eu-west-1';
const MANAGEMENT = '100000000000';
const MEMBERS = Array.from({ length: ACCOUNTS - 1 }, (_, i) => String(200000000000 + i * 7_001));

/** A round trip between 50 and 150 ms, fixed per target (clusters and accounts are in different regions), spread evenly. */
const latency = (i: number): number => 50 + ((i * 37) % 101);

/** Per cluster: 8 namespaces, 60 ServiceAccounts (every fourth with an IRSA role of one of the accounts), 200 pods, 40 ConfigMaps. */
function generated(cluster: number): Record<string, GeneratedItems> {
  const ns = (i: number): string => `team-${i % 8}`;
  const sa = (i: number): string => `svc-${i % 60}`;
  const account = (i: number): string => [MANAGEMENT, ...MEMBERS][(cluster + i) % ACCOUNTS]!;
  return {
    namespaces: { count: 8, make: (i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } }) },
    serviceaccounts: {
      count: 60,
      make: (i) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa(i), namespace: ns(i), ...(i % 4 === 0 ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${account(i)}:role/workload` } } : {}) } }),
    },
    pods: {
      count: 200,
      make: (i) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${sa(i)}-${i}`, namespace: ns(i % 60), labels: { 'app.kubernetes.io/name': sa(i) } },
        spec: { serviceAccountName: sa(i), nodeName: `node-${i % 12}`, containers: [{ name: 'app', image: `registry.example/${sa(i)}:1.${i % 7}`, env: [{ name: 'AWS_REGION', value: REGION }] }] },
        status: { phase: 'Running' },
      }),
    },
    configmaps: { count: 40, make: (i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}`, namespace: ns(i) }, data: { LOG_LEVEL: 'info' } }) },
  };
}

/** Each target's own time, from a run that read them one at a time: the gaps between the moments they finished. */
function targetTimes(finished: { source: string; atMs: number }[]): number[] {
  const sorted = [...finished].sort((a, b) => a.atMs - b.atMs);
  return sorted.map((f, i) => f.atMs - (i === 0 ? 0 : sorted[i - 1]!.atMs));
}

test('fleet: 20 clusters and 30 accounts, one at a time and 8 at once', async () => {
  const servers: LoopbackCluster[] = [];
  for (let i = 0; i < CLUSTERS; i++) servers.push(await startCluster({ generated: generated(i), issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/BENCH${String(i).padStart(4, '0')}`, latencyMs: latency(i) }));
  const ids = [MANAGEMENT, ...MEMBERS];
  const org = await startOrganization(ids.map(workloadAccount), MANAGEMENT, { role: ROLE, latencyMs: (call) => latency(CLUSTERS + Math.max(0, ids.indexOf(call))) });
  const kubeconfig = writeKubeconfig(servers.map((s, i) => ({ context: `cluster-${String(i).padStart(2, '0')}`, url: s.url })));
  const env: NodeJS.ProcessEnv = { ...process.env, ...organizationEnv(org.url) };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  try {
    const runs: Obj[] = [];
    for (const concurrency of [1, DEFAULT_TARGET_CONCURRENCY]) {
      const k0 = servers.reduce((n, s) => n + s.requests.length, 0);
      const a0 = org.calls.length;
      const result = await runChild(['fleet', kubeconfig, REGION, ROLE, String(concurrency)], env, 10 * 60_000);
      const calls = { kubernetes: servers.reduce((n, s) => n + s.requests.length, 0) - k0, aws: org.calls.length - a0 };
      runs.push({ concurrency, ...result, calls });
      process.stderr.write(`fleet --concurrency ${concurrency}: collected in ${((result.collectMs as number) / 1000).toFixed(2)} s, ${calls.kubernetes} Kubernetes and ${calls.aws} AWS calls\n`);
      const errors = (result.errors as string[] | undefined) ?? [];
      if (errors.length > 0) throw new Error(`the fleet collection was incomplete: ${errors.join('; ')}`);
    }
    const [one, many] = runs as [Obj, Obj];
    if (one.resourcesDigest !== many.resourcesDigest || one.findingsDigest !== many.findingsDigest) throw new Error('the inventories or findings of the two runs differ');
    const times = targetTimes(one.finished as { source: string; atMs: number }[]);
    const record = { clusters: CLUSTERS, accounts: ACCOUNTS, latencyMs: [50, 150], targets: times.length, slowestTargetMs: Math.max(...times), sumOfTargetsMs: times.reduce((a, b) => a + b, 0), runs };
    mkdirSync(join(REPO, '.bench-data'), { recursive: true });
    writeFileSync(join(REPO, '.bench-data', 'fleet.json'), JSON.stringify(record, null, 2));
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await org.close();
  }
});
