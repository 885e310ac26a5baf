/**
 * The cloud sources of a scan (`--aws`, `--azure-subscription`, `--gcp-project`), each loaded
 * only when asked for, so neither `podtrust --version` nor an IaC-only scan loads a cloud SDK.
 */
import type { CollectResult } from '../collectors/types.js';
import { mergeResults } from '../collectors/types.js';
import { isolatedSource } from '../collectors/isolate.js';
import type { AwsLiveOptions } from './aws/collect.js';
import type { AzureLiveOptions } from './azure/collect.js';
import type { GcpLiveOptions } from './gcp/collect.js';

export interface CloudLiveOptions {
  aws?: AwsLiveOptions;
  azure?: AzureLiveOptions;
  gcp?: GcpLiveOptions;
}

export async function collectLiveClouds(options: CloudLiveOptions): Promise<CollectResult> {
  const result: CollectResult = { resources: [], clusters: [], notes: [] };
  const { aws, azure, gcp } = options;
  if (aws) mergeResults(result, await isolatedSource('live source aws', async () => (await import('./aws/collect.js')).collectLiveAws(aws)));
  if (azure) mergeResults(result, await isolatedSource('live source azure', async () => (await import('./azure/collect.js')).collectLiveAzure(azure)));
  if (gcp) mergeResults(result, await isolatedSource('live source gcp', async () => (await import('./gcp/collect.js')).collectLiveGcp(gcp)));
  return result;
}
