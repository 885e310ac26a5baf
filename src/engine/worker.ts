/** Worker thread of the collection pool: collects the units it is sent and posts the results back. */
import { parentPort } from 'node:worker_threads';
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { collectStructured } from '../collectors/documents.js';

export interface WorkerJob {
  id: number;
  kind: 'structured' | 'terraform';
  files: SourceFile[][];
  options: CollectOptions;
}

export type WorkerReply = { id: number; result: CollectResult } | { id: number; error: string };

async function run(job: WorkerJob): Promise<CollectResult> {
  const out = emptyResult();
  if (job.kind === 'structured') {
    for (const unit of job.files) for (const file of unit) mergeResults(out, collectStructured(file, job.options));
    return out;
  }
  const { collectTerraform } = await import('../collectors/terraform/index.js');
  for (const unit of job.files) mergeResults(out, await collectTerraform(unit, job.options));
  return out;
}

parentPort?.on('message', (job: WorkerJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ id: job.id, result } satisfies WorkerReply),
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: (e as Error).message } satisfies WorkerReply),
  );
});
