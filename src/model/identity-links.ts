/**
 * Which ServiceAccount is meant to get which cloud identity, read from the model once for the
 * reports' identity map (ServiceAccount → cloud identity → what it can do → findings).
 */
import type { JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { RoleIndex } from '../rules-support/aws.js';
import { clusterOfResource } from '../federation/issuers.js';
import { AWS_ROLE_ARN_ANNOTATION, AZURE_CLIENT_ID_ANNOTATION, GCP_SERVICE_ACCOUNT_ANNOTATION } from '../model/annotations.js';
import type { IdentityLink } from '../engine/result.js';

const ANNOTATIONS: { key: string; provider: IdentityLink['provider']; mechanism: IdentityLink['mechanism'] }[] = [
  { key: AWS_ROLE_ARN_ANNOTATION, provider: 'aws', mechanism: 'irsa' },
  { key: AZURE_CLIENT_ID_ANNOTATION, provider: 'azure', mechanism: 'azure-workload-identity' },
  { key: GCP_SERVICE_ACCOUNT_ANNOTATION, provider: 'gcp', mechanism: 'gke-workload-identity' },
];

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
}

function shown(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (isUnknown(value)) return `(unresolved: ${value.$unknown})`;
  return '(unresolved)';
}

/** Policy names a role carries: managed policy names or ARNs, and inline policy names. */
function rolePermissions(role: Resource): string[] {
  const out: string[] = [];
  const attached = field(role.body, 'AttachedManagedPolicies');
  if (Array.isArray(attached)) {
    for (const p of attached) {
      const name = field(p, 'PolicyName') ?? field(p, 'PolicyArn');
      if (typeof name === 'string') out.push(name.replace(/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//, ''));
    }
  }
  const inline = field(role.body, 'RolePolicyList');
  if (Array.isArray(inline)) {
    for (const p of inline) {
      const name = field(p, 'PolicyName');
      out.push(typeof name === 'string' ? `inline: ${name}` : 'inline policy');
    }
  }
  return out;
}

function identityEnd(role: Resource | undefined): Pick<IdentityLink, 'identityResourceId' | 'identityName' | 'permissions'> {
  if (!role) return {};
  const name = field(role.body, 'RoleName');
  return { identityResourceId: role.id, identityName: typeof name === 'string' ? name : role.name, permissions: rolePermissions(role) };
}

function clustersTrusting(model: Model, role: Resource): string[] {
  const names = new Set<string>();
  for (const f of model.federationsOf(role)) if (f.issuer.cluster) names.add(f.issuer.cluster);
  return [...names].sort();
}

/** The scanned Google service account (by email) or Azure managed identity (by client id) an annotation names. */
function otherCloudIdentity(model: Model, provider: IdentityLink['provider'], value: JsonValue | undefined): Resource | undefined {
  if (typeof value !== 'string') return undefined;
  const wanted = value.toLowerCase();
  // Not String(): an unresolved value loaded from a saved inventory is an object without a prototype.
  const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v.toLowerCase() : '');
  if (provider === 'gcp') return model.ofType('gcp.iam.ServiceAccount').find((r) => text(field(r.body, 'email')) === wanted);
  if (provider === 'azure') return model.ofType('azure.msi.UserAssignedIdentity').find((r) => text(field(field(r.body, 'properties'), 'clientId')) === wanted);
  return undefined;
}

export function identityLinks(model: Model): IdentityLink[] {
  const roles = new RoleIndex(model);
  const links: IdentityLink[] = [];
  const linkedRoles = new Set<string>();
  for (const sa of model.ofType('k8s.ServiceAccount')) {
    const annotations = field(field(sa.body, 'metadata'), 'annotations');
    for (const a of ANNOTATIONS) {
      const value = field(annotations, a.key);
      if (value === undefined) continue;
      const role = a.provider === 'aws' ? roles.find(value) : undefined;
      if (role) linkedRoles.add(role.id);
      const other = a.provider === 'aws' ? undefined : otherCloudIdentity(model, a.provider, value);
      links.push({
        serviceAccount: { id: sa.id, name: sa.name, ...(sa.cluster !== undefined ? { cluster: sa.cluster } : {}) },
        provider: a.provider,
        mechanism: a.mechanism,
        identity: typeof value === 'string' || !role ? shown(value) : (identityEnd(role).identityName ?? shown(value)),
        ...identityEnd(role),
        ...(other ? { identityResourceId: other.id } : {}),
      });
    }
  }
  for (const assoc of model.ofType('aws.eks.PodIdentityAssociation')) {
    const ns = field(assoc.body, 'namespace');
    const sa = field(assoc.body, 'serviceAccount');
    const cluster = field(assoc.body, 'clusterName');
    const roleArn = field(assoc.body, 'roleArn');
    const role = roles.find(roleArn);
    if (role) linkedRoles.add(role.id);
    links.push({
      serviceAccount: {
        id: assoc.id,
        name: `${typeof ns === 'string' ? ns : '?'}/${typeof sa === 'string' ? sa : '?'}`,
        ...(typeof cluster === 'string' ? { cluster } : {}),
      },
      provider: 'aws',
      mechanism: 'pod-identity',
      identity: typeof roleArn === 'string' || !role ? shown(roleArn) : (identityEnd(role).identityName ?? shown(roleArn)),
      ...identityEnd(role),
    });
  }
  // Roles that federate to a cluster or an OIDC issuer but that no scanned ServiceAccount names.
  for (const role of model.ofType('aws.iam.Role')) {
    if (linkedRoles.has(role.id) || model.federationsOf(role).length === 0) continue;
    const end = identityEnd(role);
    links.push({ provider: 'aws', mechanism: model.federationsOf(role)[0]!.mechanism, identity: end.identityName ?? role.name, ...end });
  }
  return links;
}

/** Resource id → the clusters it belongs to (Kubernetes objects) or whose issuer it trusts (roles). */
/** Node groups, node pools and associations name their cluster in the body: by name or by reference. */
function clusterNamedInBody(model: Model, r: Resource): string | undefined {
  const body = r.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const named = (body as Record<string, JsonValue>).clusterName ?? (body as Record<string, JsonValue>).cluster;
  if (typeof named === 'string') return model.cluster(named)?.name;
  if (isUnknown(named) && named.ref) return clusterOfResource(named.ref.id, model)?.name;
  return undefined;
}

export function resourceClusters(model: Model): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  // One list per cluster, shared by its objects: a large cluster has hundreds of thousands.
  const single = new Map<string, string[]>();
  const all = model.resources;
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    const own = r.cluster ?? clusterNamedInBody(model, r);
    if (own !== undefined) {
      let list = single.get(own);
      if (!list) single.set(own, (list = [own]));
      out[r.id] = list;
    } else if (r.type === 'aws.iam.Role') {
      const names = clustersTrusting(model, r);
      if (names.length > 0) out[r.id] = names;
    }
  }
  return out;
}
