/** Issuer identification: which system a token issuer is, and which scanned provider/cluster it is. */
import type { InventoryIndex } from '../model/types.js';
import type { ClusterInfo, JsonValue, Resource, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { ciIssuerByHost } from './ci-issuers.js';
import type { Issuer, IssuerKind } from './types.js';

const OTHER_KNOWN_HOSTS = new Set([
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'sts.windows.net',
  'login.microsoftonline.com',
]);
const OTHER_KNOWN_DOMAINS = ['.auth0.com', '.okta.com'];

const EKS_HOST = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const EKS_DUAL_STACK_HOST = /^oidc-eks\.[a-z0-9-]+\.api\.aws$/;
const AKS_DOMAIN = '.oic.prod-aks.azure.com';

const OIDC_PROVIDER_ARN = /^arn:[^:]*:iam::[^:]*:oidc-provider\/(.+)$/;

/** Strips the scheme and trailing slashes and lower-cases the host (the path keeps its case). */
export function normalizeIssuer(urlOrHost: string): string {
  let s = urlOrHost.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  while (s.endsWith('/')) s = s.slice(0, -1);
  const slash = s.indexOf('/');
  return slash < 0 ? s.toLowerCase() : s.slice(0, slash).toLowerCase() + s.slice(slash);
}

/** The kind of issuer by its host (a host with path is accepted). */
export function classifyIssuer(host: string): { kind: IssuerKind; ci?: string } {
  const normalized = normalizeIssuer(host);
  const slash = normalized.indexOf('/');
  const h = slash < 0 ? normalized : normalized.slice(0, slash);
  const path = slash < 0 ? '' : normalized.slice(slash);
  if (EKS_HOST.test(h) || EKS_DUAL_STACK_HOST.test(h)) return { kind: 'kubernetes' };
  if (h.endsWith(AKS_DOMAIN)) return { kind: 'kubernetes' };
  if (h === 'container.googleapis.com' && path.startsWith('/v1/projects/')) return { kind: 'kubernetes' };
  const ci = ciIssuerByHost(h);
  if (ci) return { kind: 'ci', ci: ci.id };
  if (OTHER_KNOWN_HOSTS.has(h) || OTHER_KNOWN_DOMAINS.some((d) => h.endsWith(d))) return { kind: 'other-known' };
  return { kind: 'unknown' };
}

/** How a message names an issuer: its host and path, its cluster, or that it is not known statically (never an internal key). */
export function issuerDisplayName(issuer: Issuer): string {
  if (issuer.host) return issuer.host;
  if (issuer.cluster) return `the OIDC issuer of cluster ${issuer.cluster}`;
  return 'an OIDC provider whose issuer URL is not known statically';
}

/** Two issuers are the same when their keys are (condition keys compare case-insensitively). */
export function sameIssuer(a: Issuer, b: Issuer): boolean {
  return a.key.toLowerCase() === b.key.toLowerCase();
}

/**
 * The issuer of a federated principal: an OIDC provider ARN, a bare issuer host (Cognito,
 * Google), or an Unknown referring to a provider or cluster in the inventory.
 * `resolved` is false when nothing identifies the issuer.
 */
export function resolveIssuer(value: string | Unknown, index: InventoryIndex): Issuer {
  return resolveIssuerDetailed(value, index).issuer;
}

export function resolveIssuerDetailed(value: string | Unknown, index: InventoryIndex): { issuer: Issuer; resolved: boolean } {
  if (typeof value === 'string') {
    const arn = OIDC_PROVIDER_ARN.exec(value);
    if (arn) {
      const provider = findProviderByArn(value, index) ?? findProviderByHost(normalizeIssuer(arn[1]!), index);
      if (provider) return { issuer: fromProvider(provider, index), resolved: true };
      return { issuer: fromHost(normalizeIssuer(arn[1]!), index), resolved: true };
    }
    return { issuer: fromHost(normalizeIssuer(value), index), resolved: true };
  }
  const referenced = value.ref ? index.resourceById(value.ref.id) : undefined;
  if (referenced?.type === 'aws.iam.OIDCProvider') return { issuer: fromProvider(referenced, index), resolved: true };
  if (referenced?.type === 'aws.eks.Cluster') return { issuer: fromCluster(referenced, index), resolved: true };
  const suffixArn = value.suffix ? /:oidc-provider\/(.+)$/.exec(value.suffix) : null;
  if (suffixArn) {
    const host = normalizeIssuer(suffixArn[1]!);
    const provider = findProviderByHost(host, index);
    return { issuer: provider ? fromProvider(provider, index) : fromHost(host, index), resolved: true };
  }
  return {
    issuer: { key: value.ref ? `ref:${value.ref.id}` : `unresolved:${value.$unknown}`, kind: 'unknown' },
    resolved: false,
  };
}

/**
 * The issuer a condition key names (`<host/path>:<claim>`) and its claim. Global keys
 * (`aws:SourceAccount`) have neither. An Unknown key (or key text with `${...}`) keeps a claim
 * known from its suffix; its issuer is resolved only through a reference to a provider/cluster.
 */
export function resolveConditionKey(
  key: string | Unknown,
  index: InventoryIndex,
): { claim?: string; issuer?: Issuer; unresolved: boolean } {
  if (typeof key !== 'string') {
    const claim = claimFromSuffix(key.suffix ?? '');
    const referenced = key.ref ? index.resourceById(key.ref.id) : undefined;
    let issuer: Issuer | undefined;
    if (referenced?.type === 'aws.iam.OIDCProvider') issuer = fromProvider(referenced, index);
    else if (referenced?.type === 'aws.eks.Cluster') issuer = fromCluster(referenced, index);
    return { ...(claim ? { claim } : {}), ...(issuer ? { issuer } : {}), unresolved: claim === undefined };
  }
  if (key.includes('${')) {
    const claim = claimFromSuffix(textAfterLastInterpolation(key));
    return { ...(claim ? { claim } : {}), unresolved: claim === undefined };
  }
  const colon = key.lastIndexOf(':');
  if (colon < 0) return { unresolved: false };
  const issuerPart = key.slice(0, colon);
  if (!issuerPart.includes('.')) return { unresolved: false };
  return { claim: key.slice(colon + 1).toLowerCase(), issuer: fromHost(normalizeIssuer(issuerPart), index), unresolved: false };
}

function claimFromSuffix(suffix: string): string | undefined {
  const colon = suffix.lastIndexOf(':');
  if (colon < 0) return undefined;
  const claim = suffix.slice(colon + 1);
  return /^[A-Za-z0-9_.-]+$/.test(claim) ? claim.toLowerCase() : undefined;
}

function textAfterLastInterpolation(text: string): string {
  const end = text.lastIndexOf('}');
  return end < 0 ? text : text.slice(end + 1);
}

function fromHost(host: string, index: InventoryIndex): Issuer {
  const cluster = clusterWithIssuer(host, index);
  const classified = classifyIssuer(host);
  const issuer: Issuer = { key: host, host, kind: cluster ? 'kubernetes' : classified.kind };
  if (!cluster && classified.ci) issuer.ci = classified.ci;
  if (cluster) issuer.cluster = cluster.name;
  return issuer;
}

function fromProvider(provider: Resource, index: InventoryIndex): Issuer {
  const body = asObject(provider.body);
  const url = body?.['Url'];
  let issuer: Issuer;
  if (typeof url === 'string') issuer = fromHost(normalizeIssuer(url), index);
  else if (isUnknown(url) && url.ref && index.resourceById(url.ref.id)?.type === 'aws.eks.Cluster') {
    issuer = fromCluster(index.resourceById(url.ref.id)!, index);
  } else issuer = { key: `ref:${provider.id}`, kind: 'unknown' };
  issuer.providerId = provider.id;
  const audiences = body?.['ClientIDList'];
  if (Array.isArray(audiences) && audiences.every((a): a is string => typeof a === 'string')) issuer.providerAudiences = [...audiences];
  return issuer;
}

function fromCluster(cluster: Resource, index: InventoryIndex): Issuer {
  const info = clusterOfResource(cluster.id, index);
  const published = asObject(asObject(asObject(cluster.body)?.['identity'])?.['oidc'])?.['issuer'];
  const known = typeof published === 'string' ? published : info?.issuer;
  if (known !== undefined) {
    const issuer = fromHost(normalizeIssuer(known), index);
    issuer.kind = 'kubernetes';
    if (info) issuer.cluster = info.name;
    return issuer;
  }
  const issuer: Issuer = { key: `ref:${cluster.id}`, kind: 'kubernetes' };
  if (info) issuer.cluster = info.name;
  return issuer;
}

/** The scanned cluster whose issuer is this (normalized) host, if any. */
export function clusterWithIssuer(host: string, index: InventoryIndex): ClusterInfo | undefined {
  return lookupsOf(index).clustersByIssuer.get(host.toLowerCase());
}

/** The cluster facts known about a cluster resource, if any. */
export function clusterOfResource(resourceId: string, index: InventoryIndex): ClusterInfo | undefined {
  return lookupsOf(index).clustersByResource.get(resourceId);
}

function findProviderByArn(arn: string, index: InventoryIndex): Resource | undefined {
  return lookupsOf(index).providersByArn.get(arn);
}

function findProviderByHost(host: string, index: InventoryIndex): Resource | undefined {
  return lookupsOf(index).providersByHost.get(host.toLowerCase());
}

interface IssuerLookups {
  providersByArn: Map<string, Resource>;
  providersByHost: Map<string, Resource>;
  clustersByIssuer: Map<string, ClusterInfo>;
  clustersByResource: Map<string, ClusterInfo>;
}

/** Every role asks for its issuer: index providers and clusters once per inventory (first one wins, as in a scan). */
const lookups = new WeakMap<InventoryIndex, IssuerLookups>();

function lookupsOf(index: InventoryIndex): IssuerLookups {
  let found = lookups.get(index);
  if (found) return found;
  found = { providersByArn: new Map(), providersByHost: new Map(), clustersByIssuer: new Map(), clustersByResource: new Map() };
  const first = <V>(map: Map<string, V>, key: string, value: V): void => {
    if (!map.has(key)) map.set(key, value);
  };
  for (const p of index.ofType('aws.iam.OIDCProvider')) {
    const body = asObject(p.body);
    const arn = body?.['Arn'];
    const url = body?.['Url'];
    if (typeof arn === 'string') first(found.providersByArn, arn, p);
    if (typeof url === 'string') first(found.providersByHost, normalizeIssuer(url).toLowerCase(), p);
  }
  for (const c of index.clusters) {
    if (c.issuer !== undefined) first(found.clustersByIssuer, normalizeIssuer(c.issuer).toLowerCase(), c);
    if (c.resourceId !== undefined) first(found.clustersByResource, c.resourceId, c);
  }
  lookups.set(index, found);
  return found;
}

function asObject(v: JsonValue | Unknown | undefined): Record<string, JsonValue> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, JsonValue>) : undefined;
}
