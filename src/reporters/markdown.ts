import { SEVERITIES, type Finding, type Location } from '../model/types.js';
import type { RuleMeta } from '../engine/rule-api.js';
import type { ScanResult } from '../engine/result.js';
import { countFindings, findingsByRule, ledgerLines, summaryLine } from './counts.js';
import { displayPath } from './paths.js';
import { locationFile } from './location.js';
import { characterReference, escapeForReport, sanitizeTerminal } from './sanitize.js';
import { byCluster, byProvider, firstItems, identityGraph, identityRows, MECHANISM_LABEL, mermaidGraph, type Breakdown } from './html/identity-map.js';

/**
 * Text from scanned input rendered inert: no table breaks, HTML, code spans, links or emphasis,
 * no line breaks that could start a heading or list item, and nothing a CI log printing it obeys.
 */
export function escapeMarkdown(text: string): string {
  const escaped = sanitizeTerminal(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~!]/g, (c) => `\\${c}`);
  return escapeForReport(escaped, characterReference);
}

function shownLocation(root: string, location: Location): string {
  const file = displayPath(root, locationFile(location)).path;
  return location.position ? `${file}:${Math.max(1, location.position.line)}` : file;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function findingsTable(result: ScanResult, findings: Finding[]): string[] {
  return [
    row(['Severity', 'Rule', 'Resource', 'Location', 'Message']),
    row(['---', '---', '---', '---', '---']),
    ...findings.map((f) =>
      row([
        f.severity,
        escapeMarkdown(f.ruleId),
        escapeMarkdown(f.resource.name),
        escapeMarkdown(shownLocation(result.root, f.location)),
        escapeMarkdown(f.message),
      ]),
    ),
  ];
}

function ruleSection(result: ScanResult, rule: RuleMeta | undefined, ruleId: string, findings: Finding[]): string[] {
  const lines = [`### ${escapeMarkdown(ruleId)}${rule ? `: ${rule.title}` : ''}`, ''];
  for (const f of findings) {
    lines.push(
      `- **${f.severity}** ${escapeMarkdown(f.resource.name)} at ${escapeMarkdown(shownLocation(result.root, f.location))}: ${escapeMarkdown(f.message)}`,
    );
    for (const rel of f.related) {
      const label = rel.message !== undefined ? `${escapeMarkdown(rel.message)}: ` : '';
      lines.push(`  - related: ${label}${escapeMarkdown(shownLocation(result.root, rel))}`);
    }
  }
  if (rule) {
    lines.push('', `**Why it matters.** ${rule.description}`, '', `**How to fix.** ${rule.remediation}`);
    if (rule.references.length > 0) {
      lines.push('', '**References:**', ...rule.references.map((ref) => `- <${ref}>`));
    }
  }
  lines.push('');
  return lines;
}

function breakdownTable(heading: string, entries: Breakdown[]): string[] {
  if (entries.length === 0) return [];
  const lines = [row([heading, ...SEVERITIES, 'total']), row(['---', ...SEVERITIES.map(() => '---:'), '---:'])];
  for (const e of entries) lines.push(row([escapeMarkdown(e.label), ...SEVERITIES.map((s) => String(e.counts[s])), String(e.total)]));
  lines.push('');
  return lines;
}

/** ServiceAccount → cloud identity → what it can do → findings, as a table and a Mermaid graph. */
function identityMapSection(result: ScanResult): string[] {
  const rows = identityRows(result);
  if (rows.length === 0) return [];
  const lines = [
    '## Identity map',
    '',
    row(['ServiceAccount', 'Cluster', 'Mechanism', 'Cloud identity', 'Can do', 'Findings']),
    row(['---', '---', '---', '---', '---', '---']),
  ];
  // Bounded per row, as in the HTML report: a role shared by many ServiceAccounts repeats on each row.
  const more = (n: number) => `and ${n} more`;
  for (const r of rows) {
    const findings = firstItems(r.findings, (f) => `${f.severity}: ${escapeMarkdown(f.ruleId)}`, more, '<br>');
    lines.push(
      row([
        r.serviceAccount ? escapeMarkdown(r.serviceAccount.name) : '_(none scanned)_',
        escapeMarkdown(r.serviceAccount?.cluster ?? ''),
        MECHANISM_LABEL[r.mechanism],
        escapeMarkdown(r.identity),
        firstItems(r.permissions, escapeMarkdown, more, ', '),
        findings || 'none',
      ]),
    );
  }
  lines.push('', ...mermaidGraph(identityGraph(rows)), '');
  return lines;
}

export function renderMarkdown(result: ScanResult): string {
  const counts = countFindings(result.findings);
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  const lines = ['# podtrust report', '', escapeMarkdown(summaryLine(counts, result.summary.files, result.summary.resources, result.summary.partial, result.summary.warnings)), ''];
  for (const line of ledgerLines(result.summary)) lines.push(escapeMarkdown(line), '');

  lines.push('| Severity | Findings |', '| --- | ---: |');
  for (const severity of SEVERITIES) lines.push(`| ${severity} | ${counts.bySeverity[severity]} |`);
  lines.push(`| suppressed | ${counts.suppressed.length} |`, '');
  if (counts.active.length > 0) {
    lines.push(...breakdownTable('Provider', byProvider(result)), ...breakdownTable('Cluster', byCluster(result)));
  }
  lines.push(...identityMapSection(result));

  if (counts.active.length > 0) {
    lines.push('## Findings', '', ...findingsTable(result, counts.active), '', '## Details', '');
    for (const [ruleId, findings] of findingsByRule(counts.active)) lines.push(...ruleSection(result, rules.get(ruleId), ruleId, findings));
  }

  if (counts.suppressed.length > 0) {
    lines.push('## Suppressed', '', row(['Rule', 'Resource', 'Location', 'Justification']), row(['---', '---', '---', '---']));
    for (const f of counts.suppressed) {
      lines.push(
        row([
          escapeMarkdown(f.ruleId),
          escapeMarkdown(f.resource.name),
          escapeMarkdown(shownLocation(result.root, f.location)),
          escapeMarkdown(f.suppression?.justification ?? ''),
        ]),
      );
    }
    lines.push('');
  }

  if (result.notes.length > 0) {
    lines.push('## Coverage notes', '');
    for (const note of result.notes) {
      const where =
        note.file !== undefined
          ? ` ${escapeMarkdown(displayPath(result.root, note.file).path)}${note.line !== undefined ? `:${note.line}` : ''}:`
          : '';
      lines.push(`- **${note.level}** (${note.kind})${where} ${escapeMarkdown(note.message)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
