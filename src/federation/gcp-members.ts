/**
 * Google IAM members as workload identity sees them. A member may be an interpolated Terraform
 * string whose unresolved parts read `${...}`: those parts parse as `null` (unknown), never as a guess.
 */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown, templateSegments, unknownSource } from '../model/unknown.js';
import { shown } from '../util/input-text.js';

/** A Kubernetes ServiceAccount of a workload pool: `serviceAccount:P.svc.id.goog[ns/ksa]` or `principal://…/subject/ns/<ns>/sa/<ksa>`. */
export interface KsaMember {
  kind: 'ksa';
  form: 'serviceAccount' | 'principal';
  /** Workload pool id (`my-project.svc.id.goog`, or a self-managed pool's resource name); null when unresolved. */
  pool: string | null;
  namespace: string | null;
  name: string | null;
}

/** `principalSet://…/workloadIdentityPools/<pool>/…`: many workloads at once. */
export interface PoolSetMember {
  kind: 'pool-set';
  pool: string | null;
  /** `pool`: every identity of the pool (`/*`); `cluster`: `/kubernetes.cluster/<url>`; `namespace`: `/namespace/<ns>`; `attribute`/`group`: other selectors. */
  scope: 'pool' | 'cluster' | 'namespace' | 'attribute' | 'group';
  namespace?: string | null;
  /** For `cluster`: the cluster name from its URL (null when unresolved). */
  cluster?: string | null;
  /** For `cluster`: the cluster's project from its URL. */
  clusterProject?: string | null;
}

/** `serviceAccount:<email>` of a Google service account (not a workload pool). */
export interface GsaMember {
  kind: 'gsa';
  /** Null when unresolved. */
  email: string | null;
  /** When the email is an attribute of a resource in the scan (`google_service_account.x.email`). */
  ref?: { id: string; attribute: string };
}

export interface OtherMember {
  kind: 'other';
  value: string;
}

/** A member whose form could not be read at all. */
export interface UnknownMember {
  kind: 'unknown';
}

export type GcpMember = KsaMember | PoolSetMember | GsaMember | OtherMember | UnknownMember;

const POOL_SUFFIX = '.svc.id.goog';
/** Stands for one unresolved expression in a member's text once expressions are taken out whole. */
const HOLE = '\u0000';

function part(s: string | undefined): string | null {
  if (s === undefined || s === '' || s.includes(HOLE)) return null;
  return s;
}

/** The text of a member: a literal, or an unresolved template's source (`serviceAccount:${var.p}.svc.id.goog[a/b]`). */
function memberText(member: JsonValue | Unknown): string | undefined {
  if (typeof member === 'string') return member;
  if (isUnknown(member)) return unknownSource(member);
  return undefined;
}

/**
 * The member's text with each unresolved expression replaced by one {@link HOLE}, so the parser reads
 * only the member's own syntax: the `]` of `${kubernetes_namespace.x.metadata[0].name}` is not a bracket of it.
 */
function maskedText(text: string): string {
  return templateSegments(text).map((s) => ('text' in s ? s.text : HOLE)).join('');
}

/** Splits `projects/N/locations/global/workloadIdentityPools/<pool>/<rest>` into pool and rest. */
function poolPath(path: string): { pool: string | null; rest: string } | undefined {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)\/workloadIdentityPools\/([^/]+)\/(.*)$/.exec(path);
  if (!m) return undefined;
  const poolId = m[3]!;
  const pool = poolId.endsWith(POOL_SUFFIX) || poolId.includes(HOLE)
    ? part(poolId)
    : part(`projects/${m[1]}/locations/${m[2]}/workloadIdentityPools/${poolId}`);
  return { pool, rest: m[4]! };
}

function parsePrincipal(path: string): GcpMember {
  const pp = poolPath(path);
  if (!pp) return { kind: 'other', value: `principal://${path}` };
  const gke = /^subject\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(pp.rest);
  if (gke) return { kind: 'ksa', form: 'principal', pool: pp.pool, namespace: part(gke[1]), name: part(gke[2]) };
  const k8s = /^subject\/system:serviceaccount:([^:]+):([^:]+)$/.exec(pp.rest);
  if (k8s) return { kind: 'ksa', form: 'principal', pool: pp.pool, namespace: part(k8s[1]), name: part(k8s[2]) };
  return { kind: 'other', value: `principal://${path}` };
}

function parsePrincipalSet(path: string): GcpMember {
  const pp = poolPath(path);
  if (!pp) return { kind: 'other', value: `principalSet://${path}` };
  const { pool, rest } = pp;
  if (rest === '*') return { kind: 'pool-set', pool, scope: 'pool' };
  const ns = /^namespace\/([^/]+)$/.exec(rest);
  if (ns) return { kind: 'pool-set', pool, scope: 'namespace', namespace: part(ns[1]) };
  const cluster = /^kubernetes\.cluster\/(.+)$/.exec(rest);
  if (cluster) {
    const url = /\/projects\/([^/]+)\/(?:locations|zones)\/[^/]+\/clusters\/([^/]+)$/.exec(cluster[1]!);
    return { kind: 'pool-set', pool, scope: 'cluster', cluster: part(url?.[2]), clusterProject: part(url?.[1]) };
  }
  if (rest.startsWith('group/')) return { kind: 'pool-set', pool, scope: 'group' };
  return { kind: 'pool-set', pool, scope: 'attribute' };
}

/** Reads one IAM member. */
export function parseMember(member: JsonValue | Unknown): GcpMember {
  const m = parseMasked(member);
  // An unrecognised member is shown as written, expressions and all.
  return m.kind === 'other' ? { kind: 'other', value: memberText(member) ?? m.value } : m;
}

function parseMasked(member: JsonValue | Unknown): GcpMember {
  if (isUnknown(member) && member.ref?.attribute === 'member') return { kind: 'gsa', email: null, ref: member.ref };
  const source = memberText(member);
  if (source === undefined) return { kind: 'unknown' };
  const text = maskedText(source);
  if (text.startsWith('serviceAccount:')) {
    const rest = text.slice('serviceAccount:'.length);
    const wi = /^(.*)\[([^/\]]*)\/([^\]]*)\]$/.exec(rest);
    if (wi && (wi[1]!.endsWith(POOL_SUFFIX) || wi[1]!.includes(HOLE))) {
      return { kind: 'ksa', form: 'serviceAccount', pool: part(wi[1]), namespace: part(wi[2]), name: part(wi[3]) };
    }
    if (rest.includes('[')) return { kind: 'unknown' };
    const gsa: GsaMember = { kind: 'gsa', email: part(rest) };
    if (gsa.email === null && isUnknown(member) && member.ref) gsa.ref = member.ref;
    return gsa;
  }
  if (text.startsWith('principal://iam.googleapis.com/')) return parsePrincipal(text.slice('principal://iam.googleapis.com/'.length));
  if (text.startsWith('principalSet://iam.googleapis.com/')) return parsePrincipalSet(text.slice('principalSet://iam.googleapis.com/'.length));
  if ((text.split(':')[0] ?? text).includes(HOLE)) return { kind: 'unknown' };
  return { kind: 'other', value: text };
}

/** True for members that name workloads of a workload identity pool (single KSAs or sets). */
export function isWorkloadMember(m: GcpMember): m is KsaMember | PoolSetMember {
  return m.kind === 'ksa' || m.kind === 'pool-set';
}

/** The member as written, for messages (unresolved parts kept as `${...}`). */
export function describeMember(member: JsonValue | Unknown): string {
  return shown(memberText(member) ?? '(unresolved member)');
}

export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';
export const TOKEN_CREATOR = 'roles/iam.serviceAccountTokenCreator';
