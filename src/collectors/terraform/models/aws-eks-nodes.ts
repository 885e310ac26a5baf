/**
 * What terraform-aws-modules/eks's node group submodules share: per-group settings with the module-wide defaults
 * map (v19/v20; removed in v21), the node IAM role and the launch template's `metadata_options`.
 * Metadata options: v19/v20 take the entry's map, else the defaults map's, else `{ http_endpoint = "enabled",
 * http_tokens = "required", http_put_response_hop_limit = 2 }` (a given map replaces the default whole);
 * v21 types the map with per-attribute defaults and lowered the hop limit default to 1 (UPGRADE-21.0.md).
 */
import { escapeToken } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject } from '../values.js';
import { ResourceBuilder, field, input, mapEntries, obj } from './support.js';
import type { ModelCall, ModelledResource } from './types.js';

const NODE_BASELINE = ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'];
const CNI_POLICY = 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy';

/**
 * One node group: an entry of the root module's `eks_managed_node_groups` / `self_managed_node_groups`, or the
 * inputs of a direct call of the `eks-managed-node-group` / `self-managed-node-group` submodule.
 */
export class NodeGroupEntry {
  private readonly defaults: Value;

  private constructor(
    readonly call: ModelCall,
    /** The map key (root) or the `name` input (submodule): the group's name unless it gives one. */
    readonly key: string,
    readonly group: Value,
    /** Input pointer of the group's settings. */
    readonly at: string,
    private readonly defaultsInput: string | undefined,
  ) {
    // v21 removed the defaults maps (callers merge locals into each entry instead).
    this.defaults = defaultsInput === undefined || call.major >= 21 ? newObject() : input(call, defaultsInput, newObject());
  }

  static ofRoot(call: ModelCall, key: string, group: Value, kind: 'eks_managed' | 'self_managed'): NodeGroupEntry {
    return new NodeGroupEntry(call, key, group, `/${kind}_node_groups/${escapeToken(key)}`, `${kind}_node_group_defaults`);
  }

  static ofSubmodule(call: ModelCall): NodeGroupEntry {
    const name = input(call, 'name', '');
    return new NodeGroupEntry(call, typeof name === 'string' ? name : '', call.inputs, '', undefined);
  }

  /** A setting: the entry's value, else the defaults map's, else the module's default. */
  setting(name: string, fallback: Value): { value: Value; at?: string } {
    const own = field(this.group, name);
    if (own !== undefined && own !== null) return { value: own, at: `${this.at}/${name}` };
    const shared = field(this.defaults, name);
    if (shared !== undefined && shared !== null) return { value: shared, at: `/${this.defaultsInput ?? ''}/${name}` };
    return { value: fallback };
  }

  /** The group's name: its `name`, else its key. */
  name(): { value: string; at: string } {
    const name = field(this.group, 'name');
    return typeof name === 'string' ? { value: name, at: `${this.at}/name` } : { value: this.key, at: this.at };
  }
}

/**
 * The node role's name as the submodule computes it: `iam_role_name`, else the group's name plus `suffix`
 * (`-eks-node-group` for managed, `-node-group` for self-managed groups), used as a prefix (`<name>-`) unless
 * `iam_role_use_name_prefix = false`. The same name is given to a self-managed group's instance profile.
 */
export function nodeRoleName(g: NodeGroupEntry, suffix: string): { attribute: 'name' | 'name_prefix'; value: Value; at: string } {
  const given = g.setting('iam_role_name', null);
  const groupName = g.name();
  const base: Value = given.value !== null ? given.value : `${groupName.value}${suffix}`;
  const at = given.at ?? groupName.at;
  const prefix = g.setting('iam_role_use_name_prefix', true).value !== false;
  if (!prefix) return { attribute: 'name', value: base, at };
  return { attribute: 'name_prefix', value: typeof base === 'string' ? `${base}-` : mkUnknown('iam_role_name + "-"'), at };
}

/** The node IAM role (trusted by EC2) with the policies the submodule attaches. */
export function nodeRole(g: NodeGroupEntry, localAddress: string, name: ReturnType<typeof nodeRoleName>): ModelledResource {
  const rb = new ResourceBuilder(g.call);
  rb.place('', g.at);
  rb.set(name.attribute, name.value, name.at);
  rb.set('assume_role_policy', obj({
    Version: '2012-10-17',
    Statement: [obj({ Sid: 'EKSNodeAssumeRole', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: obj({ Service: 'ec2.amazonaws.com' }) })],
  }), g.at);
  const arns: Value[] = [...NODE_BASELINE];
  const places: (string | undefined)[] = [g.at, g.at];
  const cni = g.setting('iam_role_attach_cni_policy', true);
  if (cni.value !== false) {
    arns.push(CNI_POLICY);
    places.push(cni.at ?? g.at);
  }
  const extra = g.setting('iam_role_additional_policies', newObject());
  const extraEntries = mapEntries(extra.value);
  if (extraEntries) {
    for (const [k, arn] of extraEntries) {
      arns.push(arn);
      places.push(extra.at ? `${extra.at}/${escapeToken(k)}` : g.at);
    }
  } else {
    arns.push(mkUnknown('iam_role_additional_policies'));
    places.push(extra.at);
  }
  rb.values.managed_policy_arns = arns;
  places.forEach((p, i) => rb.place(`/managed_policy_arns/${i}`, p));
  return { type: 'aws_iam_role', localAddress, values: rb.values, positions: rb.positions };
}

/** Writes the launch template's `metadata_options` block into a builder. */
export function placeMetadataOptions(g: NodeGroupEntry, lb: ResourceBuilder): void {
  const hop = g.call.major >= 21 ? 1 : 2;
  const fallback = obj({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: hop });
  const chosen = g.setting('metadata_options', fallback);
  const given = isObject(chosen.value) ? chosen.value : isUnknown(chosen.value) ? undefined : newObject();
  const out: ObjectValue = newObject();
  const explicit = new Set<string>();
  if (!given) {
    for (const k of ['http_endpoint', 'http_tokens', 'http_put_response_hop_limit']) out[k] = mkUnknown(`metadata_options.${k}`);
  } else {
    for (const [k, v] of Object.entries(given)) if (v !== null) (out[k] = v), explicit.add(k);
    // v21 fills the attributes a given map leaves out; v19/v20 pass the map as given.
    if (g.call.major >= 21 || chosen.at === undefined) for (const [k, v] of Object.entries(fallback)) if (out[k] === undefined) out[k] = v;
  }
  lb.values.metadata_options = [out];
  lb.place('/metadata_options', chosen.at ?? g.at);
  lb.place('/metadata_options/0', chosen.at ?? g.at);
  for (const k of Object.keys(out)) lb.place(`/metadata_options/0/${k}`, chosen.at && explicit.has(k) ? `${chosen.at}/${k}` : chosen.at ?? g.at);
}
