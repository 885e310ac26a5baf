/**
 * One instance of each repeated part of a cluster's pods. A large cluster's pods are replicas of a
 * few thousand templates: after pruning, their bodies still repeat the same volumes, environment,
 * tolerations, security contexts, labels and owner of each template. Every pod holding a part
 * equal to one seen before points at the first one instead, so memory grows with the templates,
 * not with the pods. Bodies read, serialise and render exactly as before (the same keys in the
 * same order, the same values), so rules, findings and positions do not change.
 *
 * Parts are shared after the body was redacted and pruned, and nothing writes to a collected body
 * afterwards (a later redaction walk finds nothing left to replace). The table lives for one
 * cluster's collection and is then dropped; the shared parts stay with the pods that hold them.
 */
import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../model/types.js';
import { isObject } from '../../util/json-object.js';

/** Fields of a pod spec holding names that repeat across pods (a node, a ServiceAccount). */
const NAME_FIELDS = new Set(['nodeName', 'serviceAccountName', 'serviceAccount', 'schedulerName', 'priorityClassName', 'runtimeClassName']);
/** Container lists: their containers differ (an image tag), the parts of each repeat. */
const CONTAINER_LISTS = new Set(['initContainers', 'containers', 'ephemeralContainers']);
/** Metadata whose value a template gives all its pods; the name and uid are each pod's own. */
const TEMPLATE_METADATA = ['labels', 'annotations', 'ownerReferences'];

export class SharedParts {
  /** By the SHA-256 of a part's JSON text, its 32 bytes as one-byte characters: a small fixed-size key (base64 would be 44 characters). */
  private readonly parts = new Map<string, JsonValue>();
  private readonly names = new Map<string, string>();

  /** The first part seen equal to this one (the same JSON text: the same keys in the same order). */
  part<T extends JsonValue>(value: T): T {
    if (typeof value !== 'object' || value === null) return value;
    const key = hash('sha256', JSON.stringify(value), 'buffer').toString('latin1');
    const seen = this.parts.get(key);
    if (seen !== undefined) return seen as T;
    this.parts.set(key, value);
    return value;
  }

  name<T extends JsonValue>(value: T): T {
    if (typeof value !== 'string') return value;
    const seen = this.names.get(value);
    if (seen !== undefined) return seen as T;
    this.names.set(value, value);
    return value;
  }

  /** Shares the repeated parts of a Pod's body, or of a workload's pod templates, in place; other objects are left as they are. */
  sharePodParts(body: JsonObject): void {
    const spec = body.spec;
    if (!isObject(spec) || (body.kind !== 'Pod' && !isObject(spec.template) && !isObject(spec.jobTemplate))) return;
    if (isObject(body.metadata)) this.shareMetadata(body.metadata);
    if (body.kind === 'Pod') this.sharePodSpec(spec);
    this.shareTemplate(spec.template);
    const job = spec.jobTemplate;
    if (isObject(job) && isObject(job.spec)) this.shareTemplate(job.spec.template);
  }

  private shareTemplate(template: JsonValue | undefined): void {
    if (!isObject(template)) return;
    if (isObject(template.metadata)) this.shareMetadata(template.metadata);
    if (isObject(template.spec)) this.sharePodSpec(template.spec);
  }

  private shareMetadata(metadata: JsonObject): void {
    if (metadata.namespace !== undefined) metadata.namespace = this.name(metadata.namespace);
    for (const key of TEMPLATE_METADATA) if (metadata[key] !== undefined) metadata[key] = this.part(metadata[key]!);
  }

  private sharePodSpec(spec: JsonObject): void {
    for (const [key, value] of Object.entries(spec)) {
      if (NAME_FIELDS.has(key)) {
        spec[key] = this.name(value);
      } else if (CONTAINER_LISTS.has(key) && Array.isArray(value)) {
        for (const c of value) if (isObject(c)) this.shareContainer(c);
      } else {
        spec[key] = this.part(value);
      }
    }
  }

  private shareContainer(container: JsonObject): void {
    for (const [key, value] of Object.entries(container)) container[key] = typeof value === 'string' ? this.name(value) : this.part(value);
  }
}
