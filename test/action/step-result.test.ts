import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationsOf, runAction } from './run-action.js';
import { NO_SUB, SCOPED, role, workspace } from './workspace.js';

const BROKEN = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [unclosed\n';

describe('when the Action fails its step', () => {
  it('never with fail-on none, even when the scan is incomplete; says so and sets the incomplete output', () => {
    const ws = workspace({ 'broken.yaml': BROKEN, 'wide.json': role('wide', NO_SUB) });
    const run = runAction(process.execPath, ws, { 'fail-on': 'none' });
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({ incomplete: 'true', critical: '1' });
    expect(run.stdout).toContain('::warning::podtrust: the scan is incomplete: some input could not be read (see the coverage notes); the step passes (fail-on none)');
    // The parse error is still annotated at its file and line.
    expect(annotationsOf(run.stdout).find((a) => a.props.file === 'broken.yaml')).toMatchObject({ kind: 'error', props: { line: expect.stringMatching(/^\d+$/) } });
  });

  it('for an incomplete scan unless fail-on-incomplete is off; findings still fail it', () => {
    const clean = workspace({ 'broken.yaml': BROKEN, 'app.json': role('app', SCOPED) });
    expect(runAction(process.execPath, clean, { 'fail-on': 'high' }).status).toBe(1);
    const lenient = runAction(process.execPath, clean, { 'fail-on': 'high', 'fail-on-incomplete': 'off' });
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toContain('the step passes (fail-on-incomplete off)');
    const wide = workspace({ 'broken.yaml': BROKEN, 'wide.json': role('wide', NO_SUB) });
    const failing = runAction(process.execPath, wide, { 'fail-on': 'high', 'fail-on-incomplete': 'off' });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('::error::podtrust: 1 finding(s) at or above high');
  });

  it('writes every report of the reports input from one scan and skips excluded paths', () => {
    const ws = workspace({ 'iam/wide.json': role('wide', NO_SUB), 'examples/wide.json': role('example', NO_SUB) });
    const run = runAction(process.execPath, ws, { 'fail-on': 'none', reports: 'junit=out/podtrust.xml\nCSV=out/podtrust.csv', exclude: 'examples' });
    expect(run.status).toBe(0);
    expect(run.outputs.critical).toBe('1');
    expect(readFileSync(join(ws, 'out', 'podtrust.xml'), 'utf8')).toContain('file="iam/wide.json"');
    expect(readFileSync(join(ws, 'out', 'podtrust.csv'), 'utf8')).not.toContain('examples/');
    const bad = runAction(process.execPath, ws, { reports: 'junit' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('input reports takes FORMAT=PATH entries');
  });

  it('links the job summary to the pull request head commit from the event, not the merge commit', () => {
    const ws = workspace({ 'wide.json': role('wide', NO_SUB) });
    const events = mkdtempSync(join(tmpdir(), 'podtrust-event-'));
    const event = join(events, 'event.json');
    const head = 'fedcba9876543210fedcba9876543210fedcba98';
    writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: head } } }));
    const run = runAction(process.execPath, ws, { 'fail-on': 'none' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(run.summary).toContain(`https://github.com/acme/infra/blob/${head}/wide.json#L`);
    writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: '../../evil' } } }));
    const forged = runAction(process.execPath, ws, { 'fail-on': 'none' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(forged.summary).toContain('/blob/0123456789abcdef0123456789abcdef01234567/wide.json');
  });
});
