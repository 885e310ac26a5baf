/**
 * Azure/aks/azurerm, majors 7-11 (v10 also as `//v4`, its copy for AzureRM provider v4, removed again in v11).
 * v10 and v11 renamed and removed inputs (`enable_*` → `*_enabled`, `vnet_subnet_id` → `vnet_subnet`, ...) that
 * this model does not read; the inputs it reads kept their names and defaults.
 * - `azurerm_kubernetes_cluster.main`: name `cluster_name`, else `"<prefix>-aks"` (trimmed of `-`), plus four random
 *   characters when `cluster_name_random_suffix` (v8 onwards, default false);
 *   `oidc_issuer_enabled` and `workload_identity_enabled` (both default false); the default (system) pool
 *   `agents_pool_name` (default `nodepool`, always Linux).
 * - One `azurerm_kubernetes_cluster_node_pool` per `node_pools` entry: `node_pool_create_before_destroy[<key>]`
 *   (the default; its name gets four random characters) or, with `create_before_destroy = false`,
 *   `node_pool_create_after_destroy[<key>]` named as given; `os_type` (provider default Linux), `os_sku`, `mode`.
 */
import { escapeToken } from '../../../util/pointer.js';
import { type Value, isObject, mkUnknown } from '../values.js';
import { ResourceBuilder, field, flag, has, input, mapEntries, obj, reference } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';
import { majors } from './ranges.js';

const CLUSTER = 'azurerm_kubernetes_cluster.main';

function baseName(call: ModelCall): { value: Value; at?: string } {
  const name = input(call, 'cluster_name', null);
  if (name !== null) return { value: name, at: '/cluster_name' };
  const prefix = input(call, 'prefix', '');
  if (typeof prefix === 'string') return { value: `${prefix}-aks`.replace(/^-+|-+$/g, ''), at: '/prefix' };
  return { value: mkUnknown('${prefix}-aks'), at: '/prefix' };
}

function clusterName(call: ModelCall): { value: Value; at?: string } {
  const base = baseName(call);
  const suffix = call.major >= 8 ? flag(call, 'cluster_name_random_suffix', false) : false;
  if (suffix === false) return base;
  const known = typeof base.value === 'string' ? base.value : undefined;
  const value = mkUnknown(`${known ?? 'name'} + 4 random characters`, known !== undefined ? { prefix: known } : {});
  return { value, at: suffix === undefined ? '/cluster_name_random_suffix' : base.at };
}

function cluster(call: ModelCall): ModelledResource {
  const b = new ResourceBuilder(call);
  const name = clusterName(call);
  b.set('name', name.value, name.at);
  if (has(call, 'resource_group_name')) b.set('resource_group_name', call.inputs.resource_group_name!, '/resource_group_name');
  for (const flagName of ['oidc_issuer_enabled', 'workload_identity_enabled']) {
    b.set(flagName, input(call, flagName, false), has(call, flagName) ? `/${flagName}` : undefined);
  }
  const poolName = input(call, 'agents_pool_name', 'nodepool');
  b.values.default_node_pool = [obj({ name: poolName, vm_size: input(call, 'agents_size', 'Standard_D2s_v3') })];
  b.place('/default_node_pool', has(call, 'agents_pool_name') ? '/agents_pool_name' : undefined);
  b.place('/default_node_pool/0', has(call, 'agents_pool_name') ? '/agents_pool_name' : undefined);
  b.place('/default_node_pool/0/name', has(call, 'agents_pool_name') ? '/agents_pool_name' : undefined);
  return { type: 'azurerm_kubernetes_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions };
}

function nodePool(call: ModelCall, key: string, entry: Value): ModelledResource {
  const at = `/node_pools/${escapeToken(key)}`;
  const b = new ResourceBuilder(call);
  b.place('', at);
  const beforeDestroy = field(entry, 'create_before_destroy') !== false;
  const name = field(entry, 'name') ?? mkUnknown(`node_pools.${key}.name`);
  b.set('name', beforeDestroy ? mkUnknown(`${typeof name === 'string' ? name : 'name'} + 4 random characters`, typeof name === 'string' ? { prefix: name } : {}) : name, `${at}/name`);
  b.set('kubernetes_cluster_id', reference(call, CLUSTER, 'id', `${CLUSTER}.id`), at);
  for (const attribute of ['vm_size', 'os_type', 'os_sku', 'mode']) {
    const v = field(entry, attribute);
    if (v !== undefined && v !== null) b.set(attribute, v, `${at}/${attribute}`);
  }
  const resource = beforeDestroy ? 'node_pool_create_before_destroy' : 'node_pool_create_after_destroy';
  return { type: 'azurerm_kubernetes_cluster_node_pool', localAddress: `azurerm_kubernetes_cluster_node_pool.${resource}[${JSON.stringify(key)}]`, values: b.values, positions: b.positions };
}

function resources(call: ModelCall): ModelledResource[] {
  const out: ModelledResource[] = [cluster(call)];
  for (const [key, entry] of mapEntries(input(call, 'node_pools', obj({}))) ?? []) {
    if (isObject(entry)) out.push(nodePool(call, key, entry));
  }
  return out;
}

function modelFor(subdirs: Record<number, string>): ModuleModel {
  return {
    address: 'Azure/aks/azurerm',
    subdirs,
    documentedAt: ['https://github.com/Azure/terraform-azurerm-aks/blob/11.5.0/variables.tf', 'https://github.com/Azure/terraform-azurerm-aks/blob/11.5.0/extra_node_pool.tf', 'https://github.com/Azure/terraform-azurerm-aks/blob/11.5.0/NoticeOnUpgradeTov11.0.md'],
    resources,
    output(call, name) {
      if (name === 'aks_id') return reference(call, CLUSTER, 'id', 'module output aks_id');
      if (name === 'aks_name') return clusterName(call).value;
      if (name === 'oidc_issuer_url') return reference(call, CLUSTER, 'oidc_issuer_url', 'module output oidc_issuer_url');
      return undefined;
    },
  };
}

export const AKS_MODELS: readonly ModuleModel[] = [modelFor(Object.fromEntries(majors(7, 11).map((m) => [m, '']))), modelFor({ 10: 'v4' })];
