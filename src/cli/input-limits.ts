/** `--max-depth`, `--max-document-values` and `--workers`: the nesting and alias-expansion limits of YAML, JSON and HCL documents, and the threads that read them. */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import { DEFAULT_LIMITS, type StructuredLimits } from '../util/structured-limits.js';
import { MAX_DEPTH_CEILING } from '../util/nesting.js';

export const LIMIT_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'max-depth': { type: 'string' },
  'max-document-values': { type: 'string' },
  workers: { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function count(values: Values, name: string, fallback: number, most = Number.MAX_SAFE_INTEGER): number {
  const value = values[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new PodtrustError('usage', `--${name} takes a positive whole number (got "${String(value)}")`);
  }
  if (Number(value) > most) throw new PodtrustError('usage', `--${name} takes at most ${most}: deeper nesting would overflow the parsers' stack (got ${value})`);
  return Number(value);
}

export function limitsFrom(values: Values): StructuredLimits {
  return {
    maxDepth: count(values, 'max-depth', DEFAULT_LIMITS.maxDepth, MAX_DEPTH_CEILING),
    maxNodes: count(values, 'max-document-values', DEFAULT_LIMITS.maxNodes),
  };
}

/** `--workers N`: threads that collect, this one included; 0 or 1 collects on the main thread alone (to compare with a parallel scan). */
export const MAX_WORKERS = 64;
export function workersFrom(values: Values): number | undefined {
  const value = values.workers;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) > MAX_WORKERS) {
    throw new PodtrustError('usage', `--workers takes a number of threads from 0 to ${MAX_WORKERS} (got "${String(value)}")`);
  }
  return Number(value);
}

/** A size flag (`--max-file-size 10MB`, `--max-response-size 512KB`): bytes. */
export function parseSize(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(\d+)\s*([kKmMgG]i?[bB]?)?$/.exec(String(value));
  if (!m) throw new PodtrustError('usage', `--${name} takes a size such as 10MB or 512KB (got "${String(value)}")`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}
