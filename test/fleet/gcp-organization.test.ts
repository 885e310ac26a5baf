/**
 * `--gcp-organization` and `--gcp-folder` through the real Google API clients against a loopback
 * Resource Manager v3: nested folders (one the identity cannot list), paged children, projects
 * pending deletion, and every active project found read as `--gcp-project` reads it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectLiveGcp } from '../../src/live/gcp/collect.js';
import { CountingLimit } from '../helpers/counting-limit.js';
import { ApiCallLog } from '../../src/live/cloud.js';
import { scan } from '../../src/scan.js';
import { liveTargets, planShard } from '../../src/fleet/shard-plan.js';
import { runCliAsync } from '../helpers/cli.js';
import { cloudOptionsFrom } from '../../src/cli/cloud-options.js';
import { REPO } from '../helpers/fixtures.js';
import { useGcpFake, type GcpData, type GcpFake, type GcpHierarchy } from '../live/gcp-server.js';

const ORG = 'organizations/123456789012';

/** A project whose every KSA of a namespace can act as any of its service accounts (gcp-wi-binding-project-level). */
function project(id: string): GcpData {
  return {
    project: id,
    projectPolicy: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`serviceAccount:${id}.svc.id.goog[jobs/runner]`] }] },
    serviceAccounts: [{ name: `projects/${id}/serviceAccounts/runner@${id}.iam.gserviceaccount.com`, projectId: id, email: `runner@${id}.iam.gserviceaccount.com`, uniqueId: '107045321987654321', etag: 'MDEwMjE5MjA=' }],
    serviceAccountPolicies: {},
    clusters: [],
  };
}

const ACTIVE = ['acme-shared', 'pay-api', 'pay-batch', 'pay-ledger', 'staging-web'];
const hierarchy: GcpHierarchy = {
  pageSize: 2,
  folders: [
    { name: 'folders/1001', parent: ORG, displayName: 'prod' },
    { name: 'folders/1002', parent: ORG, displayName: 'staging' },
    { name: 'folders/1003', parent: 'folders/1001', displayName: 'payments' },
    { name: 'folders/1004', parent: 'folders/1001', displayName: 'restricted' },
    { name: 'folders/1005', parent: ORG, displayName: 'sandbox' },
    // Not a folder's name: never listed as a parent.
    { name: 'organizations/999', parent: 'folders/1002', displayName: 'elsewhere' },
  ],
  projects: [
    { projectId: 'acme-shared', parent: ORG },
    { projectId: 'pay-api', parent: 'folders/1003' },
    { projectId: 'pay-old', parent: 'folders/1003', state: 'DELETE_REQUESTED' },
    { projectId: 'pay-batch', parent: 'folders/1003' },
    { projectId: 'pay-ledger', parent: 'folders/1003' },
    { projectId: 'staging-web', parent: 'folders/1002' },
    { projectId: 'staging-legacy', parent: 'folders/1002', state: 'DELETE_REQUESTED' },
    { projectId: 'secret-vault', parent: 'folders/1004' },
    // Not a project id: never read, never printed.
    { projectId: 'evil\npodtrust: forged line', parent: ORG },
  ],
  denied: ['folders/1004'],
};

const startFake = useGcpFake();
const serve = (): Promise<GcpFake> => startFake([...ACTIVE, 'secret-vault'].map(project), hierarchy);

const projectsRead = (resources: { type: string; file: string }[]): string[] => [...new Set(resources.filter((r) => r.type === 'gcp.iam.Binding').map((r) => r.file.split('/')[1]!))].sort();

describe('GCP projects beneath an organization or folder', () => {
  it('reads every active project beneath the organization, through nested and paged folders, each in a target slot', async () => {
    const server = await serve();
    const limit = new CountingLimit(2);
    const summaries: string[] = [];
    const result = await collectLiveGcp({ projects: [], parents: [ORG], endpoint: server.url, targetLimit: limit, retry: { baseDelayMs: 10 }, onSummary: (line) => summaries.push(line) });
    expect(summaries[0]).toMatch(new RegExp(`^gcp ${ORG}: 5 active project\\(s\\) found; 14 API call\\(s\\) in \\d+\\.\\d s$`));
    expect(projectsRead(result.resources)).toEqual(ACTIVE);
    expect(limit.runs).toBe(ACTIVE.length);
    expect(result.notes.map((n) => [n.level, n.message])).toEqual([
      ['warning', 'gcp folders/1002: 1 listed folder(s) or project(s) without a valid name or id; not read'],
      ['error', expect.stringMatching(/^gcp folders\/1004: cannot list its folders and projects \(resourcemanager\.folders\.list, resourcemanager\.projects\.list\): .*403.*; the projects beneath it are not read$/)],
      ['warning', `gcp ${ORG}: 1 listed folder(s) or project(s) without a valid name or id; not read`],
      ['note', 'gcp project pay-old (in folders/1003): delete requested; not read'],
      ['note', 'gcp project staging-legacy (in folders/1002): delete requested; not read'],
    ]);
    expect(server.requests.filter((r) => r === 'resourcemanager.projects.getIamPolicy')).toHaveLength(ACTIVE.length);
    // Six parents, each listed once; at 2 a page, the organization's 3 folders and the 4 projects of folders/1003 take a second page.
    expect(server.requests.filter((r) => r === 'resourcemanager.folders.list')).toHaveLength(6 + 1);
    expect(server.requests.filter((r) => r === 'resourcemanager.projects.list')).toHaveLength(6 + 1);
  });

  it('reads only the projects beneath a folder, and an explicit project once', async () => {
    const server = await serve();
    const result = await collectLiveGcp({ projects: ['pay-api', 'acme-shared'], parents: ['folders/1001'], endpoint: server.url });
    expect(projectsRead(result.resources)).toEqual(['acme-shared', 'pay-api', 'pay-batch', 'pay-ledger']);
    expect(server.requests.filter((r) => r === 'resourcemanager.projects.getIamPolicy')).toHaveLength(4);
    expect(result.notes.filter((n) => n.level === 'error').map((n) => n.message)).toEqual([expect.stringMatching(/^gcp folders\/1004: cannot list/)]);
  });

  it('finds problems in more than one project found', async () => {
    const server = await serve();
    const root = mkdtempSync(join(tmpdir(), 'podtrust-gcp-org-'));
    const result = await scan({ paths: [], root, live: { gcp: { projects: [], parents: [ORG], endpoint: server.url } }, ruleIds: ['gcp-wi-binding-project-level'] });
    expect([...new Set(result.findings.map((f) => f.location.file.split('/')[1]))].sort()).toEqual(ACTIVE);
    expect(result.notes).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('folders/1004') }));
    expect(result.scanned?.live).toEqual([`GCP: the projects beneath ${ORG}`]);
  });

  it('calls exactly the permissions of deploy/gcp/podtrust-organization-reader-role.yaml', async () => {
    const server = await serve();
    const calls = new ApiCallLog();
    await collectLiveGcp({ projects: [], parents: [ORG], endpoint: server.url, calls });
    const text = readFileSync(join(REPO, 'deploy', 'gcp', 'podtrust-organization-reader-role.yaml'), 'utf8');
    const allowed = [...text.matchAll(/^- ([a-zA-Z.]+)$/gm)].map((m) => m[1]!).sort();
    expect([...new Set(calls.operations('gcp'))].sort()).toEqual(allowed);
  });

  it('makes each project found a shard target, a project pending deletion one its shard names, a folder it cannot list one its shard walks', async () => {
    const server = await serve();
    const live = { gcp: { projects: ['solo'], parents: [ORG], endpoint: server.url, retry: { baseDelayMs: 10 } } };
    const targets = ['acme-shared', 'folders/1004', 'pay-api', 'pay-batch', 'pay-ledger', 'pay-old', 'solo', 'staging-legacy', 'staging-web'].map((t) => `gcp:${t}`);
    expect(await liveTargets(live)).toEqual(targets);
    const shares = await Promise.all([0, 1, 2].map((index) => planShard(live, { index, count: 3 })));
    for (const s of shares) expect(s.fleet.targets).toEqual(targets);
    expect(shares.map((s) => [s.live?.gcp?.projects, s.live?.gcp?.parents])).toEqual([
      [['acme-shared', 'pay-batch', 'solo'], []],
      [['pay-ledger'], ['folders/1004']],
      [['pay-api', 'staging-web'], []],
    ]);
    // Each note once across the shards: what is about no one target by shard 0, a project not active by the shard holding it.
    expect(shares.map((s) => s.notes.map((n) => n.message))).toEqual([
      ['gcp folders/1002: 1 listed folder(s) or project(s) without a valid name or id; not read', `gcp ${ORG}: 1 listed folder(s) or project(s) without a valid name or id; not read`],
      ['gcp project staging-legacy (in folders/1002): delete requested; not read'],
      ['gcp project pay-old (in folders/1003): delete requested; not read'],
    ]);
  });

  it('reads a project named with --gcp-project whatever its state, as one scan does', async () => {
    const server = await serve();
    const plan = await planShard({ gcp: { projects: ['pay-old'], parents: ['folders/1003'], endpoint: server.url } }, { index: 0, count: 1 });
    expect(plan.live?.gcp?.projects).toEqual(['pay-api', 'pay-batch', 'pay-ledger', 'pay-old']);
    expect(plan.notes).toEqual([]);
  });

  it('keeps an organization or folder it cannot list as a target, which its shard walks again', async () => {
    const live = { gcp: { projects: [], parents: [ORG, 'folders/1002'], endpoint: 'http://127.0.0.1:9', retry: { retries: 0 } } };
    const shares = await Promise.all([0, 1].map((index) => planShard(live, { index, count: 2 })));
    expect(shares.map((s) => s.live?.gcp?.parents)).toEqual([['folders/1002'], [ORG]]);
  });

  it('splits an organization across shards from the CLI: the findings and notes of one scan, a missing shard named', async () => {
    const server = await serve();
    const root = mkdtempSync(join(tmpdir(), 'podtrust-gcp-shards-'));
    const env = { GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS! };
    const flags = ['--gcp-organization', '123456789012', '--gcp-endpoint', server.url, '--quiet', '--root', root];
    const report = ['--format', 'json', '--fail-on', 'none'];
    for (const i of [0, 1, 2]) {
      const run = await runCliAsync(['collect', ...flags, '--shard', `${i}/3`, '--output', join(root, `shard-${i}.json`)], { env });
      // Shard 1 walks folders/1004 again, which still refuses.
      expect(run.status, run.stderr).toBe(i === 1 ? 2 : 0);
    }
    type Report = { findings: { ruleId: string; location: { file: string } }[]; notes: { level: string; message: string }[] };
    const [whole, merged] = await Promise.all([runCliAsync(['scan', ...flags, ...report], { env }), runCliAsync(['scan', '--inventory', join(root, 'shard-*.json'), ...report, '--root', root], { env })]);
    expect([whole.status, merged.status]).toEqual([2, 2]);
    const [one, union] = [whole, merged].map((r) => JSON.parse(r.stdout) as Report);
    const findings = (r: Report): string[] => r.findings.map((f) => `${f.ruleId} ${f.location.file}`).sort();
    const notes = (r: Report): string[] => r.notes.map((n) => `${n.level} ${n.message.replace(/: HTTP 403.*; the projects/, ': 403; the projects')}`).sort();
    expect(findings(union!)).toEqual(findings(one!));
    expect(new Set(findings(union!).map((f) => f.split('/')[1]))).toEqual(new Set(ACTIVE));
    expect(notes(union!)).toEqual(notes(one!));

    const partial = await runCliAsync(['scan', '--inventory', join(root, 'shard-0.json'), '--inventory', join(root, 'shard-1.json'), ...report, '--root', root], { env });
    expect((JSON.parse(partial.stdout) as Report).notes.filter((n) => n.message.startsWith('fleet:')).map((n) => n.message)).toEqual(
      ['pay-api', 'pay-old'].map((p) => `fleet: target gcp:${p} is in no inventory (the inventory of shard 2/3 is missing): its findings are missing`),
    );
  });

  it('scans an organization from the CLI: findings of several projects, the folder it cannot list named, exit 2', async () => {
    const server = await serve();
    const run = await runCliAsync(['scan', '--gcp-organization', '123456789012', '--gcp-endpoint', server.url, '--format', 'json', '--fail-on', 'none', '--quiet', '--root', mkdtempSync(join(tmpdir(), 'podtrust-gcp-org-'))], { env: { GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS! } });
    expect(run.status, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; location: { file: string } }[]; notes: { level: string; message: string }[] };
    const projects = new Set(report.findings.filter((f) => f.ruleId === 'gcp-wi-binding-project-level').map((f) => f.location.file.split('/')[1]));
    expect([...projects].sort()).toEqual(ACTIVE);
    expect(report.notes.some((n) => n.level === 'error' && n.message.startsWith('gcp folders/1004: cannot list'))).toBe(true);
  });

  it('turns the organisation-wide flags into the sources they name', () => {
    const options = cloudOptionsFrom({ quiet: true, 'gcp-organization': ['123456789012', 'organizations/123456789012'], 'gcp-folder': ['folders/1001,1002'], 'azure-all-subscriptions': true, 'azure-endpoint': 'https://management.example' });
    expect(options?.gcp).toMatchObject({ projects: [], parents: [ORG, 'folders/1001', 'folders/1002'] });
    expect(options?.azure).toMatchObject({ subscriptions: [], allSubscriptions: true, endpoint: 'https://management.example' });
  });

  it('refuses bad organization and folder ids, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--gcp-organization', 'acme.example'], /--gcp-organization takes a numeric organization id \(got "acme\.example"\)/],
      [['--gcp-folder', 'folders/prod'], /--gcp-folder takes a numeric folder id \(got "folders\/prod"\)/],
      [['--gcp-endpoint', 'http://127.0.0.1:1'], /--gcp-endpoint needs --gcp-project ID, --gcp-folder ID or --gcp-organization ID/],
      [['--azure-endpoint', 'https://127.0.0.1:1'], /--azure-endpoint needs --azure-subscription ID or --azure-all-subscriptions/],
    ];
    for (const [args, message] of cases) {
      const run = await runCliAsync(['scan', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
