/**
 * terraform-google-modules/kubernetes-engine: the cluster modules (root, `private-cluster`, `beta-public-cluster`,
 * `beta-private-cluster`, the three `*-update-variant` copies and the two `beta-autopilot-*` modules), majors 30-44.
 * An update variant names each pool `<name>-<4 random hex digits>` (a `random_id` keyed by the pool's name);
 * otherwise it is the same module. An Autopilot module creates the cluster (`enable_autopilot = true`, the same
 * workload pool, location and node service account inputs) and no node pools. The inputs read here kept their names and defaults through v44 (v38-v44 added
 * inputs and, in v44, read the default pool from `node_pools[0]` through a local; none of them changes what is modelled).
 * - `google_container_cluster.primary`: `name`, `project_id`, location `region` (regional, the default) or
 *   `zones[0]`; workload identity pool `<project_id>.svc.id.goog` while `identity_namespace` is `"enabled"` (the
 *   default), the given pool for another value, none for null. The default pool (`default-pool`) takes
 *   `node_pools[0]`'s `service_account` and `image_type`, and is removed when `remove_default_node_pool`.
 * - One `google_container_node_pool.pools[<name>]` per `node_pools` entry (default `[{ name = "default-node-pool" }]`)
 *   and one `windows_pools[<name>]` per `windows_node_pools` entry (image `WINDOWS_LTSC_CONTAINERD` unless set).
 *   Node service account: the entry's `service_account`, else the module's (`service_account`, else the account the
 *   module creates while `create_service_account`, else none: the Compute Engine default).
 *   `workload_metadata_config.mode`: omitted when `node_metadata = "UNSPECIFIED"`; else the entry's
 *   `node_metadata`, else `node_metadata` (default `GKE_METADATA`; `GKE_METADATA_SERVER` and `EXPOSE` are read as
 *   `GKE_METADATA` and `GCE_METADATA`).
 */
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown } from '../values.js';
import { ResourceBuilder, field, flag, has, input, obj, reference } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';
import { GKE_MAJORS } from './ranges.js';

const CLUSTER = 'google_container_cluster.primary';
const NODE_SA = 'google_service_account.cluster_service_account[0]';
const LEGACY_MODES: Record<string, string> = { GKE_METADATA_SERVER: 'GKE_METADATA', EXPOSE: 'GCE_METADATA' };

function workloadPool(call: ModelCall): Value | undefined {
  const ns = input(call, 'identity_namespace', 'enabled');
  if (ns === null || ns === 'null') return undefined;
  if (ns === 'enabled') {
    const project = input(call, 'project_id', mkUnknown('project_id'));
    return typeof project === 'string' ? `${project}.svc.id.goog` : mkUnknown('${project_id}.svc.id.goog', { suffix: '.svc.id.goog' });
  }
  return ns;
}

/** The module-wide node service account, with the input that decides it. */
function moduleServiceAccount(call: ModelCall): { value: Value; at?: string } {
  const given = input(call, 'service_account', '');
  const create = flag(call, 'create_service_account', true);
  if (isUnknown(given) || create === undefined) return { value: mkUnknown('service_account'), at: '/service_account' };
  if ((given === '' || given === 'create') && create) {
    const name = input(call, 'service_account_name', '');
    const project = input(call, 'project_id', null);
    if (typeof name === 'string' && name !== '' && typeof project === 'string') return { value: `${name}@${project}.iam.gserviceaccount.com`, at: '/service_account_name' };
    return { value: reference(call, NODE_SA, 'email', `${NODE_SA}.email`), ...(has(call, 'create_service_account') ? { at: '/create_service_account' } : {}) };
  }
  return { value: given, at: has(call, 'service_account') ? '/service_account' : '/create_service_account' };
}

/** The module-wide metadata mode; undefined when the module writes no `workload_metadata_config`. */
function moduleMode(call: ModelCall): { value: Value; at?: string } | undefined {
  const v = input(call, 'node_metadata', 'GKE_METADATA');
  if (v === 'UNSPECIFIED') return undefined;
  const at = has(call, 'node_metadata') ? '/node_metadata' : undefined;
  const value = typeof v === 'string' ? LEGACY_MODES[v] ?? v : v;
  return at ? { value, at } : { value };
}

/** Builds a pool's `node_config` values and positions from a `node_pools` entry. */
function nodeConfig(call: ModelCall, b: ResourceBuilder, to: string, entry: Value, entryAt: string, defaultImage: string, ownMetadata = true): ObjectValue {
  const config: ObjectValue = obj({});
  b.place(to, entryAt);
  const own = (name: string) => {
    const v = field(entry, name);
    return v === undefined || v === null ? undefined : v;
  };
  const image = own('image_type');
  config.image_type = image ?? defaultImage;
  b.place(`${to}/image_type`, image !== undefined ? `${entryAt}/image_type` : entryAt);
  const sa = own('service_account');
  const moduleSa = moduleServiceAccount(call);
  config.service_account = sa ?? moduleSa.value;
  b.place(`${to}/service_account`, sa !== undefined ? `${entryAt}/service_account` : moduleSa.at ?? entryAt);
  const mode = moduleMode(call);
  if (mode) {
    const ownMode = ownMetadata ? own('node_metadata') : undefined;
    config.workload_metadata_config = [obj({ mode: ownMode ?? mode.value })];
    const at = ownMode !== undefined ? `${entryAt}/node_metadata` : mode.at ?? entryAt;
    b.place(`${to}/workload_metadata_config`, at);
    b.place(`${to}/workload_metadata_config/0`, at);
    b.place(`${to}/workload_metadata_config/0/mode`, at);
  }
  return config;
}

function location(call: ModelCall): Value {
  if (flag(call, 'regional', true) === false) {
    const zones = input(call, 'zones', []);
    return Array.isArray(zones) && zones.length > 0 ? zones[0]! : mkUnknown('zones[0]');
  }
  return input(call, 'region', mkUnknown('region'));
}

function cluster(call: ModelCall, pools: Value, flavour: Flavour): ModelledResource {
  const b = new ResourceBuilder(call);
  b.set('name', input(call, 'name', mkUnknown('name')), '/name');
  b.set('project', input(call, 'project_id', mkUnknown('project_id')), '/project_id');
  b.set('location', location(call), flag(call, 'regional', true) === false ? '/zones' : '/region');
  if (has(call, 'cluster_resource_labels')) b.set('resource_labels', call.inputs.cluster_resource_labels!, '/cluster_resource_labels');
  const pool = workloadPool(call);
  if (pool !== undefined) {
    b.values.workload_identity_config = [obj({ workload_pool: pool })];
    const at = has(call, 'identity_namespace') ? '/identity_namespace' : undefined;
    b.place('/workload_identity_config', at);
    b.place('/workload_identity_config/0', at);
    b.place('/workload_identity_config/0/workload_pool', at);
  } else {
    b.place('/workload_identity_config', '/identity_namespace');
  }
  if (flavour === 'autopilot') {
    b.set('enable_autopilot', true);
    return { type: 'google_container_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions };
  }
  const remove = input(call, 'remove_default_node_pool', false);
  b.set('remove_default_node_pool', remove, has(call, 'remove_default_node_pool') ? '/remove_default_node_pool' : undefined);
  if (remove === false) {
    const first = Array.isArray(pools) ? pools[0] : undefined;
    const firstAt = Array.isArray(pools) && pools.length > 0 ? '/node_pools/0' : '';
    b.place('/node_pool', firstAt || undefined);
    b.place('/node_pool/0', firstAt || undefined);
    b.set('node_pool', [obj({ name: 'default-pool' })]);
    b.place('/node_pool/0/name');
    // The default pool takes the module-wide metadata mode, never an entry's own `node_metadata`.
    const config = nodeConfig(call, b, '/node_pool/0/node_config/0', first ?? obj({}), firstAt, 'COS_CONTAINERD', false);
    (b.values.node_pool as ObjectValue[])[0]!.node_config = [config];
  }
  return { type: 'google_container_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions };
}

function nodePool(call: ModelCall, entry: Value, entryAt: string, resource: string, defaultImage: string, randomSuffix: boolean): ModelledResource {
  const b = new ResourceBuilder(call);
  b.place('', entryAt);
  const name = field(entry, 'name') ?? mkUnknown(`${entryAt.slice(1)}.name`);
  const shown = randomSuffix ? mkUnknown(`${typeof name === 'string' ? name : 'name'}-<random>`, typeof name === 'string' ? { prefix: `${name}-` } : {}) : name;
  b.set('name', shown, `${entryAt}/name`);
  b.set('cluster', reference(call, CLUSTER, 'name', `${CLUSTER}.name`), entryAt);
  b.set('location', location(call), entryAt);
  b.set('project', input(call, 'project_id', mkUnknown('project_id')), entryAt);
  b.values.node_config = [nodeConfig(call, b, '/node_config/0', entry, entryAt, defaultImage)];
  b.place('/node_config', entryAt);
  const key = typeof name === 'string' ? JSON.stringify(name) : '?';
  return { type: 'google_container_node_pool', localAddress: `google_container_node_pool.${resource}[${key}]`, values: b.values, positions: b.positions };
}

function nodeServiceAccount(call: ModelCall): ModelledResource | undefined {
  if (flag(call, 'create_service_account', true) !== true) return undefined;
  const b = new ResourceBuilder(call);
  const name = input(call, 'service_account_name', '');
  const project = input(call, 'project_id', mkUnknown('project_id'));
  if (typeof name === 'string' && name !== '') b.set('account_id', name, '/service_account_name');
  else {
    const cluster = input(call, 'name', '');
    b.set('account_id', mkUnknown('tf-gke-<name>-<random>', typeof cluster === 'string' ? { prefix: `tf-gke-${cluster.slice(0, 15)}-` } : {}), '/name');
  }
  b.set('project', project, '/project_id');
  return { type: 'google_service_account', localAddress: NODE_SA, values: b.values, positions: b.positions };
}

function resources(call: ModelCall, flavour: Flavour): ModelledResource[] {
  const pools = input(call, 'node_pools', [obj({ name: 'default-node-pool' })]);
  const out: ModelledResource[] = [cluster(call, pools, flavour)];
  const sa = nodeServiceAccount(call);
  if (sa) out.push(sa);
  if (flavour === 'autopilot') return out;
  const add = (list: Value, at: string, resource: string, image: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      if (isObject(entry)) out.push(nodePool(call, entry, `${at}/${i}`, resource, image, flavour === 'update-variant'));
    });
  };
  add(pools, '/node_pools', 'pools', 'COS_CONTAINERD');
  add(input(call, 'windows_node_pools', []), '/windows_node_pools', 'windows_pools', 'WINDOWS_LTSC_CONTAINERD');
  return out;
}

/** The plain cluster modules; an update variant names its pools with a random suffix; Autopilot has no pools. */
type Flavour = 'standard' | 'update-variant' | 'autopilot';

const FLAVOURS: Record<string, Flavour> = {
  '': 'standard',
  'modules/private-cluster': 'standard',
  'modules/beta-public-cluster': 'standard',
  'modules/beta-private-cluster': 'standard',
  'modules/private-cluster-update-variant': 'update-variant',
  'modules/beta-public-cluster-update-variant': 'update-variant',
  'modules/beta-private-cluster-update-variant': 'update-variant',
  'modules/beta-autopilot-public-cluster': 'autopilot',
  'modules/beta-autopilot-private-cluster': 'autopilot',
};

export function modelFor(subdir: string, flavour: Flavour): ModuleModel {
  return {
    address: 'terraform-google-modules/kubernetes-engine/google',
    subdirs: Object.fromEntries(GKE_MAJORS.map((m) => [m, subdir])),
    documentedAt: [`https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/tree/main/${subdir || ''}`],
    resources: (call) => resources(call, flavour),
    output(call, name) {
      if (name === 'name') return input(call, 'name', mkUnknown('name'));
      if (name === 'identity_namespace') return workloadPool(call) ?? null;
      if (name === 'service_account') return moduleServiceAccount(call).value;
      return undefined;
    },
  };
}

export const GKE_CLUSTER_MODELS: readonly ModuleModel[] = Object.entries(FLAVOURS).map(([subdir, flavour]) => modelFor(subdir, flavour));
