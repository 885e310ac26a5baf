/** The job summary: counts, every finding (up to GitHub's size limit) with links to rule help, coverage notes. */
import { SEVERITIES, type Finding } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { countFindings, ledgerLines, summaryLine } from '../reporters/counts.js';
import { escapeMarkdown } from '../reporters/markdown.js';
import { displayPath, shownPath } from '../reporters/paths.js';
import { locationFile } from '../reporters/location.js';
import { changeLines, configurationLines } from '../reporters/configuration-text.js';
import type { Verdict } from '../engine/verdict.js';

// A step summary is limited to 1 MiB; a few hundred rows stay far below it.
export const MAX_SUMMARY_ROWS = 500;

export interface SummaryContext {
  /** Rule id → help page. */
  helpUris: Map<string, string>;
  /** `https://github.com/<owner>/<repo>/blob/<sha>` when the run says where the code lives. */
  blobBase?: string;
  /** Findings without an annotation because of GitHub's per-step limit. */
  notAnnotated: number;
  sarifFile: string;
  failOn: string;
  verdict: Verdict;
  /** Whether the step fails: `fail-on: none` and `fail-on-incomplete: false` let an incomplete scan pass. */
  stepFails: boolean;
}

function cell(text: string): string {
  return escapeMarkdown(text);
}

function locationCell(result: ScanResult, f: Finding, blobBase: string | undefined): string {
  const shown = displayPath(result.root, locationFile(f.location));
  const line = f.location.position ? Math.max(1, Math.trunc(f.location.position.line)) : undefined;
  const text = cell(`${shownPath(result.root, locationFile(f.location))}${line !== undefined ? `:${line}` : ''}`);
  if (!blobBase || shown.outsideRoot) return text;
  const href = `${blobBase}/${shown.path.split('/').map(encodeURIComponent).join('/')}${line !== undefined ? `#L${line}` : ''}`;
  return `[${text}](${href})`;
}

function ruleCell(ruleId: string, helpUris: Map<string, string>): string {
  const uri = helpUris.get(ruleId);
  return uri ? `[${cell(ruleId)}](${uri})` : cell(ruleId);
}

function section(lines: string[], heading: string, items: string[]): void {
  lines.push(heading, '', ...items.map((item) => `- ${cell(item)}`), '');
}

export function renderJobSummary(result: ScanResult, ctx: SummaryContext): string {
  const counts = countFindings(result.findings);
  const hasBaseline = result.findings.some((f) => f.baselineState !== undefined);
  const verdict = ctx.stepFails
    ? `❌ failed (fail-on: ${ctx.failOn})`
    : ctx.verdict.outcome === 'incomplete'
      ? `⚠️ passed, scan incomplete (fail-on: ${ctx.failOn})`
      : `✅ passed (fail-on: ${ctx.failOn})`;
  const lines = ['## podtrust', ''];
  // What the change turned off comes before the verdict it may have bought.
  const change = changeLines(result.configurationChange);
  if (change !== undefined) section(lines, `**⚠️ ${cell(change.heading)}:**`, change.items);
  const configuration = configurationLines(result.configuration, result.root);
  lines.push(
    `${verdict} · ${cell(summaryLine(counts, result.summary.files, result.summary.resources, result.summary.partial, result.summary.warnings))}`,
    '',
    ...ledgerLines(result.summary).flatMap((line) => [cell(line), '']),
    `| ${SEVERITIES.join(' | ')} | suppressed |${hasBaseline ? ' new |' : ''}`,
    `|${SEVERITIES.map(() => ' ---: |').join('')} ---: |${hasBaseline ? ' ---: |' : ''}`,
    `| ${SEVERITIES.map((s) => counts.bySeverity[s]).join(' | ')} | ${counts.suppressed.length} |${hasBaseline ? ` ${counts.newCount} |` : ''}`,
    '',
  );
  if (configuration !== undefined) section(lines, `### ${cell(configuration.heading)}`, configuration.items);
  else lines.push(`Configuration: every rule on, no ignore entries.`, '');
  if (counts.active.length > 0) {
    lines.push('### Findings', '', `| Severity | Rule | Resource | Location | Message |${hasBaseline ? ' Baseline |' : ''}`, `| --- | --- | --- | --- | --- |${hasBaseline ? ' --- |' : ''}`);
    for (const f of counts.active.slice(0, MAX_SUMMARY_ROWS)) {
      lines.push(
        `| ${f.severity} | ${ruleCell(f.ruleId, ctx.helpUris)} | ${cell(f.resource.name)} | ${locationCell(result, f, ctx.blobBase)} | ${cell(f.message)} |${hasBaseline ? ` ${f.baselineState ?? ''} |` : ''}`,
      );
    }
    lines.push('');
    if (counts.active.length > MAX_SUMMARY_ROWS) {
      lines.push(`${counts.active.length - MAX_SUMMARY_ROWS} more findings are in the SARIF file.`, '');
    }
  }
  if (ctx.notAnnotated > 0) {
    lines.push(
      `${ctx.notAnnotated} finding(s) have no annotation: GitHub shows at most 10 error and 10 warning annotations per step. All of them are listed above and in the SARIF file.`,
      '',
    );
  }
  const notes = result.notes.filter((n) => n.level !== 'note');
  if (notes.length > 0) {
    lines.push('### Coverage notes', '');
    for (const n of notes) {
      const where = n.file !== undefined ? ` ${cell(shownPath(result.root, n.file))}${n.line !== undefined ? `:${n.line}` : ''}:` : '';
      lines.push(`- **${n.level}** (${n.kind})${where} ${cell(n.message)}`);
    }
    lines.push('');
  }
  lines.push(`SARIF file: ${cell(shownPath(result.root, ctx.sarifFile))}`, '');
  return lines.join('\n');
}
