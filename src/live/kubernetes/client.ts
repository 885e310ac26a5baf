/**
 * Connections to Kubernetes API servers through `@kubernetes/client-node`: kubeconfig contexts
 * (`--kubeconfig`, `KUBECONFIG`, `~/.kube/config`), the in-cluster ServiceAccount, and every auth
 * the client supports (tokens, client certificates, exec plugins, OIDC). The client is loaded only
 * here, and this module only when a live source is asked for.
 *
 * Requests go through the client's own authentication and HTTP library with raw JSON answers:
 * the typed API classes would re-shape objects (and drop fields) and cannot ask for
 * `PartialObjectMetadataList`.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { HttpStatusError, parseRetryAfter } from '../retry.js';

type ClientModule = typeof import('@kubernetes/client-node');

export interface KubeSourceOptions {
  kubeconfig?: string;
  /** Context names; none means the current context. */
  contexts?: string[];
  allContexts?: boolean;
}

/** One cluster to read: a context of a kubeconfig, or the in-cluster ServiceAccount. */
export interface KubeTarget {
  context: string;
  server: string;
  config: KubeConfig;
}

export interface ResolvedTargets {
  targets: KubeTarget[];
  /** Problems the user must fix (no kubeconfig, unknown context): each one fails the scan. */
  errors: string[];
}

let clientModule: Promise<ClientModule> | undefined;

export function loadClient(): Promise<ClientModule> {
  clientModule ??= import('@kubernetes/client-node');
  return clientModule;
}

function defaultConfigExists(env: NodeJS.ProcessEnv): boolean {
  if (env.KUBECONFIG && env.KUBECONFIG.length > 0) return true;
  if (existsSync(join(homedir(), '.kube', 'config'))) return true;
  return Boolean(env.KUBERNETES_SERVICE_HOST);
}

export async function resolveTargets(options: KubeSourceOptions, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTargets> {
  const k8s = await loadClient();
  const errors: string[] = [];
  const base = new k8s.KubeConfig();
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) return { targets: [], errors: [`--kubeconfig ${options.kubeconfig}: no such file`] };
      base.loadFromFile(options.kubeconfig);
    } else {
      if (!defaultConfigExists(env)) return { targets: [], errors: ['no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster'] };
      base.loadFromDefault();
    }
  } catch (e) {
    return { targets: [], errors: [`cannot read the kubeconfig: ${(e as Error).message}`] };
  }
  const known = base.getContexts().map((c) => c.name);
  let names: string[];
  if (options.allContexts) names = known;
  else if (options.contexts && options.contexts.length > 0) names = [...new Set(options.contexts)];
  else names = base.getCurrentContext() ? [base.getCurrentContext()] : [];
  if (names.length === 0) errors.push('the kubeconfig names no context');
  const targets: KubeTarget[] = [];
  for (const name of names) {
    if (!known.includes(name)) {
      errors.push(`context "${name}" is not in the kubeconfig (known: ${known.join(', ') || 'none'})`);
      continue;
    }
    const config = new k8s.KubeConfig();
    config.loadFromOptions({ clusters: base.getClusters(), users: base.getUsers(), contexts: base.getContexts(), currentContext: name });
    const server = config.getCurrentCluster()?.server;
    if (!server) {
      errors.push(`context "${name}" names no cluster server`);
      continue;
    }
    targets.push({ context: name, server: server.replace(/\/+$/, ''), config });
  }
  return { targets, errors };
}

export interface GetOptions {
  accept?: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** The message of a Kubernetes `Status` answer, else a short form of the body. */
function statusMessage(status: number, text: string): { message: string; body: unknown } {
  try {
    const body = JSON.parse(text) as { kind?: string; message?: string; reason?: string };
    if (body && body.kind === 'Status') return { message: `${status} ${body.reason ?? ''}: ${body.message ?? ''}`.replace(/\s+:/, ':'), body };
    return { message: `HTTP ${status}`, body };
  } catch {
    return { message: `HTTP ${status}`, body: undefined };
  }
}

/** One GET through the client, answered as parsed JSON; any status >= 400 becomes an {@link HttpStatusError}. */
export async function getJson(target: KubeTarget, path: string, options: GetOptions): Promise<unknown> {
  const k8s = await loadClient();
  const request = new k8s.RequestContext(target.server + path, k8s.HttpMethod.GET);
  request.setHeaderParam('Accept', options.accept ?? 'application/json');
  await target.config.applySecurityAuthentication(request);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  request.setSignal(options.signal ? AbortSignal.any([options.signal, timeout]) : timeout);
  const response = await new k8s.IsomorphicFetchHttpLibrary().send(request).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode >= 400) {
    const { message, body } = statusMessage(response.httpStatusCode, text);
    throw new HttpStatusError(response.httpStatusCode, message, parseRetryAfter(response.headers['retry-after']), body);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpStatusError(response.httpStatusCode, `GET ${path}: the answer is not JSON`);
  }
}
