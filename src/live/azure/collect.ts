/**
 * Live collection of Azure subscriptions: user-assigned managed identities and their federated
 * identity credentials, role assignments and custom role definitions, and AKS clusters, in the
 * ARM JSON shapes the ARM and CLI collectors produce. Items are taken from the raw ARM answer
 * of each page (the SDK models flatten `properties`). Paging follows `nextLink`; 429 answers are
 * retried by the SDK pipeline honouring `Retry-After`.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { ClusterInfo, CoverageNote, JsonObject, JsonValue, Resource } from '../../model/types.js';
import { emptyResult, mergeResults, type CollectResult } from '../../collectors/types.js';
import { TargetLimit } from '../target-limit.js';
import { aksClusterInfo } from '../../collectors/azure/cluster.js';
import { parseScope } from '../../iam/azure-scope.js';
import { safeSegment } from '../locations.js';
import { DEFAULT_LIMITS } from '../../util/structured.js';
import { parseJsonWithin } from '../../util/nesting.js';
import { SILENT_PROGRESS, type Progress } from '../progress.js';
import { enabledSubscriptions, type SubscriptionsFound } from './subscriptions.js';
import { ApiCallLog, attemptRead, collectionSummary, errorText, liveResource, type ReadFailure } from '../cloud.js';
import { isObject } from '../../util/json-object.js';

export interface AzureLiveOptions {
  subscriptions: string[];
  /** Also every Enabled subscription the identity can list (`--azure-all-subscriptions`). */
  allSubscriptions?: boolean;
  /** Resource Manager URL (`--azure-endpoint`), for sovereign clouds and tests. */
  endpoint?: string;
  /** Defaults to `DefaultAzureCredential` (which reads `AZURE_AUTHORITY_HOST`). */
  credential?: TokenCredential;
  /** Trusted CA certificates (PEM) instead of the system ones. */
  tlsCa?: string;
  progress?: Progress;
  onSummary?: (line: string) => void;
  calls?: ApiCallLog;
  /** Per-call timeout (`--request-timeout`). */
  requestTimeoutMs?: number;
  /** Retries of the SDK pipeline (default: its own, 3). */
  maxRetries?: number;
  /** The scan's cancellation (SIGINT/SIGTERM): stops the calls in flight; what was read is kept. */
  signal?: AbortSignal;
  /** Subscriptions read at once, shared with the scan's other live targets (`--concurrency`). */
  targetLimit?: TargetLimit;
}

export const DEFAULT_AZURE_REQUEST_TIMEOUT_MS = 30_000;

/** The RBAC action each API operation needs: the least-privilege role lists exactly these. */
export const AZURE_OPERATIONS = {
  identities: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
  credentials: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
  roleAssignments: 'Microsoft.Authorization/roleAssignments/read',
  roleDefinitions: 'Microsoft.Authorization/roleDefinitions/read',
  clusters: 'Microsoft.ContainerService/managedClusters/read',
} as const;

interface PagedCall {
  byPage(): AsyncIterableIterator<unknown>;
}

interface RawResponse {
  bodyAsText?: string | null;
}

type ListOptions = { onResponse: (raw: RawResponse) => void; abortSignal?: AbortSignal; requestOptions: { timeout: number } };

interface Run {
  subscription: string;
  calls: ApiCallLog;
  /** Calls made for this subscription (the log is shared by subscriptions read side by side). */
  callCount: number;
  notes: CoverageNote[];
  resources: Resource[];
  clusters: ClusterInfo[];
  progress: Progress;
  stopped: boolean;
  signal?: AbortSignal;
  requestTimeoutMs: number;
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: number })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function isCredentialError(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  return statusOf(e) === 401 || /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(name);
}

/** Every item of a list, read from the raw ARM pages; one recorded call per page. */
async function listRaw(run: Run, operation: string, start: (options: ListOptions) => PagedCall): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const pager = start({
    ...(run.signal ? { abortSignal: run.signal } : {}),
    requestOptions: { timeout: run.requestTimeoutMs },
    onResponse(raw) {
      run.calls.record('azure', operation);
      run.callCount++;
      // The wire JSON, not the SDK model (which flattens `properties` and renames fields).
      let body: unknown;
      try {
        body = parseJsonWithin(raw.bodyAsText ?? 'null', DEFAULT_LIMITS.maxDepth + 2);
      } catch {
        body = undefined;
      }
      if (isObject(body) && Array.isArray(body.value)) for (const v of body.value) if (isObject(v)) items.push(v);
    },
  });
  for await (const page of pager.byPage()) void page;
  return items;
}

/** Notes a failed list; the source stops when the credential itself fails. */
function attempt(run: Run, what: string, work: () => Promise<void>): Promise<void> {
  const classify = (e: unknown): ReadFailure =>
    (e as { name?: string })?.name === 'AbortError' ? 'timeout' : statusOf(e) === 403 ? 'permission' : isCredentialError(e) ? 'authentication' : 'other';
  return attemptRead(run, `azure subscription ${run.subscription}`, what, run.signal, classify, run.requestTimeoutMs / 1000, work);
}

/** `azure/<subscription>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>.json`. */
export function azureObjectPath(armId: string): string {
  const parts = armId.split('/').filter((p) => p !== '');
  const rest = parts[0]?.toLowerCase() === 'subscriptions' ? parts.slice(1) : parts;
  const last = rest.pop() ?? '_';
  return ['azure', ...rest.map(safeSegment), `${safeSegment(last)}.json`].join('/');
}

function resourceGroupOf(armId: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(armId)?.[1];
}

function armResource(type: string, item: JsonObject, extra: JsonObject = {}): Resource | undefined {
  const id = typeof item.id === 'string' ? item.id : undefined;
  if (!id) return undefined;
  const name = typeof item.name === 'string' ? item.name : id.slice(id.lastIndexOf('/') + 1);
  const body: JsonObject = { ...item, ...extra };
  if (!isObject(body.properties)) body.properties = {};
  const rg = resourceGroupOf(id);
  if (rg !== undefined && body.resourceGroup === undefined) body.resourceGroup = rg;
  return liveResource({ id: `azure:${id.toLowerCase()}`, type, name, file: azureObjectPath(id), logicalLocation: id, body });
}

/** ARM answers these as null today; never let a value of them into the inventory. */
function dropClusterSecrets(cluster: JsonObject): void {
  const properties = isObject(cluster.properties) ? cluster.properties : undefined;
  if (!properties) return;
  if (isObject(properties.servicePrincipalProfile)) delete properties.servicePrincipalProfile.secret;
  if (isObject(properties.windowsProfile)) delete properties.windowsProfile.adminPassword;
  if (isObject(properties.linuxProfile)) delete properties.linuxProfile.ssh;
}

async function loadSdk(options: AzureLiveOptions) {
  const [msi, authz, aks, subscriptions] = await Promise.all([
    import('@azure/arm-msi'),
    import('@azure/arm-authorization'),
    import('@azure/arm-containerservice'),
    options.allSubscriptions ? import('@azure/arm-resources-subscriptions') : undefined,
  ]);
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return { msi, authz, aks, subscriptions, credential };
}

/** The TLS and retries every ARM client of the scan takes. */
function pipelineOptionsOf(options: AzureLiveOptions) {
  return {
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
    ...(options.maxRetries !== undefined ? { retryOptions: { maxRetries: options.maxRetries } } : {}),
  };
}

type AzureSdk = Awaited<ReturnType<typeof loadSdk>>;

export async function collectLiveAzure(options: AzureLiveOptions): Promise<CollectResult> {
  const result = emptyResult();
  const calls = options.calls ?? new ApiCallLog();
  let sdk: AzureSdk;
  try {
    sdk = await loadSdk(options);
  } catch (e) {
    result.notes.push({ kind: 'skipped', level: 'error', message: `azure: cannot load the Azure SDK or credential: ${errorText(e)}` });
    return result;
  }
  const limit = options.targetLimit ?? new TargetLimit();
  const subscriptions = [...options.subscriptions];
  if (sdk.subscriptions) {
    const found = await listSubscriptions(sdk, sdk.subscriptions, options, calls);
    for (const n of found.notes) result.notes.push(n);
    options.onSummary?.(`azure: ${found.subscriptions.length} Enabled subscription(s) listed`);
    const named = new Set(subscriptions);
    subscriptions.push(...found.subscriptions.filter((s) => !named.has(s)));
  }
  // Subscriptions are read side by side, each into its own lists, and joined in the order given, then listed.
  const parts = await Promise.all(subscriptions.map((subscription) => limit.run(() => collectSubscription(subscription, sdk, options, calls))));
  for (const part of parts) mergeResults(result, part);
  return result;
}

function listSubscriptions(sdk: AzureSdk, subscriptions: NonNullable<AzureSdk['subscriptions']>, options: AzureLiveOptions, calls: ApiCallLog): Promise<SubscriptionsFound> {
  const endpoint = options.endpoint?.replace(/\/+$/, '');
  return enabledSubscriptions(subscriptions, { credential: sdk.credential, ...(endpoint ? { endpoint } : {}), clientOptions: pipelineOptionsOf(options), calls, requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_AZURE_REQUEST_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
}

/** The subscriptions the identity can list, as a collection lists them; undefined when the SDK or credential cannot be loaded. */
export async function findSubscriptions(options: AzureLiveOptions): Promise<SubscriptionsFound | undefined> {
  let sdk: AzureSdk;
  try {
    sdk = await loadSdk({ ...options, allSubscriptions: true });
  } catch {
    return undefined;
  }
  return listSubscriptions(sdk, sdk.subscriptions!, options, options.calls ?? new ApiCallLog());
}

async function collectSubscription(subscription: string, sdk: AzureSdk, options: AzureLiveOptions, calls: ApiCallLog): Promise<CollectResult> {
  const endpoint = options.endpoint?.replace(/\/+$/, '');
  const clientOptions = { ...(endpoint ? { endpoint, credentialScopes: [`${endpoint}/.default`] } : {}), ...pipelineOptionsOf(options) };
  const started = Date.now();
  const result = emptyResult();
  const run: Run = { subscription, calls, callCount: 0, notes: result.notes, resources: result.resources, clusters: result.clusters, progress: options.progress ?? SILENT_PROGRESS, stopped: false, requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_AZURE_REQUEST_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
  const msi = new sdk.msi.ManagedServiceIdentityClient(sdk.credential, subscription, clientOptions);
  const authz = new sdk.authz.AuthorizationManagementClient(sdk.credential, subscription, clientOptions);
  const aks = new sdk.aks.ContainerServiceClient(sdk.credential, subscription, clientOptions);
  await attempt(run, 'user-assigned managed identities', async () => {
    const identities = await listRaw(run, AZURE_OPERATIONS.identities, (o) => msi.userAssignedIdentities.listBySubscription(o));
    for (const identity of identities) {
      const r = armResource('azure.msi.UserAssignedIdentity', identity);
      if (!r) continue;
      run.resources.push(r);
      const id = String(identity.id);
      const rg = resourceGroupOf(id);
      if (rg === undefined) continue;
      await attempt(run, `federated identity credentials of ${r.name}`, async () => {
        const credentials = await listRaw(run, AZURE_OPERATIONS.credentials, (o) => msi.federatedIdentityCredentials.list(rg, r.name, o));
        for (const c of credentials) {
          const fic = armResource('azure.msi.FederatedIdentityCredential', c, { identityId: id, parentType: 'userAssignedIdentity' });
          if (fic) run.resources.push(fic);
        }
      });
      run.progress.update(`azure ${subscription}`, 'identities', run.resources.length);
    }
  });
  await attempt(run, 'role assignments', async () => {
    for (const a of await listRaw(run, AZURE_OPERATIONS.roleAssignments, (o) => authz.roleAssignments.listForSubscription(o))) {
      const scope = isObject(a.properties) ? a.properties.scope : undefined;
      const info = typeof scope === 'string' ? parseScope(scope) : undefined;
      const r = armResource('azure.authorization.RoleAssignment', a, info ? { scopeInfo: info as unknown as JsonValue } : {});
      if (r) run.resources.push(r);
    }
  });
  await attempt(run, 'custom role definitions', async () => {
    const list = await listRaw(run, AZURE_OPERATIONS.roleDefinitions, (o) => authz.roleDefinitions.list(`subscriptions/${subscription}`, { ...o, filter: "type eq 'CustomRole'" }));
    for (const d of list) {
      const r = armResource('azure.authorization.RoleDefinition', d);
      if (r) run.resources.push(r);
    }
  });
  await attempt(run, 'AKS clusters', async () => {
    for (const c of await listRaw(run, AZURE_OPERATIONS.clusters, (o) => aks.managedClusters.list(o))) {
      dropClusterSecrets(c);
      const r = armResource('azure.aks.ManagedCluster', c);
      if (!r) continue;
      run.resources.push(r);
      run.clusters.push({ ...aksClusterInfo(r), account: subscription });
    }
  });
  const summary = collectionSummary(`azure subscription ${subscription}`, result.resources, run.callCount, Date.now() - started);
  run.progress.done(`azure ${subscription}`, summary);
  options.onSummary?.(summary);
  return result;
}
