/** Shared reading of the GCP inventory for the GCP rules: clusters, pools, node pools, KSA ↔ GSA. */
import type { ClusterInfo, JsonObject, JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { gsaEmail, serviceAccountEmail } from '../federation/gcp.js';
import { escapeToken } from '../util/pointer.js';
import { GCP_SERVICE_ACCOUNT_ANNOTATION } from '../model/annotations.js';
import { shown } from '../util/input-text.js';
import { joinNamespaceOf } from './kubernetes.js';

export const GSA_ANNOTATION_POINTER = `/metadata/annotations/${escapeToken(GCP_SERVICE_ACCOUNT_ANNOTATION)}`;

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v) ? v : undefined;
}

export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A Kubernetes ServiceAccount's namespace and name; `namespace` undefined when it is unresolved. */
export function ksaOf(sa: Resource): { namespace: string | undefined; name: string } | undefined {
  const md = obj(obj(sa.body)?.metadata);
  const name = str(md?.name);
  if (!name) return undefined;
  return { namespace: joinNamespaceOf(sa), name };
}

/** The `iam.gke.io/gcp-service-account` annotation value (a string or an unresolved value), if set. */
export function annotatedGsa(sa: Resource): JsonValue | undefined {
  const v = obj(obj(obj(sa.body)?.metadata)?.annotations)?.[GCP_SERVICE_ACCOUNT_ANNOTATION];
  return v === undefined || v === null || v === '' ? undefined : v;
}

/** The scanned Google service account an annotation names, when the match is certain. */
export function findGsa(model: Model, value: JsonValue | undefined): Resource | undefined {
  if (value === undefined) return undefined;
  if (isUnknown(value)) {
    const ref = value.ref ? model.resourceById(value.ref.id) : undefined;
    return ref?.type === 'gcp.iam.ServiceAccount' ? ref : undefined;
  }
  if (typeof value !== 'string') return undefined;
  return gsaByEmail(model).get(serviceAccountEmail(value));
}

/** The scanned Google service accounts by email (the first of each), built once per model: rules look one up per KSA. */
const byEmail = new WeakMap<Model, Map<string, Resource>>();

function gsaByEmail(model: Model): Map<string, Resource> {
  let index = byEmail.get(model);
  if (!index) {
    index = new Map();
    for (const g of model.ofType('gcp.iam.ServiceAccount')) {
      const email = gsaEmail(g);
      if (email !== undefined && !index.has(email)) index.set(email, g);
    }
    byEmail.set(model, index);
  }
  return index;
}

export function gsaName(gsa: Resource): string {
  return shown(gsaEmail(gsa) ?? gsa.name);
}

export function clusterResource(model: Model, info: ClusterInfo | undefined): Resource | undefined {
  const r = info?.resourceId ? model.resourceById(info.resourceId) : undefined;
  return r?.type === 'gcp.container.Cluster' ? r : undefined;
}

/** The workload pool of a cluster: from its IaC, else the configured project's default pool. */
export function poolOfCluster(model: Model, info: ClusterInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.workloadPool) return info.workloadPool;
  if (info.provider === 'gcp' && info.account && !clusterResource(model, info)) return `${info.account}.svc.id.goog`;
  return undefined;
}

/** Whether a GKE cluster runs workload identity: true, false, or undefined when unresolved. */
export function workloadIdentityEnabled(cluster: Resource): boolean | undefined {
  const body = obj(cluster.body) ?? {};
  const autopilot = obj(body.autopilot)?.enabled;
  if (autopilot === true) return true;
  if (isUnknown(autopilot)) return undefined;
  const wic = body.workloadIdentityConfig;
  if (isUnknown(wic)) return undefined;
  if (wic === undefined || wic === null) return false;
  const pool = obj(wic)?.workloadPool;
  if (pool === null || pool === '') return false;
  return true;
}

export function isAutopilot(cluster: Resource): boolean | undefined {
  const enabled = obj(obj(cluster.body)?.autopilot)?.enabled;
  if (isUnknown(enabled)) return undefined;
  return enabled === true;
}

export type Environment = 'prod' | 'staging' | 'dev' | 'test' | 'sandbox';

const ENVIRONMENT_WORDS: [RegExp, Environment][] = [
  [/^(prod|production|prd|live)$/, 'prod'],
  [/^(staging|stage|stg|preprod|uat)$/, 'staging'],
  [/^(dev|develop|development)$/, 'dev'],
  [/^(test|testing|qa)$/, 'test'],
  [/^(sandbox|sbx|playground)$/, 'sandbox'],
];

export function environmentFromText(text: string): Environment | undefined {
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    for (const [re, env] of ENVIRONMENT_WORDS) if (re.test(word)) return env;
  }
  return undefined;
}

/** A cluster's environment: the clusters map's `environment`, else its labels, else its name. */
export function environmentOf(model: Model, info: ClusterInfo): Environment | string | undefined {
  if (info.environment) return environmentFromText(info.environment) ?? info.environment.toLowerCase();
  const labels = obj(obj(clusterResource(model, info)?.body)?.resourceLabels);
  for (const key of ['environment', 'env', 'stage', 'tier']) {
    const v = str(labels?.[key]);
    const env = v ? environmentFromText(v) : undefined;
    if (env) return env;
  }
  return environmentFromText(info.name);
}

/** One node pool wherever it is defined: a node pool resource, an inline `node_pool`, or the cluster's default pool. */
export interface NodePoolView {
  resource: Resource;
  /** Pointer to the pool's `config` (NodeConfig) in the resource, whether or not it exists. */
  configPointer: string;
  config: JsonObject | undefined;
  /** True when the pool's configuration could not be resolved: rules stay silent on it. */
  configUnknown: boolean;
  name: string;
  /** The GKE cluster resource it belongs to, when resolved. */
  cluster?: Resource;
}

/** The GKE cluster a node pool resource belongs to (by reference or by name). */
export function clusterOfNodePool(model: Model, pool: Resource): Resource | undefined {
  const ref = obj(pool.body)?.cluster;
  if (isUnknown(ref)) {
    const r = ref.ref ? model.resourceById(ref.ref.id) : undefined;
    return r?.type === 'gcp.container.Cluster' ? r : undefined;
  }
  if (typeof ref !== 'string') return undefined;
  const name = ref.split('/').pop();
  const matches = model.ofType('gcp.container.Cluster').filter((c) => str(obj(c.body)?.name) === name);
  return matches.length === 1 ? matches[0] : undefined;
}

export function nodePools(model: Model): NodePoolView[] {
  const out: NodePoolView[] = [];
  for (const cluster of model.ofType('gcp.container.Cluster')) {
    const body = obj(cluster.body) ?? {};
    const inline = Array.isArray(body.nodePools) ? body.nodePools : [];
    inline.forEach((p, i) => {
      const pool = obj(p);
      if (!pool) return;
      const config = obj(pool.config);
      const view: NodePoolView = { resource: cluster, configPointer: `/nodePools/${i}/config`, config, configUnknown: isUnknown(pool.config), name: str(pool.name) ?? `#${i}`, cluster };
      out.push(view);
    });
    // Terraform and Config Connector create a default pool from `nodeConfig` unless inline pools replace it or it is removed.
    if (isUnknown(body.nodePools)) continue;
    if (inline.length === 0 && body.removeDefaultNodePool !== true && !isUnknown(body.removeDefaultNodePool) && isAutopilot(cluster) === false) {
      out.push({ resource: cluster, configPointer: '/nodeConfig', config: obj(body.nodeConfig), configUnknown: isUnknown(body.nodeConfig), name: 'default-pool', cluster });
    }
  }
  for (const pool of model.ofType('gcp.container.NodePool')) {
    const config = obj(pool.body)?.config;
    const view: NodePoolView = { resource: pool, configPointer: '/config', config: obj(config), configUnknown: isUnknown(config), name: str(obj(pool.body)?.name) ?? pool.name };
    const cluster = clusterOfNodePool(model, pool);
    if (cluster) view.cluster = cluster;
    out.push(view);
  }
  return out;
}

/** Kubernetes ServiceAccounts of the scan with their cluster. */
export function serviceAccounts(model: Model): Resource[] {
  return [...model.ofType('k8s.ServiceAccount')];
}
