/**
 * Splits a scan's inputs into independent units of work for parallel collection: structured
 * files one by one, Terraform by root module (a root folder together with every local module it
 * calls, transitively), so that each unit gives the same result alone as within the whole. Roots
 * that share modules are separate units, each with its own copy of the modules' files.
 */
import { dirname, resolve } from 'node:path';
import type { SourceFile } from '../collectors/types.js';
import { terragruntLinks } from '../collectors/terragrunt/partition-links.js';
import { isTerragruntFile } from '../collectors/terragrunt/names.js';

/** `source = "../x"`, or `"source": "../x"` in JSON syntax. */
const LOCAL_SOURCE = /(?:\bsource\s*=|"source"\s*:)\s*"(\.{1,2}\/[^"]*)"/g;

/** The files of each folder, in input order. */
export function filesByDir(files: readonly SourceFile[]): Map<string, SourceFile[]> {
  const byDir = new Map<string, SourceFile[]>();
  for (const f of files) {
    const dir = dirname(f.path);
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  return byDir;
}

/** The folders each folder calls through a literal local source, among the given ones (itself left out). */
export function localCallees(byDir: ReadonlyMap<string, readonly SourceFile[]>): Map<string, string[]> {
  const callees = new Map<string, string[]>();
  for (const [dir, list] of byDir) {
    const out = new Set<string>();
    for (const f of list) {
      for (const m of f.text.matchAll(LOCAL_SOURCE)) {
        const callee = resolve(dir, m[1]!);
        if (callee !== dir && byDir.has(callee)) out.add(callee);
      }
    }
    callees.set(dir, [...out]);
  }
  return callees;
}

/** Terraform files grouped into units: one per root module with the modules it calls (see the file comment). */
export function terraformUnits(files: SourceFile[]): SourceFile[][] {
  const byDir = filesByDir(files);
  const callees = localCallees(byDir);
  const parent = new Map<string, string>();
  const find = (d: string): string => {
    let root = d;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(d, root);
    return root;
  };
  for (const d of byDir.keys()) parent.set(d, d);
  for (const [dir, list] of callees) for (const callee of list) parent.set(find(callee), find(dir));
  const links = terragruntLinks([...byDir.keys()], files);
  for (const [a, b] of links) if (byDir.has(b)) parent.set(find(b), find(a));
  const trees = new Map<string, string[]>();
  for (const dir of byDir.keys()) {
    const root = find(dir);
    const tree = trees.get(root) ?? [];
    tree.push(dir);
    trees.set(root, tree);
  }
  const units: SourceFile[][] = [];
  for (const dirs of trees.values()) {
    for (const unitDirs of byRoot(dirs, callees, byDir)) units.push(unitDirs.flatMap((d) => byDir.get(d)!));
  }
  return units;
}

/**
 * A tree of folders linked by calls, split into one list of folders per root (a folder nothing in
 * the tree calls) with everything it reaches. The tree stays whole when splitting could change what
 * is collected: it holds Terragrunt files (a unit reads folders by other links than `source`), or a
 * folder no root reaches (a cycle), which the collector accounts for with the rest.
 */
function byRoot(dirs: string[], callees: ReadonlyMap<string, readonly string[]>, byDir: ReadonlyMap<string, readonly SourceFile[]>): string[][] {
  if (dirs.length === 1 || dirs.some((d) => byDir.get(d)!.some((f) => isTerragruntFile(f.path)))) return [dirs];
  const called = new Set(dirs.flatMap((d) => callees.get(d) ?? []));
  const roots = dirs.filter((d) => !called.has(d));
  if (roots.length < 2) return [dirs];
  const order = new Map(dirs.map((d, i) => [d, i]));
  const reached = new Set<string>();
  const out = roots.map((root) => {
    const seen = new Set([root]);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      for (const c of callees.get(queue[i]!) ?? []) {
        if (!seen.has(c)) {
          seen.add(c);
          queue.push(c);
        }
      }
    }
    for (const d of seen) reached.add(d);
    // In the tree's order, so a unit lists its files as the whole tree did.
    return [...seen].sort((a, b) => order.get(a)! - order.get(b)!);
  });
  return reached.size === dirs.length ? out : [dirs];
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
