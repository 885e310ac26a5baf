/**
 * The targets of a fleet known only by listing an organisation: the accounts of an AWS
 * Organization, the projects beneath GCP organizations and folders, the subscriptions an Azure
 * identity can list. Every shard lists them the
 * same way and takes its share of them as of any other target.
 */
import type { CoverageNote } from '../model/types.js';
import type { ScanOptions } from '../scan.js';

type Live = NonNullable<ScanOptions['live']>;

export interface ListedTargets {
  targets: string[];
  /** Targets listed but not to be read (an account suspended, a project pending deletion), each with the note that names it. */
  unread: Map<string, CoverageNote>;
  /** What the listing says about no one target (a listed name that is not valid): said by shard 0. */
  notes: CoverageNote[];
}

/** `aws:<id>` for every account of the organization; undefined when they cannot be listed. */
export async function awsOrganizationTargets(aws: NonNullable<Live['aws']>): Promise<ListedTargets | undefined> {
  const organization = await import('../live/aws/organization.js');
  let listed: Awaited<ReturnType<typeof organization.organizationMembers>>;
  try {
    listed = await organization.organizationMembers(aws);
  } catch {
    return undefined;
  }
  const { members } = listed;
  const unread = new Map(members.filter((m) => m.state !== 'ACTIVE').map((m) => [`aws:${m.id}`, organization.inactiveNote(m)]));
  return { targets: members.map((m) => `aws:${m.id}`), unread, notes: organization.listingNotes(listed) };
}

/**
 * `gcp:<project>` for every project beneath the organizations and folders, and `gcp:<parent>` for
 * a folder that could not be listed, which its shard walks again (and names, if it fails again);
 * undefined when the API clients cannot be loaded.
 */
export async function gcpParentTargets(gcp: NonNullable<Live['gcp']>): Promise<ListedTargets | undefined> {
  const found = await (await import('../live/gcp/collect.js')).findProjects(gcp);
  if (!found) return undefined;
  const named = new Set(gcp.projects);
  // A project named with --gcp-project is read whatever its state, as an unsharded scan reads it.
  const unread = new Map([...found.inactive].filter(([p]) => !named.has(p)).map(([p, note]) => [`gcp:${p}`, note]));
  const targeted = new Set([...found.inactive.values(), ...found.unlisted.values()]);
  return {
    targets: [...found.projects, ...found.inactive.keys(), ...found.unlisted.keys()].map((t) => `gcp:${t}`),
    unread,
    notes: found.notes.filter((n) => !targeted.has(n)),
  };
}

/** `azure:<id>` for every subscription the identity can list; undefined when they cannot be listed. */
export async function azureSubscriptionTargets(azure: NonNullable<Live['azure']>): Promise<ListedTargets | undefined> {
  const found = await (await import('../live/azure/collect.js')).findSubscriptions(azure);
  if (!found || found.failed) return undefined;
  const named = new Set(azure.subscriptions);
  // A subscription named with --azure-subscription is read whatever its state, as an unsharded scan reads it.
  const unread = new Map([...found.inactive].filter(([id]) => !named.has(id)).map(([id, note]) => [`azure:${id}`, note]));
  const targeted = new Set(found.inactive.values());
  return { targets: [...found.subscriptions, ...found.inactive.keys()].map((id) => `azure:${id}`), unread, notes: found.notes.filter((n) => !targeted.has(n)) };
}
