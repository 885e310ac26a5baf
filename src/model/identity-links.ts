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
import { identityPermissionReader, identityScope } from './identity-permissions.js';

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

/** The identity end of a link: the scanned identity, what it can do and where it lives. */
function identityEnd(
  canDo: (identity: Resource) => string[],
  provider: IdentityLink['provider'],
  identity: Resource | undefined,
  named: JsonValue | undefined,
): Pick<IdentityLink, 'identityResourceId' | 'identityName' | 'permissions' | 'scope'> {
  const scope = identityScope(provider, identity, named);
  const where = scope !== undefined ? { scope } : {};
  if (!identity) return where;
  const name = identity.type === 'aws.iam.Role' ? field(identity.body, 'RoleName') : undefined;
  return {
    identityResourceId: identity.id,
    ...(identity.type === 'aws.iam.Role' ? { identityName: typeof name === 'string' ? name : identity.name } : {}),
    permissions: canDo(identity),
    ...where,
  };
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
  const roles = RoleIndex.of(model);
  const canDo = identityPermissionReader(model);
  const end = (provider: IdentityLink['provider'], identity: Resource | undefined, named: JsonValue | undefined) => identityEnd(canDo, provider, identity, named);
  const links: IdentityLink[] = [];
  const linkedRoles = new Set<string>();
  for (const sa of model.ofType('k8s.ServiceAccount')) {
    const annotations = field(field(sa.body, 'metadata'), 'annotations');
    for (const a of ANNOTATIONS) {
      const value = field(annotations, a.key);
      if (value === undefined) continue;
      const role = a.provider === 'aws' ? roles.find(value) : undefined;
      if (role) linkedRoles.add(role.id);
      const identity = role ?? (a.provider === 'aws' ? undefined : otherCloudIdentity(model, a.provider, value));
      const ends = end(a.provider, identity, value);
      links.push({
        serviceAccount: { id: sa.id, name: sa.name, ...(sa.cluster !== undefined ? { cluster: sa.cluster } : {}) },
        provider: a.provider,
        mechanism: a.mechanism,
        identity: typeof value === 'string' || !role ? shown(value) : (ends.identityName ?? shown(value)),
        ...ends,
      });
    }
  }
  for (const assoc of model.ofType('aws.eks.PodIdentityAssociation')) {
    const ns = field(assoc.body, 'namespace');
    const sa = field(assoc.body, 'serviceAccount');
    const cluster = field(assoc.body, 'clusterName');
    // With a target role (role chaining), the pod ends up with the target, not the association's own role.
    const target = field(assoc.body, 'targetRoleArn');
    const own = field(assoc.body, 'roleArn');
    const ownRole = roles.find(own);
    if (ownRole) linkedRoles.add(ownRole.id);
    const roleArn = target !== undefined && target !== null ? target : own;
    const role = roles.find(roleArn);
    if (role) linkedRoles.add(role.id);
    const ends = end('aws', role, roleArn);
    links.push({
      serviceAccount: {
        id: assoc.id,
        name: `${typeof ns === 'string' ? ns : '?'}/${typeof sa === 'string' ? sa : '?'}`,
        ...(typeof cluster === 'string' ? { cluster } : {}),
      },
      provider: 'aws',
      mechanism: 'pod-identity',
      identity: typeof roleArn === 'string' || !role ? shown(roleArn) : (ends.identityName ?? shown(roleArn)),
      ...ends,
    });
  }
  // Roles that federate to a cluster or an OIDC issuer but that no scanned ServiceAccount names.
  for (const role of model.ofType('aws.iam.Role')) {
    if (linkedRoles.has(role.id) || model.federationsOf(role).length === 0) continue;
    const ends = end('aws', role, undefined);
    links.push({ provider: 'aws', mechanism: model.federationsOf(role)[0]!.mechanism, identity: ends.identityName ?? role.name, ...ends });
  }
  return links;
}

/** Node groups, node pools and associations name their cluster in the body: by name or by reference. */
function clusterNamedInBody(model: Model, r: Resource): string | undefined {
  const body = r.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const named = (body as Record<string, JsonValue>).clusterName ?? (body as Record<string, JsonValue>).cluster;
  if (typeof named === 'string') return model.cluster(named)?.name;
  if (isUnknown(named) && named.ref) return clusterOfResource(named.ref.id, model)?.name;
  return undefined;
}

/**
 * Resource id → the clusters it belongs to (Kubernetes objects) or whose issuer it trusts (roles);
 * only for the resources in `named` when given (those a report names: findings' resources and
 * identities): a map of every object of a large cluster, kept with the result, was one entry and
 * one id string per object.
 */
export function resourceClusters(model: Model, named?: ReadonlySet<string>): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  // One list per cluster, shared by its objects: a large cluster has hundreds of thousands.
  const single = new Map<string, string[]>();
  const all = model.resources;
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    if (named && !named.has(r.id)) continue;
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
