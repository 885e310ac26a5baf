/**
 * What every live source of a CLI scan shares: the per-call timeout (`--request-timeout`) and the
 * cancellation signal that SIGINT/SIGTERM abort.
 */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import type { ScanOptions } from '../scan.js';

export const LIVE_CONTROL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'request-timeout': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Live = NonNullable<ScanOptions['live']>;

export function requestTimeoutSeconds(values: Values): number | undefined {
  const value = values['request-timeout'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) {
    throw new PodtrustError('usage', `--request-timeout takes a number of seconds (got "${String(value)}")`);
  }
  return Number(value);
}

/** The live options with the signal and the per-call timeout set on every source asked for. */
export function withLiveControls(live: Live, controls: { signal: AbortSignal; requestTimeoutSeconds?: number | undefined }): Live {
  const seconds = controls.requestTimeoutSeconds;
  const ms = seconds !== undefined ? seconds * 1000 : undefined;
  const out: Live = { ...live };
  if (live.kubernetes) out.kubernetes = { ...live.kubernetes, signal: controls.signal, ...(seconds !== undefined ? { requestTimeoutSeconds: seconds } : {}) };
  if (live.aws) out.aws = { ...live.aws, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  if (live.azure) out.azure = { ...live.azure, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  if (live.gcp) out.gcp = { ...live.gcp, signal: controls.signal, ...(ms !== undefined ? { requestTimeoutMs: ms } : {}) };
  return out;
}
