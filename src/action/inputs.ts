/** The Action's inputs, read and checked. */
import { isAbsolute, resolve } from 'node:path';
import { PodtrustError } from '../errors.js';
import type { ReportFormat } from '../reporters/index.js';
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

const FORMATS: readonly ReportFormat[] = ['sarif', 'json', 'markdown', 'html', 'table'];
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;
const EXTENSION: Record<ReportFormat, string> = { sarif: 'sarif', json: 'json', markdown: 'md', html: 'html', table: 'txt' };

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new PodtrustError('usage', `input ${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function flag(name: string, value: string, fallback: boolean): boolean {
  const v = value.toLowerCase();
  if (v === '') return fallback;
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new PodtrustError('usage', `input ${name} must be on or off (got "${value}")`);
}

function inWorkspace(workspace: string, file: string): string {
  return isAbsolute(file) ? file : resolve(workspace, file);
}

/** `get` returns an input's trimmed value ('' when unset), as `core.getInput` does. */
export function readInputs(get: (name: string) => string, workspace: string): ActionInputs {
  const paths = get('path')
    .split(/[\s]+/)
    .filter((p) => p !== '')
    .map((p) => inWorkspace(workspace, p));
  const format = oneOf('format', get('format') || 'sarif', FORMATS);
  const sarifFile = inWorkspace(workspace, get('sarif-file') || 'podtrust.sarif');
  const config = get('config');
  const baseline = get('baseline');
  const onlyNew = flag('only-new', get('only-new'), false);
  if (onlyNew && baseline === '') throw new PodtrustError('usage', 'input only-new needs a baseline');
  const reportFile = get('report-file');
  return {
    paths: paths.length > 0 ? paths : [workspace],
    ...(config !== '' ? { config: inWorkspace(workspace, config) } : {}),
    failOn: oneOf('fail-on', get('fail-on') || 'high', FAIL_ON),
    format,
    sarifFile,
    ...(format !== 'sarif' ? { reportFile: inWorkspace(workspace, reportFile || `podtrust-report.${EXTENSION[format]}`) } : {}),
    ...(baseline !== '' ? { baseline: inWorkspace(workspace, baseline) } : {}),
    onlyNew,
    annotations: flag('annotations', get('annotations'), true),
  };
}
