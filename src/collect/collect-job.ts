/** One pool job's work: the same whether a worker thread or the main thread does it. */
import type { CollectOptions, CollectResult, SourceFile } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { collectStructured } from '../collectors/documents.js';
import { isTerragruntFile } from '../collectors/terragrunt/names.js';

/** One unit of collection work, sent to a worker thread or done on the main thread. */
export interface WorkerJob {
  id: number;
  kind: 'structured' | 'terraform';
  files: SourceFile[][];
  options: CollectOptions;
}

/**
 * `between` runs after each structured file and after each Terraform collection: the main thread
 * yields there to answer its workers. `settle` is given each file's or collection's result as it
 * is made: the main thread packs its positions there, while the objects are still young.
 */
export async function collectJob(job: WorkerJob, between?: () => Promise<void>, settle?: (part: CollectResult) => void): Promise<CollectResult> {
  const out = emptyResult();
  const add = (part: CollectResult): void => {
    settle?.(part);
    mergeResults(out, part);
  };
  if (job.kind === 'structured') {
    for (const unit of job.files) {
      for (const file of unit) add(collectStructured(file, job.options));
      await between?.();
    }
    return out;
  }
  const { collectTerraform } = await import('../collectors/terraform/index.js');
  for (const files of sharingGroups(job.files)) {
    add(await collectTerraform(files, job.options));
    await between?.();
  }
  return out;
}

/**
 * A Terraform job's units (each a root with the modules it calls, see partition.ts), grouped for
 * collection: units that share a file (roots calling one module, each unit with its copy) in one
 * collection, which parses the module once; any other unit alone. A collection holds every syntax
 * tree it parsed until its last root is evaluated: for a whole job of unrelated roots, long enough
 * that every tree outlived the young generation and was copied out of it. A job holding a
 * Terragrunt file is one group: a unit may call a module folder by a source the partition does not
 * follow (`"${get_terragrunt_dir()}/../modules/x"`, a local), and only a collection that holds both
 * knows the folder is called, not a root of its own.
 */
export function sharingGroups(units: readonly SourceFile[][]): SourceFile[][] {
  const whole = units.some((unit) => unit.some((f) => isTerragruntFile(f.path)));
  const parent = units.map((_, i) => (whole ? 0 : i));
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  units.forEach((unit, i) => {
    for (const f of unit) {
      const j = owner.get(f.path);
      if (j === undefined) owner.set(f.path, i);
      else parent[find(i)] = find(j);
    }
  });
  // Each group in the order of its first unit, its files once each in the order first met.
  const groups = new Map<number, Map<string, SourceFile>>();
  units.forEach((unit, i) => {
    const root = find(i);
    let files = groups.get(root);
    if (!files) groups.set(root, (files = new Map()));
    for (const f of unit) if (!files.has(f.path)) files.set(f.path, f);
  });
  return [...groups.values()].map((files) => [...files.values()]);
}
