/**
 * The root kustomizations of a scan: kustomization files no other kustomization of the scan
 * uses as a resource, base or component. Only roots are rendered; what they use is read through them.
 */
import { basename, dirname, resolve } from 'node:path';
import type { SourceFile } from '../types.js';
import { parseYaml } from '../../util/yaml.js';
import type { StructuredLimits } from '../../util/structured.js';
import { KUSTOMIZATION_NAMES } from './files.js';
import { isObject } from '../../util/json-object.js';

export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(basename(path));
}

/**
 * The kustomization files among `files` that no other one refers to, in input order; then, for
 * kustomizations only a cycle uses (no root reaches them), the first of each cycle, so that the
 * build names the cycle instead of leaving its files unread.
 */
export function findRoots(files: readonly SourceFile[], limits: StructuredLimits): string[] {
  const kustomizations = files.filter((f) => isKustomizationFile(f.path));
  const byFolder = new Set(kustomizations.map((f) => dirname(f.path)));
  const uses = new Map<string, string[]>();
  for (const f of kustomizations) {
    const folder = dirname(f.path);
    const used: string[] = [];
    uses.set(folder, used);
    const doc = parseYaml(f.text, { limits }).documents[0]?.value;
    if (!isObject(doc)) continue;
    for (const field of ['resources', 'bases', 'components']) {
      const list = doc[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (typeof entry !== 'string') continue;
        const dir = resolve(folder, entry);
        if (dir !== folder && byFolder.has(dir)) used.push(dir);
      }
    }
  }
  const usedByAny = new Set([...uses.values()].flat());
  const roots = kustomizations.filter((f) => !usedByAny.has(dirname(f.path)));
  const reached = new Set<string>();
  const reach = (start: string): void => {
    const todo = [start];
    for (let dir = todo.pop(); dir !== undefined; dir = todo.pop()) {
      if (reached.has(dir)) continue;
      reached.add(dir);
      todo.push(...(uses.get(dir) ?? []));
    }
  };
  for (const r of roots) reach(dirname(r.path));
  for (const f of kustomizations) {
    if (reached.has(dirname(f.path))) continue;
    roots.push(f);
    reach(dirname(f.path));
  }
  return roots.map((f) => f.path);
}
