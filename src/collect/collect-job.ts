/** One pool job's work: the same whether a worker thread or the main thread does it. */
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { collectStructured } from '../collectors/documents.js';

/** One unit of collection work, sent to a worker thread or done on the main thread. */
export interface WorkerJob {
  id: number;
  kind: 'structured' | 'terraform';
  files: SourceFile[][];
  options: CollectOptions;
}

/** `between` runs after each structured file and after the Terraform: the main thread yields there to answer its workers. */
export async function collectJob(job: WorkerJob, between?: () => Promise<void>): Promise<CollectResult> {
  const out = emptyResult();
  if (job.kind === 'structured') {
    for (const unit of job.files) {
      for (const file of unit) mergeResults(out, collectStructured(file, job.options));
      await between?.();
    }
    return out;
  }
  // The job's units in one collection: roots that share a module (each unit has a copy) parse it once.
  const { collectTerraform } = await import('../collectors/terraform/index.js');
  const files = new Map<string, SourceFile>();
  for (const unit of job.files) for (const f of unit) if (!files.has(f.path)) files.set(f.path, f);
  mergeResults(out, await collectTerraform([...files.values()], job.options));
  await between?.();
  return out;
}
