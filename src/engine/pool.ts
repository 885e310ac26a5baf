/**
 * Parallel collection for large inputs: parsing dominates a scan, so structured files and
 * Terraform module trees are spread over worker threads. Small scans, and runs without the
 * built worker next to this module (tests run from source), collect in this thread instead;
 * the result is the same either way (ids and order do not depend on the split).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { jobsOf, terraformUnits } from './partition.js';
import { collectJob } from './collect-job.js';
import type { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './worker.js';

/** Below this much input, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
const JOBS_PER_WORKER = 16;
const MIN_JOB_COST = 256 * 1024;
const MAX_JOB_COST = 8 * 1024 * 1024;
/** Measured on the benchmark: a Terraform byte (tree-sitter, evaluation) costs about 5 YAML bytes. */
const TERRAFORM_BYTE_COST = 5;

function workerScript(): string | undefined {
  const url = new URL('./worker.js', import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  const path = fileURLToPath(url);
  return existsSync(path) ? path : undefined;
}

function bytesOf(files: SourceFile[]): number {
  let n = 0;
  for (const f of files) n += f.text.length;
  return n;
}

export function parallelism(requested?: number): number {
  if (requested !== undefined) return Math.max(0, requested);
  return Math.min(availableParallelism(), 8);
}

/**
 * Collects the given files in workers when it pays, else returns undefined so the caller
 * collects them in this thread. `script` is the worker entry point (tests name another).
 */
export async function collectInParallel(structured: SourceFile[], terraform: SourceFile[], options: CollectOptions, workers: number, minBytes = PARALLEL_MIN_BYTES, script = workerScript()): Promise<CollectResult | undefined> {
  const total = bytesOf(structured) + bytesOf(terraform);
  if (!script || workers < 2 || total < minBytes) return undefined;
  // Several jobs per worker, costliest first, pulled as workers free up: the workers end close
  // together, and the last job is too small to keep one waiting for the other for long.
  const tfCost = (files: SourceFile[]): number => bytesOf(files) * TERRAFORM_BYTE_COST;
  const totalCost = bytesOf(structured) + tfCost(terraform);
  const target = Math.min(MAX_JOB_COST, Math.max(MIN_JOB_COST, totalCost / (workers * JOBS_PER_WORKER)));
  const planned = [
    ...jobsOf(terraformUnits(terraform), target, tfCost).map((units) => ({ kind: 'terraform' as const, units, cost: tfCost(units.flat()) })),
    ...jobsOf(structured.map((f) => [f]), target, bytesOf).map((units) => ({ kind: 'structured' as const, units, cost: bytesOf(units.flat()) })),
  ].map((job, order) => ({ ...job, order }));
  planned.sort((a, b) => b.cost - a.cost || a.order - b.order);
  const jobs: WorkerJob[] = planned.map((job, id) => ({ id, kind: job.kind, files: job.units, options }));
  return runJobs(jobs, script, workers);
}

interface PoolWorker {
  worker: Worker | undefined;
  /** Set once the thread has ended or failed: its remaining jobs run in this thread. */
  gone: boolean;
}

type JobOutcome = { result: CollectResult } | { failed: string };

/**
 * Runs the jobs on up to `workers` threads. A job whose worker reports an error, fails or
 * exits is collected in this thread instead, so a broken worker costs time, never results:
 * per-file problems then become notes exactly as in a scan without workers.
 */
export async function runJobs(jobs: WorkerJob[], script: string, workers: number): Promise<CollectResult> {
  const { Worker } = await import('node:worker_threads');
  const results: CollectResult[] = new Array(jobs.length);
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => startWorker(Worker, script));
  try {
    let next = 0;
    await Promise.all(
      pool.map(async (member) => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const outcome = member.gone ? undefined : await runOn(member, job);
          results[job.id] = outcome && 'result' in outcome ? outcome.result : await collectJob(job);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((m) => m.worker?.terminate()));
  }
  const out = emptyResult();
  for (const r of results) mergeResults(out, r);
  return out;
}

function startWorker(WorkerClass: typeof Worker, script: string): PoolWorker {
  const member: PoolWorker = { worker: undefined, gone: false };
  try {
    const worker = new WorkerClass(script);
    // Listeners for the whole life of the thread: an 'error' between jobs must not go unhandled.
    worker.on('error', () => { member.gone = true; });
    worker.on('exit', () => { member.gone = true; });
    member.worker = worker;
  } catch {
    member.gone = true;
  }
  return member;
}

function runOn(member: PoolWorker, job: WorkerJob): Promise<JobOutcome> {
  const worker = member.worker!;
  return new Promise<JobOutcome>((resolve) => {
    const settle = (outcome: JobOutcome): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== job.id) return;
      settle('error' in reply ? { failed: reply.error } : { result: reply.result });
    };
    const onError = (e: Error): void => settle({ failed: e.message });
    const onExit = (code: number): void => settle({ failed: `worker exited with code ${code} before finishing` });
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job);
  });
}
