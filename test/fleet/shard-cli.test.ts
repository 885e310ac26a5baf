/**
 * `podtrust collect --shard` over loopback clusters, then `scan --inventory` over the shards: the
 * same findings as one scan of every cluster, cross-cluster ones included, and every target a
 * missing shard would have read named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startCluster, writeKubeconfig, type LoopbackCluster } from '../live/k8s-server.js';
import { runCliAsync } from '../helpers/cli.js';
import type { Finding } from '../../src/model/types.js';

const PROJECT = 'acme-shared';
const gkeIssuer = (name: string): string => `https://container.googleapis.com/v1/projects/${PROJECT}/locations/europe-west1/clusters/${name}`;

/**
 * The same namespace/KSA, bound to one Google service account, in clusters of one workload pool:
 * one identity. billing/invoicer is in gke-dev and gke-prod only, which two different shards read.
 */
function objects(cluster: string): Record<string, unknown>[] {
  const invoicer = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'invoicer', namespace: 'billing', annotations: { 'iam.gke.io/gcp-service-account': `invoicer@${PROJECT}.iam.gserviceaccount.com` } },
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'billing' } },
    ...(cluster === 'gke-staging' ? [] : [invoicer]),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'billing', annotations: { 'iam.gke.io/gcp-service-account': `billing@${PROJECT}.iam.gserviceaccount.com` } } },
  ];
}

const CONTEXTS = ['gke-dev', 'gke-prod', 'gke-staging'];
const servers: LoopbackCluster[] = [];
let repo: string;
let kubeconfig: string;

beforeAll(async () => {
  for (const name of CONTEXTS) servers.push(await startCluster({ objects: objects(name), issuer: gkeIssuer(name) }));
  kubeconfig = writeKubeconfig(CONTEXTS.map((context, i) => ({ context, url: servers[i]!.url })));
  repo = mkdtempSync(join(tmpdir(), 'podtrust-shards-'));
  writeFileSync(join(repo, '.podtrust.yaml'), stringify({ clusters: CONTEXTS.map((name) => ({ paths: [`k8s/${name}/**`], name, provider: 'gcp', project: PROJECT })) }));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function findings(stdout: string): string[] {
  return (JSON.parse(stdout) as { findings: Finding[] }).findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.location.file}:${f.location.position?.line ?? 0}`).sort();
}

const live = (): string[] => ['--kubeconfig', kubeconfig, '--all-contexts', '--quiet'];
const report = ['--format', 'json', '--fail-on', 'none'];

describe('collect --shard and scan --inventory', () => {
  it('a shard split gives the findings of one scan, cross-cluster ones included; a missing shard is named', async () => {
    const shards = join(repo, 'shards');
    mkdirSync(shards);
    const runs = await Promise.all([
      runCliAsync(['collect', ...live(), '--shard', '0/2', '--output', join(shards, 'shard-0.json')], { cwd: repo }),
      // An Indexed Job's pod: the index comes from the environment.
      runCliAsync(['collect', ...live(), '--shard-count', '2', '--output', join(shards, 'shard-1.json')], { cwd: repo, env: { JOB_COMPLETION_INDEX: '1' } }),
    ]);
    for (const r of runs) expect(r.stderr).toBe('');
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    expect(readdirSync(shards).sort()).toEqual(['shard-0.json', 'shard-1.json']);
    const fleets = ['shard-0.json', 'shard-1.json'].map((f) => (JSON.parse(readFileSync(join(shards, f), 'utf8')) as { version: number; fleet: { covered: string[] } }));
    expect(fleets.map((f) => f.version)).toEqual([2, 2]);
    expect(fleets.map((f) => f.fleet.covered)).toEqual([['k8s:gke-dev', 'k8s:gke-staging'], ['k8s:gke-prod']]);

    const whole = await runCliAsync(['scan', ...live(), ...report], { cwd: repo });
    const merged = await runCliAsync(['scan', '--inventory', 'shards', ...report], { cwd: repo });
    expect(whole.status).toBe(0);
    expect(merged.status).toBe(0);
    expect(findings(merged.stdout)).toEqual(findings(whole.stdout));
    // gke-dev (shard 0) and gke-prod (shard 1) share billing/invoicer: a collision only the union shows.
    const invoicer = (out: string): string[] => findings(out).filter((f) => f.startsWith('gcp-ksa-identity-collision ') && f.includes('billing/invoicer'));
    expect(invoicer(merged.stdout)).toHaveLength(1);

    // Shard 1 was not given: the report names the cluster it held and the scan is partial.
    const partial = await runCliAsync(['scan', '--inventory', 'shards/shard-0.json', ...report], { cwd: repo });
    expect(partial.status).toBe(2);
    expect(invoicer(partial.stdout)).toEqual([]);
    expect(partial.stderr).toContain('error: fleet: target k8s:gke-prod is in no inventory (the inventory of shard 1/2 is missing)');
    const body = JSON.parse(partial.stdout) as { summary: { partial: boolean }; notes: { message: string }[] };
    expect(body.summary.partial).toBe(true);
    expect(body.notes.some((n) => n.message.includes('k8s:gke-prod'))).toBe(true);
  });

  it('writes an inventory for a shard no target falls to, saying so instead of warning that nothing was analysed', async () => {
    const run = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--context', 'gke-dev', '--shard', '1/2'], { cwd: repo });
    expect(run.status).toBe(0);
    const inventory = JSON.parse(run.stdout) as { notes: { kind: string; level: string; message: string }[]; fleet: { targets: string[]; covered: string[] } };
    expect(inventory.fleet).toMatchObject({ targets: ['k8s:gke-dev'], covered: [] });
    expect(inventory.notes).toEqual([{ kind: 'skipped', level: 'note', message: 'shard 1/2: no target falls to this shard (the fleet has 1)' }]);
    expect(run.stderr).toBe('note: shard 1/2: no target falls to this shard (the fleet has 1)\n');
  });

  it('names a context a shard could not read in the union', async () => {
    // A context whose API server is gone: its shard runs, records it as not read, and the union names it.
    const closed = await startCluster({ objects: [] });
    await closed.close();
    const withGone = writeKubeconfig([...CONTEXTS.map((context, i) => ({ context, url: servers[i]!.url })), { context: 'gke-gone', url: closed.url }]);
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-gone-'));
    const runs = await Promise.all([0, 1].map((i) => runCliAsync(['collect', '--kubeconfig', withGone, '--all-contexts', '--quiet', '--request-timeout', '5', '--shard', `${i}/2`, '--output', join(dir, `shard-${i}.json`)], { cwd: repo })));
    expect(runs.map((r) => r.status)).toEqual([0, 2]);
    const merged = await runCliAsync(['scan', '--inventory', dir, ...report], { cwd: repo });
    expect(merged.status).toBe(2);
    expect(merged.stderr).toContain('error: fleet: target k8s:gke-gone is in no inventory (shard 1/2 did not read it): its findings are missing');
    expect(merged.stderr).toContain('error: cluster gke-gone: cannot read');
  });

  it('refuses --shard outside collect or without a live source', async () => {
    const scan = await runCliAsync(['scan', ...live(), '--shard', '0/2'], { cwd: repo });
    expect(scan.status).toBe(2);
    expect(scan.stderr).toContain('--shard and --shard-count belong to collect with a live source');
    const noLive = await runCliAsync(['collect', '--shard', '0/2', '.'], { cwd: repo });
    expect(noLive.status).toBe(2);
  });
});
