/**
 * `--azure-all-subscriptions` through the real ARM SDK clients against a loopback HTTPS Resource
 * Manager: subscriptions listed page by page, the Enabled ones read as `--azure-subscription`
 * reads them, the others named.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectLiveAzure } from '../../src/live/azure/collect.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { CountingLimit } from '../helpers/counting-limit.js';
import { scan } from '../../src/scan.js';
import { AZURE_ALL_SUBSCRIPTIONS_TARGET, liveTargets, planShard } from '../../src/fleet/shard-plan.js';
import { REPO } from '../helpers/fixtures.js';
import { useArmFake, type ArmFake, type ListedSubscription } from '../live/azure-server.js';
import { subscription, TOKEN } from './azure-fleet.js';

const PROD = '0b1c2d3e-0000-4000-8000-000000000001';
const DEV = '0b1c2d3e-0000-4000-8000-000000000002';
const SANDBOX = '0b1c2d3e-0000-4000-8000-000000000003';
const OLD = '0b1c2d3e-0000-4000-8000-000000000004';

const listed: ListedSubscription[] = [
  { subscriptionId: PROD, displayName: 'prod', state: 'Enabled' },
  { subscriptionId: DEV, displayName: 'dev', state: 'Enabled' },
  { subscriptionId: SANDBOX, displayName: 'sandbox', state: 'Enabled' },
  { subscriptionId: OLD, displayName: 'old', state: 'Disabled' },
  // Not a subscription id: never read, never printed.
  { subscriptionId: 'x\npodtrust: forged line', displayName: 'forged', state: 'Enabled' },
];

const arm = useArmFake(TOKEN);
const credential = arm.credential;
const serve = (): Promise<ArmFake> => arm.start([PROD, DEV, SANDBOX, OLD].map(subscription), { listed, listPageSize: 3 });
const subscriptionsRead = (resources: { type: string; logicalLocation?: string }[]): string[] =>
  [...new Set(resources.filter((r) => r.type === 'azure.msi.UserAssignedIdentity').map((r) => r.logicalLocation!.split('/')[2]!))].sort();

describe('every subscription the Azure identity can list', () => {
  it('lists them page by page and reads each Enabled one in a target slot, naming the others', async () => {
    const server = await serve();
    const calls = new ApiCallLog();
    const limit = new CountingLimit(2);
    const summaries: string[] = [];
    const result = await collectLiveAzure({ subscriptions: [], allSubscriptions: true, endpoint: server.url, credential, tlsCa: arm.tls().ca, calls, targetLimit: limit, onSummary: (line) => summaries.push(line) });
    expect(summaries[0]).toBe('azure: 3 Enabled subscription(s) listed');
    expect(subscriptionsRead(result.resources)).toEqual([PROD, DEV, SANDBOX].sort());
    expect(limit.runs).toBe(3);
    expect(result.notes).toEqual([
      { kind: 'skipped', level: 'note', message: `azure subscription ${OLD}: Disabled; not read` },
      { kind: 'skipped', level: 'warning', message: 'azure: 1 listed subscription(s) without a valid subscription id; not read' },
    ]);
    // 5 subscriptions at 3 a page: 2 pages.
    expect(server.requests.filter((r) => r === 'Microsoft.Resources/subscriptions/read')).toHaveLength(2);
    expect(calls.operations('azure')).toContain('Microsoft.Resources/subscriptions/read');
  });

  it('reads a subscription named and listed once', async () => {
    const server = await serve();
    const result = await collectLiveAzure({ subscriptions: [DEV], allSubscriptions: true, endpoint: server.url, credential, tlsCa: arm.tls().ca });
    expect(subscriptionsRead(result.resources)).toEqual([PROD, DEV, SANDBOX].sort());
    expect(server.requests.filter((r) => r === 'Microsoft.ManagedIdentity/userAssignedIdentities/read')).toHaveLength(3);
  });

  it('names a listing that fails and still reads the subscriptions named', async () => {
    const fake = await arm.start([PROD, DEV].map(subscription), { refuseList: true });
    const result = await collectLiveAzure({ subscriptions: [PROD], allSubscriptions: true, endpoint: fake.url, credential, tlsCa: arm.tls().ca });
    expect(result.notes.map((n) => [n.level, n.message])).toEqual([['error', expect.stringMatching(/^azure: cannot list the subscriptions of the identity \(--azure-all-subscriptions\): HTTP 403\b/)]]);
    expect(subscriptionsRead(result.resources)).toEqual([PROD]);
  });

  it('finds problems in more than one subscription listed', async () => {
    const server = await serve();
    const root = mkdtempSync(join(tmpdir(), 'podtrust-azure-all-'));
    const result = await scan({ paths: [], root, live: { azure: { subscriptions: [], allSubscriptions: true, endpoint: server.url, credential, tlsCa: arm.tls().ca } }, ruleIds: ['azure-fic-audience-nonstandard'] });
    expect(result.findings.map((f) => f.location.file.split('/')[1]).sort()).toEqual([PROD, DEV, SANDBOX].sort());
    expect(result.notes).toContainEqual(expect.objectContaining({ message: `azure subscription ${OLD}: Disabled; not read` }));
    expect(result.scanned?.live).toEqual(['Azure: every subscription the identity can list']);
  });

  it('calls exactly the actions of deploy/azure/podtrust-reader-role-management-group.json', async () => {
    const server = await serve();
    await collectLiveAzure({ subscriptions: [], allSubscriptions: true, endpoint: server.url, credential, tlsCa: arm.tls().ca });
    const role = JSON.parse(readFileSync(join(REPO, 'deploy', 'azure', 'podtrust-reader-role-management-group.json'), 'utf8')) as { Actions: string[]; AssignableScopes: string[] };
    expect([...new Set(server.requests)].sort()).toEqual([...role.Actions].sort());
    expect(role.AssignableScopes).toEqual([expect.stringMatching(/^\/providers\/Microsoft\.Management\/managementGroups\//)]);
  });

  it('makes each subscription listed a shard target, one not Enabled a target its shard names', async () => {
    const server = await serve();
    const live = { azure: { subscriptions: [], allSubscriptions: true, endpoint: server.url, credential, tlsCa: arm.tls().ca } };
    expect(await liveTargets(live)).toEqual([PROD, DEV, SANDBOX, OLD].map((s) => `azure:${s}`).sort());
    const shares = await Promise.all([0, 1].map((index) => planShard(live, { index, count: 2 })));
    // Sorted: PROD (…01), DEV (…02), SANDBOX (…03), OLD (…04); every second one from each index.
    expect(shares.map((s) => [s.live?.azure?.subscriptions, s.live?.azure?.allSubscriptions])).toEqual([
      [[PROD, SANDBOX], false],
      [[DEV], false],
    ]);
    expect(shares.map((s) => s.notes.map((n) => n.message))).toEqual([
      ['azure: 1 listed subscription(s) without a valid subscription id; not read'],
      [`azure subscription ${OLD}: Disabled; not read`],
    ]);
  });

  it('keeps the listing as one target when it fails, for its shard to list again and name', async () => {
    const fake = await arm.start([PROD].map(subscription), { refuseList: true });
    const live = { azure: { subscriptions: [DEV], allSubscriptions: true, endpoint: fake.url, credential, tlsCa: arm.tls().ca } };
    expect(await liveTargets(live)).toEqual([AZURE_ALL_SUBSCRIPTIONS_TARGET, `azure:${DEV}`]);
    const shares = await Promise.all([0, 1].map((index) => planShard(live, { index, count: 2 })));
    expect(shares.map((s) => [s.live?.azure?.subscriptions, s.live?.azure?.allSubscriptions])).toEqual([
      [[], true],
      [[DEV], false],
    ]);
  });
});
