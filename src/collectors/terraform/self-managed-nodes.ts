/**
 * Auto Scaling groups of self-managed worker nodes. Every group is mapped in the node group shape;
 * one stays in the inventory only when something ties it to a cluster: a `kubernetes.io/cluster/<name>`
 * tag, EKS bootstrap user data in its launch template (`/etc/eks/bootstrap.sh`, nodeadm's `NodeConfig`),
 * or an instance role that is a node role (AmazonEKSWorkerNodePolicy, an EC2 access entry, an aws-auth
 * mapping). Any other group (a bastion) runs no pods, so its instance metadata is not the node role's.
 */
import type { CoverageNote, JsonValue, Resource } from '../../model/types.js';
import { awsManagedPolicyName } from '../../iam/aws-managed-policies.js';
import { type ObjectValue, type Value, encodedValue, isObject, isUnknown, templatePieces } from './values.js';

/** A resource as configured (a `.tf` instance, a plan's resource): its id, type and attribute values. */
export interface ConfiguredResource {
  id: string;
  type: string;
  values: ObjectValue;
}

const CLUSTER_TAG = 'kubernetes.io/cluster/';
const BOOTSTRAP = /\/etc\/eks\/bootstrap\.sh|\bkind:\s*['"]?NodeConfig\b|"kind"\s*:\s*"NodeConfig"/;
const MAX_WALK = 32;

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue | Value | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

class Lookup {
  private readonly byId = new Map<string, Resource>();
  constructor(private readonly resources: Resource[]) {
    for (const r of resources) if (!this.byId.has(r.id)) this.byId.set(r.id, r);
  }

  /** The resource a value names: a reference to it, or its name (the last segment of an ARN) when one of `type` has it. */
  find(v: JsonValue | undefined, type: string, nameKey: string): Resource | undefined {
    if (isUnknown(v)) {
      const r = v.ref ? this.byId.get(v.ref.id) : undefined;
      return r?.type === type ? r : undefined;
    }
    if (typeof v !== 'string') return undefined;
    const name = v.slice(v.lastIndexOf('/') + 1);
    const hits = this.resources.filter((r) => r.type === type && obj(r.body)?.[nameKey] === name);
    return hits.length === 1 ? hits[0] : undefined;
  }
}

/** Whether a value names the role: a reference to it, its name in an ARN, or either inside encoded or interpolated text. */
function mentionsRole(v: Value | JsonValue | undefined, role: Resource, depth = 0): boolean {
  if (v === undefined || v === null || depth > MAX_WALK) return false;
  const name = obj(role.body)?.['RoleName'];
  if (typeof v === 'string') return typeof name === 'string' && v.includes(`:role/${name}`);
  if (isUnknown(v)) {
    if (v.ref?.id === role.id) return true;
    const encoded = encodedValue.get(v);
    if (encoded !== undefined && mentionsRole(encoded, role, depth + 1)) return true;
    return (templatePieces.get(v) ?? []).some((p) => ('unknown' in p ? mentionsRole(p.unknown, role, depth + 1) : mentionsRole(p.text, role, depth + 1)));
  }
  if (Array.isArray(v)) return v.some((x) => mentionsRole(x, role, depth + 1));
  if (isObject(v as Value)) return Object.values(v as Record<string, Value>).some((x) => mentionsRole(x, role, depth + 1));
  return false;
}

function bootstraps(userData: JsonValue | undefined): boolean {
  if (typeof userData === 'string') return BOOTSTRAP.test(Buffer.from(userData, 'base64').toString('utf8')) || BOOTSTRAP.test(userData);
  // Rendered at apply time (`base64encode(templatefile(...))`, a heredoc with references): its written text still says what it runs.
  return isUnknown(userData) && BOOTSTRAP.test(userData.$unknown);
}

function hasWorkerPolicy(role: Resource): boolean {
  const attached = obj(role.body)?.['AttachedManagedPolicies'];
  return Array.isArray(attached) && attached.some((e) => awsManagedPolicyName(obj(e)?.['PolicyArn'] ?? e) === 'AmazonEKSWorkerNodePolicy');
}

function isNodeRole(role: Resource, instances: ConfiguredResource[]): boolean {
  if (hasWorkerPolicy(role)) return true;
  return instances.some((inst) => {
    const v = inst.values;
    if (inst.type === 'aws_eks_access_entry') return (v.type === 'EC2_LINUX' || v.type === 'EC2_WINDOWS') && mentionsRole(v.principal_arn, role);
    if (!/^kubernetes_config_map(_v1)?(_data)?$/.test(inst.type)) return false;
    const meta = Array.isArray(v.metadata) ? v.metadata[0] : undefined;
    const data = v.data;
    return isObject(meta) && meta.name === 'aws-auth' && isObject(data) && mentionsRole(data.mapRoles, role);
  });
}

/**
 * The resources without the Auto Scaling groups nothing ties to a cluster; a tied group's cluster tag
 * names its cluster. A group whose launch template or instance role is not in the scan, so that the
 * tie cannot be checked, is left out with a note saying so.
 */
export function keepClusterNodeGroups(instances: ConfiguredResource[], resources: Resource[], note: (n: CoverageNote) => void): Resource[] {
  const groups = new Set(instances.filter((i) => i.type === 'aws_autoscaling_group').map((i) => i.id));
  if (groups.size === 0) return resources;
  const lookup = new Lookup(resources);
  return resources.filter((r) => {
    if (!groups.has(r.id) || r.type !== 'aws.eks.NodeGroup') return true;
    const tie = clusterTie(r, lookup, instances);
    if (tie === 'unknown') {
      note({
        kind: 'unresolved',
        level: 'note',
        file: r.file,
        line: r.positions['']?.line ?? 1,
        message: `${r.address ?? r.name}: its launch template or instance role is not in the scan, so podtrust cannot tell whether it runs Kubernetes nodes; tag it \`kubernetes.io/cluster/<name>\` if it does`,
      });
    }
    return tie === 'tied';
  });
}

function clusterTie(r: Resource, lookup: Lookup, instances: ConfiguredResource[]): 'tied' | 'not-tied' | 'unknown' {
  const body = obj(r.body) ?? {};
  const tag = Object.keys(obj(body['tags']) ?? {}).find((k) => k.startsWith(CLUSTER_TAG) && k.length > CLUSTER_TAG.length);
  if (tag) {
    body['clusterName'] = tag.slice(CLUSTER_TAG.length);
    return 'tied';
  }
  const ref = obj(body['launchTemplate']);
  const lt = lookup.find(ref?.['id'], 'aws.ec2.LaunchTemplate', 'LaunchTemplateName') ?? lookup.find(ref?.['name'], 'aws.ec2.LaunchTemplate', 'LaunchTemplateName');
  if (!lt) return 'unknown';
  const data = obj(obj(lt.body)?.['LaunchTemplateData']);
  if (bootstraps(data?.['UserData'])) return 'tied';
  const profileRef = obj(data?.['IamInstanceProfile']);
  if (!profileRef) return 'not-tied';
  const profile =
    lookup.find(profileRef['Arn'], 'aws.iam.InstanceProfile', 'InstanceProfileName') ?? lookup.find(profileRef['Name'], 'aws.iam.InstanceProfile', 'InstanceProfileName');
  const roles = obj(profile?.body)?.['Roles'];
  const role = lookup.find(Array.isArray(roles) ? roles[0] : undefined, 'aws.iam.Role', 'RoleName');
  if (!role) return 'unknown';
  return isNodeRole(role, instances) ? 'tied' : 'not-tied';
}
