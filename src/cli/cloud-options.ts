/** The CLI options of live cloud sources (`--aws`, `--azure-subscription`, `--gcp-project`), turned into `ScanOptions.live`. */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import { createProgress } from '../live/progress.js';
import type { CloudLiveOptions } from '../live/cloud-sources.js';

export const CLOUD_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  aws: { type: 'boolean' },
  'aws-region': { type: 'string', multiple: true },
  'aws-organization': { type: 'boolean' },
  'aws-account': { type: 'string', multiple: true },
  'aws-assume-role': { type: 'string' },
  'azure-subscription': { type: 'string', multiple: true },
  'azure-endpoint': { type: 'string' },
  'gcp-project': { type: 'string', multiple: true },
  'gcp-endpoint': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function list(values: Values, name: string): string[] {
  return ((values[name] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function endpoint(values: Values, name: string): string | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PodtrustError('usage', `--${name} takes a URL (got "${value}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PodtrustError('usage', `--${name} takes an http(s) URL (got "${value}")`);
  return value;
}

/** AWS accounts beyond the scanner's own: the organization's, or a list, and the role assumed in each. */
function awsFleet(values: Values): { organization?: boolean; accounts?: string[]; assumeRole?: string } | undefined {
  const organization = values['aws-organization'] === true;
  const accounts = list(values, 'aws-account');
  const role = values['aws-assume-role'];
  for (const id of accounts) if (!/^\d{12}$/.test(id)) throw new PodtrustError('usage', `--aws-account takes a 12-digit account id (got "${id}")`);
  if (organization && accounts.length > 0) throw new PodtrustError('usage', '--aws-organization and --aws-account exclude each other');
  if (typeof role === 'string' && !/^[\w+=,.@/-]{1,512}$/.test(role)) throw new PodtrustError('usage', `--aws-assume-role takes a role name, optionally with its path (got "${role}")`);
  if (typeof role === 'string' && !organization && accounts.length === 0) throw new PodtrustError('usage', '--aws-assume-role needs --aws-organization or --aws-account ID');
  if (organization && typeof role !== 'string') throw new PodtrustError('usage', '--aws-organization needs --aws-assume-role NAME: the role to assume in each member account');
  if (!organization && accounts.length === 0) return undefined;
  return { ...(organization ? { organization } : { accounts }), ...(typeof role === 'string' ? { assumeRole: role.replace(/^\/+/, '') } : {}) };
}

/** The cloud sources the options ask for; undefined when none (then no cloud SDK is loaded). */
export function cloudOptionsFrom(values: Values): CloudLiveOptions | undefined {
  const quiet = values.quiet === true;
  // On a terminal the progress lines end with each source's summary; a line written beside them would break their redraw.
  const onSummary = quiet || process.stderr.isTTY === true ? undefined : (line: string): void => void process.stderr.write(`podtrust: ${line}\n`);
  const common = { progress: createProgress({ quiet }), ...(onSummary ? { onSummary } : {}) };
  const out: CloudLiveOptions = {};
  const regions = list(values, 'aws-region');
  const fleet = awsFleet(values);
  if (values.aws === true || regions.length > 0 || fleet) out.aws = { regions, ...fleet, ...common };
  const subscriptions = list(values, 'azure-subscription');
  const azureEndpoint = endpoint(values, 'azure-endpoint');
  if (azureEndpoint !== undefined && subscriptions.length === 0) throw new PodtrustError('usage', '--azure-endpoint needs --azure-subscription ID');
  if (subscriptions.length > 0) out.azure = { subscriptions, ...(azureEndpoint ? { endpoint: azureEndpoint } : {}), ...common };
  const projects = list(values, 'gcp-project');
  const gcpEndpoint = endpoint(values, 'gcp-endpoint');
  if (gcpEndpoint !== undefined && projects.length === 0) throw new PodtrustError('usage', '--gcp-endpoint needs --gcp-project ID');
  if (projects.length > 0) out.gcp = { projects, ...(gcpEndpoint ? { endpoint: gcpEndpoint } : {}), ...common };
  return out.aws || out.azure || out.gcp ? out : undefined;
}
