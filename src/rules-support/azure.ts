/** Shared reading of Azure resources and Azure Workload Identity objects for the Azure rules. */
import type { ClusterInfo, JsonObject, JsonValue, Resource, Unknown } from '../model/types.js';
import type { Federation } from '../federation/types.js';
import { isUnknown } from '../model/unknown.js';
import { normalizeIssuer } from '../federation/issuers.js';
import { builtinRoleName } from '../iam/azure-roles.js';
import type { ScopeInfo } from '../iam/azure-scope.js';
import { shown } from '../util/input-text.js';
import { escapeToken } from '../util/pointer.js';
import type { Model } from '../model/model.js';
import { joinNamespaceOf } from './kubernetes.js';
import { AZURE_IDENTITY_SECRET_KEYS } from '../credentials/azure.js';
import { own } from '../util/own.js';

export const USE_LABEL = 'azure.workload.identity/use';

export function obj(v: JsonValue | Unknown | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as JsonObject) : undefined;
}

export function metadata(r: Resource): JsonObject {
  return obj(obj(r.body)?.['metadata']) ?? {};
}

export function annotationsOf(r: Resource): JsonObject {
  return obj(metadata(r)['annotations']) ?? {};
}

/** Namespace of a Kubernetes object (`default` when the manifest names none). */
export function namespaceOf(r: Resource): string {
  const ns = metadata(r)['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

export function nameOf(r: Resource): string | undefined {
  const n = metadata(r)['name'];
  return typeof n === 'string' ? n : undefined;
}

/** A pod template inside a workload: where its metadata and spec are. */
export interface PodTemplate {
  /** Pointer to the pod template (`/spec/template`), `''` for a Pod. */
  pointer: string;
  labels: JsonObject;
  spec: JsonObject;
}

const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The kinds that carry a pod template. */
export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

export function podTemplateOf(r: Resource): PodTemplate | undefined {
  if (!r.type.startsWith('k8s.')) return undefined;
  // The kind comes from the input: `constructor` must find no path.
  const kind = r.type.slice(4);
  const path = own(TEMPLATE_PATHS, kind);
  if (!path) return undefined;
  let cur: JsonValue | undefined = r.body;
  for (const key of path) cur = obj(cur)?.[key];
  const template = obj(cur);
  if (!template) return undefined;
  return {
    pointer: path.length === 0 ? '' : '/' + path.join('/'),
    labels: obj(obj(template['metadata'])?.['labels']) ?? {},
    spec: obj(template['spec']) ?? {},
  };
}

/** The ServiceAccount name a pod spec runs as. */
export function serviceAccountNameOf(spec: JsonObject): string | undefined {
  const v = spec['serviceAccountName'] ?? spec['serviceAccount'];
  if (v === undefined) return 'default';
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The role an assignment grants: its name, or the built-in role its definition id names. */
export function roleNameOf(assignment: Resource): string | undefined {
  const props = obj(obj(assignment.body)?.['properties']);
  const name = props?.['roleDefinitionName'];
  if (typeof name === 'string') return name;
  return builtinRoleName(props?.['roleDefinitionId'] as JsonValue | Unknown | undefined);
}

export function scopeInfoOf(assignment: Resource): ScopeInfo | undefined {
  const info = obj(obj(assignment.body)?.['scopeInfo']);
  return info && typeof info['level'] === 'string' ? (info as unknown as ScopeInfo) : undefined;
}

/** Whether a federation trusts the issuer of a cluster (by name, or by its issuer URL). */
export function trustsCluster(f: Federation, cluster: ClusterInfo): boolean {
  if (f.issuer.cluster !== undefined && f.issuer.cluster === cluster.name) return true;
  if (cluster.issuer && f.issuer.host) return normalizeIssuer(cluster.issuer).toLowerCase() === f.issuer.host.toLowerCase();
  return false;
}

/** Whether the cluster's issuer is identifiable at all (a URL, or its defining resource in the scan). */
export function clusterIssuerKnown(cluster: ClusterInfo | undefined): cluster is ClusterInfo {
  return cluster !== undefined && (cluster.issuer !== undefined || cluster.resourceId !== undefined);
}

export function identityDisplayName(identity: Resource): string {
  const name = obj(identity.body)?.['name'];
  return shown(typeof name === 'string' ? name : identity.name);
}

/** A Secret an AAD Pod Identity `AzureIdentity` of a service principal (type 1 or 2) names in `spec.clientPassword`. */
export interface PodIdentitySecretReference {
  identity: Resource;
  /** The Secret's keys that hold the service principal's credential. */
  keys: readonly string[];
  /** Pointer to the identity's `clientPassword`. */
  at: string;
  /** The Secret, when the reference is resolved and the Secret is in the scan. */
  secret?: Resource;
  /** True when the reference's name or namespace is unresolved. */
  unresolved: boolean;
}

/**
 * A field of an AAD Pod Identity object, matched as its controller decodes it: Go's JSON decoding
 * ignores case, and charts write `ClientID`, `ResourceID` beside the documented `clientID`.
 */
function field(o: JsonObject, name: string): [string, JsonValue] | undefined {
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return [k, o[k]!];
  return undefined;
}

export function podIdentitySecretReferences(model: Model): PodIdentitySecretReference[] {
  const out: PodIdentitySecretReference[] = [];
  for (const identity of model.ofType('k8s.AzureIdentity')) {
    const spec = obj(obj(identity.body)?.['spec']);
    const type = spec && field(spec, 'type')?.[1];
    const keys = spec && (typeof type === 'number' || typeof type === 'string') ? own(AZURE_IDENTITY_SECRET_KEYS, String(type)) : undefined;
    if (!spec || !keys) continue;
    const password = field(spec, 'clientPassword');
    if (!password) continue;
    const at = `/spec/${escapeToken(password[0])}`;
    const ref = obj(password[1]);
    const name = ref && field(ref, 'name')?.[1];
    const ns = (ref && field(ref, 'namespace')?.[1]) ?? joinNamespaceOf(identity);
    if (typeof name !== 'string' || typeof ns !== 'string') {
      out.push({ identity, keys, at, unresolved: true });
      continue;
    }
    const secret = model.ofType('k8s.Secret').find((s) => s.cluster === identity.cluster && nameOf(s) === name && joinNamespaceOf(s) === ns);
    out.push({ identity, keys, at, unresolved: false, ...(secret ? { secret } : {}) });
  }
  return out;
}
