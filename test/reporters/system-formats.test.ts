import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderAsff, renderCsv, renderGitlab, renderJunit } from '../../src/reporters/index.js';
import { sampleResult, bulkFinding } from './sample-result.js';
import type { ScanResult } from '../../src/engine/result.js';

const HOSTILE = 'a "quoted" <tag> & \'apos\' ]]> \u0001\u0008 \uD800 =HYPERLINK("x")\r\nnext';

function hostileResult(): ScanResult {
  const result = sampleResult();
  result.findings.push({ ...bulkFinding(99, 'high'), message: HOSTILE, resource: { id: 'x', type: 'k8s.ServiceAccount', name: `=cmd|' /C calc'!A0` } });
  return result;
}

const unsuppressed = (r: ScanResult) => r.findings.filter((f) => !f.suppression);

/** RFC 4180 reader for the test: quoted fields with doubled quotes, CRLF records. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('formats other systems read', () => {
  it('JUnit: well-formed XML with one failing test case per unsuppressed finding', () => {
    const result = hostileResult();
    const xml = renderJunit(result);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml) as {
      testsuites: { tests: string; testsuite: { failures: string; testcase: { classname: string; file: string; line?: string; failure: { message: string; type: string } }[]; 'system-err'?: string } };
    };
    const cases = doc.testsuites.testsuite.testcase;
    expect(cases).toHaveLength(unsuppressed(result).length);
    expect(Number(doc.testsuites.tests)).toBe(cases.length);
    expect(cases[0]).toMatchObject({ classname: 'aws-trust-sub-missing', file: 'iam/app role.tf', line: '12', failure: { type: 'critical' } });
    const hostile = cases.find((c) => c.file === 'bulk/99.yaml')!;
    expect(hostile.failure.message).toContain(`a "quoted" <tag> & 'apos' ]]>`);
    expect(hostile.failure.message).not.toMatch(/[\u0001\u0008]/);
    expect(doc.testsuites.testsuite['system-err']).toContain('k8s/broken.yaml:9: unexpected end of flow mapping');
    expect(cases.some((c) => c.failure.message.includes('accepted'))).toBe(false);
  });

  it('GitLab: meets the SAST schema 15 constraints; rule id first, severity capitalised, file and line', () => {
    const result = hostileResult();
    const report = JSON.parse(renderGitlab(result, { startedAt: new Date('2026-12-07T06:00:00.123Z'), finishedAt: new Date('2026-12-07T06:00:05Z') })) as {
      scan: { start_time: string; messages: { level: string }[] };
      vulnerabilities: { id: string; severity: string; identifiers: { value: string }[]; location: { file: string; start_line?: number } }[];
    };
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../helpers/gitlab-sast-15.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.scan.start_time).toBe('2026-12-07T06:00:00');
    expect(report.vulnerabilities).toHaveLength(unsuppressed(result).length);
    expect(report.vulnerabilities[0]).toMatchObject({ severity: 'Critical', identifiers: [{ value: 'aws-trust-sub-missing' }], location: { file: 'iam/app role.tf', start_line: 12 } });
    expect(new Set(report.vulnerabilities.map((v) => v.id)).size).toBe(report.vulnerabilities.length);
    expect(report.vulnerabilities.every((v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v.id))).toBe(true);
    expect(report.scan.messages.map((m) => m.level)).toEqual(['warn', 'warn', 'info', 'warn']);
    // Stable ids: GitLab tracks a vulnerability across pipelines by them.
    expect(JSON.parse(renderGitlab(result)).vulnerabilities.map((v: { id: string }) => v.id)).toEqual(report.vulnerabilities.map((v) => v.id));
  });

  it('CSV: a header and one RFC 4180 row per unsuppressed finding, formulas defused', () => {
    const result = hostileResult();
    const text = renderCsv(result);
    const rows = readCsv(text);
    expect(rows[0]).toEqual(['severity', 'rule', 'title', 'resource', 'resource_type', 'file', 'line', 'column', 'message', 'fingerprint', 'help']);
    expect(rows).toHaveLength(unsuppressed(result).length + 1);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    const hostile = rows.find((r) => r[5] === 'bulk/99.yaml')!;
    // Control and invisible characters dropped, the line break kept (as LF): what a CI log may print.
    expect(hostile[8]).toBe('a "quoted" <tag> & \'apos\' ]]>   =HYPERLINK("x")\nnext');
    expect(hostile[3]).toBe(`'=cmd|' /C calc'!A0`);
    expect(rows[1]!.slice(0, 2)).toEqual(['critical', 'aws-trust-sub-missing']);
  });

  it('JUnit, CSV, HTML and Markdown printed in a CI job log forge no workflow command, whatever the names hold', async () => {
    const { logLines, runnerView } = await import('../helpers/workflow-log.js');
    const { renderHtml } = await import('../../src/reporters/html.js');
    const { renderMarkdown } = await import('../../src/reporters/markdown.js');
    const forged = 'x\n::error title=forged::pwned\r\n  ::warning::w ##[error]legacy #\u200b#[group]zw ::STOP-COMMANDS::tok';
    const result = sampleResult();
    const base = bulkFinding(98, 'high');
    result.findings.push({ ...base, message: forged, resource: { id: 'y', type: 'k8s.ServiceAccount', name: forged }, location: { ...base.location, file: join(result.root, `${forged}.yaml`) } });
    for (const [format, text] of [['junit', renderJunit(result)], ['csv', renderCsv(result)], ['html', renderHtml(result)], ['markdown', renderMarkdown(result)]] as const) {
      for (const line of logLines(text)) {
        const seen = runnerView(line);
        expect(seen.startsWith('::'), `${format}: ${line}`).toBe(false);
        expect(seen, format).not.toContain('##[');
        expect(seen, format).not.toMatch(/::stop-commands::/i);
      }
    }
    // JUnit keeps the data exact: a reader of XML gets the line breaks and characters back.
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => name === 'testcase' }).parse(renderJunit(result)) as { testsuites: { testsuite: { testcase: { file: string; failure: { message: string } }[] } } };
    const hostile = doc.testsuites.testsuite.testcase.find((c) => c.failure.message.includes('forged::pwned'))!;
    expect(hostile.failure.message).toBe(forged);
    expect(hostile.file).toBe(`${forged}.yaml`);
  });

  it('ASFF: Security Hub fields, limits and the account it files in', () => {
    const result = hostileResult();
    result.findings.push({ ...bulkFinding(100, 'low'), message: 'm'.repeat(5000) });
    const findings = JSON.parse(renderAsff(result, { account: '123456789012', region: 'eu-west-1', finishedAt: new Date('2026-12-07T06:00:00Z') })) as Array<Record<string, unknown> & { Id: string; Title: string; Description: string; Severity: { Label: string }; Types: string[]; Resources: { Id: string; Type: string }[] }>;
    expect(findings).toHaveLength(unsuppressed(result).length);
    for (const f of findings) {
      expect(f).toMatchObject({ SchemaVersion: '2018-10-08', ProductArn: 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default', AwsAccountId: '123456789012', CreatedAt: '2026-12-07T06:00:00.000Z' });
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
      expect(f.Types[0]).toMatch(/^Software and Configuration Checks\/[^/]+\/[^/]+$/);
      expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).toContain(f.Severity.Label);
      expect(f.GeneratorId).toMatch(/^podtrust\//);
    }
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(findings[0]!.Resources[0]).toMatchObject({ Type: 'AwsIamRole', Id: 'arn:aws:iam::123456789012:role/app' });
    expect(() => renderAsff(result, {})).toThrow(/--asff-account ID or AWS_ACCOUNT_ID/);
    expect(JSON.parse(renderAsff(result, { account: '123456789012', region: 'cn-north-1' }))[0].ProductArn).toMatch(/^arn:aws-cn:/);
  });

  it('lists every one of 10,000 findings', () => {
    const many = sampleResult();
    for (let i = 0; i < 10000; i++) many.findings.push(bulkFinding(i, 'high'));
    expect(readCsv(renderCsv(many)).length - 1).toBe(unsuppressed(many).length);
    expect(JSON.parse(renderGitlab(many)).vulnerabilities).toHaveLength(unsuppressed(many).length);
    const junit = new XMLParser({ ignoreAttributes: false, processEntities: false, isArray: (name) => name === 'testcase' }).parse(renderJunit(many)) as { testsuites: { testsuite: { testcase: unknown[] } } };
    expect(junit.testsuites.testsuite.testcase).toHaveLength(unsuppressed(many).length);
  });
});
