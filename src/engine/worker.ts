/** Worker thread of the collection pool: collects the units it is sent and posts the results back. */
import { parentPort } from 'node:worker_threads';
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { collectJob } from './collect-job.js';

export interface WorkerJob {
  id: number;
  kind: 'structured' | 'terraform';
  files: SourceFile[][];
  options: CollectOptions;
}

export type WorkerReply = { id: number; result: CollectResult } | { id: number; error: string };

parentPort?.on('message', (job: WorkerJob) => {
  collectJob(job).then(
    (result) => parentPort!.postMessage({ id: job.id, result } satisfies WorkerReply),
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: (e as Error).message } satisfies WorkerReply),
  );
});
