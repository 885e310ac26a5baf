/**
 * Retries for live API calls: 429 and 5xx answers (and network errors) are retried with
 * exponential backoff, honouring the server's `Retry-After`. Shared by every live collector.
 */
import { formatBytes } from '../util/input-reader.js';

/** An HTTP answer a live collector could not use. `retryAfterMs` comes from `Retry-After`. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/**
 * An answer larger than the per-response cap: the request was aborted when the bytes received
 * passed it. Another attempt would read as much again, so it is not retried.
 */
export class ResponseTooLarge extends Error {
  constructor(readonly limit: number, what: string) {
    super(`${what}: the answer is larger than ${formatBytes(limit)} (--max-response-size)`);
    this.name = 'ResponseTooLarge';
  }
}

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Stops waiting (and retrying) when aborted: the overall deadline. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry, e.g. to count or report it. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseDelayMs: 250, maxDelayMs: 30_000 };

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Whether an error is worth another attempt: throttling, server errors, transport failures. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status === 429 || (error.status >= 500 && error.status !== 501);
  if (error instanceof Error && error.name === 'AbortError') return false;
  if (error instanceof ResponseTooLarge) return false;
  return error instanceof Error;
}

export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  return Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(attemptOnce: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (e) {
      if (attempt > options.retries || !isRetryable(e) || options.signal?.aborted) throw e;
      const delay = backoffDelay(attempt, options, e instanceof HttpStatusError ? e.retryAfterMs : undefined);
      options.onRetry?.(attempt, delay, e);
      await wait(delay, options.signal);
    }
  }
}
