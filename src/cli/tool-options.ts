/** `--no-external-tools`, `--helm PATH`, `--bicep PATH`, `--tool-timeout SECONDS`: how helm and bicep run on the scanned content. */
import type { ParseArgsConfig } from 'node:util';
import type { ExternalToolOptions } from '../util/external-tool.js';
import { secondsFlag } from './live-controls.js';

export const TOOL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'no-external-tools': { type: 'boolean' },
  helm: { type: 'string' },
  bicep: { type: 'string' },
  'tool-timeout': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function toolOptionsFrom(values: Values): ExternalToolOptions {
  const seconds = secondsFlag(values, 'tool-timeout');
  return {
    ...(values['no-external-tools'] === true ? { enabled: false } : {}),
    ...(typeof values.helm === 'string' ? { helm: values.helm } : {}),
    ...(typeof values.bicep === 'string' ? { bicep: values.bicep } : {}),
    ...(seconds !== undefined ? { timeoutMs: seconds * 1000 } : {}),
  };
}
