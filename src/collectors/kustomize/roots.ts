/**
 * The root kustomizations of a scan: kustomization files no other kustomization of the scan
 * uses as a resource, base or component. Only roots are rendered; what they use is read through them.
 */
import { basename, dirname, resolve } from 'node:path';
import type { SourceFile } from '../types.js';
import { parseYaml } from '../../util/yaml.js';
import type { StructuredLimits } from '../../util/structured.js';
import { KUSTOMIZATION_NAMES } from './files.js';
import { isObject } from './located.js';

export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(basename(path));
}

/** The kustomization files among `files` that no other one refers to, in input order. */
export function findRoots(files: readonly SourceFile[], limits: StructuredLimits): string[] {
  const kustomizations = files.filter((f) => isKustomizationFile(f.path));
  const byFolder = new Set(kustomizations.map((f) => dirname(f.path)));
  const used = new Set<string>();
  for (const f of kustomizations) {
    const doc = parseYaml(f.text, { limits }).documents[0]?.value;
    if (!isObject(doc)) continue;
    for (const field of ['resources', 'bases', 'components']) {
      const list = doc[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (typeof entry !== 'string') continue;
        const dir = resolve(dirname(f.path), entry);
        if (dir !== dirname(f.path) && byFolder.has(dir)) used.add(dir);
      }
    }
  }
  return kustomizations.filter((f) => !used.has(dirname(f.path))).map((f) => f.path);
}
