/**
 * The cloud sources of a scan (`--aws`, `--azure-subscription`, `--gcp-project`), each loaded
 * only when asked for, so neither `podtrust --version` nor an IaC-only scan loads a cloud SDK.
 */
import type { CollectResult } from '../collectors/types.js';
import { mergeResults } from '../collectors/types.js';
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
  if (options.aws) {
    const { collectLiveAws } = await import('./aws/collect.js');
    mergeResults(result, await collectLiveAws(options.aws));
  }
  if (options.azure) {
    const { collectLiveAzure } = await import('./azure/collect.js');
    mergeResults(result, await collectLiveAzure(options.azure));
  }
  if (options.gcp) {
    const { collectLiveGcp } = await import('./gcp/collect.js');
    mergeResults(result, await collectLiveGcp(options.gcp));
  }
  return result;
}
