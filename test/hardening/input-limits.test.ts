/** `--max-depth`, `--max-document-values` and `--workers` through the CLI: the note names the flag that raises the limit. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-limits-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** An IAM role whose trust policy sits under `depth` levels of wrapping arrays. */
const deepJson = (depth: number): string => '['.repeat(depth) + '{"a":1}' + ']'.repeat(depth);

/** Ten anchors, each a list of ten aliases of the previous one: 10^10 values once expanded. */
function aliasBomb(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: lol', 'data:', '  a0: &a0 ["lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('document limits with flags', () => {
  it('nesting over the default is an error naming --max-depth; the flag raises it', () => {
    const dir = repo({ 'deep.json': deepJson(300) });
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/deep\.json:1: error: nesting deeper than 256 levels; raise the limit with --max-depth/);
    const raised = runCli(['scan', dir, '--root', dir, '--format', 'json', '--max-depth', '400']);
    expect(raised.stderr).not.toMatch(/nesting deeper/);
    expect(raised.status).toBe(0);
    const lowered = runCli(['scan', dir, '--root', dir, '--format', 'json', '--max-depth', '10']);
    expect(lowered.stderr).toMatch(/nesting deeper than 10 levels; raise the limit with --max-depth/);
  });

  it('an alias bomb stops at the value limit, naming --max-document-values', () => {
    const dir = repo({ 'bomb.yaml': aliasBomb(), 'small.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: web\n' });
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--max-document-values', '5000']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml:\d+: error: document expands to more than 5000 values \(alias bomb\?\); raise the limit with --max-document-values/);
    const report = JSON.parse(r.stdout) as { summary: { resources: number } };
    // The other file is still read.
    expect(report.summary.resources).toBe(1);
  });

  it('refuses values that are not positive whole numbers', () => {
    for (const [flag, value] of [['--max-depth', '0'], ['--max-depth', 'deep'], ['--max-document-values', '5k'], ['--max-document-values', '1.5']]) {
      const r = runCli(['scan', '.', flag!, value!]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${flag} takes a positive whole number (got "${value}")`);
    }
  });

  it('--workers 0 reads on the main thread alone and finds what threads find; other values are refused', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      files[`sa-${i}.yaml`] = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-${i}\n  namespace: default\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/r-${i}\n`;
      files[`role-${i}.json`] = JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: `r-${i}`, AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC' }, Action: 'sts:AssumeRoleWithWebIdentity' }] } } } } });
    }
    const dir = repo(files);
    const findings = (workers: string): unknown => {
      const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--workers', workers]);
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as { findings: unknown[]; summary: { resources: number } };
      expect(report.summary.resources).toBeGreaterThanOrEqual(24);
      return report.findings;
    };
    const alone = findings('0');
    expect((alone as unknown[]).length).toBeGreaterThan(0);
    expect(findings('2')).toEqual(alone);
    for (const value of ['-1', 'two', '65', '1.5']) {
      const r = runCli(['scan', dir, `--workers=${value}`]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--workers takes a number of threads from 0 to 64 (got "${value}")`);
    }
  });

  it('--request-timeout needs a live source and a number of seconds', () => {
    expect(runCli(['scan', '.', '--request-timeout', '5']).stderr).toMatch(/--request-timeout needs a live source/);
    expect(runCli(['scan', '--aws', '--request-timeout', 'soon']).stderr).toMatch(/--request-timeout takes a number of seconds \(got "soon"\)/);
  });

  it('documents the flags in --help', () => {
    const help = runCli(['scan', '--help']).stdout;
    for (const flag of ['--max-depth N', '--max-document-values N', '--request-timeout SECONDS', '--max-response-size SIZE', '--workers N']) expect(help).toContain(flag);
  });
});
