/** The input ledger: every file given or found ends in one state, and every report says so. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { validateSarif } from './helpers/sarif-validate.js';
import { NO_SUB, role, workspace } from './action/workspace.js';
import { buildLedger, ledgerCounts, ledgerNotes } from '../src/collect/ledger.js';
import type { Resource } from '../src/model/types.js';
import { scan as scanFiles } from '../src/scan.js';
import { decideVerdict } from '../src/engine/verdict.js';
import { planAnnotations } from '../src/action/annotations.js';
import { renderJobSummary } from '../src/action/summary.js';

const MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: shop
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
`;

const PULUMI = 'name: platform\nruntime: nodejs\ndescription: the EKS cluster and its roles\n';

/** One file of each state: analysed, recognised but not analysed, not infrastructure, excluded (a glob and a skipped folder), unparsable. */
const EVERY_STATE = {
  'k8s/app.yaml': MANIFEST,
  'infra/Pulumi.yaml': PULUMI,
  '.github/workflows/ci.yml': 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n',
  'vendor/lib/role.json': role('vendored', NO_SUB),
  'node_modules/pkg/package.json': '{ "name": "pkg" }\n',
  'broken.yaml': 'a: [1\n',
};

const EXPECTED_LISTS = {
  analysed: [{ file: 'k8s/app.yaml', format: 'Kubernetes manifest', resources: 1 }],
  notAnalysed: [{ file: 'infra/Pulumi.yaml', format: 'Pulumi project' }],
  notInfrastructure: [{ file: '.github/workflows/ci.yml' }],
  excluded: [
    { file: 'node_modules', folder: true, reason: 'skipped folder' },
    { file: 'vendor', folder: true, reason: 'excluded by vendor/**' },
  ],
  unparsable: [{ file: 'broken.yaml', reason: expect.stringContaining('sufficiently indented') }],
};
const EXPECTED_COUNTS = { analysed: 1, notAnalysed: 1, notInfrastructure: 1, excluded: 2, unparsable: 1 };

describe('the input ledger', () => {
  const dir = workspace(EVERY_STATE);
  const scan = (...args: string[]) => runCli(['scan', dir, '--root', dir, '--exclude', 'vendor/**', ...args]);

  it('counts and lists every state in the JSON report, and kinds no rule reads apart from resources', () => {
    const run = scan('--format', 'json');
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout) as { summary: Record<string, unknown>; inputs: unknown; notes: { kind: string; level: string; file?: string; line?: number }[] };
    expect(report.summary).toMatchObject({ files: 1, resources: 1, partial: true, warnings: 1, inputs: EXPECTED_COUNTS, unreadObjects: { count: 3, byKind: { Ingress: 2, Service: 1 } } });
    expect(report.inputs).toEqual(EXPECTED_LISTS);
    // The note shape is unchanged: kind, level, message, file, line.
    expect(report.notes).toContainEqual({ kind: 'parse-error', level: 'error', message: expect.any(String), file: 'broken.yaml', line: 2, column: 1 });
    expect(report.notes).toContainEqual({ kind: 'unsupported', level: 'warning', message: expect.stringContaining('Pulumi project'), file: 'infra/Pulumi.yaml', line: 2 });
  });

  it('carries the same lists in SARIF, with the warning as a notification naming the file, valid against the schema', async () => {
    const run = scan('--format', 'sarif');
    expect(run.status).toBe(2);
    const { schemaErrors, multitoolErrors } = await validateSarif(run.stdout);
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
    const sarif = JSON.parse(run.stdout) as { runs: { properties: Record<string, unknown>; invocations: { toolExecutionNotifications: { level: string; properties: { kind: string }; locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }[] };
    expect(sarif.runs[0]!.properties).toEqual({ inputCounts: EXPECTED_COUNTS, inputs: EXPECTED_LISTS });
    const notifications = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications;
    const pulumi = notifications.find((n) => n.properties.kind === 'unsupported');
    expect(pulumi).toMatchObject({ level: 'warning', locations: [{ physicalLocation: { artifactLocation: { uri: 'infra/Pulumi.yaml', uriBaseId: '%SRCROOT%' } } }] });
    expect(notifications.find((n) => n.properties.kind === 'parse-error')?.level).toBe('error');
  });

  it('says how many are in each state in the table, Markdown and HTML', () => {
    const line = 'inputs: 1 analysed, 1 recognised but not analysed, 1 not infrastructure, 2 excluded, 1 unparsable';
    const unread = 'objects of kinds no rule reads: 3 (Ingress 2, Service 1)';
    for (const format of ['table', 'markdown', 'html']) {
      const run = scan('--format', format);
      expect(run.stdout).toContain(line);
      expect(run.stdout).toContain(unread);
    }
    expect(scan().stdout).toContain('No findings · 1 file, 1 resource · incomplete scan (see notes) · 1 warning (see notes)');
  });

  it('prints each warning and error on stderr, in every format', () => {
    for (const format of ['table', 'json']) {
      const run = scan('--format', format);
      expect(run.stderr).toContain('infra/Pulumi.yaml:2: warning: Pulumi project: podtrust does not run Pulumi programs');
      expect(run.stderr).toMatch(/^broken\.yaml:2: error: /m);
    }
    expect(scan('--quiet').stderr).toBe('');
  });

  it('leaves the exit to the findings on warnings, and exits 2 on them with --strict', () => {
    const warned = workspace({ 'infra/Pulumi.yaml': PULUMI, 'k8s/app.yaml': MANIFEST });
    expect(runCli(['scan', warned, '--root', warned]).status).toBe(0);
    expect(runCli(['scan', warned, '--root', warned, '--strict']).status).toBe(2);
    const wide = workspace({ 'infra/Pulumi.yaml': PULUMI, 'iam/wide.json': role('wide', NO_SUB) });
    expect(runCli(['scan', wide, '--root', wide]).status).toBe(1);
    expect(runCli(['scan', wide, '--root', wide, '--strict']).status).toBe(2);
    const clean = workspace({ 'k8s/app.yaml': MANIFEST });
    expect(runCli(['scan', clean, '--root', clean, '--strict']).status).toBe(0);
    // An unparsable file makes the scan incomplete with or without --strict, whatever the findings.
    const broken = workspace({ 'iam/wide.json': role('wide', NO_SUB), 'broken.yaml': 'a: [1\n' });
    expect(runCli(['scan', broken, '--root', broken]).status).toBe(2);
  });

  it('warns about a file named on the command line that holds nothing podtrust reads, and about a scan that analysed nothing', () => {
    const named = workspace({ 'README.yaml': 'title: how we deploy\n', 'k8s/app.yaml': MANIFEST });
    const run = runCli(['scan', join(named, 'README.yaml'), join(named, 'k8s', 'app.yaml'), '--root', named, '--format', 'json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('README.yaml:1: warning: named on the command line but holds no infrastructure podtrust reads');
    expect(run.stderr).not.toContain('nothing was analysed');
    const strict = runCli(['scan', join(named, 'README.yaml'), '--root', named, '--strict']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('warning: nothing was analysed: none of the 1 input file(s) holds infrastructure podtrust reads (1 not infrastructure)');
    // Found in a folder (not named), a file that is not infrastructure is quiet.
    const folder = runCli(['scan', named, '--root', named]);
    expect(folder.stderr).toBe('');
    expect(folder.status).toBe(0);
  });

  it('never passes a repository of unrecognised files as clean', () => {
    const unknown = workspace({ 'deploy/values.yaml': 'replicas: 2\n', 'package.json': '{ "name": "x" }\n' });
    const run = runCli(['scan', unknown, '--root', unknown, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { summary: { inputs: unknown }; notes: unknown[] };
    expect(report.summary.inputs).toEqual({ analysed: 0, notAnalysed: 0, notInfrastructure: 2, excluded: 0, unparsable: 0 });
    expect(report.notes).toEqual([{ kind: 'nothing-analysed', level: 'warning', message: 'nothing was analysed: none of the 2 input file(s) holds infrastructure podtrust reads (2 not infrastructure)' }]);
    expect(run.stderr).toContain('warning: nothing was analysed');
    const empty = workspace({});
    expect(runCli(['scan', empty, '--root', empty]).stderr).toContain('warning: nothing was analysed: no input file was found');
  });

  it('names standard input when nothing in it is analysable', () => {
    const run = runCli(['scan', '-', '--format', 'json'], { input: 'just: values\n' });
    const report = JSON.parse(run.stdout) as { inputs: { notInfrastructure: unknown[] } };
    expect(report.inputs.notInfrastructure).toEqual([{ file: '<stdin>' }]);
    expect(run.stderr).toContain('<stdin>:1: warning: named on the command line but holds no infrastructure podtrust reads');
  });
});

describe('the GitHub Action', () => {
  it('annotates an input recognised but not analysed and counts the inputs in its job summary, passing on findings alone', async () => {
    const dir = workspace({ 'infra/Pulumi.yaml': PULUMI, 'k8s/app.yaml': MANIFEST });
    const result = await scanFiles({ paths: [dir], root: dir, workers: 0 });
    const verdict = decideVerdict(result, { failOn: 'high' });
    expect(verdict.exitCode).toBe(0);
    expect(planAnnotations(result).annotations).toContainEqual(expect.objectContaining({ kind: 'warning', title: 'podtrust: unsupported', file: 'infra/Pulumi.yaml', startLine: 2 }));
    const summary = renderJobSummary(result, { helpUris: new Map(), notAnnotated: 0, sarifFile: 'podtrust.sarif', failOn: 'high', verdict, stepFails: verdict.exitCode !== 0 });
    expect(summary).toContain('inputs: 1 analysed, 1 recognised but not analysed, 0 not infrastructure, 0 excluded, 0 unparsable');
    expect(summary).toContain('objects of kinds no rule reads: 3 (Ingress 2, Service 1)');
  });
});

describe('buildLedger', () => {
  const resource = (file: string, type: string, extra: Partial<Resource> = {}): Resource => ({ id: `${type}:${file}`, type, name: 'x', file, format: 'kubernetes', body: {}, positions: {}, ...extra });

  it('puts each file in exactly one state, an error first', () => {
    const ledger = buildLedger(
      { files: ['/r/a.yaml', '/r/b.bicep', '/r/c.yaml', '/r/d.yaml', '/r/a.yaml'], excluded: [{ path: '/r/.git', folder: true, reason: 'skipped folder' }, { path: '/r/.git', folder: true, reason: 'skipped folder' }] },
      [
        { file: '/r/a.yaml', format: 'Kubernetes manifest', state: 'analysed' },
        { file: '/r/b.bicep', format: 'Bicep', state: 'not-analysed' },
        { file: '/r/d.yaml', format: 'Kubernetes manifest', state: 'analysed' },
      ],
      [{ kind: 'parse-error', level: 'error', file: '/r/d.yaml', line: 3, message: 'bad' }],
      [resource('/r/a.yaml', 'k8s.ServiceAccount'), resource('/r/a.yaml', 'k8s.Ingress'), resource('/r/m/.terraform/x.tf', 'aws.iam.Role', { via: { file: '/r/a.yaml', position: { line: 1, column: 1, endLine: 1, endColumn: 2 }, module: 'm' } })],
    );
    expect(ledger.entries).toEqual([
      { file: '/r/.git', state: 'excluded', folder: true, reason: 'skipped folder' },
      { file: '/r/a.yaml', state: 'analysed', format: 'Kubernetes manifest', resources: 2 },
      { file: '/r/b.bicep', state: 'not-analysed', format: 'Bicep' },
      { file: '/r/c.yaml', state: 'not-infrastructure' },
      { file: '/r/d.yaml', state: 'unparsable', reason: 'bad' },
    ]);
    expect(ledgerCounts(ledger)).toEqual({ analysed: 1, 'not-analysed': 1, 'not-infrastructure': 1, excluded: 1, unparsable: 1 });
  });

  it('counts a Kubernetes object translated into a canonical resource, or holding a credential, as read', () => {
    const kcc = resource('/r/kcc.yaml', 'k8s.IAMPolicyMember', { id: 'k8s:kcc.yaml:IAMPolicyMember/m' });
    const translated = resource('/r/kcc.yaml', 'gcp.iam.Binding', { id: 'k8s:kcc.yaml:IAMPolicyMember/m>gcp.iam.Binding/0' });
    const withKey = resource('/r/ing.yaml', 'k8s.Ingress', { credentials: [{ kind: 'aws-access-key', key: 'k', pointer: '/metadata', form: 'access key id' }] });
    const ledger = buildLedger({ files: ['/r/kcc.yaml', '/r/ing.yaml'], excluded: [] }, [], [], [kcc, translated, withKey]);
    expect(ledgerNotes(ledger, new Set(), [kcc, translated, withKey])).toEqual([]);
    expect(ledgerNotes(ledger, new Set(), [resource('/r/ing.yaml', 'k8s.Ingress')])).toEqual([expect.objectContaining({ kind: 'nothing-analysed', level: 'warning' })]);
  });
});
