/**
 * The objects a kustomization renders, with what Kustomize remembers of each: the names and
 * namespaces it had before a prefix, suffix or namespace changed them (patches and references
 * may name an object by any of them).
 */
import type { JsonObject, Position } from '../../model/types.js';
import { isObject } from '../../util/json-object.js';
import type { LoadedDocument } from './files.js';

export interface ObjectId {
  name: string;
  namespace?: string;
}

export interface KObject {
  body: JsonObject;
  /** Where the object starts (the file that defines it). */
  at: Position | undefined;
  /** Earlier ids, oldest first (the first is the id it was read with). */
  previous: ObjectId[];
  /** The documents that wrote it (its definition at `prefix`, the strategic-merge patches applied to it): their comments may suppress findings. */
  origins: { document: LoadedDocument; prefix: string }[];
}

export function kindOf(o: KObject): string {
  return typeof o.body.kind === 'string' ? o.body.kind : '';
}

export function metadataOf(o: KObject): JsonObject | undefined {
  return isObject(o.body.metadata) ? o.body.metadata : undefined;
}

export function idOf(o: KObject): ObjectId {
  const m = metadataOf(o);
  const id: ObjectId = { name: typeof m?.name === 'string' ? m.name : '' };
  if (typeof m?.namespace === 'string' && m.namespace !== '') id.namespace = m.namespace;
  return id;
}

/** `apps/v1` → group `apps`, version `v1`; `v1` → the core group. */
export function groupVersionOf(o: KObject): { group: string; version: string } {
  const api = typeof o.body.apiVersion === 'string' ? o.body.apiVersion : '';
  const slash = api.indexOf('/');
  return slash < 0 ? { group: '', version: api } : { group: api.slice(0, slash), version: api.slice(slash + 1) };
}

/** Every id the object has had, the current one first. */
export function allIds(o: KObject): ObjectId[] {
  return [idOf(o), ...o.previous];
}

/** Remembers the current id before a transformer changes it. */
export function rememberId(o: KObject): void {
  const cur = idOf(o);
  const last = o.previous[o.previous.length - 1];
  if (!last || last.name !== cur.name || last.namespace !== cur.namespace) o.previous.push(cur);
}

/**
 * Kinds that live outside namespaces: the namespace transformer leaves them alone. Kustomize
 * reads this from its built-in OpenAPI data; these are the built-in cluster-scoped kinds.
 */
const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace', 'Node',
  'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass', 'StorageClass',
  'TokenReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

export function isClusterScoped(o: KObject): boolean {
  return CLUSTER_SCOPED.has(kindOf(o));
}
