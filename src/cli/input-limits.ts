/** `--max-depth` and `--max-document-values`: the nesting and alias-expansion limits of YAML and JSON documents. */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import { DEFAULT_LIMITS, type StructuredLimits } from '../util/structured.js';

export const LIMIT_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'max-depth': { type: 'string' },
  'max-document-values': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function count(values: Values, name: string, fallback: number): number {
  const value = values[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new PodtrustError('usage', `--${name} takes a positive whole number (got "${String(value)}")`);
  }
  return Number(value);
}

export function limitsFrom(values: Values): StructuredLimits {
  return { maxDepth: count(values, 'max-depth', DEFAULT_LIMITS.maxDepth), maxNodes: count(values, 'max-document-values', DEFAULT_LIMITS.maxNodes) };
}
