/**
 * Keeps the fields rules read from a live object and drops the rest (status, managed fields,
 * probes, resource requests...), so a large cluster fits in bounded memory.
 */
import type { JsonObject, JsonValue } from '../../model/types.js';
import { unknown } from '../../model/unknown.js';

const DROPPED_METADATA = ['managedFields', 'selfLink', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'finalizers'];
const DROPPED_CONTAINER_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'resources', 'resizePolicy', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'ports', 'stdin', 'stdinOnce', 'tty'];
const DROPPED_POD_SPEC_FIELDS = ['dnsPolicy', 'restartPolicy', 'schedulerName', 'terminationGracePeriodSeconds', 'enableServiceLinks', 'preemptionPolicy', 'priority', 'priorityClassName'];
/** ConfigMap values longer than this are not kept (after credential scanning). */
export const MAX_KEPT_VALUE = 4096;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pruneMetadata(metadata: JsonValue | undefined): void {
  if (!isObject(metadata)) return;
  for (const k of DROPPED_METADATA) delete metadata[k];
}

function prunePodSpec(spec: JsonValue | undefined): void {
  if (!isObject(spec)) return;
  for (const k of DROPPED_POD_SPEC_FIELDS) delete spec[k];
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[group];
    if (!Array.isArray(list)) continue;
    for (const c of list) if (isObject(c)) for (const k of DROPPED_CONTAINER_FIELDS) delete c[k];
  }
}

/** The pod template of a workload (`spec.template`, or a CronJob's `spec.jobTemplate.spec.template`). */
function pruneTemplates(obj: JsonObject): void {
  const spec = obj.spec;
  if (!isObject(spec)) return;
  if (obj.kind === 'Pod') prunePodSpec(spec);
  if (isObject(spec.template)) {
    pruneMetadata(spec.template.metadata);
    prunePodSpec(spec.template.spec);
  }
  const job = spec.jobTemplate;
  if (isObject(job) && isObject(job.spec) && isObject(job.spec.template)) {
    pruneMetadata(job.spec.template.metadata);
    prunePodSpec(job.spec.template.spec);
  }
}

/** Prunes in place; `kind`/`apiVersion` are set from the type (list items carry neither). */
export function pruneLiveObject(obj: JsonObject, kind: string, apiVersion: string): JsonObject {
  const out: JsonObject = { apiVersion, kind };
  for (const [k, v] of Object.entries(obj)) if (k !== 'apiVersion' && k !== 'kind') out[k] = v;
  pruneMetadata(out.metadata);
  if (kind === 'Node') {
    const status = isObject(out.status) ? out.status : undefined;
    const nodeInfo = status && isObject(status.nodeInfo) ? status.nodeInfo : undefined;
    if (nodeInfo) out.status = { nodeInfo: { operatingSystem: nodeInfo.operatingSystem ?? null, architecture: nodeInfo.architecture ?? null, osImage: nodeInfo.osImage ?? null } };
    else delete out.status;
  } else {
    delete out.status;
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
