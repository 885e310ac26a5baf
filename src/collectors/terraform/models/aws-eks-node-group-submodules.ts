/**
 * terraform-aws-modules/eks `//modules/eks-managed-node-group` and `//modules/self-managed-node-group` called
 * directly, v19-v21: the same group as a root module entry (aws-eks-managed.ts, aws-eks-self-managed.ts), its
 * settings being the call's own inputs (no defaults map) and `cluster_name` an input.
 */
import { mkUnknown } from '../values.js';
import { input, reference } from './support.js';
import { NodeGroupEntry } from './aws-eks-nodes.js';
import { managedNodeGroup } from './aws-eks-managed.js';
import { selfManagedNodeGroup } from './aws-eks-self-managed.js';
import { majors } from './ranges.js';
import type { ModelCall, ModuleModel } from './types.js';

const ROLE = 'aws_iam_role.this[0]';

function submodule(subdir: string, resources: ModuleModel['resources']): ModuleModel {
  return {
    address: 'terraform-aws-modules/eks/aws',
    subdirs: Object.fromEntries(majors(19, 21).map((m) => [m, subdir])),
    documentedAt: [`https://github.com/terraform-aws-modules/terraform-aws-eks/tree/v21.19.0/${subdir}`],
    resources,
    output(call: ModelCall, name: string) {
      if (name === 'iam_role_arn') return reference(call, ROLE, 'arn', `module output ${name}`);
      if (name === 'iam_role_name') return reference(call, ROLE, 'name', `module output ${name}`);
      return undefined;
    },
  };
}

export const EKS_NODE_GROUP_MODELS: readonly ModuleModel[] = [
  submodule('modules/eks-managed-node-group', (call) => managedNodeGroup(NodeGroupEntry.ofSubmodule(call), '', { value: input(call, 'cluster_name', mkUnknown('cluster_name')), at: '/cluster_name' })),
  submodule('modules/self-managed-node-group', (call) => selfManagedNodeGroup(NodeGroupEntry.ofSubmodule(call), '', input(call, 'cluster_name', ''))),
];
