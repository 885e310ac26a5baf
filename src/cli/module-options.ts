/** `--download-modules`, `--module-cache DIR`, `--trusted-module-host HOST`: Terraform modules fetched as `terraform init` would. */
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import type { ModuleFetchOptions } from '../collectors/terraform/fetch/fetcher.js';
import { FETCH_TIME_MS } from '../collectors/terraform/fetch/fetch-time.js';
import { defaultCacheDir } from '../collectors/terraform/fetch/cache.js';
import { isInside } from '../util/input-reader.js';

export const MODULE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'download-modules': { type: 'boolean' },
  'module-cache': { type: 'string' },
  'trusted-module-host': { type: 'string', multiple: true },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The fetch settings, or undefined without `--download-modules`; the cache never lies in the scanned root. */
export function moduleOptionsFrom(values: Values, root: string): ModuleFetchOptions | undefined {
  const cache = values['module-cache'];
  const trusted = (values['trusted-module-host'] as string[] | undefined) ?? [];
  if (values['download-modules'] !== true) {
    if (cache !== undefined || trusted.length > 0) throw new PodtrustError('usage', `--${cache !== undefined ? 'module-cache' : 'trusted-module-host'} needs --download-modules`);
    return undefined;
  }
  const cacheDir = typeof cache === 'string' ? resolve(cache) : defaultCacheDir();
  if (isInside(cacheDir, root)) throw new PodtrustError('usage', `the module cache ${cacheDir} is inside the scanned root: podtrust writes nothing there; give --module-cache a folder outside it`);
  for (const h of trusted) if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(h) && !/^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(h)) throw new PodtrustError('usage', `--trusted-module-host ${JSON.stringify(h)}: a host name or address, with an optional :port`);
  // One deadline for every collector thread of the scan.
  return { cacheDir, deadline: Date.now() + FETCH_TIME_MS, ...(trusted.length > 0 ? { trustedHosts: trusted } : {}) };
}
