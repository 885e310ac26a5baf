/**
 * A loopback server speaking the Google APIs' JSON: an Security Token Service endpoint (the `token_url` of
 * an `external_account` credential), Resource Manager and IAM `getIamPolicy`, paged `serviceAccounts.list`
 * (`nextPageToken`), GKE `clusters.list`, and errors in the `{ error: { code, message, status } }`
 * form (403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED). Serves one project or several, and a
 * Resource Manager v3 hierarchy (`folders.list` and `projects.list` by `parent`, paged by
 * `nextPageToken`). Records each request as the permission it needs.
 */
import { afterEach, beforeAll } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Folders and projects of an organization, as Resource Manager v3 answers them. */
export interface GcpHierarchy {
  folders: { name: string; parent: string; displayName: string; state?: string }[];
  projects: { projectId: string; parent: string; state?: string }[];
  /** Parents whose children the identity cannot list (403). */
  denied?: string[];
  pageSize?: number;
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

function denied(res: ServerResponse, permission: string, resource: string): void {
  send(res, 403, { error: { code: 403, message: `Permission '${permission}' denied on resource '//cloudresourcemanager.googleapis.com/${resource}' (or it may not exist).`, status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission } }] } });
}

/** A v3 list answer: the parent's children of `key`, one page from `pageToken`. */
function childPage(res: ServerResponse, url: URL, key: 'folders' | 'projects', children: Record<string, unknown>[], pageSize: number): void {
  const start = Number(url.searchParams.get('pageToken')?.replace(/^p/, '') ?? '0');
  const size = Math.min(Number(url.searchParams.get('pageSize') ?? pageSize), pageSize);
  send(res, 200, { [key]: children.slice(start, start + size), ...(start + size < children.length ? { nextPageToken: `p${start + size}` } : {}) });
}

/** v3 `projects/123`-style names: a number per project id. */
const projectNumber = (id: string): string => String(100000000000 + [...id].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 899999999999, 0));

export async function startGcpFake(projects: GcpData | GcpData[], hierarchy?: GcpHierarchy): Promise<GcpFake> {
  const fake = { requests: [] as string[], tokenRequests: 0 };
  const byProject = new Map((Array.isArray(projects) ? projects : [projects]).map((d) => [d.project, { data: d, throttles: d.throttleServiceAccounts ?? 0 }]));
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
      if (hierarchy && req.method === 'GET' && (path === '/v3/folders' || path === '/v3/projects')) {
        const parent = url.searchParams.get('parent') ?? '';
        const key = path === '/v3/folders' ? 'folders' : 'projects';
        const permission = `resourcemanager.${key}.list`;
        fake.requests.push(permission);
        if (hierarchy.denied?.includes(parent)) return denied(res, permission, parent);
        const showDeleted = url.searchParams.get('showDeleted') === 'true';
        const visible = (state?: string): boolean => showDeleted || (state ?? 'ACTIVE') === 'ACTIVE';
        const children =
          key === 'folders'
            ? hierarchy.folders.filter((f) => f.parent === parent && visible(f.state)).map((f) => ({ name: f.name, parent: f.parent, displayName: f.displayName, state: f.state ?? 'ACTIVE', etag: 'W/"7d4c6e5a"' }))
            : hierarchy.projects.filter((p) => p.parent === parent && visible(p.state)).map((p) => ({ name: `projects/${projectNumber(p.projectId)}`, parent: p.parent, projectId: p.projectId, state: p.state ?? 'ACTIVE', displayName: p.projectId, etag: 'W/"9b1f2c3d"' }));
        return childPage(res, url, key, children, hierarchy.pageSize ?? 100);
      }
      let permission: string;
      let m: RegExpExecArray | null;
      if ((m = /^\/v1\/projects\/([^/:]+):getIamPolicy$/.exec(path)) && req.method === 'POST') permission = 'resourcemanager.projects.getIamPolicy';
      else if ((m = /^\/v1\/projects\/([^/]+)\/serviceAccounts$/.exec(path)) && req.method === 'GET') permission = 'iam.serviceAccounts.list';
      else if ((m = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):getIamPolicy$/.exec(path)) && req.method === 'POST') permission = 'iam.serviceAccounts.getIamPolicy';
      else if ((m = /^\/v1\/projects\/([^/]+)\/locations\/-\/clusters$/.exec(path)) && req.method === 'GET') permission = 'container.clusters.list';
      else return send(res, 404, { error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } });
      fake.requests.push(permission);
      const served = byProject.get(m[1]!);
      if (!served) return send(res, 403, { error: { code: 403, message: `Permission '${permission}' denied on resource (or it may not exist).`, status: 'PERMISSION_DENIED' } });
      const data = served.data;
      const pageSize = data.pageSize ?? 100;
      if (data.denied?.includes(permission)) return denied(res, permission, `projects/${data.project}`);
      if (permission === 'resourcemanager.projects.getIamPolicy') return send(res, 200, { version: 1, etag: 'BwYJ0UqKqzI=', ...data.projectPolicy });
      if (permission === 'iam.serviceAccounts.list') {
        if (!url.searchParams.get('pageToken') && served.throttles > 0) {
          served.throttles--;
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

/**
 * Application Default Credentials of podtrust in a cluster with workload identity federation: type
 * external_account, the projected ServiceAccount token as the subject token, the STS endpoint of
 * `fake`. Returns the path for GOOGLE_APPLICATION_CREDENTIALS.
 */
export function writeExternalAccountCredentials(fake: GcpFake): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-gcp-'));
  writeFileSync(join(dir, 'token'), SUBJECT_TOKEN);
  const file = join(dir, 'credential-configuration.json');
  writeFileSync(file, JSON.stringify({
    universe_domain: 'googleapis.com',
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/providers/ops-cluster',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${fake.url}/token`,
    credential_source: { file: join(dir, 'token'), format: { type: 'text' } },
  }));
  return file;
}

/**
 * The hooks of a test file served by the fake: no project from the environment, and after each
 * test the server closed and the environment restored. The function returned starts a server and
 * points Application Default Credentials at it.
 */
export function useGcpFake(): (projects: GcpData | GcpData[], hierarchy?: GcpHierarchy) => Promise<GcpFake> {
  const saved = { ...process.env };
  let fake: GcpFake | undefined;
  beforeAll(() => {
    delete process.env.GOOGLE_CLOUD_PROJECT;
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    process.env = { ...saved };
  });
  return async (projects, hierarchy) => {
    fake = await startGcpFake(projects, hierarchy);
    process.env.GOOGLE_APPLICATION_CREDENTIALS = writeExternalAccountCredentials(fake);
    return fake;
  };
}
