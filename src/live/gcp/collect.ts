/**
 * Live collection of GCP projects: the project IAM policy, service accounts (paged) and their
 * IAM policies, and GKE clusters with their node pools, in the shapes the gcloud and Terraform
 * collectors produce (`gcp.iam.Binding` per role, `gcp.iam.ServiceAccount`,
 * `gcp.container.Cluster`). Tokens come from Application Default Credentials; `rootUrl` from
 * `--gcp-endpoint`. 429 and 5xx answers are retried with backoff honouring `Retry-After`.
 */
import type { ClusterInfo, CoverageNote, JsonObject, JsonValue, Resource } from '../../model/types.js';
import { emptyResult, mergeResults, type CollectResult } from '../../collectors/types.js';
import { TargetLimit } from '../target-limit.js';
import { gkeClusterInfo } from '../../collectors/gcp/normalize.js';
import { safeSegment } from '../locations.js';
import { SILENT_PROGRESS, type Progress } from '../progress.js';
import { DEFAULT_RETRY, HttpStatusError, parseRetryAfter, withRetry, type RetryOptions } from '../retry.js';
import { ApiCallLog, attemptRead, collectionSummary, errorText, liveResource, plain, type ReadFailure } from '../cloud.js';
import { isCancelled } from '../cancel.js';
import { GCP_DISCOVERY_OPERATIONS, projectsBeneath, type ProjectsFound } from './organization.js';
import { isObject } from '../../util/json-object.js';

export interface GcpLiveOptions {
  projects: string[];
  /** Organizations and folders (`organizations/123`, `folders/456`) whose projects are read too (`--gcp-organization`, `--gcp-folder`). */
  parents?: string[];
  /** Root URL of the Google APIs (`--gcp-endpoint`), for emulators and tests. */
  endpoint?: string;
  progress?: Progress;
  onSummary?: (line: string) => void;
  calls?: ApiCallLog;
  retry?: Partial<RetryOptions>;
  /** Per-call timeout (`--request-timeout`). */
  requestTimeoutMs?: number;
  /** The scan's cancellation (SIGINT/SIGTERM): stops the calls in flight; what was read is kept. */
  signal?: AbortSignal;
  /** Projects read at once, shared with the scan's other live targets (`--concurrency`). */
  targetLimit?: TargetLimit;
}

export const DEFAULT_GCP_REQUEST_TIMEOUT_MS = 30_000;

/** What every API method takes besides its parameters (gaxios request options). */
interface CallOptions {
  timeout: number;
  signal?: AbortSignal;
}

/** The IAM permission each API method needs: the custom role lists exactly these. */
export const GCP_OPERATIONS = {
  projectPolicy: 'resourcemanager.projects.getIamPolicy',
  serviceAccounts: 'iam.serviceAccounts.list',
  serviceAccountPolicy: 'iam.serviceAccounts.getIamPolicy',
  clusters: 'container.clusters.list',
} as const;

const MAX_PAGES = 100_000;

/** What one API call needs: the log, the count of the target it serves, retries and request options. */
interface CallContext {
  calls: ApiCallLog;
  callCount: number;
  retry: RetryOptions;
  callOptions: CallOptions;
}

/** One project being read; its `callCount` counts the calls made for it (the log is shared by projects read side by side). */
interface Run extends CallContext {
  project: string;
  notes: CoverageNote[];
  resources: Resource[];
  clusters: ClusterInfo[];
  progress: Progress;
  stopped: boolean;
}

function statusOf(e: unknown): number | undefined {
  const err = e as { status?: number; response?: { status?: number } };
  return err?.response?.status ?? (typeof err?.status === 'number' ? err.status : undefined);
}

/** One API call with retries; gaxios errors become HttpStatusError so 429/5xx are retried. */
async function call<T>(run: CallContext, operation: string, request: (options: CallOptions) => Promise<{ data: T }>): Promise<T> {
  return withRetry(async () => {
    run.calls.record('gcp', operation);
    run.callCount++;
    try {
      return (await request(run.callOptions)).data;
    } catch (e) {
      const status = statusOf(e);
      if (status === undefined && !isCancelled(run.callOptions.signal) && isTimeout(e)) {
        throw new Error(`${operation}: no answer within ${run.callOptions.timeout / 1000} s`);
      }
      if (status === undefined) throw e;
      const headers = (e as { response?: { headers?: unknown } }).response?.headers;
      const retryAfter = headers instanceof Headers ? headers.get('retry-after') : isObject(headers) ? (headers['retry-after'] as string | undefined) : undefined;
      throw new HttpStatusError(status, errorText(e), parseRetryAfter(retryAfter ?? undefined));
    }
  }, run.retry);
}

/** The per-call timeout aborts the request: gaxios reports an AbortError (as the cause of its own error). */
function isTimeout(e: unknown): boolean {
  for (let err = e as { name?: string; cause?: unknown } | undefined, depth = 0; err && depth < 4; err = err.cause as typeof err, depth++) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  }
  return false;
}

function attempt(run: Run, what: string, work: () => Promise<void>): Promise<void> {
  const classify = (e: unknown): ReadFailure => {
    const status = e instanceof HttpStatusError ? e.status : statusOf(e);
    if (status === 403) return 'permission';
    if (status === 401 || (status === undefined && /credential|token|key/i.test(errorText(e)))) return 'authentication';
    return 'other';
  };
  return attemptRead(run, `gcp project ${run.project}`, what, run.callOptions.signal, classify, 0, work);
}

function gcpPath(project: string, ...segments: string[]): string {
  const last = segments.pop()!;
  return ['gcp', safeSegment(project), ...segments.map(safeSegment), `${safeSegment(last)}.json`].join('/');
}

function addBindings(run: Run, policy: unknown, target: { type: string; name: string }, fullName: string, file: (role: string) => string): void {
  const bindings = isObject(policy) && Array.isArray(policy.bindings) ? policy.bindings : [];
  const seen = new Map<string, number>();
  for (const b of bindings) {
    if (!isObject(b) || typeof b.role !== 'string') continue;
    const n = (seen.get(b.role) ?? 0) + 1;
    seen.set(b.role, n);
    const key = n === 1 ? b.role : `${b.role}#${n}`;
    const body: JsonObject = { resource: target as unknown as JsonValue, role: b.role, members: Array.isArray(b.members) ? b.members : [] };
    if (b.condition !== undefined) body.condition = b.condition;
    run.resources.push(liveResource({ id: `gcp:${fullName}:binding/${key}`, type: 'gcp.iam.Binding', name: `${target.name} ${b.role}`, file: file(key), logicalLocation: fullName, body }));
  }
}

async function loadApis(options: GcpLiveOptions) {
  const [iamModule, crmModule, containerModule] = await Promise.all([import('@googleapis/iam'), import('@googleapis/cloudresourcemanager'), import('@googleapis/container')]);
  // The packages are CommonJS: the bundle gives their exports as `default` only (Node gives both).
  const [iamPkg, crmPkg, containerPkg] = [iamModule.default, crmModule.default, containerModule.default];
  const auth = new iamPkg.auth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const common = { auth, retry: false, ...(options.endpoint ? { rootUrl: options.endpoint.replace(/\/*$/, '/') } : {}) };
  return {
    iam: iamPkg.iam({ version: 'v1', ...common }),
    crm: crmPkg.cloudresourcemanager({ version: 'v1', ...common }),
    crm3: crmPkg.cloudresourcemanager({ version: 'v3', ...common }),
    container: containerPkg.container({ version: 'v1', ...common }),
  };
}

type GoogleApis = Awaited<ReturnType<typeof loadApis>>;

export async function collectLiveGcp(options: GcpLiveOptions): Promise<CollectResult> {
  const result = emptyResult();
  const calls = options.calls ?? new ApiCallLog();
  let apis: GoogleApis;
  try {
    apis = await loadApis(options);
  } catch (e) {
    result.notes.push({ kind: 'skipped', level: 'error', message: `gcp: cannot load the Google API clients: ${errorText(e)}` });
    return result;
  }
  const limit = options.targetLimit ?? new TargetLimit();
  const projects = [...options.projects];
  if (options.parents && options.parents.length > 0) {
    const found = await discoverProjects(options.parents, apis, options, calls);
    for (const n of found.notes) result.notes.push(n);
    const named = new Set(projects);
    projects.push(...found.projects.filter((p) => !named.has(p)));
  }
  // Projects are read side by side, each into its own lists, and joined in the order given, then found.
  const parts = await Promise.all(projects.map((project) => limit.run(() => collectProject(project, apis, options, calls))));
  for (const part of parts) mergeResults(result, part);
  return result;
}

/** The projects beneath `options.parents`, found as a collection finds them; undefined when the API clients cannot be loaded. */
export async function findProjects(options: GcpLiveOptions): Promise<ProjectsFound | undefined> {
  let apis: GoogleApis;
  try {
    apis = await loadApis(options);
  } catch {
    return undefined;
  }
  return discoverProjects(options.parents ?? [], apis, options, options.calls ?? new ApiCallLog());
}

function callContext(options: GcpLiveOptions, calls: ApiCallLog): CallContext {
  const callOptions: CallOptions = { timeout: options.requestTimeoutMs ?? DEFAULT_GCP_REQUEST_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry, ...(options.signal ? { signal: options.signal } : {}) };
  return { calls, callCount: 0, retry, callOptions };
}

/** The active projects beneath `--gcp-organization` and `--gcp-folder`. */
async function discoverProjects(parents: string[], apis: GoogleApis, options: GcpLiveOptions, calls: ApiCallLog): Promise<ProjectsFound> {
  const started = Date.now();
  const context = callContext(options, calls);
  const progress = options.progress ?? SILENT_PROGRESS;
  const source = `gcp ${parents.join(', ')}`;
  const found = await projectsBeneath(
    parents,
    {
      folders: async (parent, pageToken) => {
        const out = await call(context, GCP_DISCOVERY_OPERATIONS.folders, (o) => apis.crm3.folders.list({ parent, pageSize: 1000, ...(pageToken ? { pageToken } : {}) }, o));
        return { items: out.folders ?? [], nextPageToken: out.nextPageToken };
      },
      projects: async (parent, pageToken) => {
        // Projects pending deletion are listed too, to be named as not read.
        const out = await call(context, GCP_DISCOVERY_OPERATIONS.projects, (o) => apis.crm3.projects.list({ parent, pageSize: 1000, showDeleted: true, ...(pageToken ? { pageToken } : {}) }, o));
        return { items: out.projects ?? [], nextPageToken: out.nextPageToken };
      },
    },
    options.signal,
    (count) => progress.update(source, 'projects found', count),
  );
  const summary = `${source}: ${found.projects.length} active project(s) found; ${context.callCount} API call(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  progress.done(source, summary);
  options.onSummary?.(summary);
  return found;
}

async function collectProject(project: string, apis: GoogleApis, options: GcpLiveOptions, calls: ApiCallLog): Promise<CollectResult> {
  const started = Date.now();
  const result = emptyResult();
  const run: Run = { project, ...callContext(options, calls), notes: result.notes, resources: result.resources, clusters: result.clusters, progress: options.progress ?? SILENT_PROGRESS, stopped: false };
  await attempt(run, `the IAM policy of project ${project}`, async () => {
    const policy = await call(run, GCP_OPERATIONS.projectPolicy, (o) => apis.crm.projects.getIamPolicy({ resource: project, requestBody: { options: { requestedPolicyVersion: 3 } } }, o));
    addBindings(run, policy, { type: 'project', name: project }, `projects/${project}`, (key) => gcpPath(project, 'iam', 'project-policy', key));
  });
  await attempt(run, 'service accounts', async () => {
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await call(run, GCP_OPERATIONS.serviceAccounts, (o) => apis.iam.projects.serviceAccounts.list({ name: `projects/${project}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }, o));
      for (const sa of out.accounts ?? []) {
        const body = plain(sa);
        const email = typeof body.email === 'string' ? body.email : undefined;
        if (!email) continue;
        const name = typeof body.name === 'string' ? body.name : `projects/${project}/serviceAccounts/${email}`;
        delete body.etag;
        run.resources.push(liveResource({ id: `gcp:serviceAccount:${email}`, type: 'gcp.iam.ServiceAccount', name: email, file: gcpPath(project, 'iam', 'serviceAccounts', email), logicalLocation: name, body }));
        await attempt(run, `the IAM policy of service account ${email}`, async () => {
          const policy = await call(run, GCP_OPERATIONS.serviceAccountPolicy, (o) => apis.iam.projects.serviceAccounts.getIamPolicy({ resource: name, 'options.requestedPolicyVersion': 3 }, o));
          addBindings(run, policy, { type: 'serviceAccount', name: email }, name, (key) => gcpPath(project, 'iam', 'serviceAccounts', email, 'policy', key));
        });
      }
      run.progress.update(`gcp ${project}`, 'service accounts', run.resources.filter((r) => r.type === 'gcp.iam.ServiceAccount').length);
      pageToken = out.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
  });
  await attempt(run, 'GKE clusters', async () => {
    const out = await call(run, GCP_OPERATIONS.clusters, (o) => apis.container.projects.locations.clusters.list({ parent: `projects/${project}/locations/-` }, o));
    for (const c of out.clusters ?? []) {
      const body = plain(c);
      delete body.masterAuth;
      body.project = project;
      const name = String(body.name ?? '');
      const location = String(body.location ?? body.zone ?? '-');
      const fullName = `projects/${project}/locations/${location}/clusters/${name}`;
      const r = liveResource({ id: `gcp:${fullName}`, type: 'gcp.container.Cluster', name, file: gcpPath(project, 'container', location, 'clusters', name), logicalLocation: fullName, body });
      run.resources.push(r);
      run.clusters.push(gkeClusterInfo(r));
    }
    for (const missing of out.missingZones ?? []) run.notes.push({ kind: 'skipped', level: 'warning', message: `gcp project ${project}: GKE did not answer for zone ${missing}: clusters there are missing` });
  });
  const summary = collectionSummary(`gcp project ${project}`, result.resources, run.callCount, Date.now() - started);
  run.progress.done(`gcp ${project}`, summary);
  options.onSummary?.(summary);
  return result;
}
