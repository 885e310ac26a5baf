/**
 * The two ways a fleet scan ships, run as their engines would run them against loopback clusters:
 * the Indexed Job of deploy/kubernetes/fleet (each index's args, as Kubernetes expands them) and
 * the GitHub Actions matrix of docs/fleet.md (each shard's command, then the merge's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { startCluster, writeKubeconfig, type LoopbackCluster } from '../live/k8s-server.js';
import { runCliAsync } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import type { Finding } from '../../src/model/types.js';

type Obj = Record<string, any>;

const DIR = join(REPO, 'deploy', 'kubernetes', 'fleet');
const ISSUER = (name: string): string => `https://oidc.eks.eu-west-1.amazonaws.com/id/${name.toUpperCase().replace(/-/g, '').padEnd(32, '0')}`;
const CONTEXTS = ['eks-a', 'eks-b', 'eks-c', 'eks-d', 'eks-e'];
const servers: LoopbackCluster[] = [];
let kubeconfig: string;

function objects(): Record<string, unknown>[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'web', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web' } } },
  ];
}

beforeAll(async () => {
  for (const context of CONTEXTS) servers.push(await startCluster({ objects: objects(), issuer: ISSUER(context) }));
  kubeconfig = writeKubeconfig(CONTEXTS.map((context, i) => ({ context, url: servers[i]!.url })));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function manifest(file: string): Obj {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  expect(docs.map((d) => d.errors)).toEqual([[]]);
  return docs[0]!.toJS() as Obj;
}

function findingsOf(json: string): string[] {
  return (JSON.parse(json) as { findings: Finding[] }).findings.map((f) => `${f.ruleId} ${f.resource.id}`).sort();
}

async function oneScan(): Promise<string[]> {
  const run = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--all-contexts', '--format', 'json', '--fail-on', 'none', '--quiet']);
  expect(run.status).toBe(0);
  const findings = findingsOf(run.stdout);
  expect(findings.filter((f) => f.startsWith('k8s-identity-on-default-sa '))).toHaveLength(CONTEXTS.length);
  return findings;
}

describe('deploy/kubernetes/fleet', () => {
  const collect = manifest('collect-job.yaml');
  const merge = manifest('merge-job.yaml');
  const volume = manifest('shards-volume.yaml');
  const collectPod = collect.spec.template.spec;
  const mergePod = merge.spec.template.spec;
  const collectArgs: string[] = collectPod.containers[0].args;
  const mergeArgs: string[] = mergePod.containers[0].args;

  it('is an Indexed Job with one pod per shard, retried per index, writing to the volume the merge reads', () => {
    expect(collect.spec.completionMode).toBe('Indexed');
    const shards = Number(collectArgs[collectArgs.indexOf('--shard-count') + 1]);
    expect(collect.spec.completions).toBe(shards);
    expect(collect.spec.parallelism).toBe(shards);
    expect(collect.spec.backoffLimitPerIndex).toBeGreaterThan(0);
    expect(collectPod.containers[0].env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
    expect(volume.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const pod of [collectPod, mergePod]) {
      expect(pod.volumes.find((v: Obj) => v.name === 'shards').persistentVolumeClaim.claimName).toBe(volume.metadata.name);
      expect(pod.containers[0].volumeMounts.find((m: Obj) => m.name === 'shards').mountPath).toBe('/shards');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const c = pod.containers[0];
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(mergeArgs[0]).toBe('scan');
  });

  it('gives, run index by index and merged, the findings of one scan; a failed index is named', async () => {
    const expected = await oneScan();
    const shards = mkdtempSync(join(tmpdir(), 'podtrust-indexed-'));
    const mergeTmp = mkdtempSync(join(tmpdir(), 'podtrust-merge-tmp-'));
    const local = (args: string[], index?: number): string[] =>
      args.map((a) =>
        a
          .replace('/etc/podtrust/kubeconfig', kubeconfig)
          .replace('/shards', shards)
          .replace(/^\/tmp$/, mergeTmp)
          .replace('$(JOB_COMPLETION_INDEX)', String(index)),
      );
    const runs = await Promise.all(Array.from({ length: collect.spec.completions as number }, (_, i) => runCliAsync([...local(collectArgs, i), '--quiet'], { env: { JOB_COMPLETION_INDEX: String(i) } })));
    expect(runs.map((r) => [r.status, r.stderr])).toEqual(runs.map(() => [0, '']));
    expect(readdirSync(shards).sort()).toEqual(['shard-0.json', 'shard-1.json', 'shard-2.json', 'shard-3.json']);
    const merged = await runCliAsync(local(mergeArgs));
    expect(merged.status).toBe(0);
    expect(findingsOf(readFileSync(join(shards, 'podtrust.json'), 'utf8'))).toEqual(expected);
    const sarif = JSON.parse(readFileSync(join(shards, 'podtrust.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(expected.length);

    // Index 1 failed for good: the merge still reports, names what that index held, and exits 2.
    rmSync(join(shards, 'shard-1.json'));
    const partial = await runCliAsync(local(mergeArgs));
    expect(partial.status).toBe(2);
    const report = JSON.parse(readFileSync(join(shards, 'podtrust.json'), 'utf8')) as { notes: { level: string; message: string }[] };
    const gaps = report.notes.filter((n) => n.message.startsWith('fleet:')).map((n) => n.message);
    expect(gaps).toEqual(['fleet: target k8s:eks-b is in no inventory (the inventory of shard 1/4 is missing): its findings are missing']);
  });

  it('raises no finding of podtrust itself', async () => {
    const run = await runCliAsync(['scan', DIR, '--root', DIR, '--format', 'json', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    expect(findingsOf(run.stdout)).toEqual([]);
  });
});

describe('the GitHub Actions matrix of docs/fleet.md', () => {
  const doc = readFileSync(join(REPO, 'docs', 'fleet.md'), 'utf8');
  const block = /<!-- podtrust:fleet-workflow -->\n```yaml\n([\s\S]*?)\n```/.exec(doc)?.[1];
  const workflow = parse(block ?? '') as Obj;
  const collect = workflow.jobs?.collect as Obj;
  const merge = workflow.jobs?.merge as Obj;
  const runOf = (job: Obj, command: string): string => job.steps.map((s: Obj) => String(s.run ?? '')).flatMap((r: string) => r.split('\n')).find((l: string) => l.startsWith(command));

  it('uploads one artifact per shard and merges them all, even after a failed shard', () => {
    expect(block).toBeDefined();
    const shards: number[] = collect.strategy.matrix.shard;
    const count = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(runOf(collect, 'podtrust collect'))?.[1]);
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(collect.strategy['fail-fast']).toBe(false);
    const upload = collect.steps.find((s: Obj) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(upload.if).toBe('always()');
    expect(upload.with.name).toBe('podtrust-shard-${{ matrix.shard }}');
    expect(merge.needs).toBe('collect');
    expect(merge.if).toBe('always()');
    const download = merge.steps.find((s: Obj) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(download.with).toMatchObject({ pattern: 'podtrust-shard-*', 'merge-multiple': true });
    expect(runOf(merge, 'podtrust scan')).toContain(`--inventory ${download.with.path as string} `);
    const sarif = merge.steps.find((s: Obj) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    expect(runOf(merge, 'podtrust scan')).toContain(`--output ${sarif.with.sarif_file as string}`);
    expect(merge.permissions['security-events']).toBe('write');
  });

  it('gives, shard by shard and merged, the findings of one scan', async () => {
    const expected = await oneScan();
    const workspace = mkdtempSync(join(tmpdir(), 'podtrust-matrix-'));
    const argsOf = (line: string, shard?: number): string[] =>
      line
        .replace('"$RUNNER_TEMP/kubeconfig"', kubeconfig)
        .replaceAll('${{ matrix.shard }}', String(shard))
        .split(' ')
        .slice(1);
    const collectLine = runOf(collect, 'podtrust collect');
    const shards: number[] = collect.strategy.matrix.shard;
    // Each matrix job in its own workspace; download-artifact with merge-multiple puts every file in one folder.
    const downloaded = join(workspace, 'merge', 'shards');
    mkdirSync(downloaded, { recursive: true });
    for (const shard of shards) {
      const own = join(workspace, `collect-${shard}`);
      mkdirSync(own);
      const run = await runCliAsync([...argsOf(collectLine, shard), '--quiet'], { cwd: own });
      expect([run.status, run.stderr]).toEqual([0, '']);
      copyFileSync(join(own, `shard-${shard}.json`), join(downloaded, `shard-${shard}.json`));
    }
    const mergeRun = await runCliAsync([...argsOf(runOf(merge, 'podtrust scan')), '--root', join(workspace, 'merge')], { cwd: join(workspace, 'merge') });
    expect(mergeRun.status).toBe(0);
    const json = await runCliAsync(['scan', '--inventory', 'shards', '--format', 'json', '--fail-on', 'none'], { cwd: join(workspace, 'merge') });
    expect(findingsOf(json.stdout)).toEqual(expected);
    const sarif = JSON.parse(readFileSync(join(workspace, 'merge', 'podtrust.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(expected.length);
  });
});
