/**
 * `patchesStrategicMerge`, `patches` and `patchesJson6902`: which objects a patch applies to
 * (its target selector, or for a strategic-merge patch without one, the kind, name and
 * namespace it names — current or original) and applying it. A strategic-merge patch never renames its target.
 */
import type { JsonObject, JsonValue } from '../../model/types.js';
import { cloneLocated, positionAt, setChild } from './located.js';
import { isObject } from '../../util/json-object.js';
import { allIds, kindOf, metadataOf, rememberId, type KObject } from './objects.js';
import { matcher, readSelector } from './selector.js';
import { deletesObject, strategicMerge } from './strategic-merge.js';
import { applyJsonPatch, PatchError } from './json6902.js';
import type { KustomizeFiles, LoadedDocument } from './files.js';
import { quote } from '../../util/input-text.js';

export interface PatchSource {
  documents: LoadedDocument[];
  target: JsonValue | undefined;
  /** The patch file (line 1), or the kustomization line of an inline patch; `entryLine` is its entry in `kustomization`. */
  where: { file: string; line: number; entryLine: number; kustomization: string };
}

function selects(doc: JsonObject): (o: KObject) => boolean {
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  return (o) => kindOf(o) === doc.kind && allIds(o).some((id) => id.name === name && (namespace === undefined || (id.namespace ?? 'default') === namespace));
}

/** Runs `apply` on the object keeping its name and namespace (and their positions) as they were. */
function keepingName(o: KObject, apply: () => void): void {
  const meta = metadataOf(o);
  const kept = (['name', 'namespace'] as const).map((k) => ({ k, v: meta?.[k], at: meta ? positionAt(meta, k) : undefined }));
  apply();
  const after = metadataOf(o);
  if (!after) return;
  for (const { k, v, at } of kept) {
    if (v === undefined) delete after[k];
    else setChild(after, k, v, at);
  }
}

export function applyPatches(objects: KObject[], sources: PatchSource[], files: KustomizeFiles): KObject[] {
  let out = objects;
  for (const source of sources) {
    const { where } = source;
    const warn = (message: string, kind: 'unresolved' | 'unsupported' = 'unresolved'): void =>
      files.note({ kind, level: 'warning', file: where.kustomization, line: where.entryLine, message: `Kustomize: ${message}` });
    const sel = readSelector(source.target);
    const target = sel ? matcher(sel) : undefined;
    if (target?.error) {
      warn(`patch not applied: ${target.error} is not supported`, 'unsupported');
      continue;
    }
    for (const doc of source.documents) {
      if (Array.isArray(doc.value)) {
        if (!target) {
          warn('a JSON 6902 patch needs a target; not applied');
          continue;
        }
        const hits = out.filter(target);
        if (hits.length === 0) warn('patch target matches no object');
        for (const o of hits) {
          try {
            // Unlike a strategic-merge patch, a JSON patch may rename its target (kustomize build keeps the new name).
            rememberId(o);
            applyJsonPatch(o.body, doc.value);
          } catch (e) {
            if (!(e instanceof PatchError)) throw e;
            warn(`JSON 6902 patch not applied to ${quote(kindOf(o))} ${quote(allIds(o)[0]!.name)}: ${e.message}`);
          }
        }
      } else if (isObject(doc.value)) {
        const patch = doc.value;
        const hits = out.filter(target ?? selects(patch));
        if (hits.length === 0) warn(`patch matches no object${typeof patch.kind === 'string' ? ` (${quote(patch.kind)})` : ''}`);
        if (deletesObject(patch)) {
          out = out.filter((o) => !hits.includes(o));
          continue;
        }
        for (const o of hits) {
          keepingName(o, () => strategicMerge(o.body, cloneLocated(patch)));
          o.origins.push({ document: doc, prefix: '' });
        }
      }
    }
  }
  return out;
}
