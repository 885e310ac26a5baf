/**
 * `collect --aws-organization --shard I/N`: every shard lists the organization and takes its share
 * of the accounts, so 30 accounts over 3 shards are each read by one shard, and the union gives
 * the findings of one scan. Through the real SDK clients against the loopback organization.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_ORGANIZATION_TARGET, planShard } from '../../src/fleet/shard-plan.js';
import { shareOf } from '../../src/fleet/coverage.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { runCliAsync } from '../helpers/cli.js';
import { assumedKey, organizationEnv, OWN_KEY, startOrganization, workloadAccount, type OrganizationFake } from './aws-organization-server.js';

const MANAGEMENT = '100000000000';
const MEMBERS = Array.from({ length: 29 }, (_, i) => String(300000000000 + ((i * 7919) % 29) * 1013));
const ALL = [MANAGEMENT, ...MEMBERS];
const REFUSING = [MEMBERS[2]!, MEMBERS[17]!];
const SUSPENDED = [MEMBERS[9]!, MEMBERS[25]!];
/** A state that is not one: the account is not read, and its state is not printed. */
const STATES = { [MEMBERS[25]!]: 'SUSPENDED\npodtrust: forged line' };
const stateOf = (id: string): string => (id in STATES ? 'state unknown' : 'suspended');
/** Listed ids that are no account's: never read, never printed. */
const FORGED = ['4000000000\npodtrust: forged line', '12345'];
const ROLE = 'podtrust-reader';
const SHARDS = 3;

let org: OrganizationFake;
const saved = { ...process.env };

beforeAll(async () => {
  org = await startOrganization(ALL.map(workloadAccount), MANAGEMENT, { refusing: REFUSING, suspended: SUSPENDED, states: STATES, forged: FORGED, role: ROLE });
});

afterAll(async () => {
  await org.close();
});

afterEach(() => {
  process.env = { ...saved };
});

interface Report {
  findings: { ruleId: string; resource: { id: string }; location: { file: string } }[];
  notes: { level: string; message: string }[];
}

const awsFlags = ['--aws-organization', '--aws-assume-role', ROLE, '--aws-region', 'eu-west-1', '--quiet'];
const reportFlags = ['--format', 'json', '--fail-on', 'none'];
const findings = (r: Report): string[] => r.findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.location.file}`).sort();
/** The accounts whose IAM a run read (the organization routes each call to the account whose key signed it). */
function accountsRead(run: () => Promise<void>): Promise<string[]> {
  const before = new Map([...org.accounts].map(([id, fake]) => [id, fake.requests.length]));
  return run().then(() => [...org.accounts].filter(([id, fake]) => fake.requests.slice(before.get(id)).some((r) => r.startsWith('iam:'))).map(([id]) => id));
}

describe('an AWS Organization split across shards', () => {
  it('makes each account a target; every shard lists the same ones and takes every N-th', async () => {
    Object.assign(process.env, organizationEnv(org.url));
    delete process.env.AWS_PROFILE;
    const calls = new ApiCallLog();
    const live = { aws: { regions: ['eu-west-1'], organization: true, assumeRole: ROLE, calls }, gcp: { projects: ['acme-prod'] } };
    const plans = await Promise.all(Array.from({ length: SHARDS }, (_, index) => planShard(live, { index, count: SHARDS })));
    const targets = [...ALL.map((id) => `aws:${id}`), 'gcp:acme-prod'].sort();
    for (const p of plans) expect(p.fleet.targets).toEqual(targets);
    // 30 accounts and a project over 3 shards: 11, 10, 10, by the rule every other target follows.
    expect(plans.map((p) => p.fleet.covered)).toEqual(Array.from({ length: SHARDS }, (_, index) => shareOf(targets, { index, count: SHARDS })));
    expect(calls.operations('aws')).toEqual(['organizations:ListAccounts']);

    // Each shard reads its active accounts as an explicit list; a suspended one is named by its shard, not read.
    const read = plans.flatMap((p) => p.live?.aws?.accounts ?? []);
    expect(read.sort()).toEqual(ALL.filter((id) => !SUSPENDED.includes(id)).sort());
    for (const p of plans) expect(p.live?.aws?.organization).toBeUndefined();
    for (const p of plans) expect(p.live?.aws?.assumeRole).toBe(ROLE);
    expect(plans.map((p) => p.notes.map((n) => n.message).sort())).toEqual(
      plans.map((p, index) => [
        ...(index === 0 ? ['aws organization: 2 listed account(s) without a valid 12-digit id; not read'] : []),
        ...SUSPENDED.filter((id) => p.fleet.covered.includes(`aws:${id}`)).map((id) => `aws account ${id}: ${stateOf(id)} in the organization; not read`),
      ].sort()),
    );
    expect(plans.flatMap((p) => p.notes)).toHaveLength(SUSPENDED.length + 1);
  });

  it('keeps an organization it cannot list as one target, read whole by the shard that takes it', async () => {
    Object.assign(process.env, organizationEnv('http://127.0.0.1:9'));
    const aws = { regions: ['eu-west-1'], organization: true, assumeRole: ROLE, maxAttempts: 1, requestTimeoutMs: 2_000 };
    const plans = await Promise.all([0, 1].map((index) => planShard({ aws, gcp: { projects: ['p'] } }, { index, count: 2 })));
    expect(plans.map((p) => p.fleet.covered)).toEqual([[AWS_ORGANIZATION_TARGET], ['gcp:p']]);
    expect(plans[0]!.live?.aws).toEqual(aws);
    expect(plans[1]!.live?.aws).toBeUndefined();
  });

  it('reads each account in exactly one shard; the union has the findings of one scan; a missing shard names its accounts', async () => {
    const env = organizationEnv(org.url);
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-org-shards-'));
    const readBy: string[][] = [];
    org.calls.length = 0;
    // One shard at a time, so that the accounts each one read can be told apart.
    for (let i = 0; i < SHARDS; i++) {
      readBy.push(
        await accountsRead(async () => {
          const run = await runCliAsync(['collect', ...awsFlags, '--shard', `${i}/${SHARDS}`, '--output', join(dir, `shard-${i}.json`)], { env });
          // A shard holding a refusing account is partial; the others are complete.
          expect(run.status, run.stderr).toBe(REFUSING.some((id) => shareOf(ALL.map((a) => `aws:${a}`), { index: i, count: SHARDS }).includes(`aws:${id}`)) ? 2 : 0);
        }),
      );
    }
    const readable = ALL.filter((id) => !REFUSING.includes(id) && !SUSPENDED.includes(id)).sort();
    expect(readBy.flat().sort()).toEqual(readable);
    expect(readBy.map((ids) => ids.length)).toEqual(Array.from({ length: SHARDS }, (_, index) => shareOf(ALL, { index, count: SHARDS }).filter((id) => readable.includes(id)).length));
    expect(org.calls.filter((c) => c.call === 'organizations:ListAccounts' || c.call === 'sts:AssumeRole').every((c) => c.key === OWN_KEY)).toBe(true);
    // Every member read with the credentials of the role assumed there, the management account with its own.
    expect(org.calls.filter((c) => /^\d{12}$/.test(c.call)).every((c) => c.key === (c.call === MANAGEMENT ? OWN_KEY : assumedKey(c.call)))).toBe(true);

    const whole = await runCliAsync(['scan', ...awsFlags, ...reportFlags], { env });
    const merged = await runCliAsync(['scan', '--inventory', dir, ...reportFlags, '--quiet'], { env });
    expect([whole.status, merged.status]).toEqual([2, 2]);
    const [one, union] = [whole, merged].map((r) => JSON.parse(r.stdout) as Report);
    expect(findings(union!)).toEqual(findings(one!));
    expect(findings(union!).filter((f) => f.startsWith('aws-trust-sub-missing '))).toHaveLength(readable.length);
    // The accounts not read are named once, as one scan names them.
    const accountNotes = (r: Report): string[] => r.notes.filter((n) => n.message.startsWith('aws account ')).map((n) => `${n.level} ${n.message}`).sort();
    expect(accountNotes(union!)).toEqual(accountNotes(one!));
    expect(accountNotes(union!)).toHaveLength(REFUSING.length + SUSPENDED.length);
    expect(union!.notes.filter((n) => n.message.startsWith('fleet:'))).toEqual([]);
    expect(union!.notes.filter((n) => n.message.startsWith('aws organization:'))).toEqual(one!.notes.filter((n) => n.message.startsWith('aws organization:')));
    expect(one!.notes.filter((n) => n.message.startsWith('aws organization:'))).toHaveLength(1);
    for (const out of [whole.stdout, whole.stderr, merged.stdout, merged.stderr]) expect(out).not.toContain('forged line');

    // Shard 2 failed: each account it held is named, and the scan is partial.
    const partial = await runCliAsync(['scan', '--inventory', join(dir, 'shard-0.json'), '--inventory', join(dir, 'shard-1.json'), ...reportFlags, '--quiet'], { env });
    expect(partial.status).toBe(2);
    const held = shareOf(ALL.map((id) => `aws:${id}`), { index: 2, count: SHARDS });
    const gaps = (JSON.parse(partial.stdout) as Report).notes.filter((n) => n.message.startsWith('fleet:'));
    expect(gaps).toEqual(held.map((t) => ({ kind: 'skipped', level: 'error', message: `fleet: target ${t} is in no inventory (the inventory of shard 2/${SHARDS} is missing): its findings are missing` })));
    const missing = new Set(held.map((t) => t.slice('aws:'.length)));
    expect(findings(JSON.parse(partial.stdout) as Report)).toEqual(findings(one!).filter((f) => !missing.has(/^\S+ aws:(\d{12}):/.exec(f)?.[1] ?? '')));

    // Shard 2 ran with credentials that no longer work: it wrote an inventory, read none of its accounts, and the union names each.
    const expired = await runCliAsync(['collect', ...awsFlags, '--shard', `2/${SHARDS}`, '--output', join(dir, 'shard-2.json')], { env: { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXPIREDEXAMPLE00' } });
    expect(expired.status).toBe(2);
    const failed = await runCliAsync(['scan', '--inventory', dir, ...reportFlags, '--quiet'], { env });
    expect(failed.status).toBe(2);
    const named = (JSON.parse(failed.stdout) as Report).notes.filter((n) => n.message.startsWith('fleet:')).map((n) => n.message);
    expect(named).toEqual(held.map((t) => `fleet: target ${t} is in no inventory (shard 2/${SHARDS} did not read it): its findings are missing`));
  });
});
