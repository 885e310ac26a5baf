/**
 * The AWS accounts of a scan beyond the scanner's own (`--aws-organization`, `--aws-account`), and
 * the credentials each is read with: the scanner's own account with its own credentials, every
 * other one through `sts:AssumeRole` of `--aws-assume-role NAME`, always signed with the scanner's
 * own credentials (never with another account's: no chaining).
 */
import type { CoverageNote } from '../../model/types.js';
import { errorText, type ApiCallLog } from '../cloud.js';
import { isCancelled } from '../cancel.js';
import { clientConfig, recordCalls, type AccountCredentials, type Client, type ClientSettings } from './client-config.js';

export interface AccountsToRead {
  /** Account ids, sorted, the scanner's own included when the organization or the list holds it. */
  accounts: string[];
  notes: CoverageNote[];
}

type OrganizationsSdk = typeof import('@aws-sdk/client-organizations');
type StsSdk = typeof import('@aws-sdk/client-sts');

const MAX_PAGES = 10_000;

/** An account the organization lists, with its state (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, ...). */
export interface Member {
  id: string;
  state: string;
}

export interface Members {
  /** Sorted by id. */
  members: Member[];
  /** Accounts listed without a 12-digit id: never read, never printed. */
  invalid: number;
  /** The listing still had a next page after the last page read. */
  truncated?: boolean;
  pagesRead?: number;
}

/**
 * Every account of the organization (organizations:ListAccounts, paged, from the management or a
 * delegated administrator account). Throws when they cannot be listed.
 */
export async function listMembers(sdk: OrganizationsSdk, client: InstanceType<OrganizationsSdk['OrganizationsClient']>, signal?: AbortSignal, maxPages = MAX_PAGES): Promise<Members> {
  const members = new Map<string, string>();
  let invalid = 0;
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const out = await client.send(new sdk.ListAccountsCommand(token ? { NextToken: token } : {}), signal ? { abortSignal: signal } : {});
    for (const a of out.Accounts ?? []) {
      // An id is 12 digits; anything else would be spliced into role ARNs and target names.
      if (typeof a.Id !== 'string' || !/^\d{12}$/.test(a.Id)) {
        invalid++;
        continue;
      }
      // `State` replaces the deprecated `Status` (retired on 9 September 2026; both are sent until then).
      const state = String(a.State ?? a.Status ?? 'ACTIVE');
      members.set(a.Id, /^[A-Z_]{1,40}$/.test(state) ? state : 'STATE_UNKNOWN');
    }
    token = out.NextToken ?? undefined;
    if (!token) break;
  }
  const sorted = [...members].map(([id, state]) => ({ id, state })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { members: sorted, invalid, ...(token ? { truncated: true, pagesRead: maxPages } : {}) };
}

/** The notes a listing gives beyond its accounts: those listed without a valid id, and a listing cut at the page limit. */
export function listingNotes(listed: Members): CoverageNote[] {
  const notes: CoverageNote[] = [];
  if (listed.invalid > 0) notes.push({ kind: 'skipped', level: 'warning', message: `aws organization: ${listed.invalid} listed account(s) without a valid 12-digit id; not read` });
  if (listed.truncated) notes.push({ kind: 'limit', level: 'error', message: `aws organization: ListAccounts still had more after ${listed.pagesRead} pages; the accounts beyond were not listed, so not read` });
  return notes;
}

/** The organization's accounts, listed with the scanner's own credentials; throws when they cannot be listed. */
export async function organizationMembers(options: ClientSettings & { calls?: ApiCallLog; signal?: AbortSignal }): Promise<Members> {
  const sdk = await import('@aws-sdk/client-organizations');
  const client = new sdk.OrganizationsClient(clientConfig(options, 'us-east-1'));
  if (options.calls) recordCalls(client as unknown as Client, 'organizations', options.calls);
  try {
    return await listMembers(sdk, client, options.signal);
  } finally {
    client.destroy();
  }
}

/** The note naming an account of the organization that is listed but not active, so not read. */
export function inactiveNote(member: Member): CoverageNote {
  return { kind: 'skipped', level: 'note', message: `aws account ${member.id}: ${member.state.toLowerCase().replace(/_/g, ' ')} in the organization; not read` };
}

/**
 * The active accounts of the organization. When they cannot be listed, the scanner's own account
 * alone, with an error naming why.
 */
export async function organizationAccounts(sdk: OrganizationsSdk, client: InstanceType<OrganizationsSdk['OrganizationsClient']>, own: string, signal?: AbortSignal): Promise<AccountsToRead> {
  try {
    const listed = await listMembers(sdk, client, signal);
    const { members } = listed;
    return { accounts: members.filter((m) => m.state === 'ACTIVE').map((m) => m.id), notes: [...listingNotes(listed), ...members.filter((m) => m.state !== 'ACTIVE').map(inactiveNote)] };
  } catch (e) {
    const why = isCancelled(signal) ? 'cancelled' : errorText(e);
    return { accounts: [own], notes: [{ kind: 'skipped', level: 'error', message: `aws organization: cannot list its accounts (organizations:ListAccounts, from the management or a delegated administrator account): ${why}; only account ${own} is read` }] };
  }
}

/** The partition of the scanner's own ARN (`aws`, `aws-us-gov`, `aws-cn`), for the roles it assumes. */
export function partitionOf(callerArn: string | undefined): string {
  return /^arn:([^:]+):/.exec(callerArn ?? '')?.[1] ?? 'aws';
}

/** Assumes `role` in `account` with the scanner's own STS client; an error message instead when it cannot. */
export async function assumeRole(sdk: StsSdk, sts: InstanceType<StsSdk['STSClient']>, partition: string, account: string, role: string, signal?: AbortSignal): Promise<{ credentials: AccountCredentials } | { error: string }> {
  const roleArn = `arn:${partition}:iam::${account}:role/${role}`;
  try {
    const out = await sts.send(new sdk.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'podtrust', DurationSeconds: 3600 }), signal ? { abortSignal: signal } : {});
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) return { error: `cannot assume ${roleArn}: STS returned no credentials` };
    return { credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) } };
  } catch (e) {
    return { error: `cannot assume ${roleArn} (sts:AssumeRole): ${isCancelled(signal) ? 'cancelled' : errorText(e)}` };
  }
}
