/**
 * Strategic-merge patches on located values: mappings merge key by key, `null` deletes a key,
 * `$patch: replace|delete` replace or delete a mapping, and the lists Kubernetes merges by a
 * key (containers and volumes by name, volume mounts by mount path, ...) merge item by item;
 * other lists are replaced. Every field a patch sets keeps the patch's position.
 */
import type { JsonObject, JsonValue, Position } from '../../model/types.js';
import { cloneLocated, deleteChild, positionAt, replaceItems, setChild } from './located.js';
import { isObject } from '../../util/json-object.js';

/** The merge key of the lists Kubernetes merges item by item (`patchMergeKey` in its API types). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ports: 'containerPort',
  resourceClaims: 'name',
};

function isDirective(key: string): boolean {
  return key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/') || key.startsWith('$deleteFromPrimitiveList/');
}

/** A copy of a patch value with its directives removed (what lands in the object). */
function plain(value: JsonValue): JsonValue {
  const copy = cloneLocated(value);
  const strip = (v: JsonValue): void => {
    if (Array.isArray(v)) v.forEach(strip);
    else if (isObject(v)) for (const k of Object.keys(v)) isDirective(k) ? deleteChild(v, k) : strip(v[k]!);
  };
  strip(copy);
  return copy;
}

/** True when the patch document asks to delete the whole object (`$patch: delete` at its top). */
export function deletesObject(patch: JsonObject): boolean {
  return patch.$patch === 'delete';
}

/** Merges `patch` into `target` in place. */
export function strategicMerge(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (isDirective(key)) continue;
    const at = positionAt(patch, key);
    const cur = target[key];
    if (value === null) {
      if (key in target) deleteChild(target, key);
    } else if (isObject(value) && value.$patch === 'delete') {
      if (key in target) deleteChild(target, key);
    } else if (isObject(value) && value.$patch === 'replace') {
      setChild(target, key, plain(value), at);
    } else if (isObject(value) && isObject(cur)) {
      strategicMerge(cur, value);
    } else if (Array.isArray(value) && Array.isArray(cur) && MERGE_KEYS[key] !== undefined && value.every(isObject) && cur.every(isObject)) {
      mergeList(cur as JsonObject[], value as JsonObject[], MERGE_KEYS[key]!);
    } else {
      setChild(target, key, plain(value), at);
    }
  }
}

/**
 * Merges a list by its merge key the way Kubernetes orders the result: the items the patch names,
 * in the patch's order, then the others as they were.
 */
function mergeList(target: JsonObject[], patch: JsonObject[], mergeKey: string): void {
  const items: { value: JsonValue; at: Position | undefined }[] = [];
  const named = new Set<number>();
  patch.forEach((item, i) => {
    const key = item[mergeKey];
    const index = key === undefined ? -1 : target.findIndex((t, j) => !named.has(j) && t[mergeKey] === key);
    if (index >= 0) named.add(index);
    if (item.$patch === 'delete') return;
    if (index >= 0 && item.$patch !== 'replace') {
      strategicMerge(target[index]!, item);
      items.push({ value: target[index]!, at: positionAt(target as JsonValue[], index) });
    } else items.push({ value: plain(item), at: positionAt(patch as JsonValue[], i) });
  });
  target.forEach((t, j) => named.has(j) || items.push({ value: t, at: positionAt(target as JsonValue[], j) }));
  replaceItems(target as JsonValue[], items);
}
