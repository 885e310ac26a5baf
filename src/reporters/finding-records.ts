/**
 * What the report formats that other systems read (JUnit, GitLab, CSV, Security Hub) need of each
 * finding, in one place: only unsuppressed findings (each such format has exactly one entry per
 * one), the rule's metadata, and the location as a path relative to the root with its lines.
 */
import type { Finding, Severity } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import type { RuleMeta } from '../engine/rule-api.js';
import { displayPath } from './paths.js';
import { clampRegion, locationFile } from './location.js';

export interface FindingRecord {
  finding: Finding;
  rule: RuleMeta | undefined;
  ruleId: string;
  title: string;
  severity: Severity;
  message: string;
  /** Relative to the root for a file inside it; a live object's stable path otherwise. */
  file: string;
  /** Absent for live objects and findings without a position. */
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  /** ARN, API reference or resource id of a live object. */
  logical?: string;
  helpUri: string;
}

export function ruleHelpUri(result: ScanResult, ruleId: string): string {
  return `${result.tool.informationUri.replace(/\/+$/, '')}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

export function findingRecords(result: ScanResult): FindingRecord[] {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  return result.findings
    .filter((f) => f.suppression === undefined)
    .map((finding) => {
      const rule = rules.get(finding.ruleId);
      const region = finding.location.position ? clampRegion(finding.location.position) : undefined;
      return {
        finding,
        rule,
        ruleId: finding.ruleId,
        title: rule?.title ?? finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        file: displayPath(result.root, locationFile(finding.location)).path,
        ...(region ? { startLine: region.startLine, startColumn: region.startColumn, endLine: region.endLine } : {}),
        ...(finding.location.logical !== undefined ? { logical: finding.location.logical } : {}),
        helpUri: ruleHelpUri(result, finding.ruleId),
      };
    });
}

/** `file:line`, or the file alone. */
export function shownAt(record: FindingRecord): string {
  return record.startLine !== undefined ? `${record.file}:${record.startLine}` : record.file;
}

/** Text for formats that forbid what XML 1.0 cannot carry: control characters other than tab and line ends, lone surrogates. */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** At most `max` UTF-16 units, cut on a character boundary with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--;
  return `${text.slice(0, cut)}…`;
}
