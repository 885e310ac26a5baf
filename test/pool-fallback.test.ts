/** A failing worker never loses or hangs a scan: its jobs are collected in the main thread instead. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EarlyStart, collectInParallel, runJobs } from '../src/collect/pool.js';
import { collectStructured } from '../src/collectors/documents.js';
import { collectTerraform } from '../src/collectors/terraform/index.js';
import { emptyResult, mergeResults, type CollectOptions, type SourceFile } from '../src/collectors/types.js';
import type { WorkerJob } from '../src/collect/worker.js';
import { DEFAULT_LIMITS } from '../src/util/structured.js';

const root = '/repo';
const options: CollectOptions = { root, limits: DEFAULT_LIMITS };

const serviceAccount: SourceFile = {
  path: '/repo/k8s/sa.yaml',
  text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: prod\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n',
};
const broken: SourceFile = { path: '/repo/k8s/broken.yaml', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: [unclosed\n' };
const terraform: SourceFile = {
  path: '/repo/infra/main.tf',
  text: 'resource "aws_iam_role" "app" {\n  name               = "app"\n  assume_role_policy = "{}"\n}\n',
};

const jobs: WorkerJob[] = [
  { id: 0, kind: 'terraform', files: [[terraform]], options },
  { id: 1, kind: 'structured', files: [[serviceAccount], [broken]], options },
  { id: 2, kind: 'structured', files: [[broken]], options },
];

async function sequential(): Promise<string> {
  const out = emptyResult();
  mergeResults(out, await collectTerraform([terraform], options));
  for (const f of [serviceAccount, broken, broken]) mergeResults(out, collectStructured(f, options));
  return JSON.stringify(out);
}

let dir: string;
const script = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'podtrust-pool-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker pool fallback', () => {
  it('a missing worker script: every job is collected here, with the sequential result', async () => {
    const result = await runJobs(jobs, join(dir, 'does-not-exist.mjs'), 2);
    expect(result.resources.map((r) => r.name)).toEqual(['app', 'prod/app']);
    expect(result.notes.filter((n) => n.kind === 'parse-error' && n.file === broken.path)).toHaveLength(2);
    expect(JSON.stringify(result)).toBe(await sequential());
  });

  it('a worker that exits quietly mid-job does not leave the scan pending', async () => {
    const quits = script('quits.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(0));\n");
    expect(JSON.stringify(await runJobs(jobs, quits, 2))).toBe(await sequential());
  });

  it('a worker that replies with an error or throws: the job is redone here, not the scan failed', async () => {
    const replies = script('replies.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (job) => parentPort.postMessage({ id: job.id, error: 'boom' }));\n");
    const throws = script('throws.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('boom'); });\n");
    expect(JSON.stringify(await runJobs(jobs, replies, 2))).toBe(await sequential());
    expect(JSON.stringify(await runJobs(jobs, throws, 3))).toBe(await sequential());
  });

  it('collectInParallel takes the fallback too when its worker is unusable', async () => {
    const result = await collectInParallel([serviceAccount, broken], [terraform], options, 2, 0, join(dir, 'missing.mjs'));
    expect(result?.resources.map((r) => r.name).sort()).toEqual(['app', 'prod/app']);
    expect(result?.notes.some((n) => n.kind === 'parse-error' && n.file === broken.path)).toBe(true);
  });

  it('threads start early only once a second file arrives past the size threshold, and stop when told', async () => {
    const idle = script('idle.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\n");
    const early = new EarlyStart(2, 100, idle);
    const big: SourceFile = { path: '/repo/a.yaml', text: 'x'.repeat(200) };
    early.add(big, false);
    expect(early.take()).toBeUndefined();
    early.add({ path: '/repo/b.yaml', text: 'y' }, false);
    early.add({ path: '/repo/c.yaml', text: 'z' }, false);
    const started = early.take();
    expect(started).toHaveLength(1);
    expect(early.take()).toBeUndefined();
    await Promise.all(started!.map((m) => m.worker?.terminate()));
    const small = new EarlyStart(2, 1000, idle);
    small.add(big, false);
    small.add(big, true);
    expect(small.take()).toBeUndefined();
    await small.stop();
  });
});
