/**
 * terraform-google-modules/kubernetes-engine `//modules/safer-cluster` (and its update variant), majors 30-44: a
 * wrapper that calls `../beta-private-cluster` as `module.gke` with its own inputs and recommended settings. What the
 * cluster model reads is passed through, except: `compute_engine_service_account` becomes `service_account`, a
 * service account is created unless one is given (or `create_service_account = false`), `service_account_name` is
 * not passed (the created account gets a generated name), the default node pool is always removed and the workload
 * pool is always `<project_id>.svc.id.goog`; pools take the default `node_metadata` (`GKE_METADATA`).
 */
import type { PositionMap } from '../../../model/types.js';
import { split } from '../../../util/pointer.js';
import { newObject } from '../values.js';
import { flag, input } from './support.js';
import { modelFor } from './gcp-kubernetes-engine.js';
import { GKE_MAJORS } from './ranges.js';
import type { ModelCall, ModuleModel } from './types.js';

const INNER = 'module.gke.';
/** Inputs of safer-cluster under the name the inner module gives them. */
const PASSED: Record<string, string> = {
  name: 'name',
  project_id: 'project_id',
  regional: 'regional',
  region: 'region',
  zones: 'zones',
  node_pools: 'node_pools',
  windows_node_pools: 'windows_node_pools',
  cluster_resource_labels: 'cluster_resource_labels',
  compute_engine_service_account: 'service_account',
  create_service_account: 'create_service_account',
};

/** The inner call as safer-cluster makes it. */
function innerCall(call: ModelCall): ModelCall {
  const inputs = newObject();
  const inputPositions: PositionMap = Object.create(null) as PositionMap;
  for (const [outer, inner] of Object.entries(PASSED)) {
    const v = call.inputs[outer];
    if (v !== undefined) inputs[inner] = v;
  }
  for (const [pointer, position] of Object.entries(call.inputPositions)) {
    const [first, ...rest] = split(pointer);
    const inner = first !== undefined ? PASSED[first] : undefined;
    if (inner !== undefined) inputPositions['/' + [inner, ...rest].join('/')] = position;
  }
  const given = input(call, 'compute_engine_service_account', '');
  inputs.create_service_account = flag(call, 'create_service_account', true) === false ? false : given === '';
  inputs.remove_default_node_pool = true;
  return { major: call.major, inputs, inputPositions, callPosition: call.callPosition, idFor: (local) => call.idFor(INNER + local) };
}

function saferModel(subdir: string, inner: ModuleModel): ModuleModel {
  return {
    address: inner.address,
    subdirs: Object.fromEntries(GKE_MAJORS.map((m) => [m, subdir])),
    documentedAt: [`https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/tree/main/${subdir}`],
    resources: (call) => inner.resources(innerCall(call)).map((r) => ({ ...r, localAddress: INNER + r.localAddress })),
    output: (call, name) => inner.output?.(innerCall(call), name),
  };
}

export const GKE_SAFER_MODELS: readonly ModuleModel[] = [
  saferModel('modules/safer-cluster', modelFor('modules/beta-private-cluster', 'standard')),
  saferModel('modules/safer-cluster-update-variant', modelFor('modules/beta-private-cluster-update-variant', 'update-variant')),
];
