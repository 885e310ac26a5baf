/**
 * A loopback HTTPS server speaking Azure Resource Manager JSON: lists with `value` and an
 * absolute `nextLink`, 429 with `Retry-After`, 403 `AuthorizationFailed`, as in the ARM REST
 * reference. Serves one subscription or several, and Subscriptions - List of those the identity
 * can see. Records every request as the RBAC action it needs.
 */
import { afterEach, beforeAll } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTestTls, type TestTls } from './tls.js';

export interface ArmFake {
  url: string;
  /** RBAC actions of the requests, in order (429 answers included). */
  requests: string[];
  close(): Promise<void>;
}

export interface ArmData {
  subscription: string;
  identities: Record<string, unknown>[];
  /** Identity resource id (lower case) → its credentials. */
  credentials: Record<string, Record<string, unknown>[]>;
  roleAssignments: Record<string, unknown>[];
  roleDefinitions: Record<string, unknown>[];
  clusters: Record<string, unknown>[];
  pageSize?: number;
  /** Answer the first identities page with 429 + Retry-After this many times. */
  throttleIdentities?: number;
  denied?: string[];
  token: string;
}

/** An entry of Subscriptions - List. */
export interface ListedSubscription {
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';
}

const ROUTES: [RegExp, string][] = [
  [/^\/subscriptions$/i, 'Microsoft.Resources/subscriptions/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities$/i, 'Microsoft.ManagedIdentity/userAssignedIdentities/read'],
  [/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+\/federatedIdentityCredentials$/i, 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments$/i, 'Microsoft.Authorization/roleAssignments/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions$/i, 'Microsoft.Authorization/roleDefinitions/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters$/i, 'Microsoft.ContainerService/managedClusters/read'],
];

/** `listed` is what Subscriptions - List answers (by default, the subscriptions served), `listPageSize` entries a page; `refuseList` answers it 403. */
export async function startArmFake(tls: TestTls, subscriptions: ArmData | ArmData[], listing: { listed?: ListedSubscription[]; listPageSize?: number; refuseList?: boolean } = {}): Promise<ArmFake> {
  const requests: string[] = [];
  const served = Array.isArray(subscriptions) ? subscriptions : [subscriptions];
  const throttles = new Map(served.map((d) => [d.subscription, d.throttleIdentities ?? 0]));
  const token = served[0]!.token;
  const listed = listing.listed ?? served.map((d) => ({ subscriptionId: d.subscription, displayName: d.subscription, state: 'Enabled' as const }));
  let base = '';
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': '0d6d7b4c-0000-4000-8000-000000000000', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed.' } });
    if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." } });
    const route = ROUTES.find(([re]) => re.test(url.pathname));
    if (!route) return send(404, { error: { code: 'InvalidResourceType', message: `no route ${url.pathname}` } });
    const action = route[1];
    requests.push(action);
    const page = (items: unknown[], pageSize: number): void => {
      const start = Number(url.searchParams.get('$skiptoken') ?? '0');
      const body: Record<string, unknown> = { value: items.slice(start, start + pageSize) };
      if (start + pageSize < items.length) {
        const next = new URL(url.toString());
        next.searchParams.set('$skiptoken', String(start + pageSize));
        body.nextLink = next.toString();
      }
      send(200, body);
    };
    if (url.pathname.toLowerCase() === '/subscriptions') {
      if (listing.refuseList) return send(403, { error: { code: 'AuthorizationFailed', message: "The client '00000000-0000-0000-0000-0000000000aa' does not have authorization to perform action 'Microsoft.Resources/subscriptions/read'." } });
      const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
      const value = listed.map((s) => ({ id: `/subscriptions/${s.subscriptionId}`, authorizationSource: 'RoleBased', managedByTenants: [], subscriptionId: s.subscriptionId, tenantId, displayName: s.displayName, state: s.state, subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' } }));
      return page(value, listing.listPageSize ?? 100);
    }
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(url.pathname)![1]!;
    const data = served.find((d) => d.subscription === subscription);
    if (!data) return send(404, { error: { code: 'SubscriptionNotFound', message: `The subscription '${subscription}' could not be found.` } });
    if (data.denied?.includes(action)) {
      return send(403, { error: { code: 'AuthorizationFailed', message: `The client '00000000-0000-0000-0000-0000000000aa' with object id '00000000-0000-0000-0000-0000000000aa' does not have authorization to perform action '${action}' over scope '/subscriptions/${data.subscription}' or the scope is invalid.` } });
    }
    let items: Record<string, unknown>[];
    if (action.endsWith('userAssignedIdentities/read')) {
      const left = throttles.get(subscription) ?? 0;
      if (!url.searchParams.get('$skiptoken') && left > 0) {
        throttles.set(subscription, left - 1);
        return send(429, { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } }, { 'retry-after': '1' });
      }
      items = data.identities;
    } else if (action.endsWith('federatedIdentityCredentials/read')) {
      const identityId = url.pathname.replace(/\/federatedIdentityCredentials$/i, '').toLowerCase();
      items = data.credentials[identityId] ?? [];
    } else if (action.endsWith('roleAssignments/read')) items = data.roleAssignments;
    else if (action.endsWith('roleDefinitions/read')) {
      const filter = url.searchParams.get('$filter') ?? '';
      items = data.roleDefinitions.filter((d) => !/CustomRole/.test(filter) || (d.properties as { type?: string }).type === 'CustomRole');
    } else items = data.clusters;
    page(items, data.pageSize ?? 100);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ArmFakeHooks {
  /** The CA made for the file (after its first hook has run). */
  tls(): TestTls;
  /** A credential handing out `token` for any scope. */
  credential: TokenCredential;
  start(subscriptions: ArmData | ArmData[], listing?: Parameters<typeof startArmFake>[2]): Promise<ArmFake>;
}

/** The hooks of a test file served by the fake: a CA made once, and the server closed after each test. */
export function useArmFake(token: string): ArmFakeHooks {
  let tls: TestTls | undefined;
  let fake: ArmFake | undefined;
  beforeAll(() => {
    tls = makeTestTls();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return {
    tls: () => tls!,
    credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    start: async (subscriptions, listing) => (fake = await startArmFake(tls!, subscriptions, listing)),
  };
}
