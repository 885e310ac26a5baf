import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSarif } from '../helpers/sarif-validate.js';
import { annotationsOf, nodeBinaries, runAction } from './run-action.js';
import { NO_SUB, SCOPED, role, workspace } from './workspace.js';

describe.each(nodeBinaries())('the bundled action on $name', ({ path: node }) => {
  it('passes a clean repository, writes the SARIF file, outputs and summary', () => {
    const ws = workspace({ 'iam/app.json': role('app', SCOPED) });
    const run = runAction(node, ws, { path: '.', 'fail-on': 'high', 'sarif-file': 'out/podtrust.sarif' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(annotationsOf(run.stdout)).toEqual([]);
    expect(run.outputs).toMatchObject({ critical: '0', high: '0', medium: '0', low: '0', 'new-findings': '0', 'sarif-file': join(ws, 'out', 'podtrust.sarif') });
    expect(run.summary).toContain('✅ passed (fail-on: high)');
    expect(run.summary).toContain('No findings');
    const sarif = JSON.parse(readFileSync(join(ws, 'out', 'podtrust.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'podtrust/' });
  });

  it('fails on the demo estate with annotations by severity, a summary and a valid SARIF log', async () => {
    const ws = workspace({}, true);
    const run = runAction(node, ws, { path: 'terraform k3s\nci k8s', 'fail-on': 'high' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::podtrust: 4 finding(s) at or above high');
    const annotations = annotationsOf(run.stdout).filter((a) => a.props.file !== undefined);
    expect(annotations.map((a) => a.kind)).toEqual(['error', 'error', 'error', 'error', 'warning', 'warning', 'notice', 'notice']);
    expect(annotations[0]!.props).toMatchObject({ file: 'terraform/eks/main.tf', line: '58', title: 'critical: aws-trust-sub-wildcard' });
    expect(annotations).toContainEqual(expect.objectContaining({ kind: 'warning', props: expect.objectContaining({ file: 'k8s/platform/default-sa.yaml', line: '7' }) }));
    expect(run.outputs).toMatchObject({ critical: '2', high: '2', medium: '2', low: '2', 'new-findings': '8' });
    expect(run.summary).toContain('❌ failed (fail-on: high)');
    expect(run.summary).toContain('| 2 | 2 | 2 | 2 | 0 |');
    expect(run.summary).toContain('[aws-trust-sub-missing](https://github.com/podtrust/podtrust/blob/main/docs/rules/aws-trust-sub-missing.md)');
    expect(run.summary).toContain('[terraform/eks/main.tf:76](https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/terraform/eks/main.tf#L76)');
    const text = readFileSync(join(ws, 'podtrust.sarif'), 'utf8');
    const sarif = JSON.parse(text);
    expect(sarif.runs[0].results).toHaveLength(8);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'terraform/eks/main.tf', uriBaseId: '%SRCROOT%' });
    const validation = await validateSarif(text);
    expect(validation.schemaErrors).toEqual([]);
    expect(validation.multitoolErrors).toEqual([]);
  });

  it('reports only what a change introduced against a baseline, whatever moved', () => {
    const ws = workspace({ 'iam/app.json': role('app', SCOPED) }, true);
    const base = runAction(node, ws, { 'fail-on': 'none', 'sarif-file': 'base.sarif' });
    expect(base.status).toBe(0);
    // The change: lines move in a file with findings, and one new role trusts every ServiceAccount.
    const main = join(ws, 'terraform', 'eks', 'main.tf');
    writeFileSync(main, `# moved down\n\n\n${readFileSync(main, 'utf8')}`);
    writeFileSync(join(ws, 'iam', 'wide.json'), role('wide', NO_SUB));
    const run = runAction(node, ws, { 'fail-on': 'high', baseline: 'base.sarif', 'only-new': 'true' });
    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ critical: '1', high: '0', medium: '0', low: '0', 'new-findings': '1' });
    const annotations = annotationsOf(run.stdout).filter((a) => a.props.file !== undefined);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]!.props).toMatchObject({ file: 'iam/wide.json', title: 'critical: aws-trust-sub-missing' });
    expect(run.summary).toContain('| critical | high | medium | low | suppressed | new |');
    const sarif = JSON.parse(readFileSync(join(ws, 'podtrust.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toEqual(['new']);
  });

  it('marks but keeps unchanged findings without only-new, and annotates only the new ones', () => {
    const ws = workspace({}, true);
    runAction(node, ws, { 'fail-on': 'none', 'sarif-file': 'base.sarif' });
    writeFileSync(join(ws, 'wide.json'), role('wide', NO_SUB));
    const run = runAction(node, ws, { 'fail-on': 'critical', baseline: 'base.sarif' });
    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ critical: '4', 'new-findings': '1' });
    expect(annotationsOf(run.stdout).filter((a) => a.props.file !== undefined).map((a) => a.props.file)).toEqual(['wide.json']);
    const sarif = JSON.parse(readFileSync(join(ws, 'podtrust.sarif'), 'utf8'));
    expect(sarif.runs[0].results.filter((r: { baselineState: string }) => r.baselineState === 'unchanged')).toHaveLength(10);
  });

  it('keeps to GitHub annotation limits and says so in the summary', () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`iam/wide-${String(i).padStart(2, '0')}.json`, role(`wide-${i}`, NO_SUB)]));
    const ws = workspace(files);
    const run = runAction(node, ws, { 'fail-on': 'none' });
    expect(run.status).toBe(0);
    expect(annotationsOf(run.stdout).filter((a) => a.kind === 'error')).toHaveLength(10);
    expect(run.outputs.critical).toBe('12');
    expect(run.summary).toContain('2 finding(s) have no annotation');
  });

  it('writes an extra report, honours annotations: off, and fails on a bad input value', () => {
    const ws = workspace({ 'wide.json': role('wide', NO_SUB) });
    const run = runAction(node, ws, { 'fail-on': 'none', format: 'html', annotations: 'off' });
    expect(run.status).toBe(0);
    expect(annotationsOf(run.stdout)).toEqual([]);
    const html = readFileSync(join(ws, 'podtrust-report.html'), 'utf8');
    expect(html).toContain('<span class="n" id="count-critical">1</span>');
    // The commit the job links into, not whatever the workspace's git files say.
    expect(html).toContain('<dt>Commit</dt><dd><code>0123456789abcdef0123456789abcdef01234567</code></dd>');
    expect(run.outputs['report-file']).toBe(join(ws, 'podtrust-report.html'));
    const bad = runAction(node, ws, { 'fail-on': 'severe' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('::error::podtrust: input fail-on must be one of critical, high, medium, low, none (got "severe")');
  });
});
