/**
 * terraform-aws-modules/eks: one `self_managed_node_groups` entry (the `self-managed-node-group` submodule), v19-v21.
 * - Unless `create_iam_instance_profile = false`: a node IAM role (see aws-eks-nodes.ts; named `<name>-node-group`)
 *   and an instance profile of the same name holding it; else the launch template uses `iam_instance_profile_arn`.
 * - Unless `create_launch_template = false` (then `launch_template_id` names an existing one): a launch template with
 *   the group's `metadata_options` (module default hop limit 2 in v19/v20, 1 in v21) and the instance profile.
 * - Unless `create_autoscaling_group = false`: the Auto Scaling group, tagged `kubernetes.io/cluster/<cluster>`
 *   (`owned`), launching from that template.
 */
import { type Value, mkUnknown } from '../values.js';
import { ResourceBuilder, field, obj, reference } from './support.js';
import { type NodeGroupEntry, nodeRole, nodeRoleName, placeMetadataOptions } from './aws-eks-nodes.js';
import type { ModelledResource } from './types.js';

/** The resources of one group, at `prefix` (the submodule's address in the caller); `clusterName` as given to it. */
export function selfManagedNodeGroup(g: NodeGroupEntry, prefix: string, clusterName: Value): ModelledResource[] {
  const call = g.call;
  if (field(g.group, 'create') === false) return [];
  const roleAt = `${prefix}aws_iam_role.this[0]`;
  const profileAt = `${prefix}aws_iam_instance_profile.this[0]`;
  const templateAt = `${prefix}aws_launch_template.this[0]`;
  const out: ModelledResource[] = [];

  let profileArn: Value;
  let profileArnAt: string | undefined;
  if (g.setting('create_iam_instance_profile', true).value !== false) {
    const name = nodeRoleName(g, '-node-group');
    out.push(nodeRole(g, roleAt, name));
    const pb = new ResourceBuilder(call);
    pb.place('', g.at);
    pb.set(name.attribute, name.value, name.at);
    pb.set('role', reference(call, roleAt, 'name', `${roleAt}.name`), g.at);
    out.push({ type: 'aws_iam_instance_profile', localAddress: profileAt, values: pb.values, positions: pb.positions });
    profileArn = reference(call, profileAt, 'arn', `${profileAt}.arn`);
  } else {
    const given = g.setting('iam_instance_profile_arn', mkUnknown('iam_instance_profile_arn'));
    profileArn = given.value;
    profileArnAt = given.at;
  }

  let templateId: Value;
  if (g.setting('create_launch_template', true).value !== false) {
    const lb = new ResourceBuilder(call);
    lb.place('', g.at);
    placeMetadataOptions(g, lb);
    lb.values.iam_instance_profile = [obj({ arn: profileArn })];
    lb.place('/iam_instance_profile/0', profileArnAt ?? g.at);
    lb.place('/iam_instance_profile/0/arn', profileArnAt ?? g.at);
    out.push({ type: 'aws_launch_template', localAddress: templateAt, values: lb.values, positions: lb.positions });
    templateId = reference(call, templateAt, 'id', `${templateAt}.id`);
  } else {
    templateId = g.setting('launch_template_id', mkUnknown('launch_template_id')).value;
  }

  if (g.setting('create_autoscaling_group', true).value !== false) {
    const ab = new ResourceBuilder(call);
    ab.place('', g.at);
    const name = g.name();
    const usePrefix = g.setting('use_name_prefix', true).value !== false;
    ab.set(usePrefix ? 'name_prefix' : 'name', usePrefix ? `${name.value}-` : name.value, name.at);
    ab.set('launch_template', [obj({ id: templateId, version: mkUnknown('launch template version') })], g.at);
    const clusterTag = typeof clusterName === 'string' ? `kubernetes.io/cluster/${clusterName}` : mkUnknown('kubernetes.io/cluster/${cluster name}', { prefix: 'kubernetes.io/cluster/' });
    ab.set('tag', [
      obj({ key: 'Name', value: name.value, propagate_at_launch: true }),
      obj({ key: clusterTag, value: 'owned', propagate_at_launch: true }),
    ], g.at);
    out.push({ type: 'aws_autoscaling_group', localAddress: `${prefix}aws_autoscaling_group.this[0]`, values: ab.values, positions: ab.positions });
  }
  return out;
}
