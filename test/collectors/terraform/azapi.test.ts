import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { Model } from '../../../src/model/model.js';
import type { Inventory, Resource } from '../../../src/model/types.js';

const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };
const ROOT = '/virtual/azapi';
const PASS_FIXTURE = join(import.meta.dirname, '../../../fixtures/rules/azure-fic-subject-broad/pass-azapi-standard-credential/main.tf');

async function collect(text: string) {
  return collectTerraform([{ path: join(ROOT, 'main.tf'), text }], { root: ROOT, limits: LIMITS });
}

function byAddress(resources: Resource[], address: string): Resource {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in ${resources.map((x) => x.address).join(', ')}`);
  return r;
}

function modelOf(result: Awaited<ReturnType<typeof collect>>): Model {
  return new Model({ resources: result.resources, clusters: result.clusters } as unknown as Inventory);
}

describe('azapi_resource federated identity credentials', async () => {
  const text = readFileSync(PASS_FIXTURE, 'utf8');
  const result = await collectTerraform([{ path: PASS_FIXTURE, text }], { root: join(PASS_FIXTURE, '..'), limits: LIMITS });

  it('maps a user-assigned identity to the canonical identity shape', () => {
    const identity = byAddress(result.resources, 'azapi_resource.orders');
    expect(identity.type).toBe('azure.msi.UserAssignedIdentity');
    expect(identity.name).toBe('id-orders');
    const body = identity.body as any;
    expect(body.properties.clientId.ref).toEqual({ id: identity.id, attribute: 'output.properties.clientId' });
    expect(identity.positions['/name']!.line).toBe(40);
  });

  it('maps an HCL body credential with positions inside body', () => {
    const credential = byAddress(result.resources, 'azapi_resource.orders_aks');
    expect(credential.type).toBe('azure.msi.FederatedIdentityCredential');
    expect(credential.name).toBe('aks-orders-api');
    const body = credential.body as any;
    expect(body.parentType).toBe('userAssignedIdentity');
    expect(body.identityId.ref).toEqual({ id: byAddress(result.resources, 'azapi_resource.orders').id, attribute: 'id' });
    expect(body.properties.subject).toBe('system:serviceaccount:orders:orders-api');
    expect(body.properties.audiences).toEqual(['api://AzureADTokenExchange']);
    expect(credential.positions['/properties/subject']!.line).toBe(55);
    expect(credential.positions['/properties/audiences/0']!.line).toBe(56);
    expect(credential.positions['/identityId']!.line).toBe(51);
  });

  it('reads a jsonencode body with positions inside it', () => {
    const credential = byAddress(result.resources, 'azapi_resource.orders_deploy');
    const body = credential.body as any;
    expect(body.properties.issuer).toBe('https://token.actions.githubusercontent.com');
    expect(body.properties.subject).toBe('repo:acme-corp/orders:environment:production');
    expect(credential.positions['/properties/subject']!.line).toBe(69);
  });

  it('keeps a flexible claims-matching expression', () => {
    const credential = byAddress(result.resources, 'azapi_resource.orders_release');
    const expression = (credential.body as any).properties.claimsMatchingExpression;
    expect(expression).toEqual({ value: "claims['sub'] eq 'repo:acme-corp/orders:ref:refs/heads/main'", languageVersion: 1 });
    expect(credential.positions['/properties/claimsMatchingExpression/value']!.line).toBe(85);
  });

  it('gives the identity one federation per credential, the AKS one tied to the cluster', () => {
    const model = modelOf(result);
    const feds = model.federationsOf(byAddress(result.resources, 'azapi_resource.orders'));
    expect(feds).toHaveLength(3);
    expect(feds[0]!.issuer.kind).toBe('kubernetes');
    expect(feds[0]!.subject.allow?.map((p) => p.value)).toEqual(['system:serviceaccount:orders:orders-api']);
    expect(feds.slice(1).every((f) => f.issuer.host === 'token.actions.githubusercontent.com')).toBe(true);
    expect(feds[2]!.subject.allow?.map((p) => [p.value, p.wildcard])).toEqual([['repo:acme-corp/orders:ref:refs/heads/main', false]]);
  });
});

describe('azapi_resource clusters and role assignments', async () => {
  const result = await collect(`
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-prod"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod"
  location  = "westeurope"
  body = {
    properties = {
      dnsPrefix = "aks-prod"
      oidcIssuerProfile = { enabled = true }
      securityProfile = {
        workloadIdentity = { enabled = true }
      }
      agentPoolProfiles = [
        { name = "system", mode = "System", count = 3, vmSize = "Standard_D4s_v5" },
        { name = "win", mode = "User", count = 1, vmSize = "Standard_D4s_v5", osType = "Windows" },
      ]
    }
  }
}

resource "azapi_resource" "app" {
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31"
  name      = "id-app"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod"
  location  = "westeurope"
}

resource "azapi_resource" "app_fic" {
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31"
  name      = "aks-app"
  parent_id = azapi_resource.app.id
  body = {
    properties = {
      issuer    = azapi_resource.aks.output.properties.oidcIssuerProfile.issuerURL
      subject   = "system:serviceaccount:app:app"
      audiences = ["api://AzureADTokenExchange"]
    }
  }
}

resource "azapi_resource" "app_contributor" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod"
  body = {
    properties = {
      principalId      = azapi_resource.app.output.properties.principalId
      roleDefinitionId = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
    }
  }
}
`);

  it('maps a managed cluster with its issuer profile, workload identity and pools', () => {
    const cluster = byAddress(result.resources, 'azapi_resource.aks');
    expect(cluster.type).toBe('azure.aks.ManagedCluster');
    const props = (cluster.body as any).properties;
    expect(props.oidcIssuerProfile.enabled).toBe(true);
    expect(props.oidcIssuerProfile.issuerURL.ref.id).toBe(cluster.id);
    expect(props.securityProfile.workloadIdentity.enabled).toBe(true);
    expect(props.agentPoolProfiles.map((p: any) => p.osType)).toEqual(['Linux', 'Windows']);
    expect(cluster.positions['/properties/agentPoolProfiles/1/osType']!.line).toBe(16);
    expect(cluster.positions['/properties/agentPoolProfiles/0/osType']!.line).toBe(15);
    expect(result.clusters.map((c) => c.name)).toEqual(['aks-prod']);
  });

  it('ties a credential whose issuer is the azapi cluster output to that cluster', () => {
    const feds = modelOf(result).federationsOf(byAddress(result.resources, 'azapi_resource.app'));
    expect(feds).toHaveLength(1);
    expect(feds[0]!.issuer).toMatchObject({ kind: 'kubernetes', cluster: 'aks-prod' });
  });

  it('maps a role assignment with its parent as scope', () => {
    const assignment = byAddress(result.resources, 'azapi_resource.app_contributor');
    expect(assignment.type).toBe('azure.authorization.RoleAssignment');
    const body = assignment.body as any;
    expect(body.properties.scope).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod');
    expect(body.scopeInfo).toMatchObject({ level: 'resourceGroup', resourceGroup: 'rg-prod' });
    expect(body.properties.principalId.ref.id).toBe(byAddress(result.resources, 'azapi_resource.app').id);
    expect(assignment.positions['/properties/scope']!.line).toBe(45);
    expect(assignment.positions['/properties/roleDefinitionId']!.line).toBe(49);
  });
});

describe('azapi_resource edge cases', () => {
  it('reads a heredoc JSON body (azapi 1.x) with file lines', async () => {
    const result = await collect(`resource "azapi_resource" "fic" {
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31"
  name      = "legacy"
  parent_id = var.identity_id
  body      = <<JSON
{
  "properties": {
    "issuer": "https://token.actions.githubusercontent.com",
    "audiences": ["api://AzureADTokenExchange"],
    "claimsMatchingExpression": { "value": "claims['sub'] matches 'repo:acme/*'", "languageVersion": 1 }
  }
}
JSON
}
`);
    const credential = byAddress(result.resources, 'azapi_resource.fic');
    expect((credential.body as any).properties.claimsMatchingExpression.value).toBe("claims['sub'] matches 'repo:acme/*'");
    expect(credential.positions['/properties/claimsMatchingExpression/value']!.line).toBe(10);
  });

  it('keeps an unresolved body Unknown instead of guessing', async () => {
    const result = await collect(`variable "credential_body" {}
resource "azapi_resource" "fic" {
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31"
  name      = "from-variable"
  parent_id = var.identity_id
  body      = var.credential_body
}
`);
    const props = (byAddress(result.resources, 'azapi_resource.fic').body as any).properties;
    for (const field of ['issuer', 'subject', 'audiences']) expect(props[field]).toHaveProperty('$unknown');
  });

  it('skips types it does not model and types it cannot read', async () => {
    const result = await collect(`variable "type" {}
resource "azapi_resource" "storage" {
  type      = "Microsoft.Storage/storageAccounts@2023-01-01"
  name      = "stacme"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body      = { kind = "StorageV2" }
}
resource "azapi_resource" "dynamic" {
  type      = var.type
  name      = "x"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
}
`);
    expect(result.resources.filter((r) => r.address?.startsWith('azapi_resource.'))).toEqual([]);
    expect(result.notes.filter((n) => n.kind === 'parse-error')).toEqual([]);
  });
});
