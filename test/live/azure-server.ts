/**
 * A loopback HTTPS server speaking Azure Resource Manager JSON: lists with `value` and an
 * absolute `nextLink`, 429 with `Retry-After`, 403 `AuthorizationFailed`, as in the ARM REST
 * reference. Records every request as the RBAC action it needs.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestTls } from './tls.js';

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

const ROUTES: [RegExp, string][] = [
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities$/i, 'Microsoft.ManagedIdentity/userAssignedIdentities/read'],
  [/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+\/federatedIdentityCredentials$/i, 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments$/i, 'Microsoft.Authorization/roleAssignments/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions$/i, 'Microsoft.Authorization/roleDefinitions/read'],
  [/^\/subscriptions\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters$/i, 'Microsoft.ContainerService/managedClusters/read'],
];

export async function startArmFake(tls: TestTls, data: ArmData): Promise<ArmFake> {
  const requests: string[] = [];
  let throttles = data.throttleIdentities ?? 0;
  const pageSize = data.pageSize ?? 100;
  let base = '';
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': '0d6d7b4c-0000-4000-8000-000000000000', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${data.token}`) return send(401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed.' } });
    if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." } });
    const route = ROUTES.find(([re]) => re.test(url.pathname));
    if (!route) return send(404, { error: { code: 'InvalidResourceType', message: `no route ${url.pathname}` } });
    const action = route[1];
    requests.push(action);
    if (data.denied?.includes(action)) {
      return send(403, { error: { code: 'AuthorizationFailed', message: `The client '00000000-0000-0000-0000-0000000000aa' with object id '00000000-0000-0000-0000-0000000000aa' does not have authorization to perform action '${action}' over scope '/subscriptions/${data.subscription}' or the scope is invalid.` } });
    }
    let items: Record<string, unknown>[];
    if (action.endsWith('userAssignedIdentities/read')) {
      if (!url.searchParams.get('$skiptoken') && throttles > 0) {
        throttles--;
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
    const start = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = items.slice(start, start + pageSize);
    const body: Record<string, unknown> = { value: page };
    if (start + pageSize < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(start + pageSize));
      body.nextLink = next.toString();
    }
    send(200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
