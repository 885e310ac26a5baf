/** The CLI options of live cloud sources (`--aws`, `--azure-subscription`, `--gcp-project`, and their organisation-wide forms), turned into `ScanOptions.live`. */
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
  'azure-all-subscriptions': { type: 'boolean' },
  'azure-endpoint': { type: 'string' },
  'gcp-project': { type: 'string', multiple: true },
  'gcp-organization': { type: 'string', multiple: true },
  'gcp-folder': { type: 'string', multiple: true },
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

/** `--gcp-organization` and `--gcp-folder` as resource names (`organizations/123`, `folders/456`); both ids are numbers. */
function gcpParents(values: Values): string[] {
  const parents: string[] = [];
  for (const [flag, kind] of [['gcp-organization', 'organizations'], ['gcp-folder', 'folders']] as const) {
    for (const value of list(values, flag)) {
      const id = value.startsWith(`${kind}/`) ? value.slice(kind.length + 1) : value;
      if (!/^\d{1,32}$/.test(id)) throw new PodtrustError('usage', `--${flag} takes a numeric ${flag === 'gcp-folder' ? 'folder' : 'organization'} id (got "${value}")`);
      parents.push(`${kind}/${id}`);
    }
  }
  return [...new Set(parents)];
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
  const allSubscriptions = values['azure-all-subscriptions'] === true;
  const azureEndpoint = endpoint(values, 'azure-endpoint');
  if (azureEndpoint !== undefined && subscriptions.length === 0 && !allSubscriptions) throw new PodtrustError('usage', '--azure-endpoint needs --azure-subscription ID or --azure-all-subscriptions');
  if (subscriptions.length > 0 || allSubscriptions) out.azure = { subscriptions, ...(allSubscriptions ? { allSubscriptions } : {}), ...(azureEndpoint ? { endpoint: azureEndpoint } : {}), ...common };
  const projects = list(values, 'gcp-project');
  const parents = gcpParents(values);
  const gcpEndpoint = endpoint(values, 'gcp-endpoint');
  if (gcpEndpoint !== undefined && projects.length === 0 && parents.length === 0) throw new PodtrustError('usage', '--gcp-endpoint needs --gcp-project ID, --gcp-folder ID or --gcp-organization ID');
  if (projects.length > 0 || parents.length > 0) out.gcp = { projects, ...(parents.length > 0 ? { parents } : {}), ...(gcpEndpoint ? { endpoint: gcpEndpoint } : {}), ...common };
  return out.aws || out.azure || out.gcp ? out : undefined;
}
