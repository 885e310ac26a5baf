/** One pool job's work: the same whether a worker thread or the main thread does it. */
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { collectStructured } from '../collectors/documents.js';

/** `between` runs after each unit (a file, a module tree): the main thread yields there to answer its workers. */
/** One unit of collection work, sent to a worker thread or done on the main thread. */
export interface WorkerJob {
  id: number;
  kind: 'structured' | 'terraform';
  files: SourceFile[][];
  options: CollectOptions;
}

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
