/**
 * CSV (RFC 4180): a header and one row per unsuppressed finding, CRLF line ends, every field that
 * holds a comma, a quote or a line end quoted with its quotes doubled. A field that a spreadsheet
 * would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: the
 * values come from the scanned files. A field's lines are made inert for a CI log (`inertForLog`): a
 * line break inside a quoted field starts a line of the report, which a runner printing it reads.
 */
import type { ScanResult } from '../engine/result.js';
import { findingRecords } from './finding-records.js';
import { inertForLog } from './sanitize.js';

export const CSV_COLUMNS = ['severity', 'rule', 'title', 'resource', 'resource_type', 'file', 'line', 'column', 'message', 'fingerprint', 'help'] as const;

function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = inertForLog(String(value));
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(result: ScanResult): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of findingRecords(result)) {
    rows.push(
      [r.severity, r.ruleId, r.title, r.finding.resource.name, r.finding.resource.type, r.file, r.startLine, r.startColumn, r.message, r.finding.fingerprint, r.helpUri].map(field).join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
