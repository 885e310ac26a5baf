import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { buildSarif, renderSarif } from '../../src/reporters/sarif.js';
import { validateSarif } from '../helpers/sarif-validate.js';
import { ROOT, bulkFinding, sampleResult } from './sample-result.js';
import type { ScanResult } from '../../src/engine/result.js';

function run(result: ScanResult = sampleResult()): Sarif.Run {
  return buildSarif(result).runs[0]!;
}

function uris(log: Sarif.Run): string[] {
  const found: string[] = [];
  JSON.stringify(log, (key, value: unknown) => {
    if (key === 'uri' && typeof value === 'string') found.push(value);
    return value;
  });
  return found;
}

describe('renderSarif', () => {
  it('passes the OASIS schema and Microsoft multitool with GitHub rules', async () => {
    const { schemaErrors, multitoolErrors } = await validateSarif(renderSarif(sampleResult()));
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
  });

  it('validates a scan with no findings, no notes and no rules', async () => {
    const empty: ScanResult = {
      ...sampleResult(),
      findings: [],
      rules: [],
      notes: [],
      summary: { files: 0, resources: 0, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, suppressed: 0, partial: false },
    };
    const { schemaErrors, multitoolErrors } = await validateSarif(renderSarif(empty));
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
    expect(run(empty).invocations![0]!.executionSuccessful).toBe(true);
  });

  it('the validator helper reports broken SARIF', async () => {
    const inverted = JSON.parse(renderSarif(sampleResult())) as Sarif.Log;
    inverted.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region = { startLine: 5, endLine: 2 };
    const regionCheck = await validateSarif(JSON.stringify(inverted));
    expect(regionCheck.multitoolErrors.some((e) => e.startsWith('SARIF1007'))).toBe(true);

    const versionless = JSON.parse(renderSarif(sampleResult())) as Partial<Sarif.Log>;
    delete versionless.version;
    expect((await validateSarif(JSON.stringify(versionless))).schemaErrors.length).toBeGreaterThan(0);
  });

  it('describes the tool and every rule for GitHub', () => {
    const { driver } = run().tool;
    expect(driver).toMatchObject({ name: 'podtrust', version: '0.1.0', semanticVersion: '0.1.0', informationUri: 'https://github.com/podtrust/podtrust' });
    expect(driver.rules!.map((r) => r.id)).toEqual(['aws-trust-sub-missing', 'aws-trust-sub-wildcard', 'k8s-identity-on-default-sa', 'aws-kube2iam-legacy']);
    const rule = driver.rules![0]!;
    expect(rule.name).toBe('AwsTrustSubMissing');
    expect(rule.shortDescription!.text).toBe('IRSA trust without a sub condition');
    expect(rule.fullDescription!.text).toBe('Any ServiceAccount of the cluster can assume the role.');
    expect(rule.helpUri).toBe('https://github.com/podtrust/podtrust/blob/main/docs/rules/aws-trust-sub-missing.md');
    expect(rule.help!.markdown).toContain('## Remediation');
    expect(rule.help!.markdown).toContain('- https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html');
    expect(rule.help!.text).toContain('Add a `StringEquals` condition');
    expect(rule.defaultConfiguration!.level).toBe('error');
    expect(rule.properties).toEqual({
      'security-severity': '9.5',
      tags: ['security', 'aws', 'irsa', 'trust'],
      precision: 'high',
      'problem.severity': 'error',
    });
    const levels = driver.rules!.map((r) => [r.defaultConfiguration!.level, r.properties!['security-severity']]);
    expect(levels).toEqual([
      ['error', '9.5'],
      ['error', '9.5'],
      ['warning', '5.5'],
      ['note', '3.0'],
    ]);
  });

  it('gives each result its own level, severity, rule index and fingerprint, in the order given', () => {
    const results = run().results!;
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.properties!['security-severity']])).toEqual([
      ['aws-trust-sub-missing', 0, 'error', '9.5'],
      ['aws-trust-sub-wildcard', 1, 'error', '8.0'],
      ['k8s-identity-on-default-sa', 2, 'warning', '5.5'],
      ['aws-kube2iam-legacy', 3, 'note', '3.0'],
      ['aws-kube2iam-legacy', 3, 'note', '3.0'],
    ]);
    expect(results.map((r) => r.partialFingerprints)).toEqual(
      ['fp-1', 'fp-2', 'fp-3', 'fp-4', 'fp-5'].map((fp) => ({ 'podtrust/v1': fp })),
    );
  });

  it('points at files relative to %SRCROOT% with percent-encoded URIs and a logical location', () => {
    const log = run();
    expect(log.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/infra/' } });
    const first = log.results![0]!.locations![0]!;
    expect(first.physicalLocation).toEqual({
      artifactLocation: { uri: 'iam/app%20role.tf', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 3, endLine: 20, endColumn: 4 },
    });
    expect(first.logicalLocations).toEqual([{ fullyQualifiedName: 'arn:aws:iam::123456789012:role/app' }]);
    const live = log.results![3]!.locations![0]!;
    expect(live.physicalLocation!.artifactLocation!.uri).toBe('k8s/prod/team/Pod/web.yaml');
    expect(live.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 1 });
  });

  it('never escapes the root: files outside it become external/<hash>/<name>, with a note', () => {
    const log = run();
    expect(uris(log).filter((u) => u.includes('..'))).toEqual([]);
    const outside = log.results![1]!.locations![0]!.physicalLocation!;
    expect(outside.artifactLocation).toEqual({ uri: expect.stringMatching(/^external\/[0-9a-f]{8}\/trust\.json$/), uriBaseId: '%SRCROOT%', properties: { outsideRoot: true } });
    const notes = log.invocations![0]!.toolExecutionNotifications!;
    const note = notes.find((n) => n.properties?.['kind'] === 'outside-root');
    expect(note?.level).toBe('note');
    expect(note?.message.text).toContain('/elsewhere/shared/trust.json');
  });

  it('clamps degenerate regions', () => {
    const log = run();
    expect(log.results![1]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
    expect(log.results![4]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 });
  });

  it('keeps at most 10 related locations, each with an id and a message', () => {
    const related = run().results![0]!.relatedLocations!;
    expect(related).toHaveLength(10);
    expect(related.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(related[0]!.message!.text).toBe('ServiceAccount sa-0');
    expect(related[0]!.physicalLocation!.artifactLocation!.uri).toBe('k8s/sa-0.yaml');
    expect(run().results![2]!.relatedLocations![0]!.message!.text).toBe('Related location.');
  });

  it('carries suppressions, baseline state and evidence', () => {
    const results = run().results!;
    expect(results[4]!.suppressions).toEqual([{ kind: 'inSource', justification: 'migrating in Q3', status: 'accepted' }]);
    expect(results[0]!.suppressions).toBeUndefined();
    expect(results[1]!.baselineState).toBe('new');
    expect(results[2]!.baselineState).toBe('unchanged');
    expect(results[0]!.baselineState).toBeUndefined();
    expect(results[2]!.properties!['evidence']).toEqual({ annotation: 'eks.amazonaws.com/role-arn' });
  });

  it('reports error and warning notes as notifications and marks the run unsuccessful when partial', () => {
    const invocation = run().invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    const execution = invocation.toolExecutionNotifications!.filter((n) => n.properties?.['kind'] !== 'outside-root');
    expect(execution.map((n) => [n.level, n.message.text])).toEqual([
      ['error', 'unexpected end of flow mapping'],
      ['warning', 'cannot list Secrets in namespace team (403)'],
    ]);
    expect(execution[0]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'k8s/broken.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 9, startColumn: 2 },
    });
    expect(execution[1]!.locations).toBeUndefined();
    expect(invocation.toolConfigurationNotifications!.map((n) => n.message.text)).toEqual(['unknown key `clustres`']);
  });

  it('is deterministic', () => {
    const text = renderSarif(sampleResult());
    expect(renderSarif(sampleResult())).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('beyond 25,000 results keeps the most severe, in the order given, and says how many were left out', () => {
    const base = sampleResult();
    const findings = Array.from({ length: 25_003 }, (_, i) => bulkFinding(i, i < 4 ? 'low' : i === 10 ? 'critical' : 'medium'));
    const log = run({ ...base, findings });
    expect(log.results).toHaveLength(25_000);
    const kept = log.results!.map((r) => r.partialFingerprints!['podtrust/v1']);
    expect(kept).toContain('bulk-10');
    expect(kept.filter((fp) => ['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3'].includes(fp!))).toEqual(['bulk-0']);
    expect(kept.slice(0, 3)).toEqual(['bulk-0', 'bulk-4', 'bulk-5']);
    const limit = log.invocations![0]!.toolExecutionNotifications!.find((n) => n.properties?.['kind'] === 'limit');
    expect(limit?.level).toBe('warning');
    expect(limit?.message.text).toMatch(/^3 results were left out/);
  });

  it('uses the POSIX root URI and encodes characters that are not allowed in a URI path', () => {
    const base = sampleResult();
    const weird = bulkFinding(0, 'high');
    weird.location = { file: `${ROOT}/dir#1/a%b?c:d.yaml` };
    const log = run({ ...base, findings: [weird] });
    expect(log.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('dir%231/a%25b%3Fc%3Ad.yaml');
  });

  it('stays valid and inside the root for hostile paths and unknown rules', async () => {
    const files = [
      '../../etc/passwd',
      `${ROOT}/../x.yaml`,
      `${ROOT}/a/../../y.yaml`,
      'C:\\Users\\me\\z.yaml',
      '..',
      `${ROOT}/ünï cødé/100%.yaml`,
      `${ROOT}/q?x=1#frag.yaml`,
      '-',
    ];
    const findings = files.map((file, i) => ({ ...bulkFinding(i, 'high'), location: { file } }));
    findings.push({ ...bulkFinding(99, 'medium'), ruleId: 'not-in-rules' });
    const result = { ...sampleResult(), findings };
    const log = run(result);
    for (const uri of uris(log)) {
      if (uri.startsWith('file:')) continue;
      expect(uri.split('/')).not.toContain('..');
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    }
    expect(log.results![8]!.ruleIndex).toBeUndefined();
    const { schemaErrors, multitoolErrors } = await validateSarif(renderSarif(result));
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
  });
});
