/** One pool job's work: the same whether a worker thread or the main thread does it. */
import type { CollectResult } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { collectStructured } from '../collectors/documents.js';
import type { WorkerJob } from './worker.js';

/** `between` runs after each unit (a file, a module tree): the main thread yields there to answer its workers. */
export async function collectJob(job: WorkerJob, between?: () => Promise<void>): Promise<CollectResult> {
  const out = emptyResult();
  if (job.kind === 'structured') {
    for (const unit of job.files) {
      for (const file of unit) mergeResults(out, collectStructured(file, job.options));
      await between?.();
    }
    return out;
  }
  const { collectTerraform } = await import('../collectors/terraform/index.js');
  for (const unit of job.files) {
    mergeResults(out, await collectTerraform(unit, job.options));
    await between?.();
  }
  return out;
}
