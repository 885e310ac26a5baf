/**
 * `--azure-all-subscriptions`: the subscriptions the identity can read (Subscriptions - List,
 * paged by `nextLink`), of which those in state Enabled are read; the others are named in a note.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { CoverageNote } from '../../model/types.js';
import { errorText, type ApiCallLog } from '../cloud.js';
import { isCancelled } from '../cancel.js';

/** Listing needs no action of its own: ARM lists every subscription where the identity holds a role (Reader at the management group gives them all). */
export const AZURE_SUBSCRIPTIONS_OPERATION = 'Microsoft.Resources/subscriptions/read';

export interface SubscriptionsFound {
  /** Subscription ids in state Enabled, sorted. */
  subscriptions: string[];
  notes: CoverageNote[];
  /** Of the notes, those naming a subscription listed but not Enabled, by its id. */
  inactive: Map<string, CoverageNote>;
  /** Of the notes, the one saying the listing failed. */
  failed?: CoverageNote;
}

type SubscriptionsSdk = typeof import('@azure/arm-resources-subscriptions');

export interface ListContext {
  credential: TokenCredential;
  /** Resource Manager URL, TLS and retry options of the scan's other Azure clients. */
  endpoint?: string;
  clientOptions: object;
  calls: ApiCallLog;
  requestTimeoutMs: number;
  signal?: AbortSignal;
}

const MAX_PAGES = 10_000;
const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN_STATES = new Set(['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted']);

export async function enabledSubscriptions(sdk: SubscriptionsSdk, context: ListContext): Promise<SubscriptionsFound> {
  const { endpoint } = context;
  const client = new sdk.SubscriptionClient(context.credential, { ...context.clientOptions, ...(endpoint ? { endpoint, credentials: { scopes: [`${endpoint}/.default`] } } : {}) });
  const subscriptions: string[] = [];
  const notes: CoverageNote[] = [];
  const inactive = new Map<string, CoverageNote>();
  let failed: CoverageNote | undefined;
  try {
    const pages = client.subscriptions
      .list({
        ...(context.signal ? { abortSignal: context.signal } : {}),
        requestOptions: { timeout: context.requestTimeoutMs },
        onResponse: () => context.calls.record('azure', AZURE_SUBSCRIPTIONS_OPERATION),
      })
      .byPage();
    let count = 0;
    let malformed = 0;
    for await (const page of pages) {
      for (const s of page) {
        if (typeof s.subscriptionId !== 'string' || !SUBSCRIPTION_ID.test(s.subscriptionId)) {
          malformed++;
          continue;
        }
        const state = s.state ?? 'Enabled';
        if (state === 'Enabled') subscriptions.push(s.subscriptionId);
        else if (!inactive.has(s.subscriptionId)) {
          const note: CoverageNote = { kind: 'skipped', level: 'note', message: `azure subscription ${s.subscriptionId}: ${KNOWN_STATES.has(state) ? state : 'in an unknown state'}; not read` };
          inactive.set(s.subscriptionId, note);
          notes.push(note);
        }
      }
      if (++count >= MAX_PAGES) break;
    }
    if (malformed > 0) notes.push({ kind: 'skipped', level: 'warning', message: `azure: ${malformed} listed subscription(s) without a valid subscription id; not read` });
  } catch (e) {
    const why = isCancelled(context.signal) ? 'cancelled' : errorText(e);
    failed = { kind: 'skipped', level: 'error', message: `azure: cannot list the subscriptions of the identity (--azure-all-subscriptions): ${why}` };
    notes.push(failed);
  }
  return { subscriptions: [...new Set(subscriptions)].sort(), notes, inactive, ...(failed ? { failed } : {}) };
}
