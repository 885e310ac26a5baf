/** The ClusterInfo of an AKS cluster resource (`azure.aks.ManagedCluster`), from any source. */
import type { ClusterInfo, JsonValue, Resource } from '../../model/types.js';

function field(v: JsonValue | undefined, key: string): JsonValue | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined;
}

export function aksClusterInfo(resource: Resource): ClusterInfo {
  const name = field(resource.body, 'name');
  const issuer = field(field(field(resource.body, 'properties'), 'oidcIssuerProfile'), 'issuerURL');
  const info: ClusterInfo = { name: typeof name === 'string' ? name : (resource.address ?? resource.name), provider: 'azure', resourceId: resource.id };
  if (typeof issuer === 'string' && issuer !== '') info.issuer = issuer;
  return info;
}
