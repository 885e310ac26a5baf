/**
 * Lists one resource type across the cluster in pages (`limit` and `continue`), retrying
 * throttled and failed requests and restarting once when the continue token expired (410 Gone).
 */
import type { JsonObject } from '../../model/types.js';
import { HttpStatusError, withRetry, type RetryOptions } from '../retry.js';
import { getJson, type KubeTarget } from './client.js';
import { listPath, type CollectedType } from './resource-types.js';
import { isObject } from '../../util/json-object.js';

export const PAGE_SIZE = 500;
export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export interface ListOptions {
  metadataOnly?: boolean;
  signal?: AbortSignal;
  requestTimeoutMs: number;
  /** The per-response cap; default that of getJson. */
  maxBytes?: number;
  retry: RetryOptions;
  /** Called with each page's items; `restart` is called first when the list starts over. */
  onItems(items: JsonObject[]): void;
  onRestart(): void;
}

export interface ListOutcome {
  items: number;
  requests: number;
  /** True when an expired continue token made the list start over (once). */
  restarted: boolean;
}

export async function listAll(target: KubeTarget, type: CollectedType, options: ListOptions): Promise<ListOutcome> {
  const outcome: ListOutcome = { items: 0, requests: 0, restarted: false };
  let token: string | undefined;
  for (;;) {
    const path = `${listPath(type)}?limit=${PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    let page: unknown;
    try {
      page = await withRetry(() => {
        outcome.requests++;
        return getJson(target, path, {
          timeoutMs: options.requestTimeoutMs,
          ...(options.metadataOnly ? { accept: METADATA_ONLY_ACCEPT } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        });
      }, options.retry);
    } catch (e) {
      if (e instanceof HttpStatusError && e.status === 410 && token !== undefined && !outcome.restarted) {
        outcome.restarted = true;
        outcome.items = 0;
        token = undefined;
        options.onRestart();
        continue;
      }
      throw e;
    }
    if (!isObject(page) || !Array.isArray(page.items)) throw new HttpStatusError(200, `GET ${path}: not a list`);
    const items = page.items.filter(isObject);
    outcome.items += items.length;
    options.onItems(items);
    const metadata = isObject(page.metadata) ? page.metadata : {};
    token = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
    if (token === undefined) return outcome;
  }
}
