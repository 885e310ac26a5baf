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
import { balance, terraformUnits } from './partition.js';
import type { WorkerJob, WorkerReply } from './worker.js';

/** Below this much input, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

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
 * collects them in this thread.
 */
export async function collectInParallel(structured: SourceFile[], terraform: SourceFile[], options: CollectOptions, workers: number, minBytes = PARALLEL_MIN_BYTES): Promise<CollectResult | undefined> {
  const script = workerScript();
  const total = bytesOf(structured) + bytesOf(terraform);
  if (!script || workers < 2 || total < minBytes) return undefined;
  const { Worker } = await import('node:worker_threads');
  const structuredBins = balance(structured.map((f) => [f]), workers, bytesOf);
  const terraformBins = balance(terraformUnits(terraform), workers, bytesOf);
  const jobs: WorkerJob[] = [];
  let id = 0;
  for (const bin of terraformBins) jobs.push({ id: id++, kind: 'terraform', files: bin, options });
  for (const bin of structuredBins) jobs.push({ id: id++, kind: 'structured', files: bin, options });
  const results: CollectResult[] = new Array(jobs.length);
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(script));
  try {
    let next = 0;
    await Promise.all(
      pool.map(async (worker) => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          results[job.id] = await new Promise<CollectResult>((resolve, reject) => {
            const onMessage = (reply: WorkerReply): void => {
              if (reply.id !== job.id) return;
              worker.off('message', onMessage);
              worker.off('error', reject);
              if ('error' in reply) reject(new Error(reply.error));
              else resolve(reply.result);
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            worker.postMessage(job);
          });
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const out = emptyResult();
  for (const r of results) mergeResults(out, r);
  return out;
}
