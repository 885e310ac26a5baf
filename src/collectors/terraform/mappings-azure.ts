/**
 * Terraform azurerm / azuread types → canonical Azure shapes (see `ResourceType` in
 * src/model/types.ts). Computed attributes (ids, client ids, issuer URLs) become Unknowns that
 * refer to the resource, so joins follow Terraform references.
 */
import type { Builder, Mapper, MappingContext } from './mapper.js';
import { type ObjectValue, type Value, encodedValue, isObject, isUnknown, mkUnknown, newObject, parseJsonValue, templatePieces } from './values.js';
import { decodeJsonPieces } from './json-template.js';
import { scopeOf, type ScopeInfo } from '../../iam/azure-scope.js';
import { own } from '../../util/own.js';

function computed(ctx: MappingContext, attribute: string): Value {
  return mkUnknown(`${ctx.address}.${attribute}`, { ref: { id: ctx.id, attribute } });
}

function obj(entries: Record<string, Value | undefined>): ObjectValue {
  const o = newObject();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) o[k] = v;
  return o;
}

function firstBlock(values: ObjectValue, name: string): ObjectValue | undefined {
  const v = values[name];
  if (Array.isArray(v) && isObject(v[0])) return v[0];
  if (isObject(v)) return v;
  return undefined;
}

function nameOf(v: Value | undefined, address: string): string {
  return typeof v === 'string' ? v : address;
}

/** Scope levels of references whose type says what they are (`azurerm_resource_group.rg.id`). */
const SCOPE_REFERENCE_TYPES: [RegExp, ScopeInfo['level']][] = [
  [/^(data\.)?azurerm_resource_group\.[^.]+(\[[^\]]*\])?\.id$/, 'resourceGroup'],
  [/^(data\.)?azurerm_subscription\.[^.]+(\[[^\]]*\])?\.id$/, 'subscription'],
  [/^(data\.)?azurerm_management_group\.[^.]+(\[[^\]]*\])?\.id$/, 'managementGroup'],
];

function scopeInfo(scope: Value | undefined): ObjectValue | undefined {
  let info = scopeOf(scope as never);
  if (!info && isUnknown(scope)) {
    const expr = scope.$unknown.replace(/^\$\{(.*)\}$/, '$1').replace(/^module\.[^.]+(\[[^\]]*\])?\./, '');
    const level = SCOPE_REFERENCE_TYPES.find(([re]) => re.test(expr))?.[1];
    if (level) info = { level };
  }
  return info ? obj(info as unknown as Record<string, Value>) : undefined;
}

function credential(ctx: MappingContext, b: Builder, parentKey: string, parentType: string): ObjectValue {
  const v = ctx.values;
  const properties = obj({ issuer: v.issuer ?? null });
  b.set('/properties/issuer', '/issuer');
  if (v.subject !== undefined && v.subject !== null) {
    properties.subject = v.subject;
    b.set('/properties/subject', '/subject');
  }
  const audience = v.audiences ?? v.audience;
  const audienceKey = v.audiences !== undefined ? '/audiences' : '/audience';
  if (Array.isArray(audience) || isUnknown(audience)) {
    properties.audiences = audience;
    b.move(audienceKey, '/properties/audiences');
  } else if (typeof audience === 'string') {
    properties.audiences = [audience];
    b.set('/properties/audiences', audienceKey);
    b.set('/properties/audiences/0', audienceKey);
  } else properties.audiences = [];
  const body = obj({ id: computed(ctx, 'id'), name: v.name ?? v.display_name ?? ctx.address, identityId: v[parentKey] ?? null, parentType, properties });
  b.set('/name', v.name !== undefined ? '/name' : '/display_name');
  b.set('/identityId', `/${parentKey}`);
  return body;
}

export const AZURE_MAPPERS: Record<string, Mapper> = {
  azurerm_user_assigned_identity(ctx, b) {
    const v = ctx.values;
    const properties = obj({ clientId: computed(ctx, 'client_id'), principalId: computed(ctx, 'principal_id'), tenantId: computed(ctx, 'tenant_id') });
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? computed(ctx, 'name'), resourceGroup: v.resource_group_name, location: v.location, properties });
    b.set('/name', '/name');
    b.set('/resourceGroup', '/resource_group_name');
    return { type: 'azure.msi.UserAssignedIdentity', name: nameOf(v.name, ctx.address), body };
  },
  azurerm_federated_identity_credential(ctx, b) {
    const parentKey = ctx.values.user_assigned_identity_id !== undefined ? 'user_assigned_identity_id' : 'parent_id';
    const body = credential(ctx, b, parentKey, 'userAssignedIdentity');
    return { type: 'azure.msi.FederatedIdentityCredential', name: nameOf(body.name, ctx.address), body };
  },
  azuread_application_federated_identity_credential(ctx, b) {
    const parentKey = ctx.values.application_id !== undefined ? 'application_id' : 'application_object_id';
    const body = credential(ctx, b, parentKey, 'application');
    return { type: 'azure.msi.FederatedIdentityCredential', name: nameOf(body.name, ctx.address), body };
  },
  azuread_application_flexible_federated_identity_credential(ctx, b) {
    const body = credential(ctx, b, 'application_id', 'application');
    const expression = ctx.values.claims_matching_expression;
    (body.properties as ObjectValue).claimsMatchingExpression = obj({ value: expression ?? null, languageVersion: 1 });
    b.set('/properties/claimsMatchingExpression', '/claims_matching_expression');
    b.set('/properties/claimsMatchingExpression/value', '/claims_matching_expression');
    return { type: 'azure.msi.FederatedIdentityCredential', name: nameOf(body.name, ctx.address), body };
  },
  azurerm_role_assignment(ctx, b) {
    const v = ctx.values;
    const properties = obj({
      scope: v.scope ?? null,
      roleDefinitionId: v.role_definition_id,
      roleDefinitionName: v.role_definition_name,
      principalId: v.principal_id ?? null,
      principalType: v.principal_type,
    });
    b.set('/properties/scope', '/scope');
    b.set('/properties/roleDefinitionId', '/role_definition_id');
    b.set('/properties/roleDefinitionName', '/role_definition_name');
    b.set('/properties/principalId', '/principal_id');
    const body = obj({ id: computed(ctx, 'id'), name: v.name, properties, scopeInfo: scopeInfo(v.scope) });
    return { type: 'azure.authorization.RoleAssignment', name: ctx.address, body };
  },
  azurerm_kubernetes_cluster(ctx, b) {
    const v = ctx.values;
    const pool = firstBlock(v, 'default_node_pool');
    const profiles: Value[] = [];
    if (pool) {
      // The default (system) node pool of an AKS cluster always runs Linux.
      profiles.push(obj({ name: pool.name ?? null, osType: 'Linux', mode: 'System', vmSize: pool.vm_size }));
      b.move('/default_node_pool/0', '/properties/agentPoolProfiles/0');
      b.set('/properties/agentPoolProfiles/0/osType', '/default_node_pool/0');
    }
    const properties = obj({
      oidcIssuerProfile: obj({ enabled: v.oidc_issuer_enabled ?? false, issuerURL: computed(ctx, 'oidc_issuer_url') }),
      securityProfile: obj({ workloadIdentity: obj({ enabled: v.workload_identity_enabled ?? false }) }),
      agentPoolProfiles: profiles,
    });
    b.set('/properties/oidcIssuerProfile/enabled', '/oidc_issuer_enabled');
    b.set('/properties/securityProfile/workloadIdentity/enabled', '/workload_identity_enabled');
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? computed(ctx, 'name'), properties });
    b.set('/name', '/name');
    return { type: 'azure.aks.ManagedCluster', name: nameOf(v.name, ctx.address), body };
  },
  azurerm_kubernetes_cluster_node_pool(ctx, b) {
    const v = ctx.values;
    const properties = obj({ osType: v.os_type ?? 'Linux', osSKU: v.os_sku, mode: v.mode ?? 'User' });
    b.set('/properties/osType', v.os_type !== undefined ? '/os_type' : '');
    b.set('/properties/osSKU', '/os_sku');
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? null, clusterId: v.kubernetes_cluster_id ?? null, properties });
    b.set('/name', '/name');
    b.set('/clusterId', '/kubernetes_cluster_id');
    return { type: 'azure.aks.AgentPool', name: nameOf(v.name, ctx.address), body };
  },
};

/**
 * `azapi_resource` body: an HCL object (azapi 2.x), or JSON from `jsonencode(...)` or a heredoc (azapi 1.x).
 * An unreadable body stays Unknown.
 */
function azapiBody(v: Value | undefined): Value {
  if (v === undefined || v === null) return newObject();
  if (typeof v === 'string') return parseJsonValue(v) ?? mkUnknown('body');
  if (isUnknown(v)) {
    const encoded = encodedValue.get(v);
    if (encoded !== undefined) return encoded;
    const pieces = templatePieces.get(v);
    return (pieces ? decodeJsonPieces(pieces)?.value : undefined) ?? v;
  }
  return v;
}

/** The `properties` of an azapi body, copied so defaults can be added; every field Unknown when the body is. */
function azapiProperties(ctx: MappingContext, b: Builder, unknownFields: string[]): ObjectValue {
  const body = azapiBody(ctx.values.body);
  b.move('/body/properties', '/properties');
  if (isUnknown(body)) {
    b.set('/properties', '/body');
    return obj(Object.fromEntries(unknownFields.map((f) => [f, body])));
  }
  const properties = isObject(body) ? body.properties : undefined;
  if (isUnknown(properties)) return obj(Object.fromEntries(unknownFields.map((f) => [f, properties])));
  return isObject(properties) ? obj(properties) : newObject();
}

function resourceGroupOf(v: Value | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.split('/').filter((p) => p !== '');
  return parts.length >= 4 && parts[2]!.toLowerCase() === 'resourcegroups' ? parts[3] : undefined;
}

type AzapiMapper = (ctx: MappingContext, b: Builder) => ReturnType<Mapper>;

/** azapi resource types (lower case, without the API version) → canonical Azure shapes, as ARM returns them. */
const AZAPI_MAPPERS: Record<string, AzapiMapper> = {
  'microsoft.managedidentity/userassignedidentities'(ctx, b) {
    const v = ctx.values;
    const properties = obj({
      clientId: computed(ctx, 'output.properties.clientId'),
      principalId: computed(ctx, 'output.properties.principalId'),
      tenantId: computed(ctx, 'output.properties.tenantId'),
    });
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? computed(ctx, 'name'), resourceGroup: resourceGroupOf(v.parent_id), location: v.location, properties });
    b.set('/name', '/name');
    b.set('/resourceGroup', '/parent_id');
    return { type: 'azure.msi.UserAssignedIdentity', name: nameOf(v.name, ctx.address), body };
  },
  'microsoft.managedidentity/userassignedidentities/federatedidentitycredentials'(ctx, b) {
    const v = ctx.values;
    const properties = azapiProperties(ctx, b, ['issuer', 'subject', 'audiences']);
    if (properties.issuer === undefined) properties.issuer = null;
    if (properties.audiences === undefined) properties.audiences = [];
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? ctx.address, identityId: v.parent_id ?? null, parentType: 'userAssignedIdentity', properties });
    b.set('/name', '/name');
    b.set('/identityId', '/parent_id');
    return { type: 'azure.msi.FederatedIdentityCredential', name: nameOf(v.name, ctx.address), body };
  },
  'microsoft.authorization/roleassignments'(ctx, b) {
    const v = ctx.values;
    const properties = azapiProperties(ctx, b, ['roleDefinitionId', 'principalId']);
    // An extension resource: its scope is the parent.
    properties.scope = v.parent_id ?? null;
    b.set('/properties/scope', '/parent_id');
    if (properties.principalId === undefined) properties.principalId = null;
    const body = obj({ id: computed(ctx, 'id'), name: v.name, properties, scopeInfo: scopeInfo(v.parent_id) });
    b.set('/name', '/name');
    return { type: 'azure.authorization.RoleAssignment', name: ctx.address, body };
  },
  'microsoft.containerservice/managedclusters'(ctx, b) {
    const v = ctx.values;
    const properties = azapiProperties(ctx, b, []);
    const oidc = isObject(properties.oidcIssuerProfile) ? obj(properties.oidcIssuerProfile) : newObject();
    oidc.enabled ??= false;
    oidc.issuerURL = computed(ctx, 'output.properties.oidcIssuerProfile.issuerURL');
    properties.oidcIssuerProfile = oidc;
    const security = isObject(properties.securityProfile) ? obj(properties.securityProfile) : newObject();
    const workloadIdentity = isObject(security.workloadIdentity) ? obj(security.workloadIdentity) : newObject();
    workloadIdentity.enabled ??= false;
    security.workloadIdentity = workloadIdentity;
    properties.securityProfile = security;
    const pools = properties.agentPoolProfiles;
    properties.agentPoolProfiles = Array.isArray(pools)
      ? pools.map((pool, i) => {
          if (!isObject(pool)) return pool;
          const profile = obj(pool);
          // ARM's default for an agent pool's OS.
          if (profile.osType === undefined) {
            profile.osType = 'Linux';
            b.set(`/properties/agentPoolProfiles/${i}/osType`, `/body/properties/agentPoolProfiles/${i}`);
          }
          return profile;
        })
      : isUnknown(pools) ? pools : [];
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? computed(ctx, 'name'), properties });
    b.set('/name', '/name');
    return { type: 'azure.aks.ManagedCluster', name: nameOf(v.name, ctx.address), body };
  },
  'microsoft.containerservice/managedclusters/agentpools'(ctx, b) {
    const v = ctx.values;
    const properties = azapiProperties(ctx, b, []);
    if (properties.osType === undefined) {
      properties.osType = 'Linux';
      b.set('/properties/osType', '');
    }
    properties.mode ??= 'User';
    const body = obj({ id: computed(ctx, 'id'), name: v.name ?? null, clusterId: v.parent_id ?? null, properties });
    b.set('/name', '/name');
    b.set('/clusterId', '/parent_id');
    return { type: 'azure.aks.AgentPool', name: nameOf(v.name, ctx.address), body };
  },
};

/**
 * Maps an `azapi_resource` by its ARM type (`Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31`);
 * undefined for types podtrust does not model or a type that is not known.
 */
export function mapAzapiResource(ctx: MappingContext, b: Builder): ReturnType<Mapper> | undefined {
  const type = ctx.values.type;
  if (typeof type !== 'string') return undefined;
  const armType = type.split('@')[0]!.trim().toLowerCase();
  const mapper = own(AZAPI_MAPPERS, armType);
  return mapper?.(ctx, b);
}
