/**
 * The AWS accounts of a scan beyond the scanner's own (`--aws-organization`, `--aws-account`), and
 * the credentials each is read with: the scanner's own account with its own credentials, every
 * other one through `sts:AssumeRole` of `--aws-assume-role NAME`, always signed with the scanner's
 * own credentials (never with another account's: no chaining).
 */
import type { CoverageNote } from '../../model/types.js';
import { errorText } from '../cloud.js';
import { isCancelled } from '../cancel.js';

/** Temporary credentials of an assumed role, as the SDK clients take them. */
export interface AccountCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AccountsToRead {
  /** Account ids, sorted, the scanner's own included when the organization or the list holds it. */
  accounts: string[];
  notes: CoverageNote[];
}

type OrganizationsSdk = typeof import('@aws-sdk/client-organizations');
type StsSdk = typeof import('@aws-sdk/client-sts');

const MAX_PAGES = 10_000;

/**
 * The active accounts of the organization (organizations:ListAccounts, from the management or a
 * delegated administrator account). When they cannot be listed, the scanner's own account alone,
 * with an error naming why.
 */
export async function organizationAccounts(sdk: OrganizationsSdk, client: InstanceType<OrganizationsSdk['OrganizationsClient']>, own: string, signal?: AbortSignal): Promise<AccountsToRead> {
  const accounts: string[] = [];
  const notes: CoverageNote[] = [];
  let token: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(new sdk.ListAccountsCommand(token ? { NextToken: token } : {}), signal ? { abortSignal: signal } : {});
      for (const a of out.Accounts ?? []) {
        if (!a.Id) continue;
        // `State` replaces the deprecated `Status` (retired on 9 September 2026; both are sent until then).
        const state = String(a.State ?? a.Status ?? 'ACTIVE');
        if (state === 'ACTIVE') accounts.push(a.Id);
        else notes.push({ kind: 'skipped', level: 'note', message: `aws account ${a.Id}: ${state.toLowerCase()} in the organization; not read` });
      }
      token = out.NextToken ?? undefined;
      if (!token) break;
    }
  } catch (e) {
    const why = isCancelled(signal) ? 'cancelled' : errorText(e);
    notes.push({ kind: 'skipped', level: 'error', message: `aws organization: cannot list its accounts (organizations:ListAccounts, from the management or a delegated administrator account): ${why}; only account ${own} is read` });
    return { accounts: [own], notes };
  }
  return { accounts: [...new Set(accounts)].sort(), notes };
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
