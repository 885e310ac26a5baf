/**
 * Splits a scan's inputs into independent units of work for parallel collection: structured
 * files one by one, Terraform by module tree (a directory together with every local module it
 * calls, transitively), so that each unit gives the same result alone as within the whole.
 */
import { dirname, resolve } from 'node:path';
import type { SourceFile } from '../collectors/types.js';
import { terragruntLinks } from '../collectors/terragrunt/partition-links.js';

/** `source = "../x"`, or `"source": "../x"` in JSON syntax. */
const LOCAL_SOURCE = /(?:\bsource\s*=|"source"\s*:)\s*"(\.{1,2}\/[^"]*)"/g;

/** Terraform files grouped into module trees that do not call into each other. */
export function terraformUnits(files: SourceFile[]): SourceFile[][] {
  const byDir = new Map<string, SourceFile[]>();
  for (const f of files) {
    const dir = dirname(f.path);
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  const parent = new Map<string, string>();
  const find = (d: string): string => {
    let root = d;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(d, root);
    return root;
  };
  for (const d of byDir.keys()) parent.set(d, d);
  for (const [dir, list] of byDir) {
    for (const f of list) {
      for (const m of f.text.matchAll(LOCAL_SOURCE)) {
        const callee = resolve(dir, m[1]!);
        if (byDir.has(callee)) parent.set(find(callee), find(dir));
      }
    }
  }
  for (const [a, b] of terragruntLinks([...byDir.keys()], files)) if (byDir.has(b)) parent.set(find(b), find(a));
  const units = new Map<string, SourceFile[]>();
  for (const [dir, list] of byDir) {
    const root = find(dir);
    const unit = units.get(root) ?? [];
    unit.push(...list);
    units.set(root, unit);
  }
  return [...units.values()];
}

/** Groups units, in input order, into jobs of about `target` size each. */
export function jobsOf<T>(units: T[], target: number, size: (u: T) => number): T[][] {
  const jobs: T[][] = [];
  let total = target;
  for (const unit of units) {
    if (total >= target) {
      jobs.push([]);
      total = 0;
    }
    jobs[jobs.length - 1]!.push(unit);
    total += size(unit);
  }
  return jobs;
}
