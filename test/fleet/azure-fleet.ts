/** Subscriptions of a loopback Resource Manager, each with one finding to make: the fleet tests' Azure tenant. */
import type { ArmData } from '../live/azure-server.js';

export const TOKEN = 'test-arm-token';
const ISSUER = 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/4c1b0e2a-9b6f-4f1e-8d1a-3e5f6a7b8c9d/';

/** One identity whose federated credential takes a non-standard audience (azure-fic-audience-nonstandard). */
export function subscription(id: string): ArmData {
  const identity = `/subscriptions/${id}/resourceGroups/rg-apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/apps`;
  return {
    subscription: id,
    token: TOKEN,
    identities: [{ id: identity, name: 'apps', location: 'westeurope', type: 'Microsoft.ManagedIdentity/userAssignedIdentities', properties: { clientId: `11111111-2222-3333-4444-${id.slice(-12)}`, principalId: `9a8b7c6d-0000-4000-8000-${id.slice(-12)}`, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } }],
    credentials: { [identity.toLowerCase()]: [{ id: `${identity}/federatedIdentityCredentials/aks-apps`, name: 'aks-apps', type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', properties: { issuer: ISSUER, subject: 'system:serviceaccount:apps:web', audiences: ['api://apps-exchange'] } }] },
    roleAssignments: [],
    roleDefinitions: [],
    clusters: [],
  };
}
