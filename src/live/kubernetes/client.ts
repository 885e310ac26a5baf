/**
 * Connections to Kubernetes API servers through `@kubernetes/client-node`: kubeconfig contexts
 * (`--kubeconfig`, `KUBECONFIG`, `~/.kube/config`), the in-cluster ServiceAccount, and every auth
 * the client supports (tokens, client certificates, exec plugins, OIDC). The client is loaded only
 * here, and this module only when a live source is asked for.
 *
 * Requests are authenticated by the client (headers, and the agent that carries TLS client
 * certificates, CAs and proxies) and answered as raw JSON: the typed API classes would re-shape
 * objects (and drop fields) and cannot ask for `PartialObjectMetadataList`. The client's fetch
 * wrapper only hands out a body read whole, so the request itself is sent with node:http(s) on
 * the client's agent, counting the bytes of the answer as they arrive.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig, RequestContext } from '@kubernetes/client-node';
import { HttpStatusError, parseRetryAfter, ResponseTooLarge } from '../retry.js';
import { DEFAULT_LIMITS } from '../../util/structured.js';
import { NestingTooDeep, parseJsonWithin } from '../../util/nesting.js';

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
  /** The per-response cap: a longer answer is abandoned (see {@link ResponseTooLarge}). */
  maxBytes?: number;
}

/** A list page holds at most 500 objects of at most about 1.5 MiB each (etcd's request limit); a larger answer is not a real one. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** Levels above an object in a list answer: the list, its `items`. */
const ITEM_LEVEL = 2;

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
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const response = await send(request, signal, options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES, `GET ${path}`);
  if (response.status >= 400) {
    const { message, body } = statusMessage(response.status, response.text);
    const retryAfter = response.headers['retry-after'];
    throw new HttpStatusError(response.status, message, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter), body);
  }
  try {
    return parseJsonWithin(response.text, DEFAULT_LIMITS.maxDepth + ITEM_LEVEL);
  } catch (e) {
    if (e instanceof NestingTooDeep) throw new HttpStatusError(response.status, `GET ${path}: the answer nests deeper than ${DEFAULT_LIMITS.maxDepth} levels`);
    throw new HttpStatusError(response.status, `GET ${path}: the answer is not JSON`);
  }
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends the authenticated request; aborts it with a {@link ResponseTooLarge} once the answer passes `maxBytes`. */
function send(request: RequestContext, signal: AbortSignal, maxBytes: number, what: string): Promise<RawResponse> {
  const url = new URL(request.getUrl());
  const get = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let over: ResponseTooLarge | undefined;
    // The request and the answer both report a destroyed request, in either order: say why once.
    const fail = (e: unknown): void => reject(over ?? (signal.aborted ? new DOMException('The operation was aborted', 'AbortError') : e));
    const req = get(url, { method: 'GET', headers: request.getHeaders(), agent: request.getAgent() as Agent | undefined, signal }, (res) => {
      const tooLarge = (): void => {
        over ??= new ResponseTooLarge(maxBytes, what);
        req.destroy(over);
      };
      if (Number(res.headers['content-length'] ?? 0) > maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) tooLarge();
        else chunks.push(chunk);
      });
      res.on('end', () => (over ? fail(over) : resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}
