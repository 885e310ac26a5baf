/**
 * terraform-aws-modules/eks (root module), majors 19-21.
 * - `enable_irsa` (default true) creates the cluster's IAM OIDC provider with client IDs
 *   `sts.amazonaws.com` plus `openid_connect_audiences`.
 * - Each `eks_managed_node_groups` entry creates a node IAM role (AmazonEKSWorkerNodePolicy,
 *   AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy unless `iam_role_attach_cni_policy = false`,
 *   plus `iam_role_additional_policies`), a launch template and the node group.
 *   Launch template `metadata_options`: v19/v20 take the entry's map, else
 *   `eks_managed_node_group_defaults.metadata_options`, else `{ http_endpoint = "enabled",
 *   http_tokens = "required", http_put_response_hop_limit = 2 }` (a given map replaces the default whole);
 *   v21 types the map with per-attribute defaults and lowered the hop limit default to 1 (UPGRADE-21.0.md).
 * - v21 renamed `cluster_name` to `name`.
 */
import { escapeToken } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject } from '../values.js';
import { ResourceBuilder, field, flag, input, mapEntries, obj, reference } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

const CLUSTER = 'aws_eks_cluster.this[0]';
const OIDC = 'aws_iam_openid_connect_provider.oidc_provider[0]';
const NODE_BASELINE = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
];
const CNI_POLICY = 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy';

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

/** A node group setting: the entry's value, else the defaults map's, else the module's default. */
function setting(group: Value, defaults: Value, name: string, fallback: Value, groupAt: string): { value: Value; at?: string } {
  const own = field(group, name);
  if (own !== undefined && own !== null) return { value: own, at: `${groupAt}/${name}` };
  const shared = field(defaults, name);
  if (shared !== undefined && shared !== null) return { value: shared, at: `/eks_managed_node_group_defaults/${name}` };
  return { value: fallback };
}

function metadataOptions(call: ModelCall, group: Value, defaults: Value, groupAt: string): { values: ObjectValue; at?: string; fieldAt: (k: string) => string | undefined } {
  const hop = call.major >= 21 ? 1 : 2;
  const fallback = obj({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: hop });
  const chosen = setting(group, defaults, 'metadata_options', fallback, groupAt);
  const given = isObject(chosen.value) ? chosen.value : isUnknown(chosen.value) ? undefined : newObject();
  const out = newObject();
  const explicit = new Set<string>();
  if (!given) {
    for (const k of ['http_endpoint', 'http_tokens', 'http_put_response_hop_limit']) out[k] = mkUnknown(`metadata_options.${k}`);
  } else {
    for (const [k, v] of Object.entries(given)) if (v !== null) (out[k] = v), explicit.add(k);
    // v21 fills the attributes a given map leaves out; v19/v20 pass the map as given.
    if (call.major >= 21 || chosen.at === undefined) for (const [k, v] of Object.entries(fallback)) if (out[k] === undefined) out[k] = v;
  }
  const result: { values: ObjectValue; at?: string; fieldAt: (k: string) => string | undefined } = {
    values: out,
    fieldAt: (k) => (chosen.at && explicit.has(k) ? `${chosen.at}/${k}` : chosen.at ?? groupAt),
  };
  if (chosen.at) result.at = chosen.at;
  return result;
}

function nodeGroup(call: ModelCall, key: string, group: Value, defaults: Value): ModelledResource[] {
  const groupAt = `/eks_managed_node_groups/${escapeToken(key)}`;
  const prefix = `module.eks_managed_node_group[${JSON.stringify(key)}].`;
  if (field(group, 'create') === false) return [];
  const out: ModelledResource[] = [];

  let roleArn: Value;
  const createRole = setting(group, defaults, 'create_iam_role', true, groupAt).value !== false;
  if (createRole) {
    const rb = new ResourceBuilder(call);
    rb.place('', groupAt);
    const name = setting(group, defaults, 'iam_role_name', null, groupAt);
    if (typeof name.value === 'string') rb.set('name_prefix', name.value, name.at ?? groupAt);
    rb.set('assume_role_policy', obj({
      Version: '2012-10-17',
      Statement: [obj({ Sid: 'EKSNodeAssumeRole', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: obj({ Service: 'ec2.amazonaws.com' }) })],
    }), groupAt);
    const arns: Value[] = [...NODE_BASELINE];
    const places: (string | undefined)[] = [groupAt, groupAt];
    const cni = setting(group, defaults, 'iam_role_attach_cni_policy', true, groupAt);
    if (cni.value !== false) {
      arns.push(CNI_POLICY);
      places.push(cni.at ?? groupAt);
    }
    const extra = setting(group, defaults, 'iam_role_additional_policies', newObject(), groupAt);
    const extraEntries = mapEntries(extra.value);
    if (extraEntries) {
      for (const [k, arn] of extraEntries) {
        arns.push(arn);
        places.push(extra.at ? `${extra.at}/${escapeToken(k)}` : groupAt);
      }
    } else {
      arns.push(mkUnknown('iam_role_additional_policies'));
      places.push(extra.at);
    }
    rb.values.managed_policy_arns = arns;
    places.forEach((p, i) => rb.place(`/managed_policy_arns/${i}`, p));
    out.push({ type: 'aws_iam_role', localAddress: `${prefix}aws_iam_role.this[0]`, values: rb.values, positions: rb.positions });
    roleArn = reference(call, `${prefix}aws_iam_role.this[0]`, 'arn', `${prefix}aws_iam_role.this[0].arn`);
  } else {
    roleArn = setting(group, defaults, 'iam_role_arn', mkUnknown('iam_role_arn'), groupAt).value;
  }

  const customTemplate = setting(group, defaults, 'use_custom_launch_template', true, groupAt).value !== false;
  const createTemplate = setting(group, defaults, 'create_launch_template', true, groupAt).value !== false;
  let launchTemplate: Value | undefined;
  if (customTemplate && createTemplate) {
    const lb = new ResourceBuilder(call);
    lb.place('', groupAt);
    const md = metadataOptions(call, group, defaults, groupAt);
    lb.values.metadata_options = [md.values];
    lb.place('/metadata_options', md.at ?? groupAt);
    lb.place('/metadata_options/0', md.at ?? groupAt);
    for (const k of Object.keys(md.values)) lb.place(`/metadata_options/0/${k}`, md.fieldAt(k));
    out.push({ type: 'aws_launch_template', localAddress: `${prefix}aws_launch_template.this[0]`, values: lb.values, positions: lb.positions });
    launchTemplate = obj({ id: reference(call, `${prefix}aws_launch_template.this[0]`, 'id', `${prefix}aws_launch_template.this[0].id`), version: mkUnknown('launch template default version') });
  }

  const nb = new ResourceBuilder(call);
  nb.place('', groupAt);
  const name = field(group, 'name');
  const usePrefix = setting(group, defaults, 'use_name_prefix', true, groupAt).value;
  const groupName = typeof name === 'string' ? name : key;
  if (usePrefix === false) nb.set('node_group_name', groupName, typeof name === 'string' ? `${groupAt}/name` : groupAt);
  else nb.set('node_group_name_prefix', `${groupName}-`, typeof name === 'string' ? `${groupAt}/name` : groupAt);
  nb.set('cluster_name', reference(call, CLUSTER, 'name', 'aws_eks_cluster.this[0].name'), groupAt);
  nb.set('node_role_arn', roleArn, createRole ? groupAt : `${groupAt}/iam_role_arn`);
  const ami = setting(group, defaults, 'ami_type', call.major >= 21 ? 'AL2023_x86_64_STANDARD' : null, groupAt);
  if (ami.value !== null) nb.set('ami_type', ami.value, ami.at ?? groupAt);
  if (launchTemplate) nb.set('launch_template', [launchTemplate], groupAt);
  out.push({ type: 'aws_eks_node_group', localAddress: `${prefix}aws_eks_node_group.this[0]`, values: nb.values, positions: nb.positions });
  return out;
}

function resources(call: ModelCall): ModelledResource[] {
  if (flag(call, 'create', true) === false) return [];
  const out: ModelledResource[] = [cluster(call)];
  if (flag(call, 'enable_irsa', true) === true) out.push(oidcProvider(call));
  const defaults = input(call, 'eks_managed_node_group_defaults', newObject());
  const groups = mapEntries(input(call, 'eks_managed_node_groups', newObject()));
  for (const [key, group] of groups ?? []) out.push(...nodeGroup(call, key, group, defaults));
  return out;
}

const model: ModuleModel = {
  address: 'terraform-aws-modules/eks/aws',
  subdirs: { 19: '', 20: '', 21: '' },
  documentedAt: [
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/master/docs/UPGRADE-21.0.md',
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v20.37.0/modules/eks-managed-node-group/variables.tf',
  ],
  resources,
  output(call, name) {
    if (name === 'oidc_provider_arn' && flag(call, 'enable_irsa', true) === true) return reference(call, OIDC, 'arn', 'module output oidc_provider_arn');
    if (name === 'cluster_name') return input(call, clusterNameInput(call.major), mkUnknown('cluster_name'));
    return undefined;
  },
};

export default model;
