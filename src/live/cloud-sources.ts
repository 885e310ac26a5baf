/**
 * The cloud sources of a scan (`--aws`, `--azure-subscription`, `--gcp-project`), each loaded
 * only when asked for, so neither `podtrust --version` nor an IaC-only scan loads a cloud SDK.
 */
import type { CollectResult } from '../collectors/types.js';
import { emptyResult, mergeResults } from '../collectors/types.js';
import { isolatedSource } from '../collectors/isolate.js';
import { TargetLimit } from './target-limit.js';
import type { AwsLiveOptions } from './aws/collect.js';
import type { AzureLiveOptions } from './azure/collect.js';
import type { GcpLiveOptions } from './gcp/collect.js';

export interface CloudLiveOptions {
  aws?: AwsLiveOptions;
  azure?: AzureLiveOptions;
  gcp?: GcpLiveOptions;
}

/** The clouds side by side; each AWS account, Azure subscription and GCP project holds one target slot while it is read. */
export async function collectLiveClouds(options: CloudLiveOptions, limit: TargetLimit = new TargetLimit()): Promise<CollectResult> {
  const result = emptyResult();
  const { aws, azure, gcp } = options;
  const parts = await Promise.all([
    aws ? isolatedSource('live source aws', async () => (await import('./aws/collect.js')).collectLiveAws({ ...aws, targetLimit: limit })) : emptyResult(),
    azure ? isolatedSource('live source azure', async () => (await import('./azure/collect.js')).collectLiveAzure({ ...azure, targetLimit: limit })) : emptyResult(),
    gcp ? isolatedSource('live source gcp', async () => (await import('./gcp/collect.js')).collectLiveGcp({ ...gcp, targetLimit: limit })) : emptyResult(),
  ]);
  for (const part of parts) mergeResults(result, part);
  return result;
}
