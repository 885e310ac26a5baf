/**
 * A failing worker never loses or hangs a scan: a thread that dies has its jobs collected in the
 * main thread, with a note saying so; a job the worker reports as failed is named, not redone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EarlyStart, collectInParallel, runJobs } from '../src/collect/pool.js';
import { collectStructured } from '../src/collectors/documents.js';
import { collectTerraform } from '../src/collectors/terraform/index.js';
import { emptyResult, mergeResults, type CollectOptions, type CollectResult, type SourceFile } from '../src/collectors/types.js';
import type { WorkerJob } from '../src/collect/collect-job.js';
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

/** The result without the notes about failed threads, and those notes' messages. */
function split(result: CollectResult): { collected: string; workerNotes: string[] } {
  const workerNotes = result.notes.filter((n) => n.kind === 'worker-failed');
  for (const n of workerNotes) expect([n.level, n.file]).toEqual(['note', undefined]);
  return { collected: JSON.stringify({ ...result, notes: result.notes.filter((n) => n.kind !== 'worker-failed') }), workerNotes: workerNotes.map((n) => n.message) };
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
  it('a missing worker script: every job is collected here, with the sequential result and a note', async () => {
    const result = await runJobs(jobs, join(dir, 'does-not-exist.mjs'), 2);
    expect(result.resources.map((r) => r.name)).toEqual(['app', 'prod/app']);
    expect(result.notes.filter((n) => n.kind === 'parse-error' && n.file === broken.path)).toHaveLength(2);
    const { collected, workerNotes } = split(result);
    expect(collected).toBe(await sequential());
    expect(workerNotes).toEqual([expect.stringMatching(/^a worker thread failed \(Error: Cannot find module .*\); the jobs it had not finished were collected in the main thread$/)]);
  });

  it('a worker that exits quietly mid-job does not leave the scan pending', async () => {
    const quits = script('quits.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(0));\n");
    const { collected, workerNotes } = split(await runJobs(jobs, quits, 2));
    expect(collected).toBe(await sequential());
    expect(workerNotes).toEqual([expect.stringContaining('exited with code 0')]);
  });

  it('a worker that throws outside a job dies: its jobs are redone here, with a note', async () => {
    const throws = script('throws.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('boom'); });\n");
    const { collected, workerNotes } = split(await runJobs(jobs, throws, 3));
    expect(collected).toBe(await sequential());
    expect(workerNotes).toEqual([expect.stringContaining('Error: boom'), expect.stringContaining('Error: boom')]);
  });

  it('a job the worker reports as failed is named in internal-error notes, file by file, and not redone here', async () => {
    const replies = script('replies.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (job) => parentPort.postMessage({ id: job.id, error: 'TypeError: boom' }));\n");
    const single: WorkerJob[] = [terraform, serviceAccount, broken].map((f, id) => ({ id, kind: f === terraform ? 'terraform' : 'structured', files: [[f]], options }));
    const result = await runJobs(single, replies, 2);
    const failed = result.notes.filter((n) => n.kind === 'internal-error');
    // The worker takes the first jobs it is offered; the main thread collects the rest.
    expect(failed.length).toBeGreaterThan(0);
    for (const n of failed) expect(n).toMatchObject({ level: 'error', line: 1, message: 'internal error: TypeError: boom' });
    const named = new Set(failed.map((n) => n.file));
    const collected = new Set([...result.resources.map((r) => r.file), ...result.notes.filter((n) => n.kind === 'parse-error').map((n) => n.file)]);
    for (const f of [terraform, serviceAccount, broken]) expect([named.has(f.path), collected.has(f.path)]).toContain(true);
    expect([...named].filter((f) => collected.has(f))).toEqual([]);
    expect(result.notes.filter((n) => n.kind === 'worker-failed')).toEqual([]);
  });

  it('takes each job once: workers from the front of the queue, this thread from the back, until they meet', async () => {
    // The worker answers every job as failed, naming it: a job it ran shows as internal-error
    // notes, a job this thread ran as a resource, and no file may show as both or neither.
    const replies = script('names.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (job) => parentPort.postMessage({ id: job.id, error: 'ran ' + job.id }));\n");
    const files = Array.from({ length: 40 }, (_, i): SourceFile => ({ path: `/repo/k8s/sa-${i}.yaml`, text: serviceAccount.text.replace('name: app', `name: app-${i}`) }));
    const many: WorkerJob[] = files.map((f, id) => ({ id, kind: 'structured', files: [[f]], options }));
    const result = await runJobs(many, replies, 3);
    const byWorker = result.notes.filter((n) => n.kind === 'internal-error').map((n) => Number(/ran (\d+)$/.exec(n.message)![1]));
    const here = result.resources.map((r) => files.findIndex((f) => f.path === r.file));
    expect([...byWorker, ...here].sort((a, b) => a - b)).toEqual(many.map((j) => j.id));
    // The merge keeps the jobs' order, and the two ends meet once: a prefix ran there, the rest here.
    expect(byWorker).toEqual(byWorker.map((_, i) => i));
    expect(here).toEqual(here.map((_, i) => byWorker.length + i));
    expect(here.length).toBeGreaterThan(0);
    expect(byWorker.length).toBeGreaterThan(0);
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
