/**
 * terraform-aws-modules/eks (root module), majors 19-21.
 * - `enable_irsa` (default true) creates the cluster's IAM OIDC provider with client IDs
 *   `sts.amazonaws.com` plus `openid_connect_audiences`.
 * - Each `eks_managed_node_groups` entry creates a node IAM role (AmazonEKSWorkerNodePolicy,
 *   AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy unless `iam_role_attach_cni_policy = false`,
 *   plus `iam_role_additional_policies`), a launch template (unless `use_custom_launch_template` or
 *   `create_launch_template` is false; both default true) and the node group.
 * - Each `self_managed_node_groups` entry: see aws-eks-self-managed.ts. Launch template metadata options and the
 *   node role: see aws-eks-nodes.ts.
 * - v21 renamed `cluster_name` to `name` and removed `eks_managed_node_group_defaults` and
 *   `self_managed_node_group_defaults`.
 */
import { type Value, mkUnknown, newObject } from '../values.js';
import { ResourceBuilder, field, flag, input, mapEntries, obj, reference } from './support.js';
import { NodeGroupEntry, nodeRole, nodeRoleName, placeMetadataOptions } from './aws-eks-nodes.js';
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

function managedNodeGroup(call: ModelCall, key: string, group: Value): ModelledResource[] {
  const g = new NodeGroupEntry(call, key, group, 'eks_managed');
  const groupAt = g.at;
  const prefix = `module.eks_managed_node_group[${JSON.stringify(key)}].`;
  if (field(group, 'create') === false) return [];
  const out: ModelledResource[] = [];

  let roleArn: Value;
  const createRole = g.setting('create_iam_role', true).value !== false;
  if (createRole) {
    out.push(nodeRole(g, `${prefix}aws_iam_role.this[0]`, nodeRoleName(g, '-eks-node-group')));
    roleArn = reference(call, `${prefix}aws_iam_role.this[0]`, 'arn', `${prefix}aws_iam_role.this[0].arn`);
  } else {
    roleArn = g.setting('iam_role_arn', mkUnknown('iam_role_arn')).value;
  }

  const customTemplate = g.setting('use_custom_launch_template', true).value !== false;
  const createTemplate = g.setting('create_launch_template', true).value !== false;
  let launchTemplate: Value | undefined;
  if (customTemplate && createTemplate) {
    const lb = new ResourceBuilder(call);
    lb.place('', groupAt);
    placeMetadataOptions(g, lb);
    out.push({ type: 'aws_launch_template', localAddress: `${prefix}aws_launch_template.this[0]`, values: lb.values, positions: lb.positions });
    launchTemplate = obj({ id: reference(call, `${prefix}aws_launch_template.this[0]`, 'id', `${prefix}aws_launch_template.this[0].id`), version: mkUnknown('launch template default version') });
  }

  const nb = new ResourceBuilder(call);
  nb.place('', groupAt);
  const usePrefix = g.setting('use_name_prefix', true).value;
  const groupName = g.name();
  if (usePrefix === false) nb.set('node_group_name', groupName.value, groupName.at);
  else nb.set('node_group_name_prefix', `${groupName.value}-`, groupName.at);
  nb.set('cluster_name', reference(call, CLUSTER, 'name', 'aws_eks_cluster.this[0].name'), groupAt);
  nb.set('node_role_arn', roleArn, createRole ? groupAt : `${groupAt}/iam_role_arn`);
  const ami = g.setting('ami_type', call.major >= 21 ? 'AL2023_x86_64_STANDARD' : null);
  if (ami.value !== null) nb.set('ami_type', ami.value, ami.at ?? groupAt);
  if (launchTemplate) nb.set('launch_template', [launchTemplate], groupAt);
  out.push({ type: 'aws_eks_node_group', localAddress: `${prefix}aws_eks_node_group.this[0]`, values: nb.values, positions: nb.positions });
  return out;
}

function resources(call: ModelCall): ModelledResource[] {
  if (flag(call, 'create', true) === false) return [];
  const out: ModelledResource[] = [cluster(call)];
  if (flag(call, 'enable_irsa', true) === true) out.push(oidcProvider(call));
  for (const [key, group] of mapEntries(input(call, 'eks_managed_node_groups', newObject())) ?? []) out.push(...managedNodeGroup(call, key, group));
  for (const [key, group] of mapEntries(input(call, 'self_managed_node_groups', newObject())) ?? []) out.push(...selfManagedNodeGroup(call, key, group, input(call, clusterNameInput(call.major), '')));
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
