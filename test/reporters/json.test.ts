import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/reporters/json.js';
import { sampleResult } from './sample-result.js';

describe('renderJson', () => {
  const text = renderJson(sampleResult());
  const report = JSON.parse(text);

  it('is 2-space indented with a trailing newline and stable top-level keys', () => {
    expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'summary', 'findings', 'rules', 'notes']);
    expect(renderJson(sampleResult())).toBe(text);
  });

  it('describes the tool, summary and rules', () => {
    expect(report.tool).toEqual({ name: 'podtrust', version: '0.1.0', informationUri: 'https://github.com/podtrust/podtrust' });
    expect(report.summary).toEqual({
      files: 14,
      resources: 40,
      findings: 5,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 1 },
      suppressed: 1,
      partial: true,
    });
    expect(report.rules[2]).toEqual({ id: 'k8s-identity-on-default-sa', title: 'Cloud identity on the default ServiceAccount', severity: 'medium', provider: 'kubernetes' });
  });

  it("names the rule's message a finding uses, right after its text", () => {
    const result = sampleResult();
    result.findings[0]!.messageId = 'kubernetesIssuer';
    const [first] = JSON.parse(renderJson(result)).findings;
    expect(Object.keys(first).slice(3, 5)).toEqual(['message', 'messageId']);
    expect(first.messageId).toBe('kubernetesIssuer');
  });

  it('writes each finding with root-relative locations', () => {
    const [first, outside, withEvidence, live, suppressed] = report.findings;
    expect(Object.keys(first)).toEqual(['ruleId', 'severity', 'title', 'message', 'resource', 'location', 'related', 'fingerprint', 'origin']);
    expect(first).toMatchObject({
      ruleId: 'aws-trust-sub-missing',
      severity: 'critical',
      title: 'IRSA trust without a sub condition',
      resource: { id: 'aws.iam.Role/app', type: 'aws.iam.Role', name: 'app' },
      location: { file: 'iam/app role.tf', line: 12, column: 3, endLine: 20, endColumn: 4, logical: 'arn:aws:iam::123456789012:role/app' },
      fingerprint: 'fp-1',
    });
    expect(first.related).toHaveLength(12);
    expect(first.related[0]).toEqual({ file: 'k8s/sa-0.yaml', line: 4, column: 5, endLine: 4, endColumn: 6, message: 'ServiceAccount sa-0' });
    expect(outside.location.file).toBe('/elsewhere/shared/trust.json');
    expect(outside.baselineState).toBe('new');
    expect(withEvidence.evidence).toEqual({ annotation: 'eks.amazonaws.com/role-arn' });
    expect(withEvidence.resource.namespace).toBe('team');
    expect(live.location).toEqual({ file: 'k8s/prod/team/Pod/web.yaml', line: null, column: null, endLine: null, endColumn: null, logical: 'api/v1/namespaces/team/pods/web' });
    expect(live.origin).toBe('live');
    expect(suppressed.suppression).toEqual({ kind: 'inSource', justification: 'migrating in Q3' });
  });

  it('lists coverage notes with root-relative files', () => {
    expect(report.notes[0]).toEqual({ kind: 'parse-error', level: 'error', message: 'unexpected end of flow mapping', file: 'k8s/broken.yaml', line: 9, column: 2 });
    expect(report.notes[1]).toEqual({ kind: 'permission', level: 'warning', message: 'cannot list Secrets in namespace team (403)' });
  });
});

describe('jsonText', () => {
  it('escapes what a CI runner or a terminal would obey, and keeps the data exact', async () => {
    const { jsonText } = await import('../../src/reporters/json-text.js');
    const { logLines, runnerView } = await import('../helpers/workflow-log.js');
    const value = { a: 'x##[error]y ::stop-commands::tok #\u200b#[ \u009b \\##[ \u{E0001}tag 😀', b: ['::STOP-COMMANDS::t', '::error::z'] };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"x##\\u005berror]y ::stop-commands\\u003a:tok #\\u200b#[ \\u009b \\\\##\\u005b \\udb40\\udc01tag 😀"');
    for (const line of logLines(text)) {
      expect(runnerView(line).startsWith('::')).toBe(false);
      expect(runnerView(line)).not.toContain('##[');
      expect(runnerView(line)).not.toMatch(/::stop-commands::/i);
    }
  });
});
