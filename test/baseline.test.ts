import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, newFindingCount, parseBaseline } from '../src/baseline/baseline.js';
import { PodtrustError } from '../src/errors.js';
import { renderJson } from '../src/reporters/json.js';
import { renderSarif } from '../src/reporters/sarif.js';
import { runCli } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';
import { sampleResult } from './reporters/sample-result.js';

describe('parseBaseline', () => {
  it('reads podtrust fingerprints from SARIF and from the JSON report', () => {
    const result = sampleResult();
    const all = new Set(result.findings.map((f) => f.fingerprint));
    expect(parseBaseline(renderSarif(result), 'a.sarif')).toEqual({ fingerprints: all, format: 'sarif' });
    expect(parseBaseline(renderJson(result), 'a.json')).toEqual({ fingerprints: all, format: 'json' });
  });

  it('ignores other tools’ fingerprints and rejects what is not a report', () => {
    const other = JSON.stringify({ runs: [{ results: [{ partialFingerprints: { primaryLocationLineHash: 'x' } }] }] });
    expect(parseBaseline(other, 'o.sarif').fingerprints.size).toBe(0);
    expect(() => parseBaseline('{', 'broken.sarif')).toThrow(PodtrustError);
    expect(() => parseBaseline('{"hello":1}', 'x.json')).toThrow(/neither a SARIF log nor a podtrust JSON report/);
  });
});

describe('applyBaseline', () => {
  const result = sampleResult();
  const known = new Set([result.findings[0]!.fingerprint]);

  it('marks findings new or unchanged and keeps them all', () => {
    const marked = applyBaseline(result, { fingerprints: known, format: 'sarif' });
    expect(marked.findings.map((f) => f.baselineState)).toEqual(result.findings.map((f, i) => (i === 0 ? 'unchanged' : 'new')));
    expect(marked.summary.bySeverity).toEqual({ critical: 1, high: 1, medium: 1, low: 1 });
    expect(result.findings[0]!.baselineState).toBeUndefined();
  });

  it('keeps only new findings with onlyNew and recounts the summary', () => {
    const only = applyBaseline(result, { fingerprints: known, format: 'sarif' }, { onlyNew: true });
    expect(only.findings).toHaveLength(result.findings.length - 1);
    expect(only.findings.every((f) => f.baselineState === 'new')).toBe(true);
    expect(only.summary.bySeverity.critical).toBe(result.summary.bySeverity.critical - 1);
    expect(newFindingCount(only.findings)).toBe(only.summary.findings);
  });
});

describe('podtrust scan --baseline', () => {
  function estate(): string {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-baseline-'));
    cpSync(join(REPO, 'fixtures', 'demo'), dir, { recursive: true });
    return dir;
  }

  it('finds nothing new after lines move and files are reformatted', () => {
    const dir = estate();
    const base = join(dir, 'base.json');
    expect(runCli(['scan', '.', '--root', dir, '--format', 'json', '-o', base, '--fail-on', 'none'], { cwd: dir }).status).toBe(0);
    const main = join(dir, 'terraform', 'eks', 'main.tf');
    writeFileSync(main, `\n\n# reformatted\n${readFileSync(main, 'utf8').replace(/\n/g, '\n\n')}`);
    const role = join(dir, 'ci', 'github-deploy-role.json');
    writeFileSync(role, JSON.stringify(JSON.parse(readFileSync(role, 'utf8')), null, 8));
    const run = runCli(['scan', '.', '--root', dir, '--baseline', base, '--only-new', '--format', 'json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
    const all = runCli(['scan', '.', '--root', dir, '--baseline', base, '--format', 'sarif', '--fail-on', 'none'], { cwd: dir });
    const states = JSON.parse(all.stdout).runs[0].results.map((r: { baselineState: string }) => r.baselineState);
    expect(states).toEqual(Array(10).fill('unchanged'));
  });

  it('reports and fails only on what the change introduced', () => {
    const dir = estate();
    const base = join(dir, 'base.sarif');
    runCli(['scan', '.', '--root', dir, '--format', 'sarif', '-o', base, '--fail-on', 'none'], { cwd: dir });
    const role = join(dir, 'k3s', 'edge-sync-role.json');
    // A copy of a role under a new name: a new resource with the same two problems.
    writeFileSync(join(dir, 'k3s', 'edge-copy.json'), readFileSync(role, 'utf8').replace(/edge-sync/g, 'edge-copy'));
    const run = runCli(['scan', '.', '--root', dir, '--baseline', base, '--only-new', '--format', 'json', '--fail-on', 'high'], { cwd: dir });
    const findings = JSON.parse(run.stdout).findings as { ruleId: string; baselineState: string; resource: { name: string } }[];
    expect(findings.map((f) => [f.ruleId, f.resource.name, f.baselineState])).toEqual([
      ['aws-trust-sub-wildcard', 'edge-copy', 'new'],
      ['aws-trust-stringlike-literal', 'edge-copy', 'new'],
    ]);
    expect(run.status).toBe(1);
    expect(runCli(['scan', '.', '--root', dir, '--baseline', base, '--only-new', '--fail-on', 'critical', '--format', 'json'], { cwd: dir }).status).toBe(0);
  });

  it('rejects --only-new without a baseline and an unreadable baseline', () => {
    expect(runCli(['scan', 'fixtures/demo', '--only-new']).status).toBe(2);
    const missing = runCli(['scan', 'fixtures/demo', '--baseline', '/nonexistent/base.sarif']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('baseline /nonexistent/base.sarif: cannot read: ENOENT');
  });
});
