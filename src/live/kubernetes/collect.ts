/**
 * Live collection of Kubernetes clusters: each context becomes a cluster in the inventory, with
 * its issuer from the service-account issuer discovery document and the same `k8s.<Kind>`
 * resources the manifest collector produces (format `live`, one stable path per object).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirs } from '../../util/make-dirs.js';
import type { ClusterInfo, CoverageNote, JsonObject, Resource } from '../../model/types.js';
import type { CollectResult } from '../../collectors/types.js';
import { collectKubernetes } from '../../collectors/kubernetes.js';
import { redactBody } from '../../credentials/redact.js';
import { DEFAULT_LIMITS } from '../../util/structured.js';
import { isCancelled } from '../cancel.js';
import { mapLimit } from '../concurrency.js';
import { TargetLimit } from '../target-limit.js';
import { SILENT_PROGRESS, type Progress } from '../progress.js';
import { DEFAULT_RETRY, HttpStatusError, ResponseTooLarge, withRetry, type RetryOptions } from '../retry.js';
import { formatBytes } from '../../util/input-reader.js';
import { renderYamlWithPositions } from '../../util/yaml-render.js';
import { bodyPositions, lazyPositions } from '../../model/lazy-positions.js';
import { getJson, resolveTargets, type KubeSourceOptions, type KubeTarget } from './client.js';
import { listAll } from './list.js';
import { dropLargeValues, markMetadataOnly, pruneLiveObject } from './prune.js';
import { SharedParts } from './shared-parts.js';
import { deriveFields, liveObjectFile, liveObjectId, liveObjectReference, placeOf, resourceTypeOf } from './derived-fields.js';
import { COLLECTED_TYPES, apiVersionOf, discoveryPath, type CollectedType } from './resource-types.js';
import { errorSummary, internalErrorNote } from '../../collectors/isolate.js';
import { isObject } from '../../util/json-object.js';

export interface KubernetesLiveOptions extends KubeSourceOptions {
  /** Scan root, passed to the manifest collector that shapes each object. */
  root: string;
  /** False lists Secrets as metadata only (`--no-secret-values`). */
  secretValues?: boolean;
  /** Overall deadline for all clusters (`--timeout`). */
  timeoutSeconds?: number;
  /** Per-request timeout (`--request-timeout`). */
  requestTimeoutSeconds?: number;
  /** The scan's cancellation (SIGINT/SIGTERM): stops every request; what was listed is kept. */
  signal?: AbortSignal;
  /** Lists in flight per cluster. */
  concurrency?: number;
  /** Clusters read at once, shared with the scan's other live sources (`--concurrency`; default 8). */
  targetLimit?: TargetLimit;
  retry?: Partial<RetryOptions>;
  progress?: Progress;
  /** Writes each object's YAML to `<objectsDir>/k8s/<context>/...` (the paths findings point at). */
  objectsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The per-response cap (`--max-response-size`; default 256 MiB): a larger answer is abandoned with a note. */
  maxResponseBytes?: number;
  /**
   * False gives every pod its own copy of parts it repeats with others, and every object its names
   * and positions stored rather than computed when read (the reference the tests compare with).
   */
  shareParts?: boolean;
}

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
export const DEFAULT_CONCURRENCY = 4;

interface ClusterRun {
  target: KubeTarget;
  options: KubernetesLiveOptions;
  retry: RetryOptions;
  requestTimeoutMs: number;
  signal: AbortSignal;
  progress: Progress;
  notes: CoverageNote[];
  resources: Resource[];
  objectsDirFailed: boolean;
  /** The cluster's repeated pod parts, kept once; dropped with the run when the cluster is read. */
  shared: SharedParts | undefined;
}

function describe(e: unknown, signal?: AbortSignal): string {
  if (isCancelled(signal)) return 'cancelled';
  if (e instanceof HttpStatusError) return e.message;
  const err = e as Error;
  if (err?.name === 'ScanCancelled') return 'cancelled';
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return 'timed out';
  return err?.message ?? String(e);
}

/** The cloud a cluster runs in, from the host of its issuer. */
export function providerOfIssuer(issuer: string | undefined): ClusterInfo['provider'] {
  if (!issuer) return undefined;
  let host: string;
  try {
    host = new URL(issuer).host;
  } catch {
    return undefined;
  }
  if (/^oidc(\.|-)eks\./.test(host)) return 'aws';
  if (host.endsWith('.azure.com') || host.endsWith('.azure.us') || host.endsWith('.azure.cn')) return 'azure';
  if (host === 'container.googleapis.com') return 'gcp';
  return undefined;
}

export async function collectLiveKubernetes(options: KubernetesLiveOptions): Promise<CollectResult> {
  const result: CollectResult = { resources: [], clusters: [], notes: [] };
  let resolved;
  try {
    resolved = await resolveTargets(options, options.env ?? process.env);
  } catch (e) {
    result.notes.push({ kind: 'skipped', level: 'error', message: `cannot load the Kubernetes client: ${describe(e)}` });
    return result;
  }
  for (const message of resolved.errors) result.notes.push({ kind: 'skipped', level: 'error', message });
  const deadline = new AbortController();
  const timer = options.timeoutSeconds !== undefined ? setTimeout(() => deadline.abort(new Error('timed out')), options.timeoutSeconds * 1000) : undefined;
  timer?.unref();
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const limit = options.targetLimit ?? new TargetLimit();
  try {
    // Clusters are read side by side, each into its own lists, and joined in the kubeconfig's order.
    const clusters = await Promise.all(resolved.targets.map((target) => limit.run(() => collectTarget(target, options, signal))));
    for (const c of clusters) {
      for (const r of c.resources) result.resources.push(r);
      for (const n of c.notes) result.notes.push(n);
      if (c.cluster) result.clusters.push(c.cluster);
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
  return result;
}

async function collectTarget(target: KubeTarget, options: KubernetesLiveOptions, signal: AbortSignal): Promise<{ cluster?: ClusterInfo; resources: Resource[]; notes: CoverageNote[] }> {
  const notes: CoverageNote[] = [];
  if (isCancelled(signal)) {
    notes.push({ kind: 'skipped', level: 'error', message: `cluster ${target.context}: cancelled before it was read` });
    return { resources: [], notes };
  }
  const run: ClusterRun = {
    target,
    options,
    retry: { ...DEFAULT_RETRY, ...options.retry, signal },
    requestTimeoutMs: (options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
    signal,
    progress: options.progress ?? SILENT_PROGRESS,
    notes,
    resources: [],
    objectsDirFailed: false,
    shared: options.shareParts === false ? undefined : new SharedParts(),
  };
  // One cluster that fails unexpectedly is named in a note, and what was read of it left out: the other clusters still count.
  try {
    const cluster = await collectCluster(run);
    return { ...(cluster ? { cluster } : {}), resources: run.resources, notes };
  } catch (e) {
    notes.push(internalErrorNote(errorSummary(e), undefined, undefined, `cluster ${target.context}; what was read of it is left out`));
    return { resources: [], notes };
  }
}

async function get(run: ClusterRun, path: string): Promise<unknown> {
  return withRetry(() => getJson(run.target, path, { timeoutMs: run.requestTimeoutMs, signal: run.signal, ...maxBytes(run) }), run.retry);
}

function maxBytes(run: ClusterRun): { maxBytes?: number } {
  return run.options.maxResponseBytes !== undefined ? { maxBytes: run.options.maxResponseBytes } : {};
}

async function collectCluster(run: ClusterRun): Promise<ClusterInfo | undefined> {
  const { context } = run.target;
  try {
    await get(run, '/api');
  } catch (e) {
    const why = e instanceof HttpStatusError && e.status === 401 ? 'authentication failed' : describe(e, run.signal);
    run.notes.push({ kind: 'skipped', level: 'error', message: `cluster ${context}: cannot read ${run.target.server}: ${why}` });
    return undefined;
  }
  const cluster: ClusterInfo = { name: context };
  const issuer = await readIssuer(run);
  if (issuer) {
    cluster.issuer = issuer;
    const provider = providerOfIssuer(issuer);
    if (provider) cluster.provider = provider;
  }
  const types = await servedTypes(run);
  const outcomes = await mapLimit(types, run.options.concurrency ?? DEFAULT_CONCURRENCY, (type) => collectType(run, type));
  cluster.complete = outcomes.every((ok) => ok === true);
  const unread = outcomes.filter((ok) => ok === undefined).length;
  if (unread > 0) run.notes.push({ kind: 'skipped', level: 'error', message: `cluster ${context}: cancelled before ${unread} resource type(s) were listed` });
  run.progress.done(context, `${run.resources.filter((r) => r.cluster === context).length} objects${cluster.complete ? '' : ' (incomplete)'}`);
  return cluster;
}

async function readIssuer(run: ClusterRun): Promise<string | undefined> {
  try {
    const doc = await get(run, '/.well-known/openid-configuration');
    if (isObject(doc) && typeof doc.issuer === 'string' && doc.issuer !== '') return doc.issuer;
    run.notes.push({ kind: 'unresolved', level: 'warning', message: `cluster ${run.target.context}: the issuer discovery document names no issuer: ServiceAccounts cannot be joined to cloud trust by issuer` });
  } catch (e) {
    const level = e instanceof HttpStatusError && e.status === 403 ? 'warning' : 'note';
    run.notes.push({ kind: e instanceof HttpStatusError && e.status === 403 ? 'permission' : 'unresolved', level, message: `cluster ${run.target.context}: cannot read /.well-known/openid-configuration (${describe(e, run.signal)}): ServiceAccounts cannot be joined to cloud trust by issuer` });
  }
  return undefined;
}

/** The collected types whose API the cluster serves: built-ins always, custom resources when discovery lists them. */
async function servedTypes(run: ClusterRun): Promise<CollectedType[]> {
  const out = COLLECTED_TYPES.filter((t) => !t.discovered);
  const optional = COLLECTED_TYPES.filter((t) => t.discovered);
  if (optional.length === 0) return out;
  let groupVersions: Set<string>;
  try {
    const list = await get(run, '/apis');
    groupVersions = new Set();
    const groups = isObject(list) && Array.isArray(list.groups) ? list.groups : [];
    for (const g of groups) if (isObject(g) && Array.isArray(g.versions)) for (const v of g.versions) if (isObject(v) && typeof v.groupVersion === 'string') groupVersions.add(v.groupVersion);
  } catch (e) {
    run.notes.push({ kind: 'unsupported', level: 'warning', message: `cluster ${run.target.context}: API discovery failed (${describe(e, run.signal)}): custom resources (AAD Pod Identity) not read` });
    return out;
  }
  const byPath = new Map<string, CollectedType[]>();
  for (const t of optional) {
    if (!groupVersions.has(apiVersionOf(t))) continue;
    byPath.set(discoveryPath(t), [...(byPath.get(discoveryPath(t)) ?? []), t]);
  }
  for (const [path, types] of byPath) {
    try {
      const doc = await get(run, path);
      const names = new Set((isObject(doc) && Array.isArray(doc.resources) ? doc.resources : []).filter(isObject).map((r) => r.name));
      for (const t of types) if (names.has(t.resource)) out.push(t);
    } catch (e) {
      run.notes.push({ kind: 'unsupported', level: 'warning', message: `cluster ${run.target.context}: discovery of ${path} failed (${describe(e, run.signal)}): ${types.map((t) => t.resource).join(', ')} not read` });
    }
  }
  return out;
}

/** Lists one type into resources; false when it could not be read completely, undefined when cancelled before it started. */
async function collectType(run: ClusterRun, type: CollectedType): Promise<boolean | undefined> {
  const { context } = run.target;
  if (isCancelled(run.signal)) return undefined;
  const metadataOnly = type.sensitive === true && run.options.secretValues === false;
  let batch: Resource[] = [];
  let seen = 0;
  try {
    const outcome = await listAll(run.target, type, {
      metadataOnly,
      signal: run.signal,
      requestTimeoutMs: run.requestTimeoutMs,
      ...maxBytes(run),
      retry: run.retry,
      onItems(items) {
        for (const item of items) for (const r of toResources(run, type, item, metadataOnly)) batch.push(r);
        seen += items.length;
        run.progress.update(context, type.resource, seen);
      },
      onRestart() {
        batch = [];
        seen = 0;
      },
    });
    if (outcome.restarted) {
      run.notes.push({ kind: 'limit', level: 'note', message: `cluster ${context}: the continue token of the ${type.resource} list expired (410 Gone); the list was restarted once from the beginning` });
    }
    // Not push(...batch): a list of 150,000 pods as arguments overflows the stack.
    for (const r of batch) run.resources.push(r);
    return true;
  } catch (e) {
    if (e instanceof HttpStatusError && e.status === 403) {
      run.notes.push({ kind: 'permission', level: 'warning', message: `cluster ${context}: not allowed to list ${type.resource}${type.group ? `.${type.group}` : ''} (403 Forbidden): findings that need them are missing` });
    } else if (e instanceof HttpStatusError && e.status === 404) {
      run.notes.push({ kind: 'unsupported', level: 'warning', message: `cluster ${context}: the API server does not serve ${type.resource}${type.group ? `.${type.group}` : ''} (404)` });
    } else if (e instanceof ResponseTooLarge) {
      run.notes.push({ kind: 'limit', level: 'error', message: `cluster ${context}: a page of the ${type.resource}${type.group ? `.${type.group}` : ''} list is larger than ${formatBytes(e.limit)} (--max-response-size): ${type.resource} not read` });
    } else if (isCancelled(run.signal)) {
      run.notes.push({ kind: 'skipped', level: 'error', message: `cluster ${context}: cancelled while listing ${type.resource}: not read` });
    } else if (run.signal.aborted) {
      run.notes.push({ kind: 'limit', level: 'error', message: `cluster ${context}: --timeout reached while listing ${type.resource}: not read` });
    } else {
      run.notes.push({ kind: 'skipped', level: 'error', message: `cluster ${context}: cannot list ${type.resource}: ${describe(e, run.signal)}` });
    }
    return false;
  }
}

function toResources(run: ClusterRun, type: CollectedType, item: JsonObject, metadataOnly: boolean): Resource[] {
  const { context } = run.target;
  const body = pruneLiveObject(item, type.kind, apiVersionOf(type));
  if (metadataOnly) markMetadataOnly(body);
  // Secret values are read into memory only to be scanned here, before the object is written
  // anywhere; only redacted evidence remains.
  const credentials = redactBody(`k8s.${type.kind}`, body);
  dropLargeValues(body);
  run.shared?.sharePodParts(body);
  const place = placeOf(context, type, body);
  const file = liveObjectFile(place);
  // The object file is written as the object arrives; its positions are rendered again (the same
  // text) only when a finding points at it, so a cluster's position maps are never all held at once.
  if (run.options.objectsDir !== undefined) writeObject(run, join(run.options.objectsDir, file), renderYamlWithPositions(body).text);
  const positions = lazyPositions(bodyPositions, undefined, body);
  const collected = collectKubernetes({ path: file, text: '' }, { value: body, positions, index: 0 }, { root: run.options.root, limits: DEFAULT_LIMITS }, new Map());
  const resources = collected.resources.map((r) => {
    r.id = liveObjectId(place);
    r.type = resourceTypeOf(type);
    r.file = file;
    r.format = 'live';
    r.cluster = context;
    r.logicalLocation = liveObjectReference(place);
    if (credentials.length > 0) r.credentials = credentials;
    return run.shared ? deriveFields(r) : r;
  });
  run.notes.push(...collected.notes);
  return resources;
}

function writeObject(run: ClusterRun, path: string, text: string): void {
  if (run.objectsDirFailed) return;
  try {
    makeDirs(dirname(path));
    writeFileSync(path, text);
  } catch (e) {
    run.objectsDirFailed = true;
    run.notes.push({ kind: 'skipped', level: 'warning', message: `cannot write live objects under ${run.options.objectsDir ?? ''}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
  }
}
