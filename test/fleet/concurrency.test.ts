/**
 * `--concurrency N`: 20 kubeconfig contexts, each a loopback API server with a round-trip delay,
 * read side by side, never more than N at once, with the same inventory as one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, writeKubeconfig, type LoopbackCluster, type RecordedRequest } from '../live/k8s-server.js';
import { collectLiveKubernetes } from '../../src/live/kubernetes/collect.js';
import { TargetLimit } from '../../src/live/target-limit.js';
import { runCliAsync } from '../helpers/cli.js';

const CONTEXTS = Array.from({ length: 20 }, (_, i) => `cluster-${String(i).padStart(2, '0')}`);
const events = { next: 0 };
const servers: LoopbackCluster[] = [];
let kubeconfig: string;

function objects(context: string): Record<string, unknown>[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'apps', annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/${context}-api` } } },
  ];
}

beforeAll(async () => {
  for (const context of CONTEXTS) servers.push(await startCluster({ objects: objects(context), issuer: `https://kubernetes.${context}.example`, latencyMs: 5, events }));
  kubeconfig = writeKubeconfig(CONTEXTS.map((context, i) => ({ context, url: servers[i]!.url })));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** The most clusters that had a request open at one moment, in the shared order of arrivals and answers (not in time). */
function mostAtOnce(requests: RecordedRequest[][]): number {
  const spans = requests.map((rs) => ({ from: Math.min(...rs.map((r) => r.received!)), to: Math.max(...rs.map((r) => r.answered!)) }));
  const edges = spans.flatMap((s) => [{ at: s.from, open: 1 }, { at: s.to, open: -1 }]).sort((a, b) => a.at - b.at);
  let open = 0;
  let most = 0;
  for (const e of edges) {
    open += e.open;
    most = Math.max(most, open);
  }
  return most;
}

async function collect(limit: number): Promise<{ ids: string[]; clusters: string[]; most: number }> {
  for (const s of servers) s.requests.length = 0;
  const result = await collectLiveKubernetes({ root: '/', kubeconfig, allContexts: true, targetLimit: new TargetLimit(limit) });
  expect(result.notes.filter((n) => n.level === 'error')).toEqual([]);
  return { ids: result.resources.map((r) => r.id), clusters: result.clusters.map((c) => c.name), most: mostAtOnce(servers.map((s) => [...s.requests])) };
}

describe('collecting many clusters', () => {
  it('reads up to N clusters at once and gives the inventory of reading them one at a time', async () => {
    const one = await collect(1);
    expect(one.most).toBe(1);
    const eight = await collect(8);
    expect(eight.most).toBeGreaterThan(1);
    expect(eight.most).toBeLessThanOrEqual(8);
    expect(eight.ids).toEqual(one.ids);
    expect(eight.clusters).toEqual(CONTEXTS);
    const all = await collect(20);
    expect(all.most).toBeGreaterThan(8);
    expect(all.ids).toEqual(one.ids);
  });

  it('takes --concurrency on the command line, from 1 to 256, only with a live source', async () => {
    const run = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--all-contexts', '--concurrency', '3', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const ids = (JSON.parse(run.stdout) as { resources: { id: string }[] }).resources.map((r) => r.id);
    expect(ids).toContain('k8s:live:cluster-19:ServiceAccount/apps/api');
    for (const bad of ['0', '257', 'many']) {
      const refused = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--all-contexts', '--concurrency', bad]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`--concurrency takes a number of targets from 1 to 256 (got "${bad}")`);
    }
    const noLive = await runCliAsync(['scan', '.', '--concurrency', '4']);
    expect(noLive.status).toBe(2);
    expect(noLive.stderr).toContain('--concurrency needs a live source');
  });
});

describe('the target limit', () => {
  it('never runs more than its limit, and hands slots out in order', async () => {
    const limit = new TargetLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limit.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return i;
      }),
    );
    // Open each gate once its task has started, oldest first.
    for (let opened = 0; opened < 5; opened++) {
      while (gates.length <= opened) await new Promise((r) => setImmediate(r));
      gates[opened]!();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});

describe('progress on a terminal', () => {
  /** What a terminal shows after the writes: only the cursor moves and clears the board uses are interpreted. */
  function screen(writes: string[]): string[] {
    const rows: string[] = [];
    let row = 0;
    for (const w of writes) {
      const tokens = w.split(/(\u001b\[\d+F|\u001b\[J|\r|\n)/).filter((t) => t !== '');
      for (const t of tokens) {
        const up = /^\u001b\[(\d+)F$/.exec(t);
        if (up) row -= Number(up[1]);
        else if (t === '\u001b[J') rows.length = row;
        else if (t === '\n') row++;
        else if (t !== '\r') rows[row] = (rows[row] ?? '') + t;
      }
    }
    return rows;
  }

  it('gives each source read side by side its own line, and leaves finished ones above', async () => {
    const { createProgress } = await import('../../src/live/progress.js');
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 40, write: (t: string) => writes.push(t) };
    const kube = createProgress({ stream });
    const cloud = createProgress({ stream });
    kube.update('prod-eu', 'pods', 500);
    cloud.update('aws account 111122223333', 'roles', 20);
    kube.update('prod-us', 'pods', 100);
    kube.update('prod-eu', 'pods', 1000);
    expect(screen(writes)).toEqual(['prod-eu: pods 1000', 'aws account 111122223333: roles 20', 'prod-us: pods 100']);
    kube.done('prod-eu', '1200 objects');
    kube.update('evil\u001b[2J', 'secrets '.repeat(10), 1);
    expect(screen(writes)).toEqual(['prod-eu: 1200 objects', 'aws account 111122223333: roles 20', 'prod-us: pods 100', 'evil: secrets secrets secrets secrets s']);
  });
});
