/** Worker nodes in the scan: node groups, their launch templates, and the roles every pod on them inherits. */
import type { JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { RoleIndex } from './aws.js';
import { awsManagedPolicyName } from '../iam/aws-managed-policies.js';

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

/** The resource a reference points at (`aws_launch_template.x.id`, `!Ref NodeLaunchTemplate`), when in the scan. */
function referenced(model: Model, v: JsonValue | undefined, type: string): Resource | undefined {
  if (!isUnknown(v) || !v.ref) return undefined;
  const r = model.resourceById(v.ref.id);
  return r?.type === type ? r : undefined;
}

function byName(model: Model, type: string, key: string, name: JsonValue | undefined): Resource | undefined {
  if (typeof name !== 'string') return undefined;
  const last = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const hits = model.ofType(type).filter((r) => obj(r.body)?.[key] === last);
  return hits.length === 1 ? hits[0] : undefined;
}

/** The launch template a node group uses, when it names one in the scan. */
export function launchTemplateOf(model: Model, nodeGroup: Resource): Resource | undefined {
  const lt = obj(obj(nodeGroup.body)?.['launchTemplate']);
  if (!lt) return undefined;
  return referenced(model, lt['id'], 'aws.ec2.LaunchTemplate') ?? referenced(model, lt['name'], 'aws.ec2.LaunchTemplate') ?? byName(model, 'aws.ec2.LaunchTemplate', 'LaunchTemplateName', lt['name']);
}

/** True when the node group names a launch template at all (in the scan or not). */
export function hasLaunchTemplate(nodeGroup: Resource): boolean {
  const lt = obj(nodeGroup.body)?.['launchTemplate'];
  return lt !== undefined && lt !== null;
}

/** The role of a launch template's instance profile. */
export function launchTemplateRole(model: Model, lt: Resource, roles: RoleIndex): Resource | undefined {
  const profileRef = obj(obj(obj(lt.body)?.['LaunchTemplateData'])?.['IamInstanceProfile']);
  if (!profileRef) return undefined;
  const profile =
    referenced(model, profileRef['Arn'], 'aws.iam.InstanceProfile') ??
    referenced(model, profileRef['Name'], 'aws.iam.InstanceProfile') ??
    byName(model, 'aws.iam.InstanceProfile', 'InstanceProfileName', profileRef['Name'] ?? profileRef['Arn']);
  if (!profile) return undefined;
  const list = obj(profile.body)?.['Roles'];
  const first = Array.isArray(list) ? list[0] : undefined;
  const roleRef = obj(first)?.['RoleName'] ?? first;
  return roles.find(roleRef) ?? referenced(model, roleRef, 'aws.iam.Role') ?? byName(model, 'aws.iam.Role', 'RoleName', roleRef);
}

/** The node role of a node group: its `nodeRole`, else its launch template's instance profile role. */
export function nodeGroupRole(model: Model, nodeGroup: Resource, roles: RoleIndex): Resource | undefined {
  const body = obj(nodeGroup.body);
  const direct = roles.find(body?.['nodeRole']);
  if (direct) return direct;
  const lt = launchTemplateOf(model, nodeGroup);
  return lt ? launchTemplateRole(model, lt, roles) : undefined;
}

/** A role with AmazonEKSWorkerNodePolicy attached is a node role (self-managed node groups, eksctl stacks). */
export function hasWorkerNodePolicy(role: Resource): boolean {
  const attached = obj(role.body)?.['AttachedManagedPolicies'];
  if (!Array.isArray(attached)) return false;
  return attached.some((e) => awsManagedPolicyName(obj(e)?.['PolicyArn'] ?? e) === 'AmazonEKSWorkerNodePolicy');
}

export interface NodeRoleUse {
  role: Resource;
  /** What makes it a node role: the node groups and launch templates that use it. */
  users: Resource[];
}

/** Every worker node role in the scan, with the node groups and launch templates that use it. */
export function nodeRoles(model: Model): NodeRoleUse[] {
  const roles = RoleIndex.of(model);
  const byId = new Map<string, NodeRoleUse>();
  const add = (role: Resource | undefined, user?: Resource) => {
    if (!role) return;
    const entry = byId.get(role.id) ?? { role, users: [] };
    if (user && !entry.users.includes(user)) entry.users.push(user);
    byId.set(role.id, entry);
  };
  for (const ng of model.ofType('aws.eks.NodeGroup')) add(nodeGroupRole(model, ng, roles), ng);
  for (const lt of model.ofType('aws.ec2.LaunchTemplate')) {
    const role = launchTemplateRole(model, lt, roles);
    if (role && (hasWorkerNodePolicy(role) || byId.has(role.id))) add(role, lt);
  }
  for (const role of model.ofType('aws.iam.Role')) if (hasWorkerNodePolicy(role)) add(role);
  return [...byId.values()];
}
