/**
 * terraform-aws-modules/eks (root module), majors 19-21.
 * - `enable_irsa` (default true) creates the cluster's IAM OIDC provider with client IDs
 *   `sts.amazonaws.com` plus `openid_connect_audiences`.
 * - Each `eks_managed_node_groups` entry: see aws-eks-managed.ts; each `self_managed_node_groups` entry: see
 *   aws-eks-self-managed.ts. Settings, node role and launch template metadata options: see aws-eks-nodes.ts.
 * - v21 renamed `cluster_name` to `name` and removed `eks_managed_node_group_defaults` and
 *   `self_managed_node_group_defaults`.
 */
import { type Value, mkUnknown, newObject } from '../values.js';
import { ResourceBuilder, flag, input, mapEntries, reference } from './support.js';
import { NodeGroupEntry } from './aws-eks-nodes.js';
import { managedNodeGroup } from './aws-eks-managed.js';
import { selfManagedNodeGroup } from './aws-eks-self-managed.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

const CLUSTER = 'aws_eks_cluster.this[0]';
const OIDC = 'aws_iam_openid_connect_provider.oidc_provider[0]';

function clusterNameInput(major: number): string {
  return major >= 21 ? 'name' : 'cluster_name';
}

function cluster(call: ModelCall): ModelledResource {
  const b = new ResourceBuilder(call);
  const name = clusterNameInput(call.major);
  b.set('name', input(call, name, ''), `/${name}`);
  return { type: 'aws_eks_cluster', localAddress: CLUSTER, values: b.values, positions: b.positions };
}

function oidcProvider(call: ModelCall): ModelledResource {
  const b = new ResourceBuilder(call);
  const audiences = input(call, 'openid_connect_audiences', []);
  const list: Value = Array.isArray(audiences) ? [...new Set(['sts.amazonaws.com', ...audiences.filter((a) => a !== null && a !== '')])] : mkUnknown('openid_connect_audiences');
  b.set('client_id_list', list, call.inputs.openid_connect_audiences !== undefined ? '/openid_connect_audiences' : undefined);
  b.set('url', reference(call, CLUSTER, 'identity.oidc.issuer', 'aws_eks_cluster.this[0].identity[0].oidc[0].issuer'), '/enable_irsa');
  return { type: 'aws_iam_openid_connect_provider', localAddress: OIDC, values: b.values, positions: b.positions };
}

function resources(call: ModelCall): ModelledResource[] {
  if (flag(call, 'create', true) === false) return [];
  const out: ModelledResource[] = [cluster(call)];
  if (flag(call, 'enable_irsa', true) === true) out.push(oidcProvider(call));
  const clusterName = reference(call, CLUSTER, 'name', `${CLUSTER}.name`);
  for (const [key, group] of mapEntries(input(call, 'eks_managed_node_groups', newObject())) ?? []) {
    const g = NodeGroupEntry.ofRoot(call, key, group, 'eks_managed');
    out.push(...managedNodeGroup(g, `module.eks_managed_node_group[${JSON.stringify(key)}].`, { value: clusterName, at: g.at }));
  }
  for (const [key, group] of mapEntries(input(call, 'self_managed_node_groups', newObject())) ?? []) {
    const g = NodeGroupEntry.ofRoot(call, key, group, 'self_managed');
    out.push(...selfManagedNodeGroup(g, `module.self_managed_node_group[${JSON.stringify(key)}].`, input(call, clusterNameInput(call.major), '')));
  }
  return out;
}

const model: ModuleModel = {
  address: 'terraform-aws-modules/eks/aws',
  subdirs: { 19: '', 20: '', 21: '' },
  documentedAt: [
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/master/docs/UPGRADE-21.0.md',
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v20.37.0/modules/eks-managed-node-group/variables.tf',
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v21.19.0/node_groups.tf',
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v21.19.0/modules/self-managed-node-group/main.tf',
  ],
  resources,
  output(call, name) {
    if (name === 'oidc_provider_arn' && flag(call, 'enable_irsa', true) === true) return reference(call, OIDC, 'arn', 'module output oidc_provider_arn');
    if (name === 'cluster_name') return input(call, clusterNameInput(call.major), mkUnknown('cluster_name'));
    return undefined;
  },
};

export default model;
