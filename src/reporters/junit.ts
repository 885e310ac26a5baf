/**
 * JUnit XML for CI test tabs (GitLab, Jenkins, Azure Pipelines, CircleCI): one failing test case
 * per unsuppressed finding — the rule as its class, the place as its name, with `file` and `line`
 * attributes — and the coverage notes as the suite's `system-err`. Written by fast-xml-parser's
 * builder; every value is escaped here (characters XML cannot carry are replaced first), line
 * breaks and what a CI log would obey as character references: the report may be printed in a job log.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { ScanResult } from '../engine/result.js';
import { findingRecords, shownAt, xmlSafe } from './finding-records.js';
import { displayPath } from './paths.js';
import { characterReference, escapeForReport } from './sanitize.js';

const MARKUP: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A text or attribute value: markup characters as entities, line breaks and what a CI runner would obey as references. */
function xmlValue(_name: string, value: unknown): string {
  return escapeForReport(String(value).replace(/[&<>"']/g, (c) => MARKUP[c]!), characterReference, { lineBreaks: true });
}

export function renderJunit(result: ScanResult): string {
  const records = findingRecords(result);
  const cases = records.map((r) => ({
    '@_classname': xmlSafe(r.ruleId),
    '@_name': xmlSafe(`${shownAt(r)} ${r.finding.resource.name}`),
    '@_file': xmlSafe(r.file),
    ...(r.startLine !== undefined ? { '@_line': r.startLine } : {}),
    failure: {
      '@_type': r.severity,
      '@_message': xmlSafe(r.message),
      '#text': xmlSafe([`${r.severity.toUpperCase()} ${r.ruleId}: ${r.title}`, `at ${shownAt(r)}`, r.message, r.rule ? `Remediation: ${r.rule.remediation}` : '', r.helpUri].filter((l) => l !== '').join('\n')),
    },
  }));
  const notes = result.notes.map((n) => `${n.level}: ${n.file ? `${displayPath(result.root, n.file).path}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message} (${n.kind})`);
  const suite = {
    '@_name': 'podtrust',
    '@_tests': records.length,
    '@_failures': records.length,
    '@_errors': 0,
    '@_skipped': 0,
    testcase: cases,
    ...(notes.length > 0 ? { 'system-err': xmlSafe(notes.join('\n')) } : {}),
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: false, tagValueProcessor: xmlValue, attributeValueProcessor: xmlValue });
  const body = builder.build({ testsuites: { '@_name': 'podtrust', '@_tests': records.length, '@_failures': records.length, testsuite: suite } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
