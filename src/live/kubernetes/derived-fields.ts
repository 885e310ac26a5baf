/**
 * A live object's id, display name, file and API reference follow from its cluster, its type and
 * its metadata, and its positions from its body; each is a value of its own for every object, and
 * stored they were half of a pod's memory in a large cluster. `deriveFields` makes them computed
 * when read (the positions once, on first read, then held).
 *
 * They stay own enumerable properties, in the places the stored ones held, so reads, JSON, object
 * spread, `Object.keys` and structured cloning see the same values in the same order: accessors
 * rather than prototype getters. The accessor functions are the same for every object, so objects
 * of one shape keep sharing one hidden class. A write replaces the accessor with the value written.
 * The body is not written to after collection (see shared-parts.ts), so what is computed is what
 * would have been stored.
 */
import type { JsonObject, Resource } from '../../model/types.js';
import { kubernetesDisplayName } from '../../collectors/kubernetes.js';
import { kubernetesApiReference, kubernetesObjectPath } from '../locations.js';
import { COLLECTED_TYPES, type CollectedType } from './resource-types.js';
import { POSITIONS_FROM_BODY, isUnread } from '../../model/lazy-positions.js';
import { isObject } from '../../util/json-object.js';

/** Where a live object is in its cluster: what its names are made of. */
export interface ObjectPlace {
  context: string;
  type: CollectedType;
  namespace: string | undefined;
  name: string;
}

export function placeOf(context: string, type: CollectedType, body: JsonObject): ObjectPlace {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const namespace = type.namespaced && typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return { context, type, namespace, name };
}

export function liveObjectId(p: ObjectPlace): string {
  // Joined, not concatenated: one flat string, where a concatenation would hold its parts.
  return (p.namespace ? ['k8s:live:', p.context, ':', p.type.kind, '/', p.namespace, '/', p.name] : ['k8s:live:', p.context, ':', p.type.kind, '/', p.name]).join('');
}

export function liveObjectFile(p: ObjectPlace): string {
  return kubernetesObjectPath(p.context, p.namespace, p.type.kind, p.name);
}

export function liveObjectReference(p: ObjectPlace): string {
  return kubernetesApiReference(p.type.group, p.type.version, p.type.resource, p.namespace, p.name);
}

const TYPES = new Map(COLLECTED_TYPES.map((t) => [`k8s.${t.kind}`, t]));
const TYPE_NAMES = new Map(COLLECTED_TYPES.map((t) => [t.kind, `k8s.${t.kind}`]));

/** The resource type of a collected type's objects: one string for all of them. */
export function resourceTypeOf(type: CollectedType): string {
  return TYPE_NAMES.get(type.kind) ?? `k8s.${type.kind}`;
}

function placeOfResource(r: Resource): ObjectPlace {
  return placeOf(r.cluster!, TYPES.get(r.type)!, r.body as JsonObject);
}

function accessor(get: (r: Resource) => string, key: keyof Resource): PropertyDescriptor {
  return {
    get(this: Resource) {
      return get(this);
    },
    set(this: Resource, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  };
}

const DERIVED: Partial<Record<keyof Resource, PropertyDescriptor>> = {
  positions: POSITIONS_FROM_BODY,
  id: accessor((r) => liveObjectId(placeOfResource(r)), 'id'),
  name: accessor((r) => kubernetesDisplayName(isObject(r.body) && isObject(r.body.metadata) ? r.body.metadata : undefined), 'name'),
  file: accessor((r) => liveObjectFile(placeOfResource(r)), 'file'),
  logicalLocation: accessor((r) => liveObjectReference(placeOfResource(r)), 'logicalLocation'),
};

/**
 * The same resource with its id, display name, file, API reference and (if nothing read them yet)
 * positions computed when read. `r` must be a live object whose stored names are those above (its
 * cluster and type set, its body final): a copy, its keys in the same order.
 */
export function deriveFields(r: Resource): Resource {
  const out = {} as Resource;
  for (const key of Object.keys(r) as (keyof Resource)[]) {
    const derived = key === 'positions' && !isUnread(r.positions) ? undefined : DERIVED[key];
    if (derived) Object.defineProperty(out, key, derived);
    else (out as unknown as Record<string, unknown>)[key] = r[key];
  }
  return out;
}
