import { INPUT_STATES, INPUT_STATE_LABEL, SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../model/types.js';
import type { ScanSummary } from '../engine/result.js';

export interface FindingCounts {
  /** Unsuppressed findings, most severe first, otherwise in the order given. */
  active: Finding[];
  suppressed: Finding[];
  bySeverity: Record<Severity, number>;
  /** Unsuppressed findings a baseline marked as new. */
  newCount: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const active = findings
    .map((finding, index) => ({ finding, index }))
    .filter(({ finding }) => finding.suppression === undefined)
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of active) bySeverity[finding.severity] += 1;
  return {
    active,
    suppressed: findings.filter((finding) => finding.suppression !== undefined),
    bySeverity,
    newCount: active.filter((finding) => finding.baselineState === 'new').length,
  };
}

/** The findings of each rule, rules in the order of their first finding, findings in the order given. */
export function findingsByRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  return byRule;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `3 findings: 1 critical, 2 high · 14 files, 40 resources · 1 suppressed · 2 warnings (see notes)` */
export function summaryLine(counts: FindingCounts, files: number, resources: number, partial: boolean, warnings = 0): string {
  const total = counts.active.length;
  const severities = SEVERITIES.filter((s) => counts.bySeverity[s] > 0).map((s) => `${counts.bySeverity[s]} ${s}`);
  const parts = [total === 0 ? 'No findings' : `${plural(total, 'finding')}: ${severities.join(', ')}`];
  if (counts.newCount > 0) parts[0] += ` (${counts.newCount} new)`;
  parts.push(`${plural(files, 'file')}, ${plural(resources, 'resource')}`);
  if (counts.suppressed.length > 0) parts.push(`${counts.suppressed.length} suppressed`);
  if (partial) parts.push('incomplete scan (see notes)');
  if (warnings > 0) parts.push(`${plural(warnings, 'warning')} (see notes)`);
  return parts.join(' · ');
}

/** `inputs: 3 analysed, 1 recognised but not analysed, 4 not infrastructure, 2 excluded, 0 unparsable`, or nothing when the scan kept no ledger. */
export function inputsLine(summary: ScanSummary): string | undefined {
  const inputs = summary.inputs;
  if (inputs === undefined) return undefined;
  return `inputs: ${INPUT_STATES.map((s) => `${inputs[s]} ${INPUT_STATE_LABEL[s]}`).join(', ')}`;
}

/** `objects of kinds no rule reads: 12 (ConfigMap 7, Ingress 5)`, or nothing when there are none. */
export function unreadLine(summary: ScanSummary): string | undefined {
  const unread = summary.unread;
  if (unread === undefined || unread.count === 0) return undefined;
  return `objects of kinds no rule reads: ${unread.count} (${Object.entries(unread.byKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ')})`;
}

/** The ledger's lines under the summary line. */
export function ledgerLines(summary: ScanSummary): string[] {
  return [inputsLine(summary), unreadLine(summary)].filter((line): line is string => line !== undefined);
}
