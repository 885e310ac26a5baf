/**
 * A loopback Kubernetes API server for tests: node:http on 127.0.0.1 with a random port, answering
 * the way kube-apiserver does (API reference, "API Concepts: retrieving large results in chunks"):
 * List kinds whose items carry no apiVersion/kind, metadata.resourceVersion and metadata.continue,
 * Status objects for errors, discovery documents, the service-account issuer discovery document,
 * and PartialObjectMetadataList when the Accept header asks for it. It stops by itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Obj = Record<string, unknown>;

interface ServedResource {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What a v1.30 API server serves (the part these tests need, plus neighbours a client must skip). */
const BUILT_IN: ServedResource[] = [
  { group: '', version: 'v1', name: 'namespaces', singularName: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', name: 'nodes', singularName: 'node', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', name: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'] },
  { group: '', version: 'v1', name: 'serviceaccounts', singularName: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', name: 'secrets', singularName: 'secret', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', name: 'configmaps', singularName: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', name: 'services', singularName: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'] },
  { group: 'apps', version: 'v1', name: 'deployments', singularName: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'] },
  { group: 'apps', version: 'v1', name: 'statefulsets', singularName: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'] },
  { group: 'apps', version: 'v1', name: 'daemonsets', singularName: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'] },
  { group: 'apps', version: 'v1', name: 'replicasets', singularName: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'] },
  { group: 'batch', version: 'v1', name: 'jobs', singularName: 'job', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', name: 'cronjobs', singularName: 'cronjob', kind: 'CronJob', namespaced: true, shortNames: ['cj'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'roles', singularName: 'role', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterroles', singularName: 'clusterrole', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'rolebindings', singularName: 'rolebinding', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterrolebindings', singularName: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false },
];

/** The CRDs of AAD Pod Identity (deploy/infra/deployment-rbac.yaml of the project). */
const AAD_POD_IDENTITY: ServedResource[] = [
  { group: 'aadpodidentity.k8s.io', version: 'v1', name: 'azureidentities', singularName: 'azureidentity', kind: 'AzureIdentity', namespaced: true },
  { group: 'aadpodidentity.k8s.io', version: 'v1', name: 'azureidentitybindings', singularName: 'azureidentitybinding', kind: 'AzureIdentityBinding', namespaced: true },
  { group: 'aadpodidentity.k8s.io', version: 'v1', name: 'azureassignedidentities', singularName: 'azureassignedidentity', kind: 'AzureAssignedIdentity', namespaced: true },
];

export interface GeneratedItems {
  count: number;
  /** The i-th object, created on demand so 20,000 pods never sit in the server's memory. */
  make(i: number): Obj;
}

export interface ClusterSpec {
  /** Objects as manifests (apiVersion, kind, metadata...): served under their resource. */
  objects?: Obj[];
  /** Generated objects by resource plural (`pods`). */
  generated?: Record<string, GeneratedItems>;
  issuer?: string;
  aadPodIdentity?: boolean;
  token?: string;
  /** Resource plurals whose list answers 403 Forbidden. */
  forbidden?: string[];
  /** Resource plurals whose first request answers 429 with Retry-After. */
  throttleOnce?: string[];
  /** Resource plurals whose first continued request answers 410 Gone (expired continue token). */
  expireContinueOnce?: string[];
  /**
   * Resource plurals whose list answer is one object padded to about this many bytes, streamed in
   * 64 KiB chunks (no Content-Length) as fast as the client reads them.
   */
  oversized?: Record<string, number>;
  /** Every answer waits this long, as a remote API server's round trip does. */
  latencyMs?: number;
  /** A counter shared by several servers: each request records when it arrived and was answered, in one order across them. */
  events?: { next: number };
  /** How long the server stays up if nobody closes it (default five minutes; the largest benchmark takes longer). */
  lifetimeMs?: number;
}

/** How far the server got with an oversized answer before the client stopped reading. */
export interface StreamedAnswer {
  resource: string;
  bytes: number;
  written: number;
  complete: boolean;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  accept: string;
  status: number;
  /** With `events`: the shared counter's value when the request arrived and when it was answered. */
  received?: number;
  answered?: number;
}

export interface LoopbackCluster {
  url: string;
  requests: RecordedRequest[];
  streamed: StreamedAnswer[];
  listRequests(resource: string): RecordedRequest[];
  close(): Promise<void>;
}

const RESOURCE_VERSION = '48213577';

function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function groupVersion(r: ServedResource): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function encodeContinue(start: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(RESOURCE_VERSION), start: `${start}` })).toString('base64url');
}

function decodeContinue(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: string };
    const n = Number(parsed.start);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** An object as stored by the API server: server-set metadata added, apiVersion/kind dropped (list items carry neither). */
function asListItem(obj: Obj, i: number): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const metadata = { ...((obj.metadata as Obj | undefined) ?? {}) };
  metadata.uid ??= `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  metadata.resourceVersion ??= String(1000 + i);
  metadata.creationTimestamp ??= '2024-05-02T09:14:07Z';
  metadata.managedFields ??= [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: String(obj.apiVersion ?? 'v1'), time: '2024-05-02T09:14:07Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }];
  return { ...rest, metadata };
}

export async function startCluster(spec: ClusterSpec): Promise<LoopbackCluster> {
  const token = spec.token ?? 'loopback-token';
  const served = [...BUILT_IN, ...(spec.aadPodIdentity ? AAD_POD_IDENTITY : [])];
  const stored = new Map<string, Obj[]>();
  for (const obj of spec.objects ?? []) {
    const r = served.find((s) => groupVersion(s) === obj.apiVersion && s.kind === obj.kind);
    if (!r) throw new Error(`the loopback server does not serve ${String(obj.apiVersion)} ${String(obj.kind)}`);
    stored.set(r.name, [...(stored.get(r.name) ?? []), obj]);
  }
  const throttled = new Set<string>();
  const expired = new Set<string>();
  const requests: RecordedRequest[] = [];
  const streamed: StreamedAnswer[] = [];

  /** A valid list whose one object carries a padding annotation; writes wait for the client to drain. */
  const stream = (res: ServerResponse, resource: ServedResource, bytes: number): void => {
    const head = `{"kind":"${resource.kind}List","apiVersion":"${groupVersion(resource)}","metadata":{"resourceVersion":"${RESOURCE_VERSION}"},"items":[{"metadata":{"name":"padded","namespace":"default","annotations":{"padding":"`;
    const tail = '"}}}]}';
    const record: StreamedAnswer = { resource: resource.name, bytes, written: 0, complete: false };
    streamed.push(record);
    const chunk = 'x'.repeat(64 * 1024);
    let left = Math.max(0, bytes - head.length - tail.length);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(head);
    record.written = head.length;
    const pump = (): void => {
      while (left > 0) {
        if (res.destroyed) return;
        const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
        left -= piece.length;
        record.written += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end(tail);
      record.written += tail.length;
      record.complete = true;
    };
    pump();
  };

  const items = (resource: string): GeneratedItems => {
    const gen = spec.generated?.[resource];
    if (gen) return gen;
    const list = stored.get(resource) ?? [];
    return { count: list.length, make: (i) => list[i]! };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const received = spec.events ? spec.events.next++ : undefined;
    if (spec.latencyMs) setTimeout(() => answer(req, res, received), spec.latencyMs);
    else answer(req, res, received);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, received: number | undefined): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const accept = String(req.headers.accept ?? '');
    const send = (code: number, body: Obj, headers: Record<string, string> = {}): void => {
      requests.push({ path: url.pathname, query: url.searchParams, accept, status: code, ...(spec.events ? { received, answered: spec.events.next++ } : {}) });
      const contentType = body.kind === 'PartialObjectMetadataList' ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' : 'application/json';
      res.writeHead(code, { 'Content-Type': contentType, 'Audit-Id': `audit-${requests.length}`, ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'the loopback server is read-only'));
    if (url.pathname === '/.well-known/openid-configuration') {
      if (!spec.issuer) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, {
        issuer: spec.issuer,
        jwks_uri: `${spec.issuer}/openid/v1/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (url.pathname === '/api') {
      return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '172.20.0.1:443' }] });
    }
    if (url.pathname === '/apis') {
      const groups = [...new Set(served.filter((r) => r.group !== '').map((r) => r.group))].map((g) => {
        const gv = `${g}/v1`;
        return { name: g, versions: [{ groupVersion: gv, version: 'v1' }], preferredVersion: { groupVersion: gv, version: 'v1' } };
      });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/(v1))$/.exec(url.pathname);
    if (discovery) {
      const gv = discovery[1] ?? `${discovery[2]}/${discovery[3]}`;
      const resources = served.filter((r) => groupVersion(r) === gv);
      if (resources.length === 0) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: resources.map((r) => ({ name: r.name, singularName: r.singularName, namespaced: r.namespaced, kind: r.kind, verbs: VERBS, ...(r.shortNames ? { shortNames: r.shortNames } : {}) })),
      });
    }
    const list = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/([a-z]+)$/.exec(url.pathname);
    const resource = list ? served.find((r) => r.name === list[2] && r.group === (list[1] ?? '')) : undefined;
    if (!list || !resource) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const groupLabel = resource.group === '' ? '""' : `"${resource.group}"`;
    if (spec.forbidden?.includes(resource.name)) {
      return send(403, status(403, 'Forbidden', `${resource.name}${resource.group ? `.${resource.group}` : ''} is forbidden: User "system:serviceaccount:podtrust:podtrust" cannot list resource "${resource.name}" in API group ${groupLabel} at the cluster scope`, { kind: resource.name, ...(resource.group ? { group: resource.group } : {}) }));
    }
    const oversized = spec.oversized?.[resource.name];
    if (oversized !== undefined) {
      requests.push({ path: url.pathname, query: url.searchParams, accept, status: 200 });
      return stream(res, resource, oversized);
    }
    if (spec.throttleOnce?.includes(resource.name) && !throttled.has(resource.name)) {
      throttled.add(resource.name);
      return send(429, status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 }), { 'Retry-After': '1' });
    }
    const all = items(resource.name);
    const cont = url.searchParams.get('continue');
    let start = 0;
    if (cont !== null) {
      const decoded = decodeContinue(cont);
      if (decoded === undefined) return send(400, status(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
      if (spec.expireContinueOnce?.includes(resource.name) && !expired.has(resource.name)) {
        expired.add(resource.name);
        return send(410, { ...status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'), metadata: { continue: encodeContinue(decoded) } });
      }
      start = decoded;
    }
    const limitParam = Number(url.searchParams.get('limit') ?? '0');
    const end = limitParam > 0 ? Math.min(all.count, start + limitParam) : all.count;
    const metadataOnly = accept.includes('as=PartialObjectMetadataList');
    const page: Obj[] = [];
    for (let i = start; i < end; i++) {
      const item = asListItem(all.make(i), i);
      page.push(metadataOnly ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata } : item);
    }
    const metadata: Obj = { resourceVersion: RESOURCE_VERSION };
    if (end < all.count) {
      metadata.continue = encodeContinue(end);
      metadata.remainingItemCount = all.count - end;
    }
    if (metadataOnly) return send(200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: page });
    return send(200, { kind: `${resource.kind}List`, apiVersion: groupVersion(resource), metadata, items: page });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  server.unref();
  const stopTimer = setTimeout(() => server.close(), spec.lifetimeMs ?? 300_000);
  stopTimer.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    streamed,
    listRequests: (resource) => requests.filter((r) => new RegExp(`^/(api/v1|apis/[^/]+/v1)/${resource}$`).test(r.path)),
    close: () =>
      new Promise<void>((done) => {
        clearTimeout(stopTimer);
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A kubeconfig with one context per cluster, each authenticating with a bearer token. */
export function writeKubeconfig(clusters: { context: string; url: string; token?: string }[], current?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-kubeconfig-'));
  const file = join(dir, 'config');
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of clusters) lines.push(`- name: ${c.context}`, '  cluster:', `    server: ${c.url}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const c of clusters) lines.push(`- name: ${c.context}-user`, '  user:', `    token: ${c.token ?? 'loopback-token'}`);
  lines.push('contexts:');
  for (const c of clusters) lines.push(`- name: ${c.context}`, '  context:', `    cluster: ${c.context}`, `    user: ${c.context}-user`);
  lines.push(`current-context: ${current ?? clusters[0]?.context ?? ''}`, 'preferences: {}');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
