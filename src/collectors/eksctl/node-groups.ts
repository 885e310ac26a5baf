/**
 * `nodeGroups` (self-managed) and `managedNodeGroups` of an eksctl ClusterConfig → a node group, the launch
 * template eksctl writes for it, and the node role eksctl creates (or the one the file names).
 *
 * Defaults, from eksctl's source (pkg/apis/eksctl.io/v1alpha5/defaults.go `setNodeGroupBaseDefaults`,
 * pkg/cfn/builder/nodegroup.go `makeMetadataOptions`, used for both kinds of node group): `disableIMDSv1` is true
 * and `disablePodIMDS` false unless set, so the launch template has `HttpTokens: required` (optional only when
 * `disableIMDSv1: false` and not `disablePodIMDS`) and `HttpPutResponseHopLimit: 2` (1 with `disablePodIMDS`).
 * A managed node group given its own `launchTemplate` uses that template: its metadata options are not in the file.
 * Self-managed node groups are auto scaling groups, not EKS node groups; they are modelled as `aws.eks.NodeGroup`
 * all the same (with `selfManaged: true`), so the rules about worker nodes read both kinds alike.
 */
import type { JsonObject, JsonValue, Resource } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { unresolved } from '../gcp/unresolved.js';
import { createObject } from '../../util/structured.js';
import { asObject, type EksctlContext, type RoleSpec } from './context.js';
import { defaultNodePolicies, nodeAddonPolicies } from './policies.js';

/**
 * EKS AMI type of a Windows AMI family (`WindowsServer2022CoreContainer` → `WINDOWS_CORE_2022_x86_64`), as eksctl's
 * `GetAMIType` maps the 2019/2022/2025 families; the retired semi-annual builds (2004, 20H2), self-managed only, are
 * named the same way so that rules still see a Windows node group.
 */
export function windowsAmiType(family: JsonValue | undefined): string | undefined {
  if (typeof family !== 'string') return undefined;
  const m = /^WindowsServer(\d{4}|20H2)(Core|Full)Container$/i.exec(family);
  return m ? `WINDOWS_${m[2]!.toUpperCase()}_${m[1]!.toUpperCase()}_x86_64` : undefined;
}

/** The node role's managed and inline policies: `attachPolicyARNs`, `attachPolicy`, `withAddonPolicies` and eksctl's defaults. */
function nodePolicies(ctx: EksctlContext, iam: JsonObject | undefined, ptr: string, managed: boolean, withOidc: boolean): Pick<RoleSpec, 'managed' | 'inline'> {
  const iamPtr = `${ptr}/iam`;
  const explicit = ctx.arnList(iam, 'attachPolicyARNs', iamPtr);
  const addons = ctx.flagPolicies(iam, 'withAddonPolicies', iamPtr, nodeAddonPolicies);
  const imageBuilder = asObject(iam?.['withAddonPolicies'])?.['imageBuilder'] === true;
  const managedArns = [...explicit, ...ctx.managed(defaultNodePolicies({ explicitArns: explicit.length > 0, withOidc, managed, imageBuilder }), ptr), ...addons.managed];
  const inline: RoleSpec['inline'] = iam?.['attachPolicy'] !== undefined && iam['attachPolicy'] !== null ? [{ name: 'Policy1', document: iam['attachPolicy'], ptr: `${iamPtr}/attachPolicy`, written: true }] : [];
  return { managed: managedArns, inline: [...inline, ...addons.inline] };
}

/** `HttpTokens` / `HttpPutResponseHopLimit` eksctl writes; a flag that is not a boolean leaves its option unknown. */
function metadataOptions(ng: JsonObject, ptr: string): { options: JsonObject; at: [string, string][] } {
  const flag = (key: string, fallback: boolean): JsonValue => {
    const v = ng[key];
    if (v === undefined || v === null) return fallback;
    return typeof v === 'boolean' ? v : unresolved(`${key} of node group ${String(ng['name'])}`);
  };
  const v1Off = flag('disableIMDSv1', true);
  const podOff = flag('disablePodIMDS', false);
  const tokens = v1Off === true || podOff === true ? 'required' : isUnknown(v1Off) || isUnknown(podOff) ? unresolved(`HttpTokens eksctl writes for node group ${String(ng['name'])}`) : 'optional';
  const hop = isUnknown(podOff) ? podOff : podOff ? 1 : 2;
  const tokensAt = ng['disableIMDSv1'] !== undefined ? `${ptr}/disableIMDSv1` : ng['disablePodIMDS'] !== undefined ? `${ptr}/disablePodIMDS` : ptr;
  const hopAt = ng['disablePodIMDS'] !== undefined ? `${ptr}/disablePodIMDS` : ptr;
  return {
    options: { HttpTokens: tokens, HttpPutResponseHopLimit: hop },
    at: [
      ['/LaunchTemplateData/MetadataOptions', ptr],
      ['/LaunchTemplateData/MetadataOptions/HttpTokens', tokensAt],
      ['/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', hopAt],
    ],
  };
}

function nodeGroup(ctx: EksctlContext, ng: JsonObject, ptr: string, managed: boolean, withOidc: boolean): void {
  const name = typeof ng['name'] === 'string' && ng['name'] !== '' ? ng['name'] : undefined;
  if (!name) {
    ctx.note('unsupported', 'warning', ptr, 'eksctl ClusterConfig: a node group without a name is not read');
    return;
  }
  const iam = asObject(ng['iam']);
  const iamPtr = `${ptr}/iam`;
  const profileArn = managed ? undefined : typeof iam?.['instanceProfileARN'] === 'string' && iam['instanceProfileARN'] !== '' ? iam['instanceProfileARN'] : undefined;
  const roleArn = typeof iam?.['instanceRoleARN'] === 'string' && iam['instanceRoleARN'] !== '' ? iam['instanceRoleARN'] : undefined;
  let role: Resource | undefined;
  if (!profileArn && !roleArn) {
    const policies = nodePolicies(ctx, iam, ptr, managed, withOidc);
    const roleName = iam?.['instanceRoleName'];
    const boundary = iam?.['instanceRolePermissionsBoundary'];
    role = ctx.role({
      key: `nodegroup/${name}`,
      display: `eksctl-${ctx.clusterName}-nodegroup-${name}-NodeInstanceRole`,
      entryPtr: ptr,
      ...(typeof roleName === 'string' && roleName !== '' ? { roleName: { value: roleName, ptr: `${iamPtr}/instanceRoleName` } } : {}),
      trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: ['ec2.amazonaws.com'] } }] },
      trustAt: [],
      ...policies,
      ...(typeof boundary === 'string' && boundary !== '' ? { boundary: { value: boundary, ptr: `${iamPtr}/instanceRolePermissionsBoundary` } } : {}),
    });
  }
  const nodeRole: JsonValue | undefined = role ? ctx.ref(role, 'Arn', `ARN of node role of ${name}`) : roleArn;

  const body = createObject();
  body['nodegroupName'] = name;
  body['clusterName'] = ctx.clusterName;
  if (!managed) body['selfManaged'] = true;
  const at = ctx.positions().place('', ptr).place('/nodegroupName', `${ptr}/name`);
  if (nodeRole !== undefined) {
    body['nodeRole'] = nodeRole;
    at.place('/nodeRole', roleArn ? `${iamPtr}/instanceRoleARN` : ptr);
  } else {
    body['nodeRole'] = unresolved(`role of instance profile ${profileArn}`);
    at.place('/nodeRole', `${iamPtr}/instanceProfileARN`);
  }
  const amiType = windowsAmiType(ng['amiFamily']);
  if (amiType) {
    body['amiType'] = amiType;
    at.place('/amiType', `${ptr}/amiFamily`);
  }

  const own = managed ? asObject(ng['launchTemplate']) : undefined;
  if (own) {
    // The file's own template (`launchTemplate.id`): what it says about IMDS is not in the file.
    const lt = createObject();
    if (own['id'] !== undefined) lt['id'] = own['id'];
    if (own['version'] !== undefined) lt['version'] = own['version'];
    body['launchTemplate'] = lt;
    at.place('/launchTemplate', `${ptr}/launchTemplate`);
    ctx.note('unresolved', 'note', `${ptr}/launchTemplate`, `eksctl ClusterConfig: managed node group ${name} uses launch template ${String(own['id'] ?? '(no id)')}, which is not in the file: its metadata options (IMDS) are not known`);
  } else {
    const lt = launchTemplate(ctx, ng, ptr, name, managed, role, profileArn, roleArn);
    body['launchTemplate'] = { id: ctx.ref(lt, 'LaunchTemplateId', `launch template eksctl creates for ${name}`) };
    at.place('/launchTemplate', ptr);
  }
  ctx.add('nodegroup', name, 'aws.eks.NodeGroup', name, body, at);
}

/** The launch template eksctl creates, and for self-managed nodes the instance profile it names. */
function launchTemplate(ctx: EksctlContext, ng: JsonObject, ptr: string, name: string, managed: boolean, role: Resource | undefined, profileArn: string | undefined, roleArn: string | undefined): Resource {
  const { options, at: optionsAt } = metadataOptions(ng, ptr);
  const data: JsonObject = { MetadataOptions: options };
  const at = ctx.positions().place('', ptr).place('/LaunchTemplateData', ptr);
  for (const [out, docPtr] of optionsAt) at.place(out, docPtr);
  if (!managed) {
    if (profileArn) {
      data['IamInstanceProfile'] = { Arn: profileArn };
      at.place('/LaunchTemplateData/IamInstanceProfile', `${ptr}/iam/instanceProfileARN`);
    } else {
      const roleRef: JsonValue = role ? (ctx.ref(role, 'RoleName', `name of node role of ${name}`)) : (roleArn!.slice(roleArn!.lastIndexOf('/') + 1));
      const profile = ctx.add('instance-profile', name, 'aws.iam.InstanceProfile', `eksctl-${ctx.clusterName}-nodegroup-${name}-NodeInstanceProfile`, { InstanceProfileName: unresolved(`instance profile eksctl creates for ${name}`), Roles: [{ RoleName: roleRef }] }, ctx.positions().place('', ptr));
      data['IamInstanceProfile'] = { Arn: ctx.ref(profile, 'Arn', `instance profile of ${name}`) };
      at.place('/LaunchTemplateData/IamInstanceProfile', ptr);
    }
  }
  return ctx.add('launch-template', name, 'aws.ec2.LaunchTemplate', `eksctl-${ctx.clusterName}-nodegroup-${name}`, { LaunchTemplateName: unresolved(`launch template eksctl creates for ${name}`), LaunchTemplateData: data }, at);
}

export function nodeGroups(ctx: EksctlContext, withOidc: boolean): void {
  for (const [ng, ptr] of ctx.entries(ctx.config, 'nodeGroups', '')) nodeGroup(ctx, ng, ptr, false, withOidc);
  for (const [ng, ptr] of ctx.entries(ctx.config, 'managedNodeGroups', '')) nodeGroup(ctx, ng, ptr, true, withOidc);
}
