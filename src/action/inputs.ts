/** The Action's inputs, read and checked. */
import { isAbsolute, resolve } from 'node:path';
import { PodtrustError } from '../errors.js';
import { REPORT_EXTENSION, REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';
import type { Severity } from '../model/types.js';

export interface ActionInputs {
  paths: string[];
  config?: string;
  failOn: Severity | 'none';
  format: ReportFormat;
  sarifFile: string;
  reportFile?: string;
  baseline?: string;
  onlyNew: boolean;
  annotations: boolean;
}

/**
 * The defaults action.yml documents. The runner passes an input the workflow set to an empty
 * value (`fail-on: ${{ inputs.level }}` with no level) as empty, not as its default: it takes
 * the default here. A test keeps this table and action.yml equal.
 */
export const INPUT_DEFAULTS = {
  path: '.',
  config: '',
  'fail-on': 'high',
  format: 'sarif',
  'sarif-file': 'podtrust.sarif',
  'report-file': '',
  baseline: '',
  'only-new': 'off',
  annotations: 'on',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new PodtrustError('usage', `input ${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function flag(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'on') return true;
  if (v === 'false' || v === 'off') return false;
  throw new PodtrustError('usage', `input ${name} must be true or false (or on, off) (got "${value}")`);
}

function inWorkspace(workspace: string, file: string): string {
  return isAbsolute(file) ? file : resolve(workspace, file);
}

/** `get` returns an input's trimmed value ('' when unset or empty), as `core.getInput` does. */
export function readInputs(get: (name: string) => string, workspace: string): ActionInputs {
  const input = (name: InputName): string => get(name) || INPUT_DEFAULTS[name];
  const paths = input('path')
    .split(/\s+/)
    .filter((p) => p !== '')
    .map((p) => inWorkspace(workspace, p));
  const format = oneOf('format', input('format'), REPORT_FORMATS);
  const config = input('config');
  const baseline = input('baseline');
  const onlyNew = flag('only-new', input('only-new'));
  if (onlyNew && baseline === '') throw new PodtrustError('usage', 'input only-new needs a baseline');
  const reportFile = input('report-file');
  return {
    paths: paths.length > 0 ? paths : [workspace],
    ...(config !== '' ? { config: inWorkspace(workspace, config) } : {}),
    failOn: oneOf('fail-on', input('fail-on'), FAIL_ON),
    format,
    sarifFile: inWorkspace(workspace, input('sarif-file')),
    ...(format !== 'sarif' ? { reportFile: inWorkspace(workspace, reportFile || `podtrust-report.${REPORT_EXTENSION[format]}`) } : {}),
    ...(baseline !== '' ? { baseline: inWorkspace(workspace, baseline) } : {}),
    onlyNew,
    annotations: flag('annotations', input('annotations')),
  };
}
