/** The Action's inputs, read and checked. */
import { isAbsolute, resolve } from 'node:path';
import { PodtrustError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { checkGlob } from '../util/glob.js';
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
  /** Whether an incomplete scan fails the step (never with fail-on none). */
  failOnIncomplete: boolean;
  exclude: string[];
  /** Extra reports, `FORMAT=PATH` each. */
  reports: { format: ReportFormat; file: string }[];
  /** Fetch Terraform module sources as `terraform init` would (`--download-modules`). */
  downloadModules: boolean;
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
  'fail-on-incomplete': 'on',
  exclude: '',
  reports: '',
  'download-modules': 'on',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found !== undefined) return found;
  throw new PodtrustError('usage', `input ${name} must be one of ${allowed.join(', ')} (got "${value}")${didYouMean(value, allowed)}`);
}

/** Entries separated by new lines (or spaces), blank ones dropped. */
function list(value: string): string[] {
  return value.split(/\s+/).filter((v) => v !== '');
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
  const paths = list(input('path')).map((p) => inWorkspace(workspace, p));
  const exclude = list(input('exclude'));
  for (const g of exclude) {
    try {
      checkGlob(g);
    } catch (e) {
      throw new PodtrustError('usage', `input exclude: ${(e as Error).message}`);
    }
  }
  const reports = list(input('reports')).map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new PodtrustError('usage', `input reports takes FORMAT=PATH entries, one per line (got "${entry}")`);
    return { format: oneOf('reports', entry.slice(0, eq), REPORT_FORMATS), file: inWorkspace(workspace, entry.slice(eq + 1)) };
  });
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
    failOnIncomplete: flag('fail-on-incomplete', input('fail-on-incomplete')),
    exclude,
    reports,
    downloadModules: flag('download-modules', input('download-modules')),
  };
}
