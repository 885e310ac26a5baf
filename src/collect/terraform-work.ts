/**
 * What a Terraform unit of work (see partition.ts) costs to collect, estimated before parsing it:
 * its bytes, with each module call counted once per instance it may expand to. Half a megabyte
 * of roots that call modules with `for_each` can expand to tens of thousands of module instances,
 * so bytes alone would run such a tree on one thread and size its jobs wrongly.
 */
import { dirname, resolve } from 'node:path';
import type { SourceFile } from '../collectors/types.js';
import { filesByDir, localCallees } from './partition.js';

/** Instances assumed for a call with `for_each` or `count`: its items are not known before evaluation. */
export const EXPANDED_CALL_INSTANCES = 10;

const MAX_WORK = 2 ** 40;

/** A module block as `terraform fmt` writes it: its closing brace at the start of a line. */
const MODULE_BLOCK = /^module\s+"[^"\n]*"\s*\{\n([\s\S]*?)^\}/gm;
const LOCAL_SOURCE = /\bsource\s*=\s*"(\.{1,2}\/[^"]*)"/;
const EXPANDS = /^\s*(?:for_each|count)\s*=/m;

/**
 * The estimated cost of each unit of the given Terraform files, in bytes of input as if nothing
 * expanded. Folders are weighed once for the whole input: a module library that every root
 * reaches is read once, not once per root.
 */
export function terraformWorkOf(files: readonly SourceFile[]): (unit: readonly SourceFile[]) => number {
  const byDir = filesByDir(files);
  const callees = localCallees(byDir);
  const expanded = expandedCallees(byDir);
  const memo = new Map<string, number>();
  const work = (dir: string, path: Set<string>): number => {
    const known = memo.get(dir);
    if (known !== undefined) return known;
    let total = 0;
    for (const f of byDir.get(dir)!) total += f.text.length;
    path.add(dir);
    for (const callee of callees.get(dir)!) {
      if (path.has(callee)) continue;
      total += work(callee, path) * (expanded.get(dir)?.has(callee) ? EXPANDED_CALL_INSTANCES : 1);
    }
    path.delete(dir);
    // Nested expansions multiply: a chain of them must not make the estimate infinite.
    total = Math.min(total, MAX_WORK);
    memo.set(dir, total);
    return total;
  };
  return (unit) => {
    const dirs = new Set(unit.map((f) => dirname(f.path)));
    const called = new Set([...dirs].flatMap((d) => callees.get(d) ?? []));
    const roots = [...dirs].filter((d) => !called.has(d));
    // A unit of cycles only has no root: its bytes, then.
    if (roots.length === 0) return unit.reduce((n, f) => n + f.text.length, 0);
    return roots.reduce((n, d) => n + work(d, new Set()), 0);
  };
}

/** The folders each folder calls with `for_each` or `count` (native syntax as formatted; other calls count once). */
function expandedCallees(byDir: ReadonlyMap<string, readonly SourceFile[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [dir, list] of byDir) {
    for (const f of list) {
      for (const block of f.text.matchAll(MODULE_BLOCK)) {
        const body = block[1]!;
        const source = LOCAL_SOURCE.exec(body);
        if (!source || !EXPANDS.test(body)) continue;
        const set = out.get(dir) ?? new Set<string>();
        set.add(resolve(dir, source[1]!));
        out.set(dir, set);
      }
    }
  }
  return out;
}
