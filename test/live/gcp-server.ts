/**
 * A loopback server speaking the Google APIs' JSON: an Security Token Service endpoint (the `token_url` of
 * an `external_account` credential), Resource Manager and IAM `getIamPolicy`, paged `serviceAccounts.list`
 * (`nextPageToken`), GKE `clusters.list`, and errors in the `{ error: { code, message, status } }`
 * form (403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED). Records each request as the permission it needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GcpData {
  project: string;
  projectPolicy: { bindings: Record<string, unknown>[] };
  serviceAccounts: Record<string, unknown>[];
  /** Email → policy. */
  serviceAccountPolicies: Record<string, { bindings: Record<string, unknown>[] }>;
  clusters: Record<string, unknown>[];
  pageSize?: number;
  throttleServiceAccounts?: number;
  denied?: string[];
}

export interface GcpFake {
  url: string;
  requests: string[];
  tokenRequests: number;
  close(): Promise<void>;
}

const TOKEN = 'ya29.test-access-token';
/** What the projected ServiceAccount token file holds in the tests (not a real token). */
export const SUBJECT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-ksa-token.signature';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function drain(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startGcpFake(data: GcpData): Promise<GcpFake> {
  const fake = { requests: [] as string[], tokenRequests: 0 };
  let throttles = data.throttleServiceAccounts ?? 0;
  const pageSize = data.pageSize ?? 100;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await drain(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      if (path === '/token' && req.method === 'POST') {
        fake.tokenRequests++;
        // Security Token Service exchange (workload identity federation: a Kubernetes token for a Google token).
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') return send(res, 400, { error: 'invalid_grant', error_description: 'unsupported grant_type' });
        if (form.get('subject_token') !== SUBJECT_TOKEN) return send(res, 400, { error: 'invalid_grant', error_description: 'The subject token is invalid.' });
        return send(res, 200, { access_token: TOKEN, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 });
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
      let permission: string;
      let m: RegExpExecArray | null;
      if ((m = /^\/v1\/projects\/([^/:]+):getIamPolicy$/.exec(path)) && req.method === 'POST') permission = 'resourcemanager.projects.getIamPolicy';
      else if ((m = /^\/v1\/projects\/([^/]+)\/serviceAccounts$/.exec(path)) && req.method === 'GET') permission = 'iam.serviceAccounts.list';
      else if ((m = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):getIamPolicy$/.exec(path)) && req.method === 'POST') permission = 'iam.serviceAccounts.getIamPolicy';
      else if ((m = /^\/v1\/projects\/([^/]+)\/locations\/-\/clusters$/.exec(path)) && req.method === 'GET') permission = 'container.clusters.list';
      else return send(res, 404, { error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } });
      fake.requests.push(permission);
      if (m[1] !== data.project) return send(res, 403, { error: { code: 403, message: `Permission '${permission}' denied on resource (or it may not exist).`, status: 'PERMISSION_DENIED' } });
      if (data.denied?.includes(permission)) {
        return send(res, 403, { error: { code: 403, message: `Permission '${permission}' denied on resource '//cloudresourcemanager.googleapis.com/projects/${data.project}' (or it may not exist).`, status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission } }] } });
      }
      if (permission === 'resourcemanager.projects.getIamPolicy') return send(res, 200, { version: 1, etag: 'BwYJ0UqKqzI=', ...data.projectPolicy });
      if (permission === 'iam.serviceAccounts.list') {
        if (!url.searchParams.get('pageToken') && throttles > 0) {
          throttles--;
          return send(res, 429, { error: { code: 429, message: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'iam.googleapis.com'.", status: 'RESOURCE_EXHAUSTED' } });
        }
        const start = Number(url.searchParams.get('pageToken')?.replace(/^CgR0b2tl/, '') ?? '0');
        const size = Math.min(Number(url.searchParams.get('pageSize') ?? pageSize), pageSize);
        const accounts = data.serviceAccounts.slice(start, start + size);
        return send(res, 200, { accounts, ...(start + size < data.serviceAccounts.length ? { nextPageToken: `CgR0b2tl${start + size}` } : {}) });
      }
      if (permission === 'iam.serviceAccounts.getIamPolicy') {
        const policy = data.serviceAccountPolicies[m[2]!];
        return send(res, 200, policy && policy.bindings.length > 0 ? { version: 1, etag: 'BwYJ0UqKqzI=', ...policy } : { etag: 'ACAB' });
      }
      return send(res, 200, { clusters: data.clusters });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
