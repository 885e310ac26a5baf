/**
 * The Action's inputs as the runner gives them: an input the workflow set to an empty value
 * arrives empty and takes its documented default; booleans are true/false or on/off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, readInputs } from '../../src/action/inputs.js';
import { REPO } from '../helpers/fixtures.js';
import { checkWorkflowLog } from '../helpers/workflow-log.js';
import { annotationsOf, runAction } from './run-action.js';
import { NO_SUB, role, workspace } from './workspace.js';

const WS = '/work/space';
const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };

function inputs(values: Record<string, string>) {
  return readInputs((name) => values[name] ?? '', WS);
}

describe('readInputs', () => {
  it('knows the defaults action.yml documents, input by input', () => {
    expect(Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? '']))).toEqual(INPUT_DEFAULTS);
  });

  it('gives every input that arrives empty its default', () => {
    const empty = inputs(Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((name) => [name, ''])));
    expect(empty).toEqual({ paths: [WS], failOn: 'high', format: 'sarif', sarifFile: `${WS}/podtrust.sarif`, onlyNew: false, annotations: true, failOnIncomplete: true, exclude: [], reports: [], downloadModules: true });
    expect(inputs({ format: 'json', 'report-file': '' }).reportFile).toBe(`${WS}/podtrust-report.json`);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['on', true],
    ['ON', true],
    ['false', false],
    ['False', false],
    ['off', false],
    ['Off', false],
  ])('reads the boolean %s as %s', (value, expected) => {
    expect(inputs({ annotations: value }).annotations).toBe(expected);
    expect(inputs({ 'only-new': value, baseline: 'base.sarif' }).onlyNew).toBe(expected);
  });

  it.each(['yes', '1', 'enabled', 'tru'])('refuses %s, naming the input', (value) => {
    expect(() => inputs({ annotations: value })).toThrow(`input annotations must be true or false (or on, off) (got "${value}")`);
    expect(() => inputs({ 'only-new': value, baseline: 'b.sarif' })).toThrow(/^input only-new must be true or false/);
  });
});

describe('the bundled action with empty and boolean inputs', () => {
  it('runs with every input set to an empty value as with none', () => {
    const ws = workspace({ 'wide.json': role('wide', NO_SUB) });
    const empty = runAction(process.execPath, ws, Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((name) => [name, ''])));
    expect(empty.stderr).toBe('');
    // fail-on high, annotations on, SARIF at podtrust.sarif.
    expect(empty.status).toBe(1);
    expect(annotationsOf(empty.stdout).map((a) => a.props.file)).toEqual(['wide.json']);
    expect(existsSync(join(ws, 'podtrust.sarif'))).toBe(true);
    expect(empty.outputs['sarif-file']).toBe(join(ws, 'podtrust.sarif'));
    expect(checkWorkflowLog(empty.stdout, ws).problems).toEqual([]);
  });

  it('takes FALSE and Off alike, and fails on a value that is neither, naming the input', () => {
    const ws = workspace({ 'wide.json': role('wide', NO_SUB) });
    for (const value of ['FALSE', 'Off']) expect(annotationsOf(runAction(process.execPath, ws, { 'fail-on': 'none', annotations: value }).stdout)).toEqual([]);
    const bad = runAction(process.execPath, ws, { annotations: 'yes' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('::error::podtrust: input annotations must be true or false (or on, off) (got "yes")');
  });
});
