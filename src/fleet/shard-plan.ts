/**
 * `collect --shard I/N`: the live targets of a scan (kube contexts, the AWS account or
 * organization, GCP projects, organizations and folders, Azure subscriptions or all of them),
 * and the live options narrowed to one shard's share of them.
 */
import type { FleetCoverage, Inventory } from '../model/types.js';
import type { ScanOptions } from '../scan.js';
import { shareOf, sortedTargets, type Shard } from './coverage.js';

type Live = NonNullable<ScanOptions['live']>;

/** The account of the scanner's own credentials, known only once it is read. */
export const AWS_CREDENTIALS_TARGET = 'aws:credentials';
/** The accounts of an AWS Organization, listed only by calling it: one target, read by one shard. */
export const AWS_ORGANIZATION_TARGET = 'aws:organization';
/** The subscriptions an Azure identity can list, known only by listing them: one target, read by one shard. */
export const AZURE_ALL_SUBSCRIPTIONS_TARGET = 'azure:(all-subscriptions)';
/** Contexts that cannot be listed (no kubeconfig): one target, whose shard reports why. */
export const KUBECONFIG_TARGET = 'k8s:(kubeconfig)';

export interface ShardPlan {
  /** The share's live sources; undefined when the share is empty. */
  live: Live | undefined;
  fleet: FleetCoverage;
}

/** Every live target the options name, sorted; kube contexts are listed from the kubeconfig without contacting any cluster. */
export async function liveTargets(live: Live): Promise<string[]> {
  const targets: string[] = [];
  if (live.kubernetes) {
    const contexts = await kubeContexts(live.kubernetes);
    targets.push(...(contexts.length > 0 ? contexts.map((c) => `k8s:${c}`) : [KUBECONFIG_TARGET]));
  }
  if (live.aws) targets.push(...awsTargets(live.aws));
  for (const p of live.gcp?.projects ?? []) targets.push(`gcp:${p}`);
  // An organization or folder is one target (`gcp:folders/456`): its projects are known only by listing them.
  for (const p of live.gcp?.parents ?? []) targets.push(`gcp:${p}`);
  for (const s of live.azure?.subscriptions ?? []) targets.push(`azure:${s}`);
  if (live.azure?.allSubscriptions) targets.push(AZURE_ALL_SUBSCRIPTIONS_TARGET);
  return sortedTargets(targets);
}

function awsTargets(aws: NonNullable<Live['aws']>): string[] {
  if (aws.organization) return [AWS_ORGANIZATION_TARGET];
  if (aws.accounts && aws.accounts.length > 0) return aws.accounts.map((a) => `aws:${a}`);
  return [AWS_CREDENTIALS_TARGET];
}

async function kubeContexts(kube: NonNullable<Live['kubernetes']>): Promise<string[]> {
  // Named contexts are targets as given: one the kubeconfig lacks is reported by the shard that takes it.
  if (!kube.allContexts && (kube.contexts?.length ?? 0) > 0) return kube.contexts!;
  const { resolveTargets } = await import('../live/kubernetes/client.js');
  const resolved = await resolveTargets(kube, kube.env ?? process.env);
  return resolved.targets.map((t) => t.context);
}

export async function planShard(live: Live, shard: Shard): Promise<ShardPlan> {
  const targets = await liveTargets(live);
  const share = new Set(shareOf(targets, shard));
  const out: Live = live.concurrency !== undefined ? { concurrency: live.concurrency } : {};
  if (live.kubernetes) {
    const contexts = [...share].filter((t) => t.startsWith('k8s:') && t !== KUBECONFIG_TARGET).map((t) => t.slice('k8s:'.length));
    if (share.has(KUBECONFIG_TARGET)) out.kubernetes = live.kubernetes;
    else if (contexts.length > 0) out.kubernetes = { ...live.kubernetes, contexts, allContexts: false };
  }
  if (live.aws && (share.has(AWS_CREDENTIALS_TARGET) || share.has(AWS_ORGANIZATION_TARGET))) out.aws = live.aws;
  const accounts = (live.aws?.accounts ?? []).filter((a) => share.has(`aws:${a}`));
  if (live.aws && !live.aws.organization && accounts.length > 0) out.aws = { ...live.aws, accounts };
  const projects = (live.gcp?.projects ?? []).filter((p) => share.has(`gcp:${p}`));
  const parents = (live.gcp?.parents ?? []).filter((p) => share.has(`gcp:${p}`));
  if (live.gcp && projects.length + parents.length > 0) out.gcp = { ...live.gcp, projects, ...(live.gcp.parents ? { parents } : {}) };
  const subscriptions = (live.azure?.subscriptions ?? []).filter((s) => share.has(`azure:${s}`));
  const allSubscriptions = share.has(AZURE_ALL_SUBSCRIPTIONS_TARGET);
  if (live.azure && (subscriptions.length > 0 || allSubscriptions)) out.azure = { ...live.azure, subscriptions, ...(live.azure.allSubscriptions ? { allSubscriptions } : {}) };
  const any = out.kubernetes || out.aws || out.gcp || out.azure;
  return { live: any ? out : undefined, fleet: { shard: { ...shard }, targets, covered: [...share] } };
}

/**
 * Records the share in the inventory a shard collected. A shard that no target fell to (more
 * shards than targets) says so, instead of warning that nothing was analysed.
 */
export function recordShard(inventory: Inventory, plan: ShardPlan, cancelled: boolean): void {
  inventory.fleet = { ...plan.fleet, covered: coveredTargets(plan.fleet, new Set(inventory.clusters.map((c) => c.name)), cancelled) };
  if (plan.live) return;
  inventory.notes = inventory.notes.filter((n) => !(n.kind === 'nothing-analysed' && n.file === undefined));
  const { index, count } = plan.fleet.shard;
  inventory.notes.push({ kind: 'skipped', level: 'note', message: `shard ${index}/${count}: no target falls to this shard (the fleet has ${plan.fleet.targets.length})` });
}

/**
 * The share's targets that were read: a kube context counts once its cluster is in the inventory
 * (an unreachable one is not read); after a cancellation, no other target counts.
 */
export function coveredTargets(fleet: FleetCoverage, clusterNames: ReadonlySet<string>, cancelled: boolean): string[] {
  return fleet.covered.filter((t) => (t.startsWith('k8s:') && t !== KUBECONFIG_TARGET ? clusterNames.has(t.slice('k8s:'.length)) : !cancelled));
}
