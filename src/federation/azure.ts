/**
 * The federations of an Azure user-assigned managed identity: one per federated identity
 * credential (`azure.msi.FederatedIdentityCredential`) whose parent is the identity.
 * Standard credentials match the subject exactly; flexible ones by their claims-matching expression.
 */
import type { InventoryIndex } from '../model/types.js';
import type { JsonValue, Resource, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { classifyIssuer, clusterOfResource, clusterWithIssuer, normalizeIssuer } from './issuers.js';
import { anyMatcher, intersect, literal } from './matcher.js';
import { SUBJECT_PREFIX } from './kubernetes-subjects.js';
import type { Federation, Issuer, Matcher, Pattern } from './types.js';

export const IDENTITY_TYPE = 'azure.msi.UserAssignedIdentity';
export const CREDENTIAL_TYPE = 'azure.msi.FederatedIdentityCredential';
export const CLUSTER_TYPE = 'azure.aks.ManagedCluster';

type Value = JsonValue | Unknown | undefined;

function field(v: Value, key: string): Value {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, JsonValue>)[key] : undefined;
}

/** The managed identity a credential belongs to, when it is in the scan. */
export function credentialIdentity(credential: Resource, index: InventoryIndex): Resource | undefined {
  return findIdentity(field(credential.body, 'identityId'), index, 'id');
}

/** A scanned managed identity named by a value: a reference to it (or to one of its attributes), or its `id`/`clientId`/`principalId`. */
export function findIdentity(value: Value, index: InventoryIndex, by: 'id' | 'clientId' | 'principalId'): Resource | undefined {
  if (isUnknown(value)) {
    if (value.prefix !== undefined || value.suffix !== undefined || !value.ref) return undefined;
    const r = index.resourceById(value.ref.id);
    return r?.type === IDENTITY_TYPE ? r : undefined;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const wanted = value.toLowerCase();
  return index.ofType(IDENTITY_TYPE).find((identity) => {
    const own = by === 'id' ? field(identity.body, 'id') : field(field(identity.body, 'properties'), by);
    return typeof own === 'string' && own.toLowerCase() === wanted;
  });
}

/** The federation one credential grants; `identityId` is the credential's own id when its identity is not in the scan. */
export function credentialFederation(credential: Resource, index: InventoryIndex, identity?: Resource): Federation {
  const properties = field(credential.body, 'properties');
  const subjectValue = field(properties, 'subject');
  const expression = field(field(properties, 'claimsMatchingExpression'), 'value');
  const flexible = field(properties, 'claimsMatchingExpression') !== undefined && field(properties, 'claimsMatchingExpression') !== null;
  const subject = flexible ? expressionSubject(expression) : exactSubject(subjectValue);
  const issuer = resolveAzureIssuer(field(properties, 'issuer'), index, subject);
  return {
    identityId: identity?.id ?? credential.id,
    sourceId: credential.id,
    cloud: 'azure',
    mechanism: issuer.kind === 'kubernetes' ? 'azure-workload-identity' : 'web-identity',
    issuer,
    subject,
    audience: audienceMatcher(field(properties, 'audiences')),
    pointer: '/properties',
    conditionPointer: flexible ? '/properties/claimsMatchingExpression/value' : '/properties/subject',
    conditions: [],
  };
}

/** Every federation of a managed identity, in credential order. */
export function analyzeAzureFederations(identity: Resource, index: InventoryIndex): Federation[] {
  const out: Federation[] = [];
  for (const credential of index.ofType(CREDENTIAL_TYPE)) {
    if (credentialIdentity(credential, index) === identity) out.push(credentialFederation(credential, index, identity));
  }
  return out;
}

/** False when nothing identifies the issuer (an unresolved expression). */
export function issuerResolved(issuer: Issuer): boolean {
  return !issuer.key.startsWith('unresolved:');
}

function resolveAzureIssuer(value: Value, index: InventoryIndex, subject: Matcher): Issuer {
  const kubernetesSubject = subject.allow?.some((p) => p.value.startsWith(SUBJECT_PREFIX)) ?? false;
  if (typeof value === 'string' && value.trim() !== '') {
    const host = normalizeIssuer(value);
    const cluster = clusterWithIssuer(host, index);
    const classified = classifyIssuer(host);
    const issuer: Issuer = { key: host, host, kind: cluster || kubernetesSubject ? 'kubernetes' : classified.kind };
    if (cluster) issuer.cluster = cluster.name;
    else if (classified.ci) issuer.ci = classified.ci;
    return issuer;
  }
  if (isUnknown(value) && value.ref && value.prefix === undefined && value.suffix === undefined) {
    const referenced = index.resourceById(value.ref.id);
    if (referenced?.type === CLUSTER_TYPE) {
      const info = clusterOfResource(referenced.id, index);
      const known = info?.issuer;
      const issuer: Issuer = known ? { key: normalizeIssuer(known), host: normalizeIssuer(known), kind: 'kubernetes' } : { key: `ref:${referenced.id}`, kind: 'kubernetes' };
      if (info) issuer.cluster = info.name;
      return issuer;
    }
  }
  const text = isUnknown(value) ? value.$unknown : String(value ?? '');
  return { key: `unresolved:${text}`, kind: kubernetesSubject ? 'kubernetes' : 'unknown' };
}

function exactSubject(value: Value): Matcher {
  if (typeof value === 'string') return { allow: [literal(value)], deny: [], unknown: false };
  if (isUnknown(value)) return { allow: [], deny: [], unknown: true };
  return { allow: [], deny: [], unknown: false };
}

function audienceMatcher(value: Value): Matcher {
  if (!Array.isArray(value)) return { allow: [], deny: [], unknown: isUnknown(value) };
  const allow: Pattern[] = [];
  let unknown = false;
  for (const a of value) {
    if (typeof a === 'string') allow.push(literal(a));
    else unknown = true;
  }
  return { allow, deny: [], unknown };
}

/** One `claims['<name>'] <operator> '<comparand>'` term of a flexible credential's expression. */
export interface ClaimTerm {
  claim: string;
  operator: 'matches' | 'eq';
  value: string;
}

/** The terms of a claims-matching expression (terms joined by `and`); undefined when it is not in that form. */
export function parseClaimsExpression(text: string): ClaimTerm[] | undefined {
  const terms: ClaimTerm[] = [];
  const term = /^\s*claims\[\s*'([^']+)'\s*\]\s+(matches|eq)\s+'((?:[^']|'')*)'\s*/i;
  let rest = text;
  for (;;) {
    const m = term.exec(rest);
    if (!m) return undefined;
    terms.push({ claim: m[1]!, operator: m[2]!.toLowerCase() as ClaimTerm['operator'], value: m[3]!.replace(/''/g, "'") });
    rest = rest.slice(m[0].length);
    if (rest.trim() === '') return terms;
    const and = /^and\s+/i.exec(rest);
    if (!and) return undefined;
    rest = rest.slice(and[0].length);
  }
}

function expressionSubject(value: Value): Matcher {
  if (typeof value !== 'string') return { allow: [], deny: [], unknown: true };
  const terms = parseClaimsExpression(value);
  if (!terms) return { allow: [], deny: [], unknown: true };
  let subject = anyMatcher();
  for (const t of terms) {
    if (t.claim !== 'sub') continue;
    // The expression language knows one wildcard, `*`; a `?` is an ordinary character there.
    const pattern: Pattern = t.operator === 'matches' && t.value.includes('*') && !t.value.includes('?')
      ? { value: t.value, wildcard: true, ignoreCase: false }
      : literal(t.value);
    if (t.operator === 'matches' && t.value.includes('?') && t.value.includes('*')) return { allow: [], deny: [], unknown: true };
    subject = intersect(subject, { allow: [pattern], deny: [], unknown: false });
  }
  return subject;
}
