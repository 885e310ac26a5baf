/**
 * `collect --shard I/N`: the live targets of a scan (kube contexts, AWS accounts — those of the
 * organization included —, GCP projects, organizations and folders, Azure subscriptions or all of
 * them), and the live options narrowed to one shard's share of them.
 */
import type { CoverageNote, FleetCoverage, Inventory } from '../model/types.js';
import type { ScanOptions } from '../scan.js';
import { shareOf, sortedTargets, type Shard } from './coverage.js';
import { awsOrganizationTargets, azureSubscriptionTargets, gcpParentTargets, type ListedTargets } from './listed-targets.js';

type Live = NonNullable<ScanOptions['live']>;

/** The account of the scanner's own credentials, known only once it is read. */
export const AWS_CREDENTIALS_TARGET = 'aws:credentials';
/** An AWS Organization whose accounts could not be listed while planning: one target. Listed, each account is a target of its own. */
export const AWS_ORGANIZATION_TARGET = 'aws:organization';
/** The subscriptions of an Azure identity when they could not be listed while planning: one target. Listed, each subscription is a target of its own. */
export const AZURE_ALL_SUBSCRIPTIONS_TARGET = 'azure:(all-subscriptions)';
/** Contexts that cannot be listed (no kubeconfig): one target, whose shard reports why. */
export const KUBECONFIG_TARGET = 'k8s:(kubeconfig)';

export interface ShardPlan {
  /** The share's live sources; undefined when the share is empty. */
  live: Live | undefined;
  fleet: FleetCoverage;
  /** Why the share's targets that are named but not read (an account suspended in the organization) are not, and what shard 0 says of the listings. */
  notes: CoverageNote[];
}

/**
 * Every live target the options name, sorted; kube contexts are listed from the kubeconfig without
 * contacting any cluster, the accounts of an AWS Organization, the projects beneath GCP
 * organizations and folders and the subscriptions of an Azure identity by listing them.
 */
export async function liveTargets(live: Live): Promise<string[]> {
  return (await listTargets(live)).targets;
}

async function listTargets(live: Live): Promise<ListedTargets> {
  const targets: string[] = [];
  const unread = new Map<string, CoverageNote>();
  const notes: CoverageNote[] = [];
  const add = (listed: ListedTargets): void => {
    targets.push(...listed.targets);
    for (const [t, note] of listed.unread) unread.set(t, note);
    notes.push(...listed.notes);
  };
  const [contexts, organization, beneath, subscriptions] = await Promise.all([
    live.kubernetes ? kubeContexts(live.kubernetes) : undefined,
    live.aws?.organization ? awsOrganizationTargets(live.aws) : undefined,
    live.gcp?.parents && live.gcp.parents.length > 0 ? gcpParentTargets(live.gcp) : undefined,
    live.azure?.allSubscriptions ? azureSubscriptionTargets(live.azure) : undefined,
  ]);
  if (contexts) targets.push(...(contexts.length > 0 ? contexts.map((c) => `k8s:${c}`) : [KUBECONFIG_TARGET]));
  // An organisation that cannot be listed stays one target, whose shard lists it again and names
  // the failure (shards whose lists differ are named when their inventories are merged).
  if (live.aws?.organization) {
    if (organization) add(organization);
    else targets.push(AWS_ORGANIZATION_TARGET);
  } else if (live.aws) targets.push(...awsTargets(live.aws));
  for (const p of live.gcp?.projects ?? []) targets.push(`gcp:${p}`);
  if (beneath) add(beneath);
  else for (const p of live.gcp?.parents ?? []) targets.push(`gcp:${p}`);
  for (const s of live.azure?.subscriptions ?? []) targets.push(`azure:${s}`);
  if (subscriptions) add(subscriptions);
  else if (live.azure?.allSubscriptions) targets.push(AZURE_ALL_SUBSCRIPTIONS_TARGET);
  return { targets: sortedTargets(targets), unread, notes };
}

function awsTargets(aws: NonNullable<Live['aws']>): string[] {
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
  const { targets, unread, notes: listing } = await listTargets(live);
  const share = new Set(shareOf(targets, shard));
  const out: Live = live.concurrency !== undefined ? { concurrency: live.concurrency } : {};
  if (live.kubernetes) {
    const contexts = [...share].filter((t) => t.startsWith('k8s:') && t !== KUBECONFIG_TARGET).map((t) => t.slice('k8s:'.length));
    if (share.has(KUBECONFIG_TARGET)) out.kubernetes = live.kubernetes;
    else if (contexts.length > 0) out.kubernetes = { ...live.kubernetes, contexts, allContexts: false };
  }
  if (live.aws && (share.has(AWS_CREDENTIALS_TARGET) || share.has(AWS_ORGANIZATION_TARGET))) out.aws = live.aws;
  else if (live.aws) {
    // The accounts of the share, the organization's ones too: read as an explicit list is.
    const accounts = [...share].filter((t) => t.startsWith('aws:') && !unread.has(t)).map((t) => t.slice('aws:'.length));
    const { organization: _, ...aws } = live.aws;
    if (accounts.length > 0) out.aws = { ...aws, accounts };
  }
  // GCP targets are projects, and organizations or folders (`folders/456`) walked by this shard.
  const gcp = [...share].filter((t) => t.startsWith('gcp:') && !unread.has(t)).map((t) => t.slice('gcp:'.length));
  const projects = gcp.filter((t) => !t.includes('/'));
  const parents = gcp.filter((t) => t.includes('/'));
  if (live.gcp && gcp.length > 0) out.gcp = { ...live.gcp, projects, ...(live.gcp.parents ? { parents } : {}) };
  const subscriptions = [...share].filter((t) => t.startsWith('azure:') && t !== AZURE_ALL_SUBSCRIPTIONS_TARGET && !unread.has(t)).map((t) => t.slice('azure:'.length));
  const allSubscriptions = share.has(AZURE_ALL_SUBSCRIPTIONS_TARGET);
  if (live.azure && (subscriptions.length > 0 || allSubscriptions)) out.azure = { ...live.azure, subscriptions, ...(live.azure.allSubscriptions ? { allSubscriptions } : {}) };
  const any = out.kubernetes || out.aws || out.gcp || out.azure;
  const notes = [...[...share].flatMap((t) => unread.get(t) ?? []), ...(shard.index === 0 ? listing : [])];
  return { live: any ? out : undefined, fleet: { shard: { ...shard }, targets, covered: [...share] }, notes };
}

/**
 * Records the share in the inventory a shard collected. A shard that no target fell to (more
 * shards than targets) says so, instead of warning that nothing was analysed.
 */
export function recordShard(inventory: Inventory, plan: ShardPlan, cancelled: boolean): void {
  inventory.notes.push(...plan.notes);
  inventory.fleet = { ...plan.fleet, covered: coveredTargets(plan.fleet, readTargets(inventory), cancelled) };
  if (plan.live) return;
  inventory.notes = inventory.notes.filter((n) => !(n.kind === 'nothing-analysed' && n.file === undefined));
  if (plan.fleet.covered.length > 0) return;
  const { index, count } = plan.fleet.shard;
  inventory.notes.push({ kind: 'skipped', level: 'note', message: `shard ${index}/${count}: no target falls to this shard (the fleet has ${plan.fleet.targets.length})` });
}

/**
 * What a shard's inventory shows it read: the clusters in it, and the AWS accounts, GCP projects
 * and Azure subscriptions (as targets, `aws:<id>`) it holds resources of or names in a note.
 */
export interface ReadTargets {
  clusters: ReadonlySet<string>;
  named: ReadonlySet<string>;
}

/** Targets read one by one, each counted only when the inventory shows it: not an organization or folder walked, nor a listing kept whole. */
const ONE_BY_ONE = /^(?:aws:\d{12}|gcp:[^/]+|azure:[0-9a-f-]{36})$/i;

/**
 * The share's targets that were read: a kube context counts once its cluster is in the inventory
 * (an unreachable one is not read), an account, project or subscription once the inventory holds
 * something of it or names it (a shard whose credentials failed read none); after a
 * cancellation, no other target counts.
 */
export function coveredTargets(fleet: FleetCoverage, read: ReadTargets, cancelled: boolean): string[] {
  return fleet.covered.filter((t) => {
    if (t.startsWith('k8s:') && t !== KUBECONFIG_TARGET) return read.clusters.has(t.slice('k8s:'.length));
    if (cancelled) return false;
    return !ONE_BY_ONE.test(t) || read.named.has(t.toLowerCase());
  });
}

/** What an inventory holds or names: resources are filed under `aws/<account>/`, `gcp/<project>/`, `azure/<subscription>/`; notes begin `aws account <id>`, `gcp project <id>`, `azure subscription <id>`. */
function readTargets(inventory: Inventory): ReadTargets {
  const named = new Set<string>();
  const source: Record<string, string> = { 'aws account': 'aws', 'gcp project': 'gcp', 'azure subscription': 'azure' };
  for (const r of inventory.resources) {
    const m = /^(aws|gcp|azure)\/([^/]+)\//.exec(r.file);
    if (m) named.add(`${m[1]}:${m[2]}`.toLowerCase());
  }
  for (const n of inventory.notes) {
    // A project id may carry a domain (`example.com:legacy`): the id ends at a colon followed by a space, or at a space.
    const m = /^(aws account|gcp project|azure subscription) ([^\s:]+(?::[^\s:]+)?)[: ]/.exec(n.message);
    if (m) named.add(`${source[m[1]!]}:${m[2]}`.toLowerCase());
  }
  return { clusters: new Set(inventory.clusters.map((c) => c.name)), named };
}
