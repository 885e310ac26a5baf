/**
 * A pull request's `.podtrust.yaml` can turn every rule off or ignore everything: the job
 * summary says so, first when the base branch's report shows it did not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/engine/rules.js';
import { checkWorkflowLog } from '../helpers/workflow-log.js';
import { runAction } from './run-action.js';
import { NO_SUB, role, workspace } from './workspace.js';

const EVERY_RULE_OFF = `rules:\n${allRules().map((r) => `  ${r.meta.id}: off`).join('\n')}\n`;
const IGNORE_EVERYTHING = 'ignore:\n  - rule: "*"\n    path: "**"\n    reason: "."\n';

describe('the job summary', () => {
  it('shows every rule turned off and every ignore entry, and says it turned nothing off otherwise', () => {
    const plain = runAction(process.execPath, workspace({ 'wide.json': role('wide', NO_SUB) }), { 'fail-on': 'none' });
    expect(plain.summary).toContain('Configuration: every rule on, no ignore entries.');

    const ws = workspace({ 'wide.json': role('wide', NO_SUB), '.podtrust.yaml': `${EVERY_RULE_OFF}${IGNORE_EVERYTHING}` });
    const run = runAction(process.execPath, ws, {});
    expect(run.status).toBe(0);
    expect(run.summary).toContain('✅ passed (fail-on: high) · No findings');
    expect(run.summary).toContain(`### Configuration .podtrust.yaml: ${allRules().length} rules off, 1 ignore entry`);
    for (const rule of allRules()) expect(run.summary).toContain(`- rule ${rule.meta.id} off (a ${rule.meta.severity} rule)`);
    expect(run.summary).toContain('- ignore every rule · path \\*\\* · every resource · no expiry · reason: .');
    // The log's table says it as well.
    expect(run.stdout).toContain(`Configuration .podtrust.yaml: ${allRules().length} rules off, 1 ignore entry:`);
    const sarif = JSON.parse(readFileSync(join(ws, 'podtrust.sarif'), 'utf8'));
    expect(sarif.runs[0].invocations[0].ruleConfigurationOverrides).toHaveLength(allRules().length);
  });

  it('says first what a change turned off, against the base branch report', () => {
    const ws = workspace({ 'wide.json': role('wide', NO_SUB) });
    expect(runAction(process.execPath, ws, { 'fail-on': 'none', annotations: 'off', 'sarif-file': 'base.sarif' }).status).toBe(0);
    writeFileSync(join(ws, '.podtrust.yaml'), `rules:\n  aws-trust-sub-missing: off\n${IGNORE_EVERYTHING}`);
    const run = runAction(process.execPath, ws, { baseline: 'base.sarif', 'only-new': 'on' });
    expect(run.status).toBe(0);
    const lines = run.summary.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '## podtrust',
      '',
      '**⚠️ Compared with the baseline, this change turns off 1 rule, adds 1 ignore entry:**',
      '',
      '- turned off: aws-trust-sub-missing (a critical rule)',
      '- ignore entry added: every rule · path \\*\\* · every resource · no expiry · reason: .',
    ]);
    expect(run.stdout).toContain('Compared with the baseline, this change turns off 1 rule, adds 1 ignore entry:');
    expect(checkWorkflowLog(run.stdout, ws).problems).toEqual([]);
  });
});
