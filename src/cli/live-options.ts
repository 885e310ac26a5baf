/** The CLI options of live sources (`scan` and `collect`), turned into `ScanOptions.live`. */
import type { ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { PodtrustError } from '../errors.js';
import { createProgress } from '../live/progress.js';
import type { ScanOptions } from '../scan.js';

export const LIVE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'all-contexts': { type: 'boolean' },
  'no-secret-values': { type: 'boolean' },
  timeout: { type: 'string' },
  strict: { type: 'boolean' },
  'objects-dir': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function seconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new PodtrustError('usage', `--timeout takes a number of seconds (got "${String(value)}")`);
  return n;
}

/** The live sources the options ask for; undefined when none (then no client is loaded). */
export function liveOptionsFrom(values: Values): ScanOptions['live'] | undefined {
  const contexts = (values.context as string[] | undefined) ?? [];
  const wantsKubernetes = values.kubeconfig !== undefined || contexts.length > 0 || values['all-contexts'] === true;
  const timeoutSeconds = seconds(values.timeout);
  if (!wantsKubernetes) {
    for (const flag of ['no-secret-values', 'objects-dir'] as const) {
      if (values[flag] !== undefined) throw new PodtrustError('usage', `--${flag} needs a live source (--kubeconfig, --context or --all-contexts)`);
    }
    return undefined;
  }
  if (values['all-contexts'] === true && contexts.length > 0) throw new PodtrustError('usage', '--all-contexts and --context exclude each other');
  return {
    kubernetes: {
      ...(typeof values.kubeconfig === 'string' ? { kubeconfig: resolve(values.kubeconfig) } : {}),
      contexts,
      allContexts: values['all-contexts'] === true,
      secretValues: values['no-secret-values'] !== true,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(typeof values['objects-dir'] === 'string' ? { objectsDir: resolve(values['objects-dir']) } : {}),
      progress: createProgress({ quiet: values.quiet === true }),
    },
  };
}
