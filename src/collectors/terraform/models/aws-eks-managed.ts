/**
 * terraform-aws-modules/eks: one managed node group (the `eks-managed-node-group` submodule), v19-v21: a node IAM
 * role (AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy unless
 * `iam_role_attach_cni_policy = false`, plus `iam_role_additional_policies`; named `<name>-eks-node-group`) unless
 * `create_iam_role = false`, a launch template (unless `use_custom_launch_template` or `create_launch_template` is
 * false; both default true) and the node group (`ami_type` default: none in v19/v20, `AL2023_x86_64_STANDARD` in v21).
 */
import { type Value, mkUnknown } from '../values.js';
import { ResourceBuilder, field, obj, reference } from './support.js';
import { type NodeGroupEntry, nodeRole, nodeRoleName, placeMetadataOptions } from './aws-eks-nodes.js';
import type { ModelledResource } from './types.js';

/** The resources of one group, at `prefix` (the submodule's address in the caller); `clusterName` as given to it. */
export function managedNodeGroup(g: NodeGroupEntry, prefix: string, clusterName: { value: Value; at: string }): ModelledResource[] {
  const call = g.call;
  const groupAt = g.at;
  if (field(g.group, 'create') === false) return [];
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
  nb.set('cluster_name', clusterName.value, clusterName.at);
  nb.set('node_role_arn', roleArn, createRole ? groupAt : `${groupAt}/iam_role_arn`);
  const ami = g.setting('ami_type', call.major >= 21 ? 'AL2023_x86_64_STANDARD' : null);
  if (ami.value !== null) nb.set('ami_type', ami.value, ami.at ?? groupAt);
  if (launchTemplate) nb.set('launch_template', [launchTemplate], groupAt);
  out.push({ type: 'aws_eks_node_group', localAddress: `${prefix}aws_eks_node_group.this[0]`, values: nb.values, positions: nb.positions });
  return out;
}
