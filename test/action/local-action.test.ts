/**
 * The Action's logic run by GitHub's own local runner for actions (@github/local-action), which
 * imports src/action/main.ts, calls its exported run() and stubs @actions/core: what a developer
 * debugging the Action sees. run() must run once, and the outputs must be the scan's counts.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, RULE_FIXTURES } from '../helpers/fixtures.js';

const LOCAL_ACTION = join(REPO, 'node_modules', '.bin', 'local-action');

function runLocalAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-local-action-'));
  const workspace = join(dir, 'repo');
  cpSync(join(RULE_FIXTURES, 'aws-trust-sub-missing', 'fail-aud-only-get-role'), workspace, { recursive: true });
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, '');
  const env = [`GITHUB_WORKSPACE=${workspace}`, `GITHUB_STEP_SUMMARY=${summary}`, 'GITHUB_REPOSITORY=acme/infra', `INPUT_SARIF-FILE=${join(dir, 'podtrust.sarif')}`];
  for (const [name, value] of Object.entries(inputs)) env.push(`INPUT_${name.toUpperCase()}=${value}`);
  writeFileSync(join(dir, '.env'), env.join('\n') + '\n');
  // local-action finds the @actions/core to stub through `npm ls`, in the action's folder.
  const r = spawnSync(LOCAL_ACTION, ['run', REPO, 'src/action/main.ts', join(dir, '.env')], { cwd: REPO, env: { ...process.env, NODE_PACKAGE_MANAGER: 'npm', NO_COLOR: '1' }, encoding: 'utf8', timeout: 300_000 });
  const log = r.stdout + r.stderr;
  const outputs: Record<string, string> = {};
  for (const m of log.slice(log.lastIndexOf('Action Outputs')).matchAll(/│\s*\d+\s*│\s*'([^']+)'\s*│\s*'([^']*)'\s*│/g)) outputs[m[1]!] = m[2]!;
  return { status: r.status, log, outputs, summary: readFileSync(summary, 'utf8') };
}

describe('the Action under @github/local-action', () => {
  it('runs once and sets the outputs to the scan\'s counts; fail-on none passes, fail-on high fails', () => {
    const passing = runLocalAction({ 'fail-on': 'none' });
    expect(passing.status, passing.log.slice(-2000)).toBe(0);
    expect(passing.outputs).toMatchObject({ critical: '1', high: '0', medium: '0', low: '0', 'new-findings': '1', incomplete: 'false' });
    expect(passing.log.match(/1 finding: 1 critical/g)).toHaveLength(1);
    expect(passing.summary.match(/^## podtrust$/gm)).toHaveLength(1);
    expect(passing.log).not.toMatch(/::error::podtrust:/);

    const failing = runLocalAction({ 'fail-on': 'high' });
    expect(failing.log).toContain('::error::podtrust: 1 finding(s) at or above high');
    expect(failing.outputs).toMatchObject({ critical: '1' });
    // Each run compiles the Action's TypeScript first: a loaded machine takes minutes, not seconds.
  }, 600_000);
});
