/**
 * Keeps the fields rules read from a live object and drops the rest (status, managed fields,
 * probes, resource requests...), so a large cluster fits in bounded memory.
 */
import type { JsonObject, JsonValue } from '../../model/types.js';
import { unknown } from '../../model/unknown.js';
import { isObject } from '../../util/json-object.js';

const DROPPED_METADATA = new Set(['managedFields', 'selfLink', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'finalizers']);
const DROPPED_CONTAINER_FIELDS = new Set(['livenessProbe', 'readinessProbe', 'startupProbe', 'resources', 'resizePolicy', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'ports', 'stdin', 'stdinOnce', 'tty']);
const DROPPED_POD_SPEC_FIELDS = new Set(['dnsPolicy', 'restartPolicy', 'schedulerName', 'terminationGracePeriodSeconds', 'enableServiceLinks', 'preemptionPolicy', 'priority', 'priorityClassName']);
/** ConfigMap values longer than this are not kept (after credential scanning). */
export const MAX_KEPT_VALUE = 4096;

/** Sets an own data property: a `__proto__` key the API sent stays data, as JSON.parse made it, and never becomes a prototype. */
function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A copy without `dropped`, its keys in the same order. Copied, not deleted from: an object that
 * loses properties turns into a dictionary several times its size, and a cluster holds a million.
 */
function without(obj: JsonObject, dropped: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (!dropped.has(k)) setOwn(out, k, v);
  return out;
}

function pruneMetadata(metadata: JsonValue | undefined): JsonValue | undefined {
  return isObject(metadata) ? without(metadata, DROPPED_METADATA) : metadata;
}

function prunePodSpec(spec: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(spec)) return spec;
  const out = without(spec, DROPPED_POD_SPEC_FIELDS);
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = out[group];
    if (Array.isArray(list)) out[group] = list.map((c) => (isObject(c) ? without(c, DROPPED_CONTAINER_FIELDS) : c));
  }
  return out;
}

function pruneTemplate(template: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(template)) return template;
  const out = { ...template };
  if ('metadata' in out) out.metadata = pruneMetadata(out.metadata) ?? null;
  if ('spec' in out) out.spec = prunePodSpec(out.spec) ?? null;
  return out;
}

/** The pod template of a workload (`spec.template`, or a CronJob's `spec.jobTemplate.spec.template`). */
function pruneTemplates(obj: JsonObject): void {
  if (!isObject(obj.spec)) return;
  const spec = obj.kind === 'Pod' ? (prunePodSpec(obj.spec) as JsonObject) : { ...obj.spec };
  if (isObject(spec.template)) spec.template = pruneTemplate(spec.template)!;
  const job = spec.jobTemplate;
  if (isObject(job) && isObject(job.spec) && isObject(job.spec.template)) spec.jobTemplate = { ...job, spec: { ...job.spec, template: pruneTemplate(job.spec.template)! } };
  obj.spec = spec;
}

/** A pruned copy (parts it keeps are shared with `obj`); `kind`/`apiVersion` are set from the type (list items carry neither). */
export function pruneLiveObject(obj: JsonObject, kind: string, apiVersion: string): JsonObject {
  // Not a literal of the two: it would have room for two properties in the object, and the body's
  // metadata and spec would go to a separate array.
  const out: JsonObject = {};
  out.apiVersion = apiVersion;
  out.kind = kind;
  // A Node keeps a little of its status, in its place; no other kind keeps any.
  for (const [k, v] of Object.entries(obj)) if (k !== 'apiVersion' && k !== 'kind' && (k !== 'status' || kind === 'Node')) setOwn(out, k, v);
  if ('metadata' in out) out.metadata = pruneMetadata(out.metadata) ?? null;
  if (kind === 'Node') {
    const status = isObject(out.status) ? out.status : undefined;
    const nodeInfo = status && isObject(status.nodeInfo) ? status.nodeInfo : undefined;
    if (nodeInfo) out.status = { nodeInfo: { operatingSystem: nodeInfo.operatingSystem ?? null, architecture: nodeInfo.architecture ?? null, osImage: nodeInfo.osImage ?? null } };
    else delete out.status;
  }
  pruneTemplates(out);
  return out;
}

/** After credential scanning: long ConfigMap values that hold no credential are not kept. */
export function dropLargeValues(obj: JsonObject): void {
  if (obj.kind !== 'ConfigMap') return;
  for (const field of ['data', 'binaryData']) {
    const map = obj[field];
    if (!isObject(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      if (typeof v === 'string' && v.length > MAX_KEPT_VALUE) map[k] = unknown(`value not kept (${v.length} characters)`) as unknown as JsonValue;
    }
  }
}

/** A Secret listed as metadata only: its type and data are not known. */
export function markMetadataOnly(obj: JsonObject): void {
  obj.type = unknown('not read: listed with --no-secret-values') as unknown as JsonValue;
}
