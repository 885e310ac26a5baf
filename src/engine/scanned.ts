/** What a scan read, as the reports' headers name it: the paths given, the live sources and the commit. */
import { resolve } from 'node:path';
import type { ScannedInputs } from './result.js';
import { gitHead } from '../util/git-head.js';
import { isAbsoluteAnywhere, rootRelative, toPosix } from '../util/paths.js';

/** A path given on the command line (relative to the working directory) as the reports show it: relative to the root. */
function fromRoot(root: string, given: string): string {
  if (given === '-') return given;
  const absolute = resolve(given);
  const rel = rootRelative(resolve(root), absolute);
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith('../') || isAbsoluteAnywhere(rel) ? toPosix(absolute) : rel;
}

/** The parts of the scan's options the header names (ScanOptions fits; the engine does not import the live sources). */
interface ScannedOptions {
  paths: string[];
  root: string;
  inventories?: readonly unknown[];
  commit?: string;
  live?: {
    kubernetes?: { contexts?: string[]; allContexts?: boolean };
    aws?: { regions: string[] };
    azure?: { subscriptions: string[]; allSubscriptions?: boolean };
    gcp?: { projects: string[]; parents?: string[] };
  };
}

function liveSources(live: ScannedOptions['live']): string[] {
  if (!live) return [];
  const out: string[] = [];
  const k8s = live.kubernetes;
  if (k8s) {
    if (k8s.allContexts) out.push('Kubernetes: every context of the kubeconfig');
    else if (k8s.contexts && k8s.contexts.length > 0) out.push(...k8s.contexts.map((c) => `Kubernetes context ${c}`));
    else out.push('Kubernetes: the current context');
  }
  if (live.aws) out.push(`AWS: the account of the current credentials${live.aws.regions.length > 0 ? ` (${live.aws.regions.join(', ')})` : ''}`);
  if (live.azure?.allSubscriptions) out.push('Azure: every subscription the identity can list');
  for (const s of live.azure?.subscriptions ?? []) out.push(`Azure subscription ${s}`);
  for (const p of live.gcp?.parents ?? []) out.push(`GCP: the projects beneath ${p}`);
  for (const p of live.gcp?.projects ?? []) out.push(`GCP project ${p}`);
  return out;
}

export function scannedInputs(options: ScannedOptions): ScannedInputs {
  const commit = options.commit ?? (options.paths.length > 0 ? gitHead(options.root) : undefined);
  const live = liveSources(options.live);
  return {
    paths: options.paths.map((p) => fromRoot(options.root, p)),
    inventories: options.inventories?.length ?? 0,
    ...(live.length > 0 ? { live } : {}),
    ...(commit !== undefined ? { commit } : {}),
  };
}
