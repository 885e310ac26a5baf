/**
 * Live Azure collection through the real ARM SDK clients against a loopback HTTPS server
 * (the SDK's bearer-token policy refuses plain http), with a CA made at test time.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { collectLiveAzure } from '../../src/live/azure/collect.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { useArmFake, type ArmData } from './azure-server.js';

const SUB = 'c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-workloads`;
const ISSUER = 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/4c1b0e2a-9b6f-4f1e-8d1a-3e5f6a7b8c9d/';
const TOKEN = 'test-arm-token';

function identity(name: string, clientId: string): Record<string, unknown> {
  return {
    id: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
    location: 'westeurope',
    name,
    properties: { clientId, principalId: `9a8b7c6d-0000-4000-8000-${clientId.slice(-12)}`, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    tags: {},
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  };
}

function credential(identityName: string, name: string, subject: string, audiences: string[]): Record<string, unknown> {
  return {
    id: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}/federatedIdentityCredentials/${name}`,
    name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    properties: { issuer: ISSUER, subject, audiences },
  };
}

function data(extra: Partial<ArmData> = {}): ArmData {
  const idOf = (n: string): string => `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${n}`.toLowerCase();
  return {
    subscription: SUB,
    token: TOKEN,
    pageSize: 2,
    identities: [identity('orders-api', '11111111-2222-3333-4444-555555555555'), identity('reports', '66666666-7777-8888-9999-000000000000'), identity('ci-deployer', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')],
    credentials: {
      [idOf('orders-api')]: [credential('orders-api', 'aks-orders', 'system:serviceaccount:orders:api', ['api://AzureADTokenExchange'])],
      [idOf('reports')]: [credential('reports', 'aks-reports', 'system:serviceaccount:reports:generator', ['api://reports-exchange'])],
    },
    roleAssignments: [
      {
        id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747`,
        name: 'b0f43c54-e787-4862-89b1-a653fa9cf747',
        type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, principalId: '9a8b7c6d-0000-4000-8000-555555555555', principalType: 'ServicePrincipal', scope: `/subscriptions/${SUB}` },
      },
    ],
    roleDefinitions: [
      { id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/3c6a2d1e-0000-4000-8000-000000000001`, name: '3c6a2d1e-0000-4000-8000-000000000001', type: 'Microsoft.Authorization/roleDefinitions', properties: { roleName: 'orders operator', type: 'CustomRole', description: '', assignableScopes: [`/subscriptions/${SUB}`], permissions: [{ actions: ['Microsoft.Storage/storageAccounts/read'], notActions: [], dataActions: [], notDataActions: [] }] } },
    ],
    clusters: [
      {
        id: `${RG}/providers/Microsoft.ContainerService/managedClusters/aks-prod`,
        location: 'westeurope',
        name: 'aks-prod',
        type: 'Microsoft.ContainerService/ManagedClusters',
        properties: {
          provisioningState: 'Succeeded',
          kubernetesVersion: '1.30.4',
          dnsPrefix: 'aks-prod',
          fqdn: 'aks-prod-abc123.hcp.westeurope.azmk8s.io',
          agentPoolProfiles: [{ name: 'system', count: 3, vmSize: 'Standard_D4s_v5', osType: 'Linux', osSKU: 'AzureLinux', mode: 'System' }, { name: 'win', count: 1, vmSize: 'Standard_D4s_v5', osType: 'Windows', mode: 'User' }],
          oidcIssuerProfile: { enabled: true, issuerURL: ISSUER },
          securityProfile: { workloadIdentity: { enabled: true } },
        },
      },
    ],
    ...extra,
  };
}

const arm = useArmFake(TOKEN);
const credentialStub = arm.credential;

describe('live Azure collection', () => {
  it('reads identities, credentials, role assignments and AKS clusters page by page, waiting out 429', async () => {
    const fake = await arm.start(data({ throttleIdentities: 1 }));
    const calls = new ApiCallLog();
    const result = await collectLiveAzure({ subscriptions: [SUB], endpoint: fake.url, credential: credentialStub, tlsCa: arm.tls().ca, calls });
    expect(result.notes).toEqual([]);
    // 3 identities at 2 per page: 2 pages, plus the throttled attempt.
    expect(fake.requests.filter((r) => r === 'Microsoft.ManagedIdentity/userAssignedIdentities/read')).toHaveLength(3);
    expect(calls.count('azure')).toBe(2 + 3 + 1 + 1 + 1);
    const identities = result.resources.filter((r) => r.type === 'azure.msi.UserAssignedIdentity');
    expect(identities.map((r) => r.name).sort()).toEqual(['ci-deployer', 'orders-api', 'reports']);
    const orders = identities.find((r) => r.name === 'orders-api')!;
    expect(orders.body).toMatchObject({ properties: { clientId: '11111111-2222-3333-4444-555555555555' }, resourceGroup: 'rg-workloads' });
    expect(orders.file).toBe(`azure/${SUB}/resourceGroups/rg-workloads/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-api.json`);
    expect(orders.logicalLocation).toMatch(/userAssignedIdentities\/orders-api$/);
    const fic = result.resources.find((r) => r.type === 'azure.msi.FederatedIdentityCredential' && r.name === 'aks-orders')!;
    expect(fic.body).toMatchObject({ identityId: orders.logicalLocation, parentType: 'userAssignedIdentity', properties: { subject: 'system:serviceaccount:orders:api', audiences: ['api://AzureADTokenExchange'] } });
    expect(result.resources.find((r) => r.type === 'azure.authorization.RoleAssignment')?.body).toMatchObject({ scopeInfo: { level: 'subscription' } });
    expect(result.resources.filter((r) => r.type === 'azure.authorization.RoleDefinition')).toHaveLength(1);
    expect(result.clusters).toEqual([expect.objectContaining({ name: 'aks-prod', provider: 'azure', issuer: ISSUER, account: SUB })]);
  });

  it('finds the same problems as the equivalent IaC, at the live credential', async () => {
    const fake = await arm.start(data());
    const root = mkdtempSync(join(tmpdir(), 'podtrust-azure-'));
    const result = await scan({ paths: [], root, live: { azure: { subscriptions: [SUB], endpoint: fake.url, credential: credentialStub, tlsCa: arm.tls().ca } }, ruleIds: ['azure-fic-audience-nonstandard'] });
    expect(result.findings.map((f) => [f.ruleId, f.resource.name, f.origin, f.location.file])).toEqual([
      ['azure-fic-audience-nonstandard', 'aks-reports', 'live', `azure/${SUB}/resourceGroups/rg-workloads/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reports/federatedIdentityCredentials/aks-reports.json`],
    ]);
    expect(result.findings[0]!.location.logical).toMatch(/federatedIdentityCredentials\/aks-reports$/);
  });

  it('names a 403 as a permission gap and keeps going', async () => {
    const fake = await arm.start(data({ denied: ['Microsoft.Authorization/roleAssignments/read'] }));
    const result = await collectLiveAzure({ subscriptions: [SUB], endpoint: fake.url, credential: credentialStub, tlsCa: arm.tls().ca });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ kind: 'permission', level: 'warning' });
    expect(result.notes[0]!.message).toMatch(/role assignments.*403/);
    expect(result.resources.filter((r) => r.type === 'azure.aks.ManagedCluster')).toHaveLength(1);
  });

  it('calls exactly the actions of deploy/azure/podtrust-reader-role.json', async () => {
    const fake = await arm.start(data());
    await collectLiveAzure({ subscriptions: [SUB], endpoint: fake.url, credential: credentialStub, tlsCa: arm.tls().ca });
    const role = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'azure', 'podtrust-reader-role.json'), 'utf8')) as { Actions: string[] };
    const allowed = new Set(role.Actions);
    const called = new Set(fake.requests);
    expect([...called].filter((a) => !allowed.has(a)), 'called but not allowed').toEqual([]);
    expect([...allowed].filter((a) => !called.has(a)), 'allowed but never called').toEqual([]);
  });
});
