/**
 * terraform-google-modules/kubernetes-engine's resource-shaped modules (v38-v44), whose inputs mirror the resource's
 * arguments, objects standing for blocks:
 * - `//modules/gke-standard-cluster`: `google_container_cluster.main` (`name`, `project_id`, `location`,
 *   `resource_labels`, `workload_identity_config`, `node_config` for the default pool, `remove_default_node_pool`
 *   default true, and inline `node_pool` entries each with its own `node_config`).
 * - `//modules/gke-autopilot-cluster`: the same cluster with `enable_autopilot = true` and no node pools.
 * - `//modules/gke-node-pool`: `google_container_node_pool.main` (`name`, `project_id`, `cluster`, `location`,
 *   `node_config`, whose default is `{ image_type = "COS_CONTAINERD", workload_metadata_config = { mode =
 *   "GKE_METADATA" } }` and no service account).
 * Only what podtrust reads of a node config is modelled: `service_account`, `image_type`, `workload_metadata_config`.
 */
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown } from '../values.js';
import { ResourceBuilder, field, has, input, obj, reference } from './support.js';
import { majors } from './ranges.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

const CLUSTER = 'google_container_cluster.main';
const POOL = 'google_container_node_pool.main';
const ADDRESS = 'terraform-google-modules/kubernetes-engine/google';
/** The majors these modules exist in. */
const RESOURCE_MODULE_MAJORS = majors(38, 44);

/** A `node_config` object input → the block list, positions at the input's attributes. */
function nodeConfigBlock(b: ResourceBuilder, config: Value, at: string, to: string): Value {
  b.place(to, at);
  if (isUnknown(config)) return config;
  if (!isObject(config)) return [];
  b.place(`${to}/0`, at);
  const out: ObjectValue = obj({});
  for (const name of ['service_account', 'image_type']) {
    const v = config[name];
    if (v === undefined || v === null) continue;
    out[name] = v;
    b.place(`${to}/0/${name}`, `${at}/${name}`);
  }
  const wmc = config.workload_metadata_config;
  if (isObject(wmc)) {
    out.workload_metadata_config = [obj({ ...(wmc.mode !== undefined && wmc.mode !== null ? { mode: wmc.mode } : {}) })];
    for (const p of ['', '/0', '/0/mode']) b.place(`${to}/0/workload_metadata_config${p}`, `${at}/workload_metadata_config${p === '/0/mode' ? '/mode' : ''}`);
  } else if (isUnknown(wmc)) {
    out.workload_metadata_config = wmc;
  }
  return [out];
}

function clusterBase(call: ModelCall): ResourceBuilder {
  const b = new ResourceBuilder(call);
  b.set('name', input(call, 'name', mkUnknown('name')), '/name');
  b.set('project', input(call, 'project_id', mkUnknown('project_id')), '/project_id');
  b.set('location', input(call, 'location', mkUnknown('location')), '/location');
  if (has(call, 'resource_labels')) b.set('resource_labels', call.inputs.resource_labels!, '/resource_labels');
  const wic = input(call, 'workload_identity_config', null);
  if (wic !== null) {
    b.values.workload_identity_config = isObject(wic) ? [obj({ workload_pool: field(wic, 'workload_pool') ?? null })] : isUnknown(wic) ? wic : mkUnknown('workload_identity_config');
    for (const p of ['', '/0']) b.place(`/workload_identity_config${p}`, '/workload_identity_config');
    b.place('/workload_identity_config/0/workload_pool', '/workload_identity_config/workload_pool');
  }
  return b;
}

function standardCluster(call: ModelCall): ModelledResource[] {
  const b = clusterBase(call);
  b.set('remove_default_node_pool', input(call, 'remove_default_node_pool', true), has(call, 'remove_default_node_pool') ? '/remove_default_node_pool' : undefined);
  if (has(call, 'node_config')) b.values.node_config = nodeConfigBlock(b, call.inputs.node_config!, '/node_config', '/node_config');
  const pools = input(call, 'node_pool', null);
  if (Array.isArray(pools)) {
    b.values.node_pool = pools.map((p, i) => {
      const at = `/node_pool/${i}`;
      b.place(at, at);
      b.place(`${at}/name`, `${at}/name`);
      return obj({ name: field(p, 'name') ?? mkUnknown(`node_pool[${i}].name`), node_config: nodeConfigBlock(b, field(p, 'node_config') ?? null, `${at}/node_config`, `${at}/node_config`) });
    });
  } else if (isUnknown(pools)) {
    b.set('node_pool', pools, '/node_pool');
  }
  return [{ type: 'google_container_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions }];
}

function autopilotCluster(call: ModelCall): ModelledResource[] {
  const b = clusterBase(call);
  b.set('enable_autopilot', true);
  return [{ type: 'google_container_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions }];
}

const DEFAULT_POOL_CONFIG = obj({ image_type: 'COS_CONTAINERD', workload_metadata_config: obj({ mode: 'GKE_METADATA' }) });

function nodePool(call: ModelCall): ModelledResource[] {
  const b = new ResourceBuilder(call);
  const name = input(call, 'name', null);
  const prefix = input(call, 'name_prefix', null);
  b.set('name', name ?? mkUnknown('generated node pool name', typeof prefix === 'string' ? { prefix } : {}), name !== null ? '/name' : '/name_prefix');
  b.set('project', input(call, 'project_id', mkUnknown('project_id')), '/project_id');
  b.set('cluster', input(call, 'cluster', mkUnknown('cluster')), '/cluster');
  b.set('location', input(call, 'location', mkUnknown('location')), '/location');
  b.values.node_config = nodeConfigBlock(b, input(call, 'node_config', DEFAULT_POOL_CONFIG), '/node_config', '/node_config');
  return [{ type: 'google_container_node_pool', localAddress: POOL, values: b.values, positions: b.positions }];
}

function clusterOutput(call: ModelCall, name: string): Value | undefined {
  if (name === 'cluster_name') return reference(call, CLUSTER, 'name', `${CLUSTER}.name`);
  if (name === 'cluster_id') return reference(call, CLUSTER, 'id', `${CLUSTER}.id`);
  return undefined;
}

function model(subdir: string, resources: (call: ModelCall) => ModelledResource[], output?: ModuleModel['output']): ModuleModel {
  return {
    address: ADDRESS,
    subdirs: Object.fromEntries(RESOURCE_MODULE_MAJORS.map((m) => [m, subdir])),
    documentedAt: [`https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/tree/main/${subdir}`],
    resources,
    ...(output ? { output } : {}),
  };
}

export const GKE_RESOURCE_MODULE_MODELS: readonly ModuleModel[] = [
  model('modules/gke-standard-cluster', standardCluster, clusterOutput),
  model('modules/gke-autopilot-cluster', autopilotCluster, clusterOutput),
  model('modules/gke-node-pool', nodePool),
];
