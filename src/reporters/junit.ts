/**
 * JUnit XML for CI test tabs (GitLab, Jenkins, Azure Pipelines, CircleCI): one failing test case
 * per unsuppressed finding — the rule as its class, the place as its name, with `file` and `line`
 * attributes — and the coverage notes as the suite's `system-err`. Written by fast-xml-parser's
 * builder, which escapes every value; characters XML cannot carry are replaced first.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { ScanResult } from '../engine/result.js';
import { findingRecords, shownAt, xmlSafe } from './finding-records.js';
import { displayPath } from './paths.js';

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
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: true });
  const body = builder.build({ testsuites: { '@_name': 'podtrust', '@_tests': records.length, '@_failures': records.length, testsuite: suite } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
