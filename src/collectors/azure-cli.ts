/**
 * Azure CLI JSON dumps (`az identity list`, `az identity federated-credential list`,
 * `az role assignment list`, `az aks show|list`) → canonical Azure resources. The CLI flattens
 * `properties` into the object; the canonical shape puts them back.
 */
import type { JsonObject, JsonValue, PositionMap, Resource } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import { createObject } from '../util/structured.js';
import { relativeId } from './ids.js';
import { rebase } from './kubernetes.js';
import { account, emptyResult, type CollectOptions, type CollectResult, type SourceFile } from './types.js';
import { aksClusterInfo } from './azure/cluster.js';
import { parseScope } from '../iam/azure-scope.js';

const TYPES: Record<string, string> = {
  'microsoft.managedidentity/userassignedidentities': 'azure.msi.UserAssignedIdentity',
  'microsoft.managedidentity/userassignedidentities/federatedidentitycredentials': 'azure.msi.FederatedIdentityCredential',
  'microsoft.authorization/roleassignments': 'azure.authorization.RoleAssignment',
  'microsoft.containerservice/managedclusters': 'azure.aks.ManagedCluster',
  'microsoft.containerservice/managedclusters/agentpools': 'azure.aks.AgentPool',
};

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function canonicalType(item: JsonValue): string | undefined {
  const type = asObject(item)?.['type'];
  return typeof type === 'string' ? TYPES[type.toLowerCase()] : undefined;
}

/** A CLI dump: one Azure resource object, or a list of them, of the types above. */
export function isAzureCliDump(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => canonicalType(item) !== undefined && typeof asObject(item)?.['id'] === 'string');
  return canonicalType(value) !== undefined && typeof asObject(value)?.['id'] === 'string' && asObject(value)?.['apiVersion'] === undefined;
}

export function collectAzureCli(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = emptyResult();
  account(result, file.path, 'Azure CLI JSON');
  const items: [JsonValue, string][] = Array.isArray(doc.value) ? doc.value.map((v, i) => [v, `/${i}`]) : [[doc.value, '']];
  const rel = relativeId(opts.root, file.path);
  for (const [item, ptr] of items) {
    const o = asObject(item);
    const type = canonicalType(item);
    if (!o || !type) continue;
    const resource = toResource(o, type, rebase(doc.positions, ptr), file, rel);
    result.resources.push(resource);
    if (type === 'azure.aks.ManagedCluster') result.clusters.push(aksClusterInfo(resource));
  }
  return result;
}

function toResource(o: JsonObject, type: string, docPositions: PositionMap, file: SourceFile, rel: string): Resource {
  const nested = asObject(o['properties']);
  const properties = createObject();
  const positions: PositionMap = Object.create(null) as PositionMap;
  const source = nested ?? o;
  const sourcePrefix = nested ? '/properties' : '';
  for (const [k, v] of Object.entries(source)) {
    if (!nested && ['id', 'name', 'type', 'location', 'tags', 'resourceGroup', 'systemData'].includes(k)) continue;
    properties[k] = v;
  }
  for (const [p, pos] of Object.entries(docPositions)) {
    if (p === '') positions[''] = pos;
    else if (p === '/id' || p === '/name') positions[p] = pos;
    else if (sourcePrefix === '' || p.startsWith(sourcePrefix + '/') || p === sourcePrefix) positions[`/properties${p.slice(sourcePrefix.length)}`] = pos;
  }
  const id = typeof o['id'] === 'string' ? o['id'] : '';
  const name = typeof o['name'] === 'string' ? o['name'] : id.slice(id.lastIndexOf('/') + 1);
  const body: JsonObject = { id, name, properties };
  if (typeof o['resourceGroup'] === 'string') body.resourceGroup = o['resourceGroup'];
  if (type === 'azure.msi.FederatedIdentityCredential') {
    const m = /^(.*)\/federatedIdentityCredentials\/[^/]+$/i.exec(id);
    body.identityId = m ? m[1]! : null;
    body.parentType = 'userAssignedIdentity';
    if (positions['/id']) positions['/identityId'] = positions['/id'];
  }
  if (type === 'azure.authorization.RoleAssignment' && typeof properties.scope === 'string') {
    const info = parseScope(properties.scope);
    if (info) body.scopeInfo = info as unknown as JsonValue;
  }
  if (type === 'azure.aks.ManagedCluster') {
    const oidc = asObject(properties.oidcIssuerProfile);
    if (oidc && oidc.issuerURL === undefined && oidc.issuerUrl !== undefined) {
      oidc.issuerURL = oidc.issuerUrl;
      if (positions['/properties/oidcIssuerProfile/issuerUrl']) positions['/properties/oidcIssuerProfile/issuerURL'] = positions['/properties/oidcIssuerProfile/issuerUrl'];
    }
  }
  const resource: Resource = { id: `cli:${rel}:${id.toLowerCase()}`, type, name, file: file.path, format: 'cli-json', body, positions, logicalLocation: id };
  return resource;
}
