/**
 * One bad input never ends or silently changes a scan: a Terraform root that spends its
 * evaluation budget, or an input whose collection throws unexpectedly, becomes an error note for
 * that input; the other inputs' findings stand and the exit is 2. A worker thread that dies has
 * its jobs collected in the main thread, and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';
import { buildSarif } from '../src/reporters/sarif.js';
import { errorSummary, isolatedSource } from '../src/collectors/isolate.js';
import type { CoverageNote } from '../src/model/types.js';

type Api = typeof import('../src/bench-entry.js');
const api = async (): Promise<Api> => (await import(join(REPO, 'build', 'bench.js'))) as Api;

const SERVICE_ACCOUNT = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${name}\n  annotations:\n    iam.gke.io/gcp-service-account: ${name}@p.iam.gserviceaccount.com\n`;

/** An IRSA role that trusts the whole cluster, for any audience: two findings on its trust policy (line 3). */
const OPEN_ROLE = `resource "aws_iam_role" "open" {
  name               = "open"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" } }] })
}
`;

/** 1024³ elements if it were ever evaluated in full. */
const NESTED_FOR = `locals {
  cube = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : "\${a}-\${b}-\${c}"]]]
}

resource "aws_iam_role" "bomb" {
  name               = "bomb-\${length(local.cube)}"
  assume_role_policy = jsonencode({ Statement = [] })
}
`;

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-isolation-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface JsonReport {
  findings: { ruleId: string; location: { file: string; line: number } }[];
  notes: CoverageNote[];
  summary: { partial: boolean };
}

function scanJson(dir: string, env: Record<string, string> = {}, extra: string[] = []): { status: number | null; report: JsonReport; stderr: string } {
  const r = runCli(['scan', dir, '--root', dir, '--format', 'json', ...extra], { env });
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const found = (report: JsonReport): string[] => report.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`).sort();

afterEach(() => {
  delete process.env.PODTRUST_TEST_THROW_ON;
  delete process.env.PODTRUST_TEST_CRASH_ON;
});

describe('the Terraform evaluation budget', () => {
  it('stops a root of nested for expressions with a note naming root, file, line and limit; the other inputs are scanned', () => {
    const dir = repo({ 'k8s/sa.yaml': SERVICE_ACCOUNT('shop'), 'bomb/main.tf': NESTED_FOR, 'infra/main.tf': OPEN_ROLE });
    const { status, report } = scanJson(dir);
    expect(status).toBe(2);
    expect(report.summary.partial).toBe(true);
    expect(report.notes.filter((n) => n.kind === 'limit')).toEqual([
      {
        kind: 'limit',
        level: 'error',
        file: 'bomb/main.tf',
        line: 2,
        message: 'Terraform root bomb: evaluation stopped after 1000000 steps (the limit per root module); the values not computed by then are unknown',
      },
    ]);
    expect(found(report)).toEqual(['aws-trust-aud-missing infra/main.tf:3', 'aws-trust-sub-missing infra/main.tf:3', 'k8s-identity-on-default-sa k8s/sa.yaml:7']);
    // What the bomb's root could not compute is unknown, and said to be: no rule guessed at its role.
    expect(report.notes).toContainEqual(expect.objectContaining({ kind: 'unresolved', file: 'bomb/main.tf', line: 7 }));
  });
});

describe('an input whose collection throws unexpectedly', () => {
  const inputs = { 'k8s/sa.yaml': SERVICE_ACCOUNT('shop'), 'k8s/other.yaml': SERVICE_ACCOUNT('other'), 'infra/main.tf': OPEN_ROLE, 'more/main.tf': OPEN_ROLE };

  it('a YAML file: an internal-error note names it, the other files are scanned, exit 2, no stack trace', () => {
    const dir = repo(inputs);
    const { status, report, stderr } = scanJson(dir, { PODTRUST_TEST_THROW_ON: 'other.yaml' });
    expect(status).toBe(2);
    expect(report.notes).toEqual([{ kind: 'internal-error', level: 'error', file: 'k8s/other.yaml', line: 1, message: 'internal error: TypeError: PODTRUST_TEST_THROW_ON: failure injected while collecting other.yaml' }]);
    expect(found(report)).toEqual(['aws-trust-aud-missing infra/main.tf:3', 'aws-trust-aud-missing more/main.tf:3', 'aws-trust-sub-missing infra/main.tf:3', 'aws-trust-sub-missing more/main.tf:3', 'k8s-identity-on-default-sa k8s/sa.yaml:7']);
    expect(stderr).toBe('k8s/other.yaml:1: error: internal error: TypeError: PODTRUST_TEST_THROW_ON: failure injected while collecting other.yaml\n');
  });

  it('a Terraform file: the error thrown inside evaluation is not taken for an unknown value; its root is named, the other root scanned', () => {
    const dir = repo({ ...inputs, 'more/main.tf': OPEN_ROLE.replace('"open"', '"more"'), 'more/extra.tf': 'resource "aws_iam_role" "extra" {\n  name = "extra"\n}\n' });
    const { status, report, stderr } = scanJson(dir, { PODTRUST_TEST_THROW_ON: 'extra.tf' });
    expect(status).toBe(2);
    expect(report.notes).toEqual([
      {
        kind: 'internal-error',
        level: 'error',
        file: 'more/extra.tf',
        line: 2,
        message: 'internal error: TypeError: PODTRUST_TEST_THROW_ON: failure injected while collecting extra.tf (Terraform root more; its resources are not analysed)',
      },
    ]);
    expect(found(report)).toEqual(['aws-trust-aud-missing infra/main.tf:3', 'aws-trust-sub-missing infra/main.tf:3', 'k8s-identity-on-default-sa k8s/other.yaml:7', 'k8s-identity-on-default-sa k8s/sa.yaml:7']);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('in a worker thread: the same notes and findings as in the main thread', async () => {
    const { scan } = await api();
    const dir = repo(inputs);
    process.env.PODTRUST_TEST_THROW_ON = 'other.yaml';
    // Two jobs (the Terraform roots, the YAML files), both handed to the worker thread before the
    // main thread takes one: the crash below, which happens only in a worker, shows it.
    const sequential = await scan({ paths: [dir], root: dir, workers: 0 });
    const parallel = await scan({ paths: [dir], root: dir, workers: 2 });
    expect(sequential.notes).toEqual([expect.objectContaining({ kind: 'internal-error', file: join(dir, 'k8s/other.yaml') })]);
    expect(parallel.notes).toEqual(sequential.notes);
    expect(parallel.findings).toEqual(sequential.findings);
    expect(new Set(parallel.findings.map((f) => f.location.file))).toEqual(new Set([join(dir, 'infra/main.tf'), join(dir, 'k8s/sa.yaml'), join(dir, 'more/main.tf')]));
    expect(parallel.summary.partial).toBe(true);
  });
});

describe('a worker thread that dies', () => {
  it('has its jobs collected in the main thread, with a worker-failed note in JSON and SARIF', async () => {
    const { scan } = await api();
    const dir = repo({ 'k8s/sa.yaml': SERVICE_ACCOUNT('shop'), 'k8s/other.yaml': SERVICE_ACCOUNT('other'), 'infra/main.tf': OPEN_ROLE });
    process.env.PODTRUST_TEST_CRASH_ON = 'other.yaml';
    const sequential = await scan({ paths: [dir], root: dir, workers: 0 });
    const parallel = await scan({ paths: [dir], root: dir, workers: 2 });
    expect(sequential.notes).toEqual([]);
    expect(parallel.findings).toEqual(sequential.findings);
    expect(parallel.findings.map((f) => f.location.file)).toContain(join(dir, 'k8s/other.yaml'));
    const note = { kind: 'worker-failed', level: 'note', message: 'a worker thread failed (exited with code 70); the jobs it had not finished were collected in the main thread' };
    expect(parallel.notes).toEqual([note]);
    expect(parallel.summary.partial).toBe(false);
    const notifications = buildSarif(parallel).runs[0]!.invocations![0]!.toolExecutionNotifications;
    expect(notifications).toEqual([{ level: 'note', message: { text: note.message }, properties: { kind: 'worker-failed' } }]);
  });

  // The CLI starts worker threads only on a machine with two or more cores.
  it.skipIf(availableParallelism() < 2)('is named on stderr with --verbose, and only then', () => {
    // Enough input for the CLI to start its worker threads (it does above 2 MiB).
    const files: Record<string, string> = { 'infra/main.tf': OPEN_ROLE };
    const padding = `# ${'x'.repeat(1022)}\n`.repeat(100);
    // Files of one size: jobs are handed out in file order, the first ones to the worker thread.
    for (let i = 10; i < 40; i++) files[`k8s/sa-${i}.yaml`] = padding + SERVICE_ACCOUNT(`ns-${i}`);
    const dir = repo(files);
    const env = { PODTRUST_TEST_CRASH_ON: 'sa-10.yaml' };
    const verbose = scanJson(dir, env, ['--verbose']);
    expect(verbose.status).toBe(1);
    expect(verbose.report.findings).toHaveLength(32);
    expect(verbose.report.notes).toEqual([expect.objectContaining({ kind: 'worker-failed', level: 'note' })]);
    expect(verbose.stderr).toMatch(/^podtrust: a worker thread failed \(exited with code 70\); the jobs it had not finished were collected in the main thread$/m);
    const quiet = scanJson(dir, env);
    expect(quiet.report.notes).toEqual(verbose.report.notes);
    expect(quiet.stderr).toBe('');
  });
});

describe('a live source that throws unexpectedly', () => {
  it('is a note naming the source; nothing it had read is kept', async () => {
    const result = await isolatedSource('live source aws', () => Promise.reject(new TypeError('client.send is not a function')));
    expect(result).toEqual({
      resources: [],
      clusters: [],
      notes: [{ kind: 'internal-error', level: 'error', message: 'internal error: TypeError: client.send is not a function (live source aws; what it had read is left out)' }],
    });
  });
});

describe('the message of an internal error', () => {
  it('is the first line of the error, bounded, without what it quotes (which can be input, even a secret)', () => {
    let parseError: unknown;
    try {
      JSON.parse('{"key": wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}');
    } catch (e) {
      parseError = e;
    }
    expect(errorSummary(parseError)).not.toMatch(/wJalr/);
    expect(errorSummary(parseError)).toMatch(/^SyntaxError: /);
    expect(errorSummary(new TypeError("Cannot read properties of undefined (reading 'AKIAIOSFODNN7EXAMPLE')"))).toBe("TypeError: Cannot read properties of undefined (reading '…')");
    expect(errorSummary(new Error('first line\n    at frame (file.js:1:1)'))).toBe('Error: first line');
    expect(errorSummary(new Error('\u001b]8;;x\u0007' + 'x'.repeat(500)))).toHaveLength(161);
    expect(errorSummary('a string')).toBe('thrown string');
  });
});
