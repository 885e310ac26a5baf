/**
 * What every live source of a CLI scan shares: the per-call timeout (`--request-timeout`), the
 * per-response cap (`--max-response-size`) and the cancellation signal that SIGINT/SIGTERM abort.
 */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import type { ScanOptions } from '../scan.js';
import { parseSize } from './input-limits.js';

export const LIVE_CONTROL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'request-timeout': { type: 'string' },
  'max-response-size': { type: 'string' },
  concurrency: { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Live = NonNullable<ScanOptions['live']>;

export function requestTimeoutSeconds(values: Values): number | undefined {
  return secondsFlag(values, 'request-timeout');
}

/** A flag that takes a positive number of seconds (`--request-timeout 30`, `--tool-timeout 2.5`). */
export function secondsFlag(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) {
    throw new PodtrustError('usage', `--${name} takes a number of seconds (got "${String(value)}")`);
  }
  return Number(value);
}

/** `--max-response-size`: read by the Kubernetes client, the one live source that reads answers itself (the cloud SDKs read theirs). */
export function maxResponseBytes(values: Values): number | undefined {
  const value = values['max-response-size'];
  if (value === undefined) return undefined;
  const bytes = parseSize('max-response-size', value, 0);
  if (!(bytes > 0)) throw new PodtrustError('usage', `--max-response-size takes a size above zero (got "${String(value)}")`);
  return bytes;
}

const MAX_CONCURRENCY = 256;

/** `--concurrency N`: live targets collected at once (default 8). */
export function targetConcurrency(values: Values): number | undefined {
  const value = values.concurrency;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_CONCURRENCY) {
    throw new PodtrustError('usage', `--concurrency takes a number of targets from 1 to ${MAX_CONCURRENCY} (got "${String(value)}")`);
  }
  return Number(value);
}

/** The live options with the signal, the per-call timeout and the per-response cap set on every source asked for. */
export function withLiveControls(live: Live, controls: { signal: AbortSignal; requestTimeoutSeconds?: number | undefined; maxResponseBytes?: number | undefined; concurrency?: number | undefined }): Live {
  const seconds = controls.requestTimeoutSeconds;
  const ms = seconds !== undefined ? seconds * 1000 : undefined;
  const out: Live = { ...live, ...(controls.concurrency !== undefined ? { concurrency: controls.concurrency } : {}) };
  if (live.kubernetes) {
    out.kubernetes = {
      ...live.kubernetes,
      signal: controls.signal,
      ...(seconds !== undefined ? { requestTimeoutSeconds: seconds } : {}),
      ...(controls.maxResponseBytes !== undefined ? { maxResponseBytes: controls.maxResponseBytes } : {}),
    };
  }
  if (live.aws) out.aws = { ...live.aws, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  if (live.azure) out.azure = { ...live.azure, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  if (live.gcp) out.gcp = { ...live.gcp, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  return out;
}
