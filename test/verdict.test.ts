/** One verdict: the CLI's exit status and the Action's step result come from `decideVerdict`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideVerdict, incompleteReason } from '../src/engine/verdict.js';
import type { ScanResult } from '../src/engine/result.js';
import { runCli } from './helpers/cli.js';
import { sampleResult } from './reporters/sample-result.js';
import { runAction } from './action/run-action.js';
import { NO_SUB, SCOPED, role, workspace } from './action/workspace.js';

function complete(result: ScanResult): ScanResult {
  return { ...result, notes: result.notes.filter((n) => n.level !== 'error'), summary: { ...result.summary, partial: false } };
}

describe('decideVerdict', () => {
  const sample = complete(sampleResult());

  it('fails on an unsuppressed finding at or above fail-on and names how many', () => {
    expect(decideVerdict(sample, { failOn: 'high' })).toMatchObject({ outcome: 'failed', exitCode: 1, reason: '2 finding(s) at or above high' });
    expect(decideVerdict(sample, { failOn: 'high' }).reached.map((f) => f.fingerprint)).toEqual(['fp-1', 'fp-2']);
    // fp-5 is suppressed: four of the five count.
    expect(decideVerdict(sample, { failOn: 'low' }).reached).toHaveLength(4);
  });

  it('passes below fail-on and with none', () => {
    const lowOnly = { ...sample, findings: sample.findings.filter((f) => f.severity === 'low') };
    expect(decideVerdict(lowOnly, { failOn: 'medium' })).toMatchObject({ outcome: 'passed', exitCode: 0, reached: [] });
    expect(decideVerdict(sample, { failOn: 'none' })).toMatchObject({ outcome: 'passed', exitCode: 0 });
  });

  it('is incomplete when an input could not be read, whatever the findings', () => {
    expect(decideVerdict(sampleResult(), { failOn: 'none' })).toMatchObject({ outcome: 'incomplete', exitCode: 2 });
    expect(decideVerdict(sampleResult(), { failOn: 'low' }).exitCode).toBe(2);
  });

  it('counts a warning (a permission gap, an input not analysed) only when strict', () => {
    expect(decideVerdict(sample, { failOn: 'none', strict: true })).toMatchObject({ exitCode: 2, reason: 'the scan is incomplete: 2 warning(s) (parse-error, permission) with --strict (see the coverage notes)' });
    expect(incompleteReason(false, sample.notes)).toBeUndefined();
    const permissionOnly = sample.notes.filter((n) => n.kind === 'permission');
    expect(incompleteReason(false, permissionOnly, true)).toBe('the scan is incomplete: a live resource type could not be read (strict)');
    for (const kind of ['unsupported', 'unresolved', 'module', 'limit', 'nothing-analysed'] as const) {
      expect(incompleteReason(false, [{ kind, level: 'warning', message: 'm' }], true)).toBe(`the scan is incomplete: 1 warning(s) (${kind}) with --strict (see the coverage notes)`);
      expect(incompleteReason(false, [{ kind, level: 'warning', message: 'm' }], false)).toBeUndefined();
      expect(incompleteReason(false, [{ kind, level: 'note', message: 'm' }], true)).toBeUndefined();
    }
  });
});

describe('the CLI and the Action decide alike', () => {
  const ws = workspace({ 'wide.json': role('wide', NO_SUB), 'ok.json': role('ok', SCOPED) });
  const broken = workspace({ 'ok.json': role('ok', SCOPED) });
  writeFileSync(join(broken, 'broken.yaml'), 'a: [\n');

  it.each([
    ['a critical finding, fail-on high', ws, 'high', 1],
    ['a critical finding, fail-on none', ws, 'none', 0],
    ['an unreadable file, fail-on none', broken, 'none', 2],
    ['an unreadable file, fail-on high', broken, 'high', 2],
  ] as const)('%s', (_, dir, failOn, exitCode) => {
    expect(runCli(['scan', dir, '--root', dir, '--fail-on', failOn]).status).toBe(exitCode);
    const action = runAction(process.execPath, dir, { 'fail-on': failOn });
    // fail-on none never fails the step; an incomplete scan then passes with a warning.
    const code: number = exitCode;
    const stepFails = failOn !== 'none' && code !== 0;
    const incomplete = code === 2;
    expect(action.status).toBe(stepFails ? 1 : 0);
    expect(action.summary).toContain(stepFails ? '❌ failed' : incomplete ? '⚠️ passed, scan incomplete' : '✅ passed');
  });
});
