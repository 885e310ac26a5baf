import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podtrust-cli-'));
}

const WIDE_ROLE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub': 'system:serviceaccount:*' } },
      },
    ],
  },
  null,
  2,
);

describe('podtrust CLI', () => {
  it('prints its version and help', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const v = runCli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(`podtrust ${pkg.version}`);
    const h = runCli(['scan', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('--fail-on');
    const c = runCli(['collect', '--help']);
    expect(c.status).toBe(0);
    expect(c.stdout).toMatch(/^Usage: podtrust collect/);
    expect(c.stdout).toContain('--output');
  });

  it('rejects unknown options and formats with exit 2 and a clear message', () => {
    const a = runCli(['scan', '--bogus']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/Unknown option '--bogus'/);
    const b = runCli(['scan', '--format', 'pdf']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--format must be one of table, json, sarif, markdown');
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 on findings at or above --fail-on, 0 below it, and writes the report either way', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trust.json'), WIDE_ROLE);
    const failing = runCli(['scan', dir, '--root', dir, '--format', 'json']);
    expect(failing.status).toBe(1);
    const report = JSON.parse(failing.stdout) as { findings: { ruleId: string; location: { file: string; line: number } }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
    const wild = report.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')!;
    expect(wild.location).toMatchObject({ file: 'trust.json', line: 12 });
    const passing = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none']);
    expect(passing.status).toBe(0);
    expect(passing.stdout).toBe(failing.stdout);
  });

  it('keeps scanning after a broken file, names it with its line, and exits 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trust.json'), WIDE_ROLE);
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [unclosed\n');
    writeFileSync(join(dir, 'binary.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02]));
    mkdirSync(join(dir, 'loop'));
    symlinkSync(dir, join(dir, 'loop', 'again'));
    const out = join(dir, 'out.sarif');
    const r = runCli(['scan', dir, '--root', dir, '--format', 'sarif', '--output', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+: error: /);
    expect(r.stderr).toMatch(/binary\.json:1: error: binary file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.some((x) => x.ruleId === 'aws-trust-sub-wildcard')).toBe(true);
  });

  it('reads a document stream from stdin', () => {
    const stream = [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: default',
      '  namespace: shop',
      '  annotations:',
      '    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop',
      '',
    ].join('\n');
    const r = runCli(['scan', '-', '--format', 'json', '--fail-on', 'medium'], { input: stream });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string; line: number } }[] };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'k8s-identity-on-default-sa', location: { file: '<stdin>', line: 7 } });
  });

  it('lists the rules in every format', () => {
    const table = runCli(['rules']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('aws-trust-sub-missing');
    const json = JSON.parse(runCli(['rules', '--format', 'json']).stdout) as { id: string; severity: string; remediation: string }[];
    expect(json.find((r) => r.id === 'aws-trust-sub-wildcard')?.severity).toBe('critical');
    expect(json.every((r) => r.remediation.length > 0)).toBe(true);
    expect(runCli(['rules', '--format', 'markdown']).stdout).toContain('| [`k8s-identity-on-default-sa`]');
  });

  it('reports a config error with file and line, exit 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.podtrust.yaml'), 'rules:\n  aws-trust-sub-missing: off\nignore:\n  - rule: aws-trust-sub-wildcard\n    path: "**"\n');
    const r = runCli(['scan', dir, '--root', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.podtrust\.yaml:4: .*reason/);
  });

  it('npm start scans the bundled demo and exits 0', () => {
    const r = runCli(['scan', 'fixtures/demo', '--fail-on', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/critical/);
  });

  it('holds standard input to the same limits and checks as files', () => {
    const big = runCli(['scan', '-', '--format', 'json', '--max-file-size', '1KB'], { input: 'a: ' + 'x'.repeat(5000) + '\n' });
    expect(big.status).toBe(2);
    expect(big.stderr).toContain('<stdin>:1: error: standard input is over the per-file limit of 1 KiB (--max-file-size)');
    const binary = runCli(['scan', '-', '--format', 'json'], { input: 'kind: x\u0000\n' });
    expect(binary.status).toBe(2);
    expect(binary.stderr).toContain('<stdin>:1: error: binary file');
  });

  it('collect refuses report options instead of ignoring them', () => {
    const r = runCli(['collect', 'fixtures/demo', '--format', 'sarif', '--fail-on', 'low']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('collect writes an inventory, not a report: --format, --fail-on belong to scan');
  });
});
