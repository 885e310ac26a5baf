/**
 * `--aws-organization --aws-assume-role NAME` through the real SDK clients against a loopback
 * organization of 30 accounts: which accounts are read, with which credentials, and how an
 * account whose role cannot be assumed is named.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectLiveAws } from '../../src/live/aws/collect.js';
import { TargetLimit } from '../../src/live/target-limit.js';
import { runCliAsync } from '../helpers/cli.js';
import { assumedKey, organizationEnv, OWN_KEY, startOrganization, workloadAccount, type OrganizationFake } from './aws-organization-server.js';

const MANAGEMENT = '100000000000';
const MEMBERS = Array.from({ length: 29 }, (_, i) => String(200000000000 + i * 1111));
const REFUSING = [MEMBERS[3]!, MEMBERS[11]!, MEMBERS[27]!];
const SUSPENDED = [MEMBERS[20]!];
const ROLE = 'podtrust-reader';

let org: OrganizationFake;
const saved = { ...process.env };
const env = (): Record<string, string> => organizationEnv(org.url);

beforeAll(async () => {
  org = await startOrganization([MANAGEMENT, ...MEMBERS].map(workloadAccount), MANAGEMENT, { refusing: REFUSING, suspended: SUSPENDED, role: ROLE });
});

afterAll(async () => {
  await org.close();
});

afterEach(() => {
  process.env = { ...saved };
});

function useOwnCredentials(): void {
  Object.assign(process.env, env());
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

describe('an AWS Organization', () => {
  it('reads every active account, members through the role assumed with the scanner own credentials', async () => {
    useOwnCredentials();
    org.calls.length = 0;
    const result = await collectLiveAws({ regions: ['eu-west-1'], organization: true, assumeRole: ROLE, targetLimit: new TargetLimit(8) });
    const readable = [MANAGEMENT, ...MEMBERS].filter((id) => !REFUSING.includes(id) && !SUSPENDED.includes(id)).sort();
    const roleAccounts = result.resources.filter((r) => r.type === 'aws.iam.Role').map((r) => r.id.split(':')[1]);
    expect(roleAccounts).toEqual(readable);
    // Every finding's location names its account.
    for (const r of result.resources) expect(r.file).toMatch(new RegExp(`^aws/${r.id.split(':')[1]}/`));

    // Listing and assuming are signed with the scanner's own key; each account is read with its own.
    const byCall = (call: string) => org.calls.filter((c) => c.call === call);
    expect(byCall('organizations:ListAccounts')).toEqual([
      { call: 'organizations:ListAccounts', key: OWN_KEY },
      { call: 'organizations:ListAccounts', key: OWN_KEY },
    ]);
    const assumed = byCall('sts:AssumeRole');
    expect(assumed.every((c) => c.key === OWN_KEY)).toBe(true);
    expect(assumed.map((c) => c.roleArn).sort()).toEqual(MEMBERS.filter((id) => !SUSPENDED.includes(id)).map((id) => `arn:aws:iam::${id}:role/${ROLE}`).sort());
    for (const id of readable) {
      const keys = new Set(byCall(id).map((c) => c.key));
      expect([...keys], id).toEqual([id === MANAGEMENT ? OWN_KEY : assumedKey(id)]);
    }
    expect(byCall(MANAGEMENT).length).toBeGreaterThan(1);

    const errors = result.notes.filter((n) => n.level === 'error').map((n) => n.message);
    expect(errors).toEqual(REFUSING.map((id) => `aws account ${id}: cannot assume arn:aws:iam::${id}:role/${ROLE} (sts:AssumeRole): HTTP 403: AccessDenied: User: arn:aws:sts::${MANAGEMENT}:assumed-role/podtrust-scanner/scan is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${id}:role/${ROLE}; not read`));
    expect(result.notes.filter((n) => n.level === 'note').map((n) => n.message)).toEqual([`aws account ${SUSPENDED[0]}: suspended in the organization; not read`]);
  });

  it('reads an explicit list of accounts, the scanner own one with its own credentials', async () => {
    useOwnCredentials();
    org.calls.length = 0;
    const result = await collectLiveAws({ regions: ['eu-west-1'], accounts: [MEMBERS[1]!, MANAGEMENT], assumeRole: ROLE });
    expect(result.notes).toEqual([]);
    expect(new Set(result.resources.map((r) => r.id.split(':')[1]))).toEqual(new Set([MANAGEMENT, MEMBERS[1]!]));
    expect(org.calls.filter((c) => c.call === 'organizations:ListAccounts')).toEqual([]);
    expect(org.calls.filter((c) => c.call === 'sts:AssumeRole').map((c) => c.roleArn)).toEqual([`arn:aws:iam::${MEMBERS[1]}:role/${ROLE}`]);
  });

  it('names the accounts it could not read in the report, exit 2, and finds the others', async () => {
    const run = await runCliAsync(['scan', '--aws-organization', '--aws-assume-role', ROLE, '--aws-region', 'eu-west-1', '--format', 'json', '--fail-on', 'none', '--quiet'], { env: env() });
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; location: { file: string } }[]; notes: { level: string; message: string }[] };
    for (const id of REFUSING) expect(report.notes.some((n) => n.level === 'error' && n.message.startsWith(`aws account ${id}: cannot assume`))).toBe(true);
    const missingSub = report.findings.filter((f) => f.ruleId === 'aws-trust-sub-missing').map((f) => f.location.file.split('/')[1]);
    expect(missingSub.sort()).toEqual([MANAGEMENT, ...MEMBERS].filter((id) => !REFUSING.includes(id) && !SUSPENDED.includes(id)).sort());
  });

  it('refuses flags that cannot work together', async () => {
    const cases: [string[], string][] = [
      [['--aws-organization'], '--aws-organization needs --aws-assume-role NAME'],
      [['--aws-assume-role', ROLE], '--aws-assume-role needs --aws-organization or --aws-account ID'],
      [['--aws-account', '12345'], '--aws-account takes a 12-digit account id (got "12345")'],
      [['--aws-organization', '--aws-account', MANAGEMENT, '--aws-assume-role', ROLE], '--aws-organization and --aws-account exclude each other'],
    ];
    for (const [args, message] of cases) {
      const run = await runCliAsync(['scan', ...args]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

describe('deploy/aws for an organization', () => {
  it('grants the scanner what it calls with its own credentials, each member role what is called there, and passes podtrust own rules', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { REPO } = await import('../helpers/fixtures.js');
    const { ApiCallLog } = await import('../../src/live/cloud.js');
    const actions = (file: string): Set<string> => new Set((JSON.parse(readFileSync(join(REPO, 'deploy', 'aws', file), 'utf8')) as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action));
    const scanner = new Set([...actions('podtrust-organization-scanner.json'), ...actions('podtrust-readonly.json')]);
    const member = actions('podtrust-readonly.json');
    useOwnCredentials();
    const calls = new ApiCallLog();
    await collectLiveAws({ regions: ['eu-west-1'], organization: true, assumeRole: ROLE, calls });
    for (const op of calls.operations('aws')) expect(scanner.has(op), op).toBe(true);
    expect(calls.operations('aws')).toContain('organizations:ListAccounts');
    expect(calls.operations('aws')).toContain('sts:AssumeRole');
    for (const op of calls.operations('aws').filter((o) => !/^(organizations:|sts:)/.test(o))) expect(member.has(op), op).toBe(true);
    const trust = JSON.parse(readFileSync(join(REPO, 'deploy', 'aws', 'podtrust-reader-trust.json'), 'utf8')) as { Statement: { Principal: { AWS: string }; Action: string }[] };
    expect(trust.Statement.map((s) => [s.Action, s.Principal.AWS])).toEqual([['sts:AssumeRole', 'arn:aws:iam::111122223333:role/podtrust-scanner']]);
    const run = await runCliAsync(['scan', join(REPO, 'deploy', 'aws'), '--root', join(REPO, 'deploy', 'aws'), '--format', 'json', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});
