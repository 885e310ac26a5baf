/**
 * What `.podtrust.yaml` turns off is in every report: the table's summary, JSON, SARIF (rule
 * configuration overrides, ignore entries as configuration notifications); and against a
 * baseline, what a change widened comes first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';
import { loadConfig } from '../src/engine/config.js';
import { applyBaseline, parseBaseline } from '../src/baseline/baseline.js';
import { renderTable } from '../src/reporters/table.js';
import { buildJson, renderJson } from '../src/reporters/json.js';
import { buildSarif, renderSarif } from '../src/reporters/sarif.js';
import type { ScanResult } from '../src/engine/result.js';
import { validateSarif } from './helpers/sarif-validate.js';
import { runCli } from './helpers/cli.js';
import { EKS, NO_SUB, role, workspace } from './action/workspace.js';

const NO_AUD = { StringEquals: { [`${EKS}:sub`]: 'system:serviceaccount:shop:app' } };

const CONFIG = `rules:
  aws-trust-sub-missing: off
  aws-trust-aud-missing: low
  aws-trust-multi-cluster: on
ignore:
  - rule: "*"
    path: "**"
    reason: "."
  - rule: k8s-identity-on-default-sa
    path: "k8s/**"
    resource: "legacy-*"
    reason: Being replaced in PLAT-123
    expires: 2099-12-31
`;

const FILES = { 'iam/wide.json': role('wide', NO_SUB), 'iam/noaud.json': role('noaud', NO_AUD) };

async function scanOf(dir: string): Promise<ScanResult> {
  return scan({ paths: [dir], root: dir, config: loadConfig(dir), workers: 0 });
}

function withConfig(config: string): string {
  return workspace({ ...FILES, '.podtrust.yaml': config });
}

const IGNORE_ALL = { rule: '*', path: '**', reason: '.', line: 6 };
const IGNORE_LEGACY = { rule: 'k8s-identity-on-default-sa', path: 'k8s/**', resource: 'legacy-*', reason: 'Being replaced in PLAT-123', expires: '2099-12-31', line: 9 };

describe('a configuration that turns rules off and ignores findings', () => {
  it('is listed under the table summary, rule by rule and entry by entry', async () => {
    const table = renderTable(await scanOf(withConfig(CONFIG)), { color: false, width: 200 });
    const summary = table.slice(table.indexOf('No findings'));
    expect(summary.split('\n').slice(0, 7)).toEqual([
      'No findings · 2 files, 2 resources · 1 suppressed',
      // .podtrust.yaml is found by the walk too: the configuration, not infrastructure.
      'inputs: 2 analysed, 0 recognised but not analysed, 1 not infrastructure, 0 excluded, 0 unparsable',
      'Configuration .podtrust.yaml: 1 rule off, 1 rule re-graded, 2 ignore entries:',
      '  - rule aws-trust-aud-missing graded low (its own severity: medium)',
      '  - rule aws-trust-sub-missing off (a critical rule)',
      '  - ignore every rule · path ** · every resource · no expiry · reason: . (line 6)',
      '  - ignore rule k8s-identity-on-default-sa · path k8s/** · resource legacy-* · until 2099-12-31 · reason: Being replaced in PLAT-123 (line 9)',
    ]);
    expect(table).not.toContain('Compared with the baseline');
  });

  it('is a field of the JSON report', async () => {
    const report = buildJson(await scanOf(withConfig(CONFIG)));
    expect(report.configuration).toEqual({
      file: '.podtrust.yaml',
      rules: [
        { ruleId: 'aws-trust-aud-missing', setting: 'low', defaultSeverity: 'medium' },
        { ruleId: 'aws-trust-sub-missing', setting: 'off', defaultSeverity: 'critical' },
      ],
      ignore: [IGNORE_ALL, IGNORE_LEGACY],
    });
  });

  it('is in SARIF: overrides that resolve to descriptors, and one notification per ignore entry at its line', async () => {
    const result = await scanOf(withConfig(CONFIG));
    const text = renderSarif(result);
    const run = buildSarif(result).runs[0]!;
    const invocation = run.invocations![0]!;
    const overrides = invocation.ruleConfigurationOverrides!;
    expect(overrides.map((o) => [o.descriptor.id, o.configuration])).toEqual(
      expect.arrayContaining([
        ['aws-trust-sub-missing', { enabled: false }],
        ['aws-trust-aud-missing', { level: 'note', properties: { severity: 'low', defaultSeverity: 'medium' } }],
      ]),
    );
    expect(overrides).toHaveLength(2);
    for (const o of overrides) expect(run.tool.driver.rules![o.descriptor.index!]!.id).toBe(o.descriptor.id);
    // The rule that did not run is described, not reported.
    expect(run.results!.some((r) => r.ruleId === 'aws-trust-sub-missing')).toBe(false);
    const ignores = invocation.toolConfigurationNotifications!.filter((n) => n.properties?.kind === 'ignore');
    expect(ignores.map((n) => n.properties!.ignore)).toEqual([
      { rule: '*', path: '**', reason: '.' },
      { rule: 'k8s-identity-on-default-sa', path: 'k8s/**', resource: 'legacy-*', reason: 'Being replaced in PLAT-123', expires: '2099-12-31' },
    ]);
    expect(ignores.map((n) => [n.locations![0]!.physicalLocation!.artifactLocation!.uri, n.locations![0]!.physicalLocation!.region!.startLine])).toEqual([
      ['.podtrust.yaml', 6],
      ['.podtrust.yaml', 9],
    ]);
    // The suppressed finding keeps its reason.
    expect(run.results!.find((r) => r.ruleId === 'aws-trust-aud-missing')!.suppressions).toEqual([{ kind: 'external', justification: '.', status: 'accepted' }]);
    const validation = await validateSarif(text);
    expect(validation.schemaErrors).toEqual([]);
    expect(validation.multitoolErrors).toEqual([]);
  });
});

describe('against a baseline', () => {
  const change = {
    turnedOff: ['aws-trust-sub-missing'],
    lowered: [{ ruleId: 'aws-trust-aud-missing', from: 'medium', to: 'low' }],
    ignoreAdded: [IGNORE_ALL, IGNORE_LEGACY],
  };

  it.each(['sarif', 'json'] as const)('from a %s report, says first what the change turned off and added', async (format) => {
    const base = await scanOf(workspace(FILES));
    const baseline = parseBaseline(format === 'sarif' ? renderSarif(base) : renderJson(base), `base.${format}`);
    const result = applyBaseline(await scanOf(withConfig(CONFIG)), baseline);
    expect(buildJson(result).configuration!.changedFromBaseline).toEqual(change);
    const table = renderTable(result, { color: false, width: 200 });
    expect(table.split('\n').slice(0, 5)).toEqual([
      'Compared with the baseline, this change turns off 1 rule, lowers the severity of 1 rule, adds 2 ignore entries:',
      '  - turned off: aws-trust-sub-missing (a critical rule)',
      '  - lowered: aws-trust-aud-missing from medium to low',
      '  - ignore entry added: every rule · path ** · every resource · no expiry · reason: .',
      '  - ignore entry added: rule k8s-identity-on-default-sa · path k8s/** · resource legacy-* · until 2099-12-31 · reason: Being replaced in PLAT-123',
    ]);
  });

  it('says nothing when the baseline had the same configuration, and only the difference when it had part of it', async () => {
    const same = applyBaseline(await scanOf(withConfig(CONFIG)), parseBaseline(renderSarif(await scanOf(withConfig(CONFIG))), 'base.sarif'));
    expect(same.configurationChange).toBeUndefined();
    expect(renderTable(same, { color: false, width: 200 })).not.toContain('Compared with the baseline');

    const narrower = CONFIG.replace('aws-trust-sub-missing: off', 'aws-trust-sub-missing: on').replace(/ {2}- rule: "\*"\n {4}path: "\*\*"\n {4}reason: "\."\n/, '');
    const result = applyBaseline(await scanOf(withConfig(CONFIG)), parseBaseline(renderJson(await scanOf(withConfig(narrower))), 'base.json'));
    expect(buildJson(result).configuration!.changedFromBaseline).toEqual({ turnedOff: ['aws-trust-sub-missing'], lowered: [], ignoreAdded: [IGNORE_ALL] });
  });

  it('compares nothing with a report that does not say what its configuration was', async () => {
    const log = buildSarif(await scanOf(workspace(FILES)));
    delete log.runs[0]!.invocations![0]!.ruleConfigurationOverrides;
    const result = applyBaseline(await scanOf(withConfig(CONFIG)), parseBaseline(JSON.stringify(log), 'old.sarif'));
    expect(result.configurationChange).toBeUndefined();
  });

  it('reaches the CLI table and the JSON report through --baseline', () => {
    const dir = workspace(FILES);
    const base = join(dir, 'base.sarif');
    expect(runCli(['scan', dir, '--root', dir, '--format', 'sarif', '--output', base, '--fail-on', 'none']).status).toBe(0);
    writeFileSync(join(dir, '.podtrust.yaml'), CONFIG);
    const table = runCli(['scan', dir, '--root', dir, '--baseline', base]);
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe('Compared with the baseline, this change turns off 1 rule, lowers the severity of 1 rule, adds 2 ignore entries:');
    const json = runCli(['scan', dir, '--root', dir, '--baseline', base, '--format', 'json', '--output', join(dir, 'r.json')]);
    expect(json.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).configuration.changedFromBaseline).toEqual(change);
  });
});
