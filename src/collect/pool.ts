/**
 * Parallel collection for large inputs: parsing and evaluation dominate a scan, so structured
 * files and Terraform root modules (with the modules they call) are spread over worker threads
 * and the main thread. Small scans collect in this thread in one pass; large ones without threads
 * (`workers: 0` or 1, or no built worker next to this module: tests run from source) run the same
 * jobs one after another in this thread. The result is the same either way (ids and order do not
 * depend on the split).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { jobsOf, terraformUnits } from './partition.js';
import { terraformWorkOf } from './terraform-work.js';
import { packInPlace, unpackPositions } from './packed-positions.js';
import { restoreBareObjects } from './bare-prototypes.js';
import { internBodyStrings } from './intern-strings.js';
import { collectJob } from './collect-job.js';
import { errorSummary, internalErrorNote } from '../collectors/isolate.js';
import type { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerSetup } from './worker.js';
import type { WorkerJob } from './collect-job.js';

/**
 * Below this much input a second thread costs more than it saves: it loads the code, compiles
 * tree-sitter and warms its JIT again. Measured on slices of the benchmark monorepo (main thread
 * plus one worker against one thread, mean of three): 0.4 MB 0.79 s vs 0.67 s, 1 MB 1.17 s vs 1.14 s, 2 MB
 * 1.65 s vs 1.69 s, 3.2 MB 3.0 s vs 3.8 s.
 */
export const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
const JOBS_PER_WORKER = 16;
const MIN_JOB_COST = 256 * 1024;
const MAX_JOB_COST = 8 * 1024 * 1024;
/**
 * Measured on the benchmark: a Terraform byte (tree-sitter, evaluation) costs about 5 YAML bytes;
 * 4.1–4.7 since tree-sitter reads a lean copy, close enough for jobs that are pulled as threads free up.
 */
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

function terraformCost(unit: { work: number }): number {
  return unit.work * TERRAFORM_BYTE_COST;
}

export function parallelism(requested?: number): number {
  if (requested !== undefined) return Math.max(0, requested);
  return Math.min(availableParallelism(), 8);
}

/**
 * Watches the inputs as they are read and starts the worker threads as soon as their size says
 * the collection will run in parallel, so the threads load while the rest is still read. One
 * file, however large, is one job and stays in this thread: nothing starts before a second.
 */
export class EarlyStart {
  private files = 0;
  private bytes = 0;
  private terraformSeen = false;
  private members: PoolWorker[] | undefined;

  constructor(
    private readonly workers: number,
    private readonly minBytes = PARALLEL_MIN_BYTES,
    private readonly script = workerScript(),
  ) {}

  /** One input file was read. */
  add(file: SourceFile, terraform: boolean): void {
    if (this.members || !this.script || this.workers < 2) return;
    this.terraformSeen ||= terraform;
    this.files++;
    this.bytes += file.text.length;
    if (this.files < 2 || this.bytes < this.minBytes) return;
    const setup: WorkerSetup = { warmTerraform: this.terraformSeen };
    this.members = Array.from({ length: threadsFor(this.workers) }, () => startWorker(this.script!, setup));
  }

  /** The threads started so far (given to the collection, which then owns them). */
  take(): PoolWorker[] | undefined {
    const members = this.members;
    this.members = undefined;
    return members;
  }

  async stop(): Promise<void> {
    await Promise.all((this.take() ?? []).map((m) => m.worker?.terminate()));
  }
}

/**
 * Collects the given files in jobs when the input is large enough (else returns undefined, and
 * the caller collects them in one pass): on worker threads beside this one when there are any
 * (`workers` ≥ 2 and a built worker; `script` names another entry point in tests), else one job
 * after another in this thread, which then holds one job's parse trees at a time instead of every
 * file's, and finds what the threads would. `early` holds threads already started while the
 * inputs were read.
 */
export async function collectInParallel(structured: SourceFile[], terraform: SourceFile[], options: CollectOptions, workers: number, minBytes = PARALLEL_MIN_BYTES, script = workerScript(), early?: EarlyStart): Promise<CollectResult | undefined> {
  const threads = script !== undefined && workers >= 2;
  // Without threads, jobs only pay for the memory they release: the same threshold as the default's.
  const jobs = planJobs(structured, terraform, options, Math.max(workers, 2), threads ? minBytes : Math.max(minBytes, PARALLEL_MIN_BYTES));
  if (!jobs || !threads) {
    await early?.stop();
    return jobs && collectHere(jobs);
  }
  return runJobs(jobs, script, workers, early?.take());
}

/** The jobs the input is cut into for `workers` threads, costliest first; undefined when it is too small to cut. */
function planJobs(structured: SourceFile[], terraform: SourceFile[], options: CollectOptions, workers: number, minBytes: number): WorkerJob[] | undefined {
  // Terraform is weighed by what it expands to: a small tree of roots calling modules can be most of the work.
  const workOf = terraformWorkOf(terraform);
  const units = terraformUnits(terraform).map((files) => ({ files, work: workOf(files) }));
  const terraformTotal = units.reduce((n, u) => n + u.work, 0);
  if (bytesOf(structured) + terraformTotal < minBytes) return undefined;
  // Several jobs per worker, costliest first, pulled as workers free up: the workers end close
  // together, and the last job is too small to keep one waiting for the other for long.
  const totalCost = bytesOf(structured) + terraformTotal * TERRAFORM_BYTE_COST;
  const target = Math.min(MAX_JOB_COST, Math.max(MIN_JOB_COST, totalCost / (workers * JOBS_PER_WORKER)));
  // Structured files come last (their jobs cost least) and can be cut finest: smaller jobs there
  // shorten the wait at the end, when one thread has finished and the other has not (up to 1.2 s
  // on the large benchmark before, under 0.1 s after).
  const structuredTarget = Math.max(MIN_JOB_COST, target / 4);
  const planned = [
    ...jobsOf(units, target, terraformCost).map((job) => ({ kind: 'terraform' as const, units: job.map((u) => u.files), cost: job.reduce((n, u) => n + terraformCost(u), 0) })),
    ...jobsOf(structured.map((f) => [f]), structuredTarget, bytesOf).map((units) => ({ kind: 'structured' as const, units, cost: bytesOf(units.flat()) })),
  ].map((job, order) => ({ ...job, order }));
  // One job (a single large file, one Terraform root) gains nothing from a thread: it would only be copied back.
  if (planned.length < 2) return undefined;
  planned.sort((a, b) => b.cost - a.cost || a.order - b.order);
  return planned.map((job, id) => ({ id, kind: job.kind, files: job.units, options }));
}

/** The jobs one after another in this thread: each job's parse trees are released before the next. */
async function collectHere(jobs: WorkerJob[]): Promise<CollectResult> {
  const results: CollectResult[] = [];
  for (const job of jobs) results[job.id] = await collectHereOne(job);
  return mergeJobs(jobs, results);
}

interface PoolWorker {
  worker: Worker | undefined;
  /** Set once the thread has ended or failed: its remaining jobs run in this thread. */
  gone: boolean;
  /** Why the thread ended or could not start, when it did not end because it was told to. */
  reason?: string;
}

/**
 * What became of a job sent to a worker: its result; an error the worker caught and reported
 * (the job failed there and would fail here too); or the thread ended before it answered.
 */
type JobOutcome = { result: CollectResult } | { failed: string } | { crashed: string };

/**
 * Runs the jobs on this thread and up to `workers - 1` worker threads (`started`: ones already
 * running, from EarlyStart). A job whose worker reports an error becomes an internal-error note
 * for each of its files. A job whose worker dies (or never started) is collected in this thread
 * instead, so a broken thread costs time, never results, and leaves a `worker-failed` note.
 */
export async function runJobs(jobs: WorkerJob[], script: string, workers: number, started: PoolWorker[] = []): Promise<CollectResult> {
  const results: CollectResult[] = new Array(jobs.length);
  const size = threadsFor(Math.min(workers, jobs.length));
  const pool = started.slice(0, size);
  await Promise.all(started.slice(size).map((m) => m.worker?.terminate()));
  while (pool.length < size) pool.push(startWorker(script, { warmTerraform: false }));
  // Workers take jobs from the front (costliest first: Terraform), this thread from the back (the
  // smallest: structured files), so each thread mostly runs one kind of code; where they meet,
  // either takes what is left. The CPU it saves was within the benchmark's noise (docs/benchmarks.md).
  let next = 0;
  let last = jobs.length - 1;
  const take = (): WorkerJob | undefined => (next <= last ? jobs[next++] : undefined);
  const takeLast = (): WorkerJob | undefined => (next <= last ? jobs[last--] : undefined);
  // Two jobs in flight per thread: while the main thread collects a job of its own it cannot
  // hand out the next one, so each thread keeps one queued behind the one it is working on.
  const failed = new Set<PoolWorker>();
  const lane = async (member: PoolWorker): Promise<void> => {
    for (let job = take(); job; job = take()) {
      const outcome = member.gone ? { crashed: member.reason ?? 'the thread had ended' } : await runOn(member, job);
      if ('result' in outcome) results[job.id] = outcome.result;
      else if ('failed' in outcome) results[job.id] = failedJob(job, outcome.failed);
      else {
        member.reason ??= outcome.crashed;
        failed.add(member);
        results[job.id] = await collectHereOne(job);
      }
    }
  };
  // The main thread collects too: what it collects needs no copying between threads. After each
  // structured file and each Terraform job it lets a finished worker's reply in, so the worker
  // gets more work.
  const answerWorkers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const here = async (): Promise<void> => {
    for (let job = takeLast(); job; job = takeLast()) results[job.id] = await collectHereOne(job, answerWorkers);
  };
  try {
    await Promise.all([...pool.flatMap((member) => [lane(member), lane(member)]), here()]);
  } finally {
    await Promise.all(pool.map((m) => m.worker?.terminate()));
  }
  const out = mergeJobs(jobs, results);
  for (const member of failed) {
    out.notes.push({ kind: 'worker-failed', level: 'note', message: `a worker thread failed (${member.reason}); the jobs it had not finished were collected in the main thread` });
  }
  return out;
}

/**
 * A job collected in this thread: each file's positions packed as soon as it is collected (kept
 * as objects until the job ended, they outlived the young generation), then the job's strings
 * interned at once (repeats across its files are found in one map).
 */
async function collectHereOne(job: WorkerJob, between?: () => Promise<void>): Promise<CollectResult> {
  const result = await collectJob(job, between, (part) => packInPlace(part.resources));
  internBodyStrings(result.resources);
  return result;
}

/** The jobs' results in the jobs' order, whichever thread collected each. */
function mergeJobs(jobs: WorkerJob[], results: CollectResult[]): CollectResult {
  const out = emptyResult();
  const repeated = new Set<string>();
  for (const job of jobs) {
    const r = results[job.id]!;
    mergeResults(out, job.kind === 'terraform' ? withoutRepeats(r, repeated) : r);
  }
  return out;
}

/**
 * Roots that share a module are collected in different jobs, each of which reads the module and
 * names what it finds wrong in it: what an earlier job said (`seen`) is said once.
 */
function withoutRepeats(r: CollectResult, seen: Set<string>): CollectResult {
  const first = (key: string): boolean => (seen.has(key) ? false : (seen.add(key), true));
  const notes = r.notes.filter((n) => first(`note ${JSON.stringify(n)}`));
  const out: CollectResult = { resources: r.resources, clusters: r.clusters, notes };
  if (r.accounts) out.accounts = r.accounts.filter((a) => first(`account ${JSON.stringify(a)}`));
  return out;
}

/** A job the worker caught an error in: each of its files is named, none is silently redone. */
function failedJob(job: WorkerJob, summary: string): CollectResult {
  const out = emptyResult();
  for (const file of job.files.flat()) out.notes.push(internalErrorNote(summary, file.path, 1));
  return out;
}

/** Threads to start for a parallelism: the main thread is one of the collectors. */
export function threadsFor(parallel: number): number {
  return Math.max(1, parallel - 1);
}

function startWorker(script: string, setup: WorkerSetup): PoolWorker {
  const member: PoolWorker = { worker: undefined, gone: false };
  try {
    // Loaded on demand: a scan that never starts a thread does not pay for the module.
    const { Worker: WorkerClass } = process.getBuiltinModule('node:worker_threads');
    const worker: Worker = new WorkerClass(script, { workerData: setup });
    // Listeners for the whole life of the thread: an 'error' between jobs must not go unhandled.
    worker.on('error', (e) => {
      member.gone = true;
      member.reason ??= errorSummary(e);
    });
    worker.on('exit', (code) => {
      member.gone = true;
      member.reason ??= `exited with code ${code}`;
    });
    member.worker = worker;
  } catch (e) {
    member.gone = true;
    member.reason = `could not start: ${errorSummary(e)}`;
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
      if ('error' in reply) return settle({ failed: reply.error });
      // Before the positions are unpacked: the walk would read them.
      restoreBareObjects(reply.result, reply.bare);
      unpackPositions(reply.result.resources, reply.positions);
      settle({ result: reply.result });
    };
    const onError = (e: Error): void => settle({ crashed: errorSummary(e) });
    const onExit = (code: number): void => settle({ crashed: `exited with code ${code} before finishing a job` });
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job);
  });
}
