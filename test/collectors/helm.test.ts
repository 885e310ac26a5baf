import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { collectInventory, scan } from '../../src/scan.js';
import { networkIsolationAvailable } from '../../src/util/external-tool.js';
import { renderCharts } from '../../src/collectors/helm/index.js';
import { emptyResult } from '../../src/collectors/types.js';
import { DEFAULT_LIMITS } from '../../src/util/structured.js';
import { blockScalarShift, templateReads, traceValue, type ValuesEntry } from '../../src/collectors/helm/values-trace.js';
import { standInTool, type StandInRecord } from '../helpers/stand-in-tool.js';
import { expectNoneLeaked, fakeCredentials, secretWindows } from '../helpers/credentials.js';
import { renderInventory } from '../../src/model/snapshot.js';
import { runCli } from '../helpers/cli.js';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const CHART = {
  'charts/payments/Chart.yaml': 'apiVersion: v2\nname: payments\nversion: 0.1.0\n',
  'charts/payments/values.yaml': 'serviceAccount:\n  name: default\n  roleArn: arn:aws:iam::111122223333:role/payments-default\n',
  'charts/payments/templates/_helpers.tpl': '{{/* nothing */}}\n',
  'charts/payments/templates/sa.yaml': [
    '# The workload identity of the payments API.',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: {{ .Values.serviceAccount.name }}',
    '  namespace: {{ .Release.Namespace }}',
    '  annotations:',
    '    eks.amazonaws.com/role-arn: {{ .Values.serviceAccount.roleArn }}',
    '',
  ].join('\n'),
};

const ARGO_APP = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata:',
  '  name: payments-prod',
  '  namespace: argocd',
  'spec:',
  '  project: default',
  '  destination:',
  '    namespace: payments',
  '  source:',
  '    repoURL: https://git.example.invalid/platform.git',
  '    path: charts/payments',
  '    helm:',
  '      releaseName: payments',
  '      valueFiles:',
  '        - ../../envs/prod-values.yaml',
  '      valuesObject:',
  '        podLabels:',
  '          tier: api',
  '      parameters:',
  '        - name: serviceAccount.name',
  '          value: default',
  '',
].join('\n');

const PROD_VALUES = 'serviceAccount:\n  roleArn: arn:aws:iam::111122223333:role/payments-prod\n';

/** The variables podtrust may give a tool: nothing else of the test process gets through. */
const ALLOWED_ENV = /^(PATH|HOME|TMPDIR|LANG|KUBECONFIG|HTTPS?_PROXY|ALL_PROXY|https?_proxy|all_proxy|NO_PROXY|no_proxy|HELM_[A-Z_]+|PWD|SHLVL|_)$/;

let savedPath: string | undefined;
let root: string;

beforeEach(() => {
  savedPath = process.env['PATH'];
  root = realpathSync(mkdtempSync(join(tmpdir(), 'podtrust-helm-')));
});
afterEach(() => {
  process.env['PATH'] = savedPath;
  delete process.env['AWS_SECRET_ACCESS_KEY'];
  delete process.env['GITHUB_TOKEN'];
});

/** Puts a stand-in first on PATH, and only it with the folders node lives in. */
function onPath(bin: string): void {
  process.env['PATH'] = [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
}

describe('Helm charts without helm', () => {
  it('warns once per chart, never reads its templates as manifests, and accounts its files as not analysed', async () => {
    write(root, { ...CHART, 'charts/payments/templates/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "x" . | nindent 4 }}\n  bad: [\n' });
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'podtrust-empty-path-'));
    const inventory = await collectInventory({ paths: [root], root });
    expect(inventory.resources).toEqual([]);
    expect(inventory.notes).toEqual([
      { kind: 'unsupported', level: 'warning', file: join(root, 'charts/payments/Chart.yaml'), line: 1, message: 'Helm chart charts/payments: helm is not installed; install helm to analyse it' },
    ]);
  });

  it('does not read a template named on the command line, nor a chart templates folder, as manifests', async () => {
    write(root, CHART);
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'podtrust-empty-path-'));
    for (const path of [join(root, 'charts/payments/templates'), join(root, 'charts/payments/templates/sa.yaml')]) {
      const inventory = await collectInventory({ paths: [path], root });
      expect(inventory.resources).toEqual([]);
      expect(inventory.notes.map((n) => n.message)).toEqual(['Helm chart charts/payments: helm is not installed; install helm to analyse it']);
    }
  });

  it('says a chart whose dependencies are not vendored cannot be rendered (podtrust never downloads them)', async () => {
    write(root, { ...CHART, 'charts/payments/Chart.yaml': 'apiVersion: v2\nname: payments\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 18.x\n    repository: oci://registry.example.invalid/charts\n' });
    const tool = standInTool('helm', 'render');
    onPath(tool.bin);
    const inventory = await collectInventory({ paths: [root], root });
    expect(tool.records()).toEqual([]);
    expect(inventory.notes).toEqual([expect.objectContaining({ kind: 'unsupported', level: 'warning', file: join(root, 'charts/payments/Chart.yaml'), message: expect.stringContaining('dependencies redis are not vendored under charts/') })]);
  });
});

describe('Helm charts rendered with helm (a stand-in)', () => {
  it('renders the chart for each Argo CD Application, in a copy, with a minimal environment, and points findings at the values line', async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'podtrust-outside-')));
    writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET-OUTSIDE-THE-REPOSITORY\n');
    write(root, { ...CHART, 'envs/prod-values.yaml': PROD_VALUES, 'apps/payments.yaml': ARGO_APP });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'charts/payments/templates/secret.yaml'));
    const tool = standInTool('helm', 'render');
    onPath(tool.bin);
    process.env['AWS_SECRET_ACCESS_KEY'] = 'not-for-tools';
    process.env['GITHUB_TOKEN'] = 'not-for-tools';
    const result = await scan({ paths: [root], root });

    const [run, ...more] = tool.records();
    expect(more).toEqual([]);
    expect(run!.argv).toEqual([
      'template',
      '--namespace=payments',
      '--skip-tests',
      '--values=values/0-0.yaml',
      '--values=values/0-1.yaml',
      '--set=serviceAccount.name=default',
      '--',
      'payments',
      './chart',
    ]);
    expectConfined(run!, root);
    // The link that leads out of the repository was not copied; the reader named it.
    expect(run!.files.map((f) => f.path)).not.toContain('chart/templates/secret.yaml');
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'skipped', level: 'error', file: join(root, 'charts/payments/templates/secret.yaml'), message: expect.stringContaining('symbolic link leads outside') }));
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET');
    // The copy is gone once the scan is done.
    expect(existsSync(run!.cwd)).toBe(false);

    expect(result.findings.map((f) => [f.ruleId, relative(root, f.location.file), f.location.position?.line])).toEqual([['k8s-identity-on-default-sa', 'envs/prod-values.yaml', 2]]);
    const finding = result.findings[0]!;
    expect(finding.related.map((r) => [relative(root, r.position?.file ?? r.file), r.position?.line])).toEqual([
      ['apps/payments.yaml', 12],
      ['charts/payments/templates/sa.yaml', 3],
    ]);
  });

  it('maps a value set by an Argo CD parameter to the parameter, and leaves values it cannot trace at the template', async () => {
    write(root, { ...CHART, 'envs/prod-values.yaml': PROD_VALUES, 'apps/payments.yaml': ARGO_APP });
    onPath(standInTool('helm', 'render').bin);
    const inventory = await collectInventory({ paths: [root], root });
    const sa = inventory.resources.find((r) => r.type === 'k8s.ServiceAccount')!;
    expect(sa.name).toBe('payments/default');
    expect(sa.file).toBe(join(root, 'charts/payments/templates/sa.yaml'));
    expect(sa.positions['/metadata/name']).toMatchObject({ file: join(root, 'apps/payments.yaml'), line: 22 });
    // The namespace comes from the release, not from a values line.
    expect(sa.positions['/metadata/namespace']).toBeUndefined();
    expect(sa.positions['']).toMatchObject({ line: 3 });
    const app = inventory.resources.filter((r) => r.type === 'k8s.Application');
    expect(app).toHaveLength(1);
  });

  it("puts a release's objects that name no namespace in the release namespace, as Argo CD applies them", async () => {
    write(root, {
      ...CHART,
      'charts/payments/templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n',
      'apps/payments.yaml': ARGO_APP,
      'envs/prod-values.yaml': PROD_VALUES,
    });
    onPath(standInTool('helm', 'render').bin);
    const inventory = await collectInventory({ paths: [root], root });
    expect(inventory.resources.filter((r) => r.format === 'kubernetes' && r.type !== 'k8s.Application').map((r) => [r.type, r.name, r.namespace, r.positions['']?.line])).toEqual([
      ['k8s.ServiceAccount', 'payments/api', 'payments', 2],
      ['k8s.ClusterRole', 'reader', undefined, 7],
    ]);
  });

  it('renders with the chart defaults when nothing deploys the chart', async () => {
    write(root, CHART);
    const tool = standInTool('helm', 'render');
    onPath(tool.bin);
    const result = await scan({ paths: [root], root });
    expect(tool.records()[0]!.argv).toEqual(['template', '--namespace=default', '--skip-tests', '--', 'payments', './chart']);
    expect(result.findings.map((f) => [f.ruleId, relative(root, f.location.file), f.location.position?.line])).toEqual([['k8s-identity-on-default-sa', 'charts/payments/values.yaml', 3]]);
  });

  it('renders a Flux HelmRelease with its values, valuesFrom a ConfigMap of the repository, and warns of a Secret it cannot read', async () => {
    write(root, {
      ...CHART,
      'clusters/prod/payments.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        '  name: payments',
        '  namespace: flux-system',
        'spec:',
        '  targetNamespace: team-a',
        '  chart:',
        '    spec:',
        '      chart: ./charts/payments',
        '      sourceRef:',
        '        kind: GitRepository',
        '        name: platform',
        '  valuesFrom:',
        '    - kind: ConfigMap',
        '      name: payments-values',
        '    - kind: Secret',
        '      name: payments-secret-values',
        '  values:',
        '    serviceAccount:',
        '      roleArn: arn:aws:iam::111122223333:role/payments-flux',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: payments-values',
        '  namespace: flux-system',
        'data:',
        '  values.yaml: |',
        '    serviceAccount:',
        '      name: default',
        '',
      ].join('\n'),
    });
    const tool = standInTool('helm', 'render');
    onPath(tool.bin);
    const result = await scan({ paths: [root], root });
    expect(tool.records()[0]!.argv).toEqual(['template', '--namespace=team-a', '--skip-tests', '--values=values/0-0.yaml', '--values=values/0-1.yaml', '--', 'team-a-payments', './chart']);
    expect(result.findings.map((f) => [f.ruleId, relative(root, f.location.file), f.location.position?.line])).toEqual([['k8s-identity-on-default-sa', 'clusters/prod/payments.yaml', 21]]);
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'unresolved', level: 'warning', line: 17, message: expect.stringContaining('valuesFrom Secret payments-secret-values is not in the repository') }));
    const inventory = await collectInventory({ paths: [root], root });
    const sa = inventory.resources.find((r) => r.type === 'k8s.ServiceAccount')!;
    // The ConfigMap's block scalar is read line for line: the name is traced into it.
    expect(sa.positions['/metadata/name']).toMatchObject({ file: join(root, 'clusters/prod/payments.yaml'), line: 31 });
  });

  it('stops a tool at the time cap, with the processes it started', async () => {
    write(root, CHART);
    const tool = standInTool('helm', 'sleep');
    onPath(tool.bin);
    const result = await scan({ paths: [root], root, tools: { timeoutMs: 500 } });
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'limit', level: 'error', file: join(root, 'charts/payments/Chart.yaml'), message: expect.stringContaining('did not finish within 0.5 s and was stopped') }));
    expect(result.summary.partial).toBe(true);
    const child = tool.records().find((r) => r.child !== undefined)?.child;
    expect(child).toBeTypeOf('number');
    await expect.poll(() => alive(child!), { timeout: 10_000 }).toBe(false);
  });

  it('keeps no part of a secret that values render into a Secret', async () => {
    const { keyId, secretKey } = fakeCredentials();
    write(root, {
      ...CHART,
      'charts/payments/values.yaml': `aws:\n  keyId: ${keyId}\n  secretKey: ${secretKey}\n`,
      'charts/payments/templates/sa.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_ACCESS_KEY_ID: {{ .Values.aws.keyId }}\n  AWS_SECRET_ACCESS_KEY: {{ .Values.aws.secretKey }}\n',
    });
    onPath(standInTool('helm', 'render').bin);
    const result = await scan({ paths: [root], root });
    // The finding points at the values line that holds the secret: where a reviewer removes it.
    expect(result.findings.map((f) => [f.ruleId, relative(root, f.location.file), f.location.position?.line])).toEqual([['k8s-static-cloud-credentials', 'charts/payments/values.yaml', 2]]);
    const inventory = await collectInventory({ paths: [root], root });
    expectNoneLeaked([{ what: 'report', text: JSON.stringify(result) }, { what: 'inventory', text: renderInventory(inventory) }], secretWindows(secretKey, keyId));
  });

  it("runs no more tools once the scan's time for them is spent", async () => {
    write(root, CHART);
    write(root, Object.fromEntries(Object.entries(CHART).map(([k, v]) => [k.replace('payments', 'billing'), v])));
    onPath(standInTool('helm', 'sleep').bin);
    const result = await scan({ paths: [root], root, tools: { timeoutMs: 300, totalMs: 300 } });
    expect(result.notes.filter((n) => n.kind === 'limit').map((n) => [relative(root, n.file!), n.message.replace(/^.*helm template /, '')])).toEqual([
      ['charts/billing/Chart.yaml', 'did not finish within 0.3 s and was stopped'],
      ['charts/payments/Chart.yaml', "was not run: the scan's time for external tools (0.3 s) is spent"],
    ]);
  });

  it('stops a tool at the output cap', async () => {
    write(root, CHART);
    onPath(standInTool('helm', 'flood').bin);
    const result = await scan({ paths: [root], root, maxFileBytes: 200_000 });
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'limit', level: 'error', message: expect.stringContaining('wrote more than 200000 bytes and was stopped') }));
  });

  it('names a chart helm cannot render, with the first line helm said and no quoted text', async () => {
    write(root, CHART);
    onPath(standInTool('helm', 'fail').bin);
    const result = await scan({ paths: [root], root });
    expect(result.notes).toContainEqual({ kind: 'parse-error', level: 'error', file: join(root, 'charts/payments/Chart.yaml'), line: 1, message: 'Helm chart charts/payments, chart defaults: helm template exited with status 1: Error: template: app/templates/sa.yaml:3:4: function "…" not defined' });
  });

  it('runs no tool when external tools are turned off', async () => {
    write(root, CHART);
    const tool = standInTool('helm', 'render');
    onPath(tool.bin);
    const inventory = await collectInventory({ paths: [root], root, tools: { enabled: false } });
    expect(tool.records()).toEqual([]);
    expect(inventory.notes.map((n) => n.message)).toEqual(['Helm chart charts/payments: external tools are turned off (--no-external-tools); it is not analysed']);
  });
});

/** What every run must look like: in a copy outside the repository, with nothing of podtrust's environment. */
function expectConfined(run: StandInRecord, repository: string): void {
  expect(relative(repository, run.cwd).startsWith('..')).toBe(true);
  // Every path it is given lies in the copy, and is relative to it.
  expect(run.argv.filter((a) => a.includes(repository) || a.startsWith('/') || a.includes('=/') || a.includes('..'))).toEqual([]);
  expect(relative(realpathSync(tmpdir()), run.cwd).startsWith('..')).toBe(false);
  expect(Object.keys(run.env).filter((k) => !ALLOWED_ENV.test(k))).toEqual([]);
  expect(run.env['HOME']!.startsWith(dirname(run.cwd))).toBe(true);
  for (const [k, v] of Object.entries(run.env)) if (k.startsWith('HELM_') && k !== 'HELM_NO_PLUGINS') expect(v.startsWith(dirname(run.cwd))).toBe(true);
  expect(run.files.filter((f) => f.type === 'link')).toEqual([]);
  expect(run.limits).toMatch(/Max address space\s+4294967296\s/);
  if (networkIsolationAvailable()) expect(run.interfaces.filter((i) => i !== 'lo')).toEqual([]);
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

describe('the Helm pass and the input ledger', () => {
  it('accounts every chart file, and the values files a release gives it, as a Helm chart', async () => {
    write(root, { ...CHART, 'envs/prod-values.yaml': PROD_VALUES, 'apps/payments.yaml': ARGO_APP });
    const chart = join(root, 'charts/payments');
    const opts = { root, limits: DEFAULT_LIMITS };
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'podtrust-empty-path-'));
    const without = await renderCharts({ charts: [chart], structured: [], bytes: 0 }, emptyResult(), opts);
    expect(without.accounts?.map((a) => [relative(root, a.file), a.format, a.state]).sort()).toEqual([
      ['charts/payments/Chart.yaml', 'Helm chart', 'not-analysed'],
      ['charts/payments/templates/_helpers.tpl', 'Helm chart', 'not-analysed'],
      ['charts/payments/templates/sa.yaml', 'Helm chart', 'not-analysed'],
      ['charts/payments/values.yaml', 'Helm chart', 'not-analysed'],
    ]);
    onPath(standInTool('helm', 'render').bin);
    const collected = await collectInventory({ paths: [join(root, 'apps')], root, tools: { enabled: false } });
    const rendered = await renderCharts({ charts: [chart], structured: [], bytes: 0 }, { ...emptyResult(), resources: collected.resources }, opts);
    expect(rendered.accounts?.map((a) => [relative(root, a.file), a.state]).sort()).toEqual([
      ['charts/payments/Chart.yaml', 'analysed'],
      ['charts/payments/templates/_helpers.tpl', 'analysed'],
      ['charts/payments/templates/sa.yaml', 'analysed'],
      ['charts/payments/values.yaml', 'analysed'],
      ['envs/prod-values.yaml', 'analysed'],
    ]);
  });
});

describe('tracing rendered values to values lines', () => {
  const at = (line: number) => ({ file: 'values.yaml', line, column: 1, endLine: line, endColumn: 1 });
  const entries: ValuesEntry[] = [
    { path: ['a', 'role'], value: 'arn:x', position: at(1) },
    { path: ['b', 'role'], value: 'arn:x', position: at(2) },
    { path: ['c', 'name'], value: 'api', position: at(3) },
    { path: ['c', 'name'], value: 'web', position: at(4) },
  ];
  it('maps a value only to the one entry the template reads', () => {
    expect(traceValue('arn:x', entries, templateReads(['{{ .Values.a.role }}']))?.line).toBe(1);
    expect(traceValue('arn:x', entries, templateReads(['{{ toYaml .Values.b | nindent 2 }}']))?.line).toBe(2);
  });
  it('places inline values line for line only in a literal block scalar', () => {
    const file = 'spec:\n  helm:\n    values: |\n      a:\n        role: x\n    other: 1\n';
    const shift = blockScalarShift(file, { line: 3, column: 5, endLine: 3, endColumn: 11 });
    expect(shift?.({ line: 2, column: 3, endLine: 2, endColumn: 10 })).toEqual({ line: 5, column: 9, endLine: 5, endColumn: 16 });
    expect(blockScalarShift('values: "a: 1"\n', { line: 1, column: 1, endLine: 1, endColumn: 7 })).toBeUndefined();
    expect(blockScalarShift('values: >\n  a: 1\n', { line: 1, column: 1, endLine: 1, endColumn: 7 })).toBeUndefined();
  });
  it('does not guess between entries, nor map a value the template does not read, nor an overridden one', () => {
    expect(traceValue('arn:x', entries, templateReads(['{{ .Values.a.role }} {{ .Values.b.role }}']))).toBeUndefined();
    expect(traceValue('arn:x', entries, templateReads(['{{ .Values.other }}']))).toBeUndefined();
    expect(traceValue('api', entries, templateReads(['{{ .Values.c.name }}']))).toBeUndefined();
    expect(traceValue('web', entries, templateReads(['{{ .Values.c.name }}']))?.line).toBe(4);
  });
});

describe('the command line', () => {
  it('names the helm program with --helm, turns tools off with --no-external-tools, and checks --tool-timeout', () => {
    write(root, CHART);
    const tool = standInTool('helm', 'render');
    const named = runCli(['scan', root, '--root', root, '--format', 'json', '--fail-on', 'none', '--helm', join(tool.bin, 'helm'), '--tool-timeout', '30']);
    expect(named.status).toBe(0);
    expect((JSON.parse(named.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toEqual(['k8s-identity-on-default-sa']);
    expect(tool.records()).toHaveLength(1);

    const off = runCli(['scan', root, '--root', root, '--format', 'json', '--fail-on', 'none', '--helm', join(tool.bin, 'helm'), '--no-external-tools']);
    expect((JSON.parse(off.stdout) as { notes: { message: string }[] }).notes.map((n) => n.message)).toEqual(['Helm chart charts/payments: external tools are turned off (--no-external-tools); it is not analysed']);
    expect(tool.records()).toHaveLength(1);

    const bad = runCli(['scan', root, '--root', root, '--tool-timeout', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tool-timeout takes a number of seconds (got "soon")');
  });
});
