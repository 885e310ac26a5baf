/** Worker thread of the collection pool: collects the units it is sent and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { CollectResult } from '../collectors/types.js';
import { collectJob, type WorkerJob } from './collect-job.js';
import { PositionPacker, type PackedPositions } from './packed-positions.js';
import { bareObjectsOf, type BareObjects } from './bare-prototypes.js';
import { errorSummary } from '../collectors/isolate.js';

/** Sent when the thread starts: whether to load the Terraform parser before the first job arrives. */
export interface WorkerSetup {
  warmTerraform: boolean;
}

/**
 * A result's positions travel packed (see packed-positions.ts); its resources arrive with empty maps.
 * `bare` lists the result's objects that have no prototype (see bare-prototypes.ts).
 */
export type WorkerReply = { id: number; result: CollectResult; positions: PackedPositions; bare: BareObjects } | { id: number; error: string };

if ((workerData as WorkerSetup | undefined)?.warmTerraform) {
  // Loading tree-sitter takes most of a thread's start; do it while the main thread still reads inputs.
  Promise.all([import('../collectors/terraform/index.js'), import('../collectors/terraform/hcl-parser.js').then((m) => m.hclParser())]).catch(() => undefined);
}

parentPort?.on('message', (job: WorkerJob) => {
  // Positions are packed file by file, while they are young; the packed table is sent with the result.
  const packer = new PositionPacker();
  collectJob(job, undefined, (part) => packer.add(part.resources)).then(
    (result) => {
      const positions = packer.finish();
      const bare = bareObjectsOf(result);
      parentPort!.postMessage({ id: job.id, result, positions, bare } satisfies WorkerReply, [positions.numbers.buffer, positions.starts.buffer, bare.indices.buffer]);
    },
    // Collection has its own boundary per file and per root module: what arrives here is a failure of the job itself.
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: errorSummary(e) } satisfies WorkerReply),
  );
});
