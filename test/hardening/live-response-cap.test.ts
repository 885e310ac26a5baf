/**
 * A live API answer larger than the per-response cap is abandoned while it streams: the request is
 * aborted, the resource type becomes an error note naming it and the cap, and the other types of
 * the cluster are still read. The loopback server streams the answer as the client reads it and
 * records how much it could write, so the test sees the abort without any clock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { collectLiveKubernetes } from '../../src/live/kubernetes/collect.js';
import { startCluster, writeKubeconfig, type ClusterSpec, type LoopbackCluster } from '../live/k8s-server.js';
import { REPO } from '../helpers/fixtures.js';
import { runCliAsync } from '../helpers/cli.js';

const CONTEXT = 'loopback';
const ROLE = 'arn:aws:iam::123456789012:role/web-default';
/** What the server would send if nothing stopped it. */
const ANSWER_BYTES = 256 * 1024 * 1024;
const started: LoopbackCluster[] = [];

afterAll(async () => {
  await Promise.all(started.map((c) => c.close()));
});

const SPEC: ClusterSpec = {
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'web', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } },
  ],
  oversized: { configmaps: ANSWER_BYTES },
};

async function cluster(): Promise<{ server: LoopbackCluster; kubeconfig: string }> {
  const server = await startCluster(SPEC);
  started.push(server);
  return { server, kubeconfig: writeKubeconfig([{ context: CONTEXT, url: server.url }]) };
}

describe('the per-response cap of live Kubernetes lists', () => {
  it('abandons the oversized list while it streams, notes it, and reads the other types', async () => {
    const { server, kubeconfig } = await cluster();
    const result = await collectLiveKubernetes({ kubeconfig, root: REPO, maxResponseBytes: 64 * 1024, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 } });

    const note = result.notes.find((n) => n.message.includes('configmaps'));
    expect(note).toEqual({ kind: 'limit', level: 'error', message: `cluster ${CONTEXT}: a page of the configmaps list is larger than 64 KiB (--max-response-size): configmaps not read` });
    expect(result.resources.map((r) => r.type).sort()).toEqual(['k8s.Namespace', 'k8s.ServiceAccount']);
    expect(result.resources.some((r) => r.type === 'k8s.ConfigMap')).toBe(false);
    // Not retried: another attempt would read as much again.
    expect(server.listRequests('configmaps')).toHaveLength(1);
    const answer = server.streamed.find((s) => s.resource === 'configmaps')!;
    expect(answer.complete).toBe(false);
    // Socket buffers take a few megabytes at most; the client stopped long before the end.
    expect(answer.written).toBeLessThan(ANSWER_BYTES / 8);
  });

  it('through the CLI: --max-response-size lowers the cap, the note names it, the scan is partial', async () => {
    const { kubeconfig } = await cluster();
    const r = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--root', REPO, '--format', 'json', '--fail-on', 'none', '--max-response-size', '64KB']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: cluster ${CONTEXT}: a page of the configmaps list is larger than 64 KiB (--max-response-size): configmaps not read`);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; resource: { name: string } }[] };
    expect(report.findings.map((f) => `${f.ruleId} ${f.resource.name}`)).toContain('k8s-identity-on-default-sa web/default');
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toMatch(/call stack|heap|RangeError|\n\s+at /);
    }
  });

  it('refuses a cap that is not a size, and a cap without a live cluster', async () => {
    const { kubeconfig } = await cluster();
    const bad = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--max-response-size', 'lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-response-size takes a size such as 10MB or 512KB (got "lots")');
    const alone = await runCliAsync(['scan', '.', '--max-response-size', '1MB']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--max-response-size needs a live cluster');
  });
});
