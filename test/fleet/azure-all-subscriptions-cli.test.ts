/**
 * `podtrust scan --azure-all-subscriptions` as a user runs it: the built CLI, the Azure CLI's
 * login (`az account get-access-token`, through DefaultAzureCredential), and a loopback HTTPS
 * Resource Manager whose CA is trusted through NODE_EXTRA_CA_CERTS. Checks the reports and the
 * exit code when a subscription is disabled and another refuses every read.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { AZURE_OPERATIONS } from '../../src/live/azure/collect.js';
import { AZURE_SUBSCRIPTIONS_OPERATION } from '../../src/live/azure/subscriptions.js';
import { useArmFake, type ListedSubscription } from '../live/azure-server.js';
import { subscription, TOKEN } from './azure-fleet.js';

const PROD = '5e0a7c21-0000-4000-8000-00000000000a';
const DEV = '5e0a7c21-0000-4000-8000-00000000000b';
const SANDBOX = '5e0a7c21-0000-4000-8000-00000000000c';
const OLD = '5e0a7c21-0000-4000-8000-00000000000d';
const LOCKED = '5e0a7c21-0000-4000-8000-00000000000e';
const READ = [PROD, DEV, SANDBOX].sort();

const listed: ListedSubscription[] = [
  { subscriptionId: PROD, displayName: 'prod', state: 'Enabled' },
  { subscriptionId: OLD, displayName: 'old', state: 'Disabled' },
  { subscriptionId: DEV, displayName: 'dev', state: 'Enabled' },
  { subscriptionId: LOCKED, displayName: 'locked', state: 'Enabled' },
  { subscriptionId: SANDBOX, displayName: 'sandbox', state: 'Enabled' },
];

const arm = useArmFake(TOKEN);

/** An `az` on PATH that answers `az account get-access-token --output json` as the Azure CLI does, and logs its arguments. */
function fakeAzureCli(): { env: Record<string, string>; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-az-'));
  const log = join(dir, 'az.log');
  const az = join(dir, 'az');
  const token = JSON.stringify({ accessToken: TOKEN, expiresOn: '2099-01-01 00:00:00.000000', expires_on: 4070908800, subscription: PROD, tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', tokenType: 'Bearer' });
  writeFileSync(az, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nprintf '%s\\n' '${token}'\n`);
  chmodSync(az, 0o755);
  writeFileSync(log, '');
  return { log, env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', NODE_EXTRA_CA_CERTS: arm.tls().caFile } };
}

interface Report {
  findings: { ruleId: string; location: { file: string } }[];
  notes: { kind: string; level: string; message: string }[];
  summary: { partial: boolean };
}

describe('podtrust scan --azure-all-subscriptions', () => {
  it('reads every Enabled subscription listed, names the disabled one and the one it may not read, and says so in its exit code', async () => {
    const denied = Object.values(AZURE_OPERATIONS);
    const server = await arm.start([...[PROD, DEV, SANDBOX, OLD].map(subscription), { ...subscription(LOCKED), denied }], { listed, listPageSize: 2 });
    const az = fakeAzureCli();
    const args = ['scan', '--azure-all-subscriptions', '--azure-endpoint', server.url, '--rule', 'azure-fic-audience-nonstandard', '--quiet'];

    const run = await runCliAsync([...args, '--format', 'json', '--fail-on', 'none'], { env: az.env });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => f.location.file.split('/')[1]).sort()).toEqual(READ);
    expect(report.notes).toContainEqual({ kind: 'skipped', level: 'note', message: `azure subscription ${OLD}: Disabled; not read` });
    const gaps = report.notes.filter((n) => n.message.includes(LOCKED));
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((n) => n.kind === 'permission' && n.level === 'warning' && n.message.startsWith(`azure subscription ${LOCKED}: not allowed to read `))).toBe(true);
    expect(report.notes.some((n) => n.message.includes(OLD) && n.level !== 'note')).toBe(false);
    // Five subscriptions at two a page: three pages, each with the token the Azure CLI handed out.
    expect(server.requests.filter((r) => r === AZURE_SUBSCRIPTIONS_OPERATION)).toHaveLength(3);
    expect(server.requests.filter((r) => r === AZURE_OPERATIONS.identities)).toHaveLength(4);
    expect(readFileSync(az.log, 'utf8')).toMatch(new RegExp(`^account get-access-token --output json --resource ${server.url.replace(/[.]/g, '\\.')}$`, 'm'));

    // The table on stdout names the gaps too; --strict turns a subscription not read into exit 2.
    const table = await runCliAsync([...args, '--fail-on', 'none', '--strict'], { env: az.env });
    expect(table.status).toBe(2);
    expect(table.stdout).toContain(`azure subscription ${OLD}: Disabled; not read`);
    expect(table.stdout).toContain(`azure subscription ${LOCKED}: not allowed to read`);
    // Findings at the threshold fail the run; the SARIF names the gap among its notifications.
    const failing = await runCliAsync([...args, '--format', 'sarif', '--fail-on', 'low'], { env: az.env });
    expect(failing.status).toBe(1);
    const sarif = JSON.parse(failing.stdout) as { runs: { results: unknown[]; invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(READ.length);
    expect(JSON.stringify(sarif.runs[0]!.invocations)).toContain(LOCKED);
  });

  it('splits the subscriptions across shards: the findings and notes of one scan, a missing shard named', async () => {
    const denied = Object.values(AZURE_OPERATIONS);
    const server = await arm.start([...[PROD, DEV, SANDBOX, OLD].map(subscription), { ...subscription(LOCKED), denied }], { listed, listPageSize: 2 });
    const az = fakeAzureCli();
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-azure-shards-'));
    const flags = ['--azure-all-subscriptions', '--azure-endpoint', server.url, '--quiet'];
    const report = ['--rule', 'azure-fic-audience-nonstandard', '--format', 'json', '--fail-on', 'none'];
    for (const i of [0, 1]) {
      const run = await runCliAsync(['collect', ...flags, '--shard', `${i}/2`, '--output', join(dir, `shard-${i}.json`)], { env: az.env });
      expect(run.status, run.stderr).toBe(0);
    }
    // Sorted, the subscriptions …0a to …0e alternate between the shards: each read by one.
    const covered = [0, 1].map((i) => (JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')) as { fleet: { covered: string[] } }).fleet.covered);
    expect(covered).toEqual([[PROD, SANDBOX, LOCKED].map((s) => `azure:${s}`), [DEV, OLD].map((s) => `azure:${s}`)]);
    const [whole, merged] = await Promise.all([runCliAsync(['scan', ...flags, ...report], { env: az.env }), runCliAsync(['scan', '--inventory', dir, ...report, '--quiet'], { env: az.env })]);
    const [one, union] = [whole, merged].map((r) => JSON.parse(r.stdout) as Report);
    expect(union!.findings.map((f) => f.location.file).sort()).toEqual(one!.findings.map((f) => f.location.file).sort());
    expect(union!.findings).toHaveLength(READ.length);
    const notes = (r: Report): string[] => r.notes.map((n) => `${n.level} ${n.message}`).sort();
    expect(notes(union!)).toEqual(notes(one!));

    const partial = await runCliAsync(['scan', '--inventory', join(dir, 'shard-0.json'), ...report, '--quiet'], { env: az.env });
    expect(partial.status).toBe(2);
    expect((JSON.parse(partial.stdout) as Report).notes.filter((n) => n.message.startsWith('fleet:')).map((n) => n.message)).toEqual(
      [DEV, OLD].map((s) => `fleet: target azure:${s} is in no inventory (the inventory of shard 1/2 is missing): its findings are missing`),
    );
  });

  it('names a listing the identity may not make, and exits 2', async () => {
    const server = await arm.start([PROD].map(subscription), { refuseList: true });
    const run = await runCliAsync(['scan', '--azure-all-subscriptions', '--azure-endpoint', server.url, '--format', 'json', '--fail-on', 'none'], { env: fakeAzureCli().env });
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.notes.filter((n) => n.level === 'error').map((n) => n.message)).toEqual([expect.stringMatching(/^azure: cannot list the subscriptions of the identity \(--azure-all-subscriptions\): HTTP 403\b/)]);
    expect(report.findings).toEqual([]);
    expect(run.stderr).toMatch(/^error: azure: cannot list the subscriptions/m);
  });
});
