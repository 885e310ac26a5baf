/**
 * ARM JSON templates (what Bicep compiles to) → canonical Azure resources with positions:
 * managed identities and their federated credentials (nested or top-level children), role
 * assignments, AKS clusters and agent pools. Expressions are evaluated where the template
 * defines their inputs (see expressions.ts); everything else stays Unknown.
 */
import type { JsonObject, JsonValue, PositionMap, Resource, Unknown } from '../../model/types.js';
import { isUnknown, unknown } from '../../model/unknown.js';
import { escapeToken } from '../../util/pointer.js';
import { createObject, type ParsedDocument } from '../../util/structured.js';
import { relativeId } from '../ids.js';
import { rebase } from '../kubernetes.js';
import { account, emptyResult, type CollectOptions, type CollectResult, type SourceFile } from '../types.js';
import { aksClusterInfo } from '../azure/cluster.js';
import { scopeOf, type ScopeInfo } from '../../iam/azure-scope.js';
import { type ArmValue, type EvalScope, Evaluator } from './expressions.js';
import { NestingTooDeep, noteNesting, placedAt } from '../../util/nesting.js';

const IDENTITY = 'microsoft.managedidentity/userassignedidentities';
const CREDENTIAL = 'microsoft.managedidentity/userassignedidentities/federatedidentitycredentials';
const ROLE_ASSIGNMENT = 'microsoft.authorization/roleassignments';
const CLUSTER = 'microsoft.containerservice/managedclusters';
const AGENT_POOL = 'microsoft.containerservice/managedclusters/agentpools';

function asObject(v: JsonValue | Unknown | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as JsonObject) : undefined;
}

/** A deployment template: an ARM `$schema`, or `contentVersion` with a `resources` list/map. */
export function isArmTemplate(value: JsonValue): boolean {
  const root = asObject(value);
  if (!root) return false;
  const schema = root['$schema'];
  if (typeof schema === 'string' && /deploymentTemplate\.json/i.test(schema)) return true;
  return typeof root['contentVersion'] === 'string' && (Array.isArray(root['resources']) || asObject(root['resources']) !== undefined);
}

interface Declared {
  /** Full resource type as written (`Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials`). */
  type: string;
  /** Name segments: literal text, or `${...}` text for unresolved parts. */
  segments: string[];
  name: ArmValue;
  node: JsonObject;
  docPtr: string;
  id: string;
  symbolic?: string;
  parent?: Declared;
}

function segmentText(v: ArmValue): string[] {
  if (typeof v === 'string') return v.split('/');
  if (isUnknown(v)) {
    const text = v.$unknown.includes('${') ? v.$unknown : '${' + v.$unknown + '}';
    const out: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of text) {
      if (ch === '{' && cur.endsWith('$')) depth++;
      else if (ch === '}' && depth > 0) depth--;
      if (ch === '/' && depth === 0) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  }
  return ['${?}'];
}

function targetScopeOf(schema: JsonValue | undefined): EvalScope['targetScope'] {
  const s = typeof schema === 'string' ? schema.toLowerCase() : '';
  if (s.includes('subscriptiondeploymenttemplate')) return 'subscription';
  if (s.includes('managementgroupdeploymenttemplate')) return 'managementGroup';
  if (s.includes('tenantdeploymenttemplate')) return 'tenant';
  return 'resourceGroup';
}

export function collectArm(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = emptyResult();
  account(result, file.path, 'ARM template');
  const root = asObject(doc.value)!;
  const rel = relativeId(opts.root, file.path);
  const parameters = asObject(root['parameters']) ?? {};
  const variables = asObject(root['variables']) ?? {};
  const declared: Declared[] = [];
  const paramCache = new Map<string, ArmValue>();
  const varCache = new Map<string, ArmValue>();
  const evaluating = new Set<string>();

  const scope: EvalScope = {
    targetScope: targetScopeOf(root['$schema']),
    parameter(name) {
      const key = name.toLowerCase();
      const cached = paramCache.get(key);
      if (cached !== undefined) return cached;
      const found = Object.entries(parameters).find(([k]) => k.toLowerCase() === key);
      const def = asObject(found?.[1])?.['defaultValue'];
      if (def === undefined || evaluating.has(`p:${key}`)) return unknown(`parameters('${name}')`);
      const v = evaluateOnce(`p:${key}`, `/parameters/${escapeToken(found![0])}/defaultValue`, def);
      paramCache.set(key, v);
      return v;
    },
    variable(name) {
      const key = name.toLowerCase();
      const cached = varCache.get(key);
      if (cached !== undefined) return cached;
      const found = Object.entries(variables).find(([k]) => k.toLowerCase() === key);
      if (found === undefined || evaluating.has(`v:${key}`)) return unknown(`variables('${name}')`);
      const v = evaluateOnce(`v:${key}`, `/variables/${escapeToken(found[0])}`, found[1]);
      varCache.set(key, v);
      return v;
    },
    resourceIdFor(type, names) {
      const t = type.toLowerCase();
      return declared.find((d) => d.type.toLowerCase() === t && d.segments.length === names.length && d.segments.every((s, i) => s.toLowerCase() === names[i]!.toLowerCase()))?.id;
    },
    symbolic(name) {
      const d = declared.find((x) => x.symbolic === name);
      return d ? { id: d.id, type: d.type, names: d.segments } : undefined;
    },
  };
  const evaluator = new Evaluator(scope, opts.limits.maxDepth);
  /** Evaluates a value written at `docPtr`: a depth error from inside names that place (unless a deeper one did). */
  const evaluateAt = (docPtr: string, v: JsonValue): ArmValue => placedAt(docPtr, () => evaluator.value(v));
  /** A parameter default or a variable, guarded against referring to itself. */
  function evaluateOnce(guard: string, docPtr: string, v: JsonValue): ArmValue {
    evaluating.add(guard);
    try {
      return evaluateAt(docPtr, v);
    } finally {
      evaluating.delete(guard);
    }
  }
  // A resource whose evaluation goes past --max-depth is left out with a note; the others are read.
  const tooDeep = (e: unknown, docPtr: string): void => {
    if (!(e instanceof NestingTooDeep)) throw e;
    noteNesting(result.notes, file.path, e, { positions: doc.positions, line: doc.positions[docPtr]?.line ?? doc.positions['']?.line ?? 1 });
  };

  const seen = new Map<string, number>();
  const declare = (node: JsonValue, docPtr: string, parent: Declared | undefined, symbolic: string | undefined): void => {
    const o = asObject(node);
    if (!o || typeof o['type'] !== 'string') return;
    if (o['copy'] !== undefined) {
      const p = doc.positions[docPtr];
      result.notes.push({ kind: 'unsupported', level: 'note', file: file.path, ...(p ? { line: p.line, column: p.column } : {}), message: `ARM copy loop on ${o['type']} is not expanded; its resources are not analysed` });
      return;
    }
    let condition: ArmValue = true;
    let name: ArmValue = unknown('name');
    try {
      if (o['condition'] !== undefined) condition = evaluateAt(`${docPtr}/condition`, o['condition']);
      if (typeof o['name'] === 'string') name = evaluateAt(`${docPtr}/name`, o['name']);
    } catch (e) {
      tooDeep(e, docPtr);
      return;
    }
    if (condition === false) return;
    const ownType = o['type'];
    const type = parent && !ownType.toLowerCase().startsWith(parent.type.toLowerCase() + '/') && !ownType.includes('/') ? `${parent.type}/${ownType}` : ownType;
    const own = segmentText(name);
    const segments = parent && own.length === 1 ? [...parent.segments, ...own] : own;
    const base = `arm:${rel}:${type}/${segments.join('/')}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const d: Declared = { type, segments, name, node: o, docPtr, id: n === 0 ? base : `${base}#${n + 1}` };
    if (symbolic) d.symbolic = symbolic;
    if (parent) d.parent = parent;
    declared.push(d);
    const children = o['resources'];
    if (Array.isArray(children)) children.forEach((c, i) => declare(c, `${docPtr}/resources/${i}`, d, undefined));
  };
  const top = root['resources'];
  if (Array.isArray(top)) top.forEach((r, i) => declare(r, `/resources/${i}`, undefined, undefined));
  else if (asObject(top)) for (const [k, r] of Object.entries(asObject(top)!)) declare(r, `/resources/${escapeToken(k)}`, undefined, k);

  for (const d of declared) {
    let resource: Resource | undefined;
    try {
      resource = build(d);
    } catch (e) {
      tooDeep(e, d.docPtr);
    }
    if (!resource) continue;
    result.resources.push(resource);
    if (resource.type === 'azure.aks.ManagedCluster') result.clusters.push(aksClusterInfo(resource));
  }
  return result;

  function build(d: Declared): Resource | undefined {
    const t = d.type.toLowerCase();
    const properties = asObject(evaluateAt(`${d.docPtr}/properties`, d.node['properties'] ?? createObject()) as JsonValue) ?? createObject();
    const positions: PositionMap = Object.create(null) as PositionMap;
    const propPositions = rebase(doc.positions, `${d.docPtr}/properties`);
    for (const [k, v] of Object.entries(propPositions)) positions[k === '' ? '/properties' : `/properties${k}`] = v;
    if (doc.positions[d.docPtr]) positions[''] = doc.positions[d.docPtr]!;
    if (doc.positions[`${d.docPtr}/name`]) positions['/name'] = doc.positions[`${d.docPtr}/name`]!;
    const lastName = d.segments[d.segments.length - 1] ?? '';
    const display = lastName.includes('${') ? (d.symbolic ?? `${d.type.split('/').pop()}#${d.docPtr}`) : lastName;
    const selfId = (attribute: string): Unknown => unknown(`reference(${d.type}/${d.segments.join('/')}).${attribute}`, { ref: { id: d.id, attribute } });
    const resource = (type: string, body: JsonObject): Resource => ({
      id: d.id, type, name: display, file: file.path, format: 'arm', address: d.symbolic ?? `${d.type}/${d.segments.join('/')}`, body, positions,
    });
    const nameValue = (isUnknown(d.name) || typeof d.name === 'string' ? (typeof d.name === 'string' ? lastName : d.name) : lastName) as JsonValue;
    if (t === IDENTITY) {
      const props = createObject();
      props.clientId = selfId('clientId') as unknown as JsonValue;
      props.principalId = selfId('principalId') as unknown as JsonValue;
      props.tenantId = selfId('tenantId') as unknown as JsonValue;
      return resource('azure.msi.UserAssignedIdentity', { id: selfId('id') as unknown as JsonValue, name: nameValue, properties: props });
    }
    if (t === CREDENTIAL) {
      const parent = d.parent ?? declared.find((x) => x.type.toLowerCase() === IDENTITY && x.segments.length === d.segments.length - 1 && x.segments.every((s, i) => s.toLowerCase() === d.segments[i]!.toLowerCase()));
      const identityId: JsonValue = parent ? (unknown(`${parent.type}/${parent.segments.join('/')}`, { ref: { id: parent.id, attribute: 'id' } }) as unknown as JsonValue) : (unknown(`parent of ${d.segments.join('/')}`) as unknown as JsonValue);
      if (doc.positions[`${d.docPtr}/name`]) positions['/identityId'] = doc.positions[`${d.docPtr}/name`]!;
      return resource('azure.msi.FederatedIdentityCredential', { id: selfId('id') as unknown as JsonValue, name: lastName.includes('${') ? nameValue : lastName, identityId, parentType: 'userAssignedIdentity', properties });
    }
    if (t === ROLE_ASSIGNMENT) {
      const explicit = d.node['scope'];
      let info: ScopeInfo | undefined;
      if (explicit !== undefined) {
        const scopeValue = evaluateAt(`${d.docPtr}/scope`, explicit);
        properties.scope = scopeValue as JsonValue;
        if (doc.positions[`${d.docPtr}/scope`]) positions['/properties/scope'] = doc.positions[`${d.docPtr}/scope`]!;
        info = scopeOf(scopeValue) ?? relativeScope(scopeValue);
      } else if (properties.scope === undefined) {
        const target = scope.targetScope;
        properties.scope = (target === 'resourceGroup'
          ? unknown('/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}', { prefix: '/subscriptions/' })
          : target === 'subscription' ? unknown('/subscriptions/${subscription().subscriptionId}', { prefix: '/subscriptions/' })
          : unknown(`${target}()`)) as unknown as JsonValue;
        info = target === 'resourceGroup' ? { level: 'resourceGroup' } : target === 'subscription' ? { level: 'subscription' } : target === 'managementGroup' ? { level: 'managementGroup' } : { level: 'root' };
      } else info = scopeOf(properties.scope);
      const body: JsonObject = { name: nameValue, properties };
      if (info) body.scopeInfo = info as unknown as JsonValue;
      return resource('azure.authorization.RoleAssignment', body);
    }
    if (t === CLUSTER) {
      const oidc = asObject(properties.oidcIssuerProfile) ?? createObject();
      if (oidc.enabled === undefined) oidc.enabled = false;
      oidc.issuerURL = selfId('oidcIssuerProfile.issuerURL') as unknown as JsonValue;
      properties.oidcIssuerProfile = oidc;
      const security = asObject(properties.securityProfile) ?? createObject();
      const wi = asObject(security.workloadIdentity) ?? createObject();
      if (wi.enabled === undefined) wi.enabled = false;
      security.workloadIdentity = wi;
      properties.securityProfile = security;
      if (!Array.isArray(properties.agentPoolProfiles)) properties.agentPoolProfiles = [];
      return resource('azure.aks.ManagedCluster', { id: selfId('id') as unknown as JsonValue, name: nameValue, properties });
    }
    if (t === AGENT_POOL) {
      if (properties.osType === undefined) properties.osType = 'Linux';
      const cluster = d.parent ?? declared.find((x) => x.type.toLowerCase() === CLUSTER && x.segments[0]?.toLowerCase() === d.segments[0]?.toLowerCase());
      const clusterId: JsonValue = cluster ? (unknown(`${cluster.type}/${cluster.segments.join('/')}`, { ref: { id: cluster.id, attribute: 'id' } }) as unknown as JsonValue) : null;
      return resource('azure.aks.AgentPool', { id: selfId('id') as unknown as JsonValue, name: lastName, clusterId, properties });
    }
    return undefined;
  }
}

/** An extension resource's scope written as a relative resource path (`Microsoft.Storage/storageAccounts/data`). */
function relativeScope(v: ArmValue): ScopeInfo | undefined {
  const text = typeof v === 'string' ? v : isUnknown(v) ? v.$unknown : undefined;
  if (text === undefined || text.startsWith('/') || text.startsWith('${')) return undefined;
  if (/^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[^/]+\/.+/.test(text)) return { level: 'resource', resource: text };
  return undefined;
}

