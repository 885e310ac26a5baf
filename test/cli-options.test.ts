import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

const DEFAULT_SA = ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: default', '  namespace: shop', '  annotations:', '    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop', ''].join('\n');

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-options-'));
  for (const folder of ['dev', 'staging', 'prod', 'legacy/keep', 'legacy/drop']) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'sa.yaml'), DEFAULT_SA);
  }
  return dir;
}

function files(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: { location: { file: string } }[] };
  return report.findings.map((f) => f.location.file).sort();
}

describe('command-line options as users type them', () => {
  it('excludes with braces, classes and re-includes', () => {
    const dir = repo();
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--exclude', '{dev,staging}', '--exclude', 'legacy/**', '--exclude', '!legacy/keep/**']);
    expect(r.status).toBe(0);
    // legacy/ itself is excluded, so (as in .gitignore) nothing under it comes back.
    expect(files(r.stdout)).toEqual(['prod/sa.yaml']);
    const classes = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--exclude', '[ds]*/**']);
    expect(files(classes.stdout)).toEqual(['legacy/drop/sa.yaml', 'legacy/keep/sa.yaml', 'prod/sa.yaml']);
    const bad = runCli(['scan', dir, '--root', dir, '--exclude', '[dev']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--exclude: glob "[dev": "[" has no closing "]"');
  });

  it('names a bad glob in the configuration file with its line', () => {
    const dir = repo();
    writeFileSync(join(dir, '.podtrust.yaml'), 'exclude:\n  - dev\n  - "{a,b"\n  - "[x"\n');
    const r = runCli(['scan', dir, '--root', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.podtrust\.yaml:4: glob "\[x": "\[" has no closing "\]"/);
  });

  it('takes enumerated values in any letter case and suggests what was meant', () => {
    const dir = repo();
    const upper = runCli(['scan', dir, '--root', dir, '--format', 'JSON', '--fail-on', 'HIGH']);
    expect(upper.status).toBe(0);
    expect(JSON.parse(upper.stdout)).toHaveProperty('findings');
    const typo = runCli(['scan', dir, '--format', 'jsno']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('(did you mean "json"?)');
    const flag = runCli(['scan', dir, '--fromat', 'json']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--fromat' (did you mean --format?)");
    const command = runCli(['sacn', dir]);
    expect(command.stderr).toContain('(did you mean "scan"?)');
  });

  it('selects and skips rules on the command line', () => {
    const dir = repo();
    const only = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--rule', 'k8s-identity-on-default-sa']);
    const ids = (JSON.parse(only.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ids.length).toBe(5);
    expect(new Set(ids)).toEqual(new Set(['k8s-identity-on-default-sa']));
    const skipped = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--skip-rule', 'aws-irsa-trust-mismatch,k8s-identity-on-default-sa']);
    expect((JSON.parse(skipped.stdout) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId === 'k8s-identity-on-default-sa')).toEqual([]);
    const unknown = runCli(['scan', dir, '--rule', 'k8s-identity-on-default']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--rule: unknown rule "k8s-identity-on-default" (did you mean "k8s-identity-on-default-sa"?)');
  });

  it('colours when FORCE_COLOR asks, even into a pipe, and not when it says 0', () => {
    const dir = repo();
    const forced = runCli(['scan', dir, '--root', dir, '--fail-on', 'none'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const off = runCli(['scan', dir, '--root', dir, '--fail-on', 'none'], { env: { FORCE_COLOR: '0' } });
    expect(off.stdout).not.toContain('\u001b[');
  });

  it('marks new rows in the table against a baseline', () => {
    const dir = repo();
    const baseline = join(dir, 'base.json');
    runCli(['scan', join(dir, 'prod'), '--root', dir, '--format', 'json', '--output', baseline, '--fail-on', 'none']);
    const r = runCli(['scan', join(dir, 'prod'), join(dir, 'dev'), '--root', dir, '--baseline', baseline, '--fail-on', 'none'], { env: { COLUMNS: '200' } });
    const rows = r.stdout.split('\n').filter((l) => l.includes('k8s-identity-on-default-sa'));
    expect(rows.filter((l) => l.includes('(new)')).length).toBe(1);
    expect(rows.filter((l) => l.includes('dev/sa.yaml'))[0]).toContain('(new)');
    expect(rows.filter((l) => l.includes('prod/sa.yaml'))[0]).not.toContain('(new)');
  });

  it('writes several reports from one scan with --report FORMAT=PATH', () => {
    const dir = repo();
    const out = join(dir, 'out');
    const r = runCli(['scan', join(dir, 'prod'), '--root', dir, '--fail-on', 'none', '--report', 'SARIF=' + join(out, 'p.sarif'), '--report', `junit=${join(out, 'p.xml')}`, '--report', `csv=${join(out, 'p.csv')}`, '--report', `gitlab=${join(out, 'gl.json')}`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('k8s-identity-on-default-sa');
    expect(JSON.parse(readFileSync(join(out, 'p.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
    expect(readFileSync(join(out, 'p.xml'), 'utf8')).toContain('classname="k8s-identity-on-default-sa"');
    expect(readFileSync(join(out, 'p.csv'), 'utf8').split('\r\n').filter((l) => l !== '')).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'gl.json'), 'utf8')).vulnerabilities[0].location).toEqual({ file: 'prod/sa.yaml', start_line: 7, end_line: 7 });
    const asff = runCli(['scan', join(dir, 'prod'), '--root', dir, '--format', 'asff'], { env: { AWS_ACCOUNT_ID: '', AWS_REGION: 'eu-west-1' } });
    expect(asff.status).toBe(2);
    expect(asff.stderr).toContain('--asff-account ID or AWS_ACCOUNT_ID');
    const ok = runCli(['scan', join(dir, 'prod'), '--root', dir, '--format', 'asff', '--asff-account', '123456789012', '--fail-on', 'none'], { env: { AWS_REGION: 'eu-west-1' } });
    expect(JSON.parse(ok.stdout)[0].AwsAccountId).toBe('123456789012');
    const bad = runCli(['scan', dir, '--report', 'junit']);
    expect(bad.stderr).toContain('--report takes FORMAT=PATH');
  });
});
