/**
 * `--format html`: one self-contained file for a security team (no network, no external
 * assets) with the Markdown report's content: a header saying when, with what and on what the
 * scan ran, the identity map grouped by cluster and account (html/identity-section.ts), a
 * sortable and filterable findings table, and each rule's findings with why and how to fix.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Location } from '../model/types.js';
import type { RuleMeta } from '../engine/rule-api.js';
import type { ScanResult } from '../engine/result.js';
import { countFindings, findingsByRule, ledgerLines, summaryLine } from './counts.js';
import { displayPath } from './paths.js';
import { locationFile } from './location.js';
import { escapeHtml, inlineMarkdown, safeLink } from './html/escape.js';
import { byCluster, byProvider, type Breakdown } from './html/identity-map.js';
import { identitySection, sev } from './html/identity-section.js';
import { SCRIPT, STYLE } from './html/assets.js';

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:`;

function shownLocation(root: string, location: Location): string {
  const file = displayPath(root, locationFile(location)).path;
  return location.position ? `${file}:${Math.max(1, location.position.line)}` : file;
}

function cards(result: ScanResult, counts: ReturnType<typeof countFindings>): string {
  const items = SEVERITIES.map(
    (s) => `<div class="card ${s}"><span class="n" id="count-${s}">${counts.bySeverity[s]}</span>${s}</div>`,
  );
  items.push(`<div class="card"><span class="n" id="count-suppressed">${counts.suppressed.length}</span>suppressed</div>`);
  if (result.findings.some((f) => f.baselineState !== undefined)) {
    items.push(`<div class="card"><span class="n" id="count-new">${counts.newCount}</span>new since baseline</div>`);
  }
  return `<div class="cards">${items.join('')}</div>`;
}

/** Rows of a breakdown, or findings of a rule's details, shown before the rest fold away. */
const SHOWN_ENTRIES = 10;

/** Items shown in full up to SHOWN_ENTRIES; the rest in a collapsed block that says how many. */
function folded(items: string[], wrap: (inner: string) => string, what: string): string {
  if (items.length <= SHOWN_ENTRIES) return wrap(items.join('\n'));
  const rest = items.length - SHOWN_ENTRIES;
  return `${wrap(items.slice(0, SHOWN_ENTRIES).join('\n'))}<details class="more"><summary>${rest} more ${what}</summary>${wrap(items.slice(SHOWN_ENTRIES).join('\n'))}</details>`;
}

function breakdownTable(heading: string, entries: Breakdown[]): string {
  if (entries.length === 0) return '';
  const head = `<tr><th>${heading}</th>${SEVERITIES.map((s) => `<th class="num">${s}</th>`).join('')}<th class="num">total</th></tr>`;
  const rows = entries.map((e) => `<tr><td>${escapeHtml(e.label)}</td>${SEVERITIES.map((s) => `<td class="num">${e.counts[s]}</td>`).join('')}<td class="num">${e.total}</td></tr>`);
  return folded(rows, (body) => `<table class="breakdown"><thead>${head}</thead><tbody>${body}</tbody></table>`, `${heading.toLowerCase()} rows`);
}

function findingRow(result: ScanResult, f: Finding): string {
  const loc = shownLocation(result.root, f.location);
  const state = f.baselineState ?? '';
  const badge = f.baselineState === 'new' ? ' <span class="badge">new</span>' : '';
  return (
    `<tr data-severity="${f.severity}" data-baseline="${state}">` +
    `<td data-sort="${SEVERITY_RANK[f.severity]}">${sev(f.severity)}${badge}</td>` +
    `<td><a href="#rule-${escapeHtml(f.ruleId)}">${escapeHtml(f.ruleId)}</a></td>` +
    `<td>${escapeHtml(f.resource.name)}</td><td>${escapeHtml(loc)}</td><td>${escapeHtml(f.message)}</td></tr>`
  );
}

function findingsSection(result: ScanResult, active: Finding[]): string {
  if (active.length === 0) return '<h2 id="findings-heading">Findings</h2><p>No findings.</p>';
  const hasBaseline = active.some((f) => f.baselineState !== undefined);
  return [
    '<h2 id="findings-heading">Findings</h2>',
    '<div class="filters">',
    '<label>Filter <input type="search" id="filter-text" placeholder="rule, resource, file or text"></label>',
    `<label>Severity <select id="filter-severity"><option value="">all</option>${SEVERITIES.map((s) => `<option value="${s}">${s}</option>`).join('')}</select></label>`,
    hasBaseline ? '<label><input type="checkbox" id="filter-new"> new only</label>' : '',
    `<span class="muted">showing <span id="shown-count">${active.length}</span> of <span id="total-count">${active.length}</span></span>`,
    '</div>',
    // Scrolls in its own box: a long list of findings does not push the details off the page.
    '<div class="table-scroll"><table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Location</th><th>Message</th></tr></thead>',
    `<tbody>${active.map((f) => findingRow(result, f)).join('\n')}</tbody></table></div>`,
  ].join('\n');
}

function ruleDetails(result: ScanResult, rule: RuleMeta | undefined, ruleId: string, findings: Finding[]): string {
  const items = findings.map((f) => {
    const related = f.related
      .map((rel) => `<li>related: ${rel.message !== undefined ? `${escapeHtml(rel.message)}: ` : ''}${escapeHtml(shownLocation(result.root, rel))}</li>`)
      .join('');
    return `<li>${sev(f.severity)} ${escapeHtml(f.resource.name)} at ${escapeHtml(shownLocation(result.root, f.location))}: ${escapeHtml(f.message)}${related ? `<ul>${related}</ul>` : ''}</li>`;
  });
  const parts = [`<section class="rule" id="rule-${escapeHtml(ruleId)}">`, `<h3>${escapeHtml(ruleId)}${rule ? `: ${escapeHtml(rule.title)}` : ''}</h3>`, folded(items, (list) => `<ul>${list}</ul>`, 'findings')];
  if (rule) {
    parts.push(`<p><strong>Why it matters.</strong> ${inlineMarkdown(rule.description)}</p>`, `<p><strong>How to fix.</strong> ${inlineMarkdown(rule.remediation)}</p>`);
    if (rule.references.length > 0) parts.push(`<p><strong>References:</strong></p><ul>${rule.references.map((r) => `<li>${safeLink(r)}</li>`).join('')}</ul>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function suppressedSection(result: ScanResult, suppressed: Finding[]): string {
  if (suppressed.length === 0) return '';
  const body = suppressed
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.ruleId)}</td><td>${escapeHtml(f.resource.name)}</td><td>${escapeHtml(shownLocation(result.root, f.location))}</td><td>${escapeHtml(f.suppression?.justification ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<h2>Suppressed</h2><table id="suppressed"><thead><tr><th>Rule</th><th>Resource</th><th>Location</th><th>Justification</th></tr></thead><tbody>${body}</tbody></table>`;
}

function notesSection(result: ScanResult): string {
  if (result.notes.length === 0) return '';
  const items = result.notes
    .map((n) => {
      const where = n.file !== undefined ? ` ${escapeHtml(displayPath(result.root, n.file).path)}${n.line !== undefined ? `:${n.line}` : ''}:` : '';
      return `<li><strong>${n.level}</strong> (${escapeHtml(n.kind)})${where} ${escapeHtml(n.message)}</li>`;
    })
    .join('\n');
  return `<h2 id="coverage">Coverage notes</h2><p class="muted">What the scan could not read or decide.</p><ul id="notes">${items}</ul>`;
}

/** Paths the header lists; a shell glob can expand to thousands, and the ledger counts them all. */
const HEADER_PATHS = 20;

/** When, with what, on what: the scan date, podtrust's version, the paths given and the commit they are at. */
function header(result: ScanResult, at: Date): string {
  const scanned = result.scanned;
  const paths = scanned?.paths ?? [];
  const shownPaths = paths.slice(0, HEADER_PATHS).map((p) => `<code>${escapeHtml(p === '-' ? '(standard input)' : p)}</code>`);
  if (paths.length > HEADER_PATHS) shownPaths.push(`and ${paths.length - HEADER_PATHS} more`);
  if (scanned && scanned.inventories > 0) shownPaths.push(`${scanned.inventories} saved inventor${scanned.inventories === 1 ? 'y' : 'ies'}`);
  const iso = at.toISOString();
  const items: [string, string][] = [
    ['Scanned', `<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`],
    ['podtrust', escapeHtml(result.tool.version)],
    ['Paths', shownPaths.join(', ') || '<span class="muted">none</span>'],
    ...(scanned?.live ? [['Live sources', scanned.live.map((l) => escapeHtml(l)).join(', ')] as [string, string]] : []),
    ['Commit', scanned?.commit !== undefined ? `<code>${escapeHtml(scanned.commit)}</code>` : '<span class="muted">unknown (no git commit at the root)</span>'],
  ];
  return `<header><h1>podtrust report</h1><dl class="meta" id="scan-meta">${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></header>`;
}

export interface HtmlOptions {
  /** When the scan ran (default: now). */
  startedAt?: Date;
}

export function renderHtml(result: ScanResult, opts: HtmlOptions = {}): string {
  const counts = countFindings(result.findings);
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  const byRule = findingsByRule(counts.active);
  const summary = summaryLine(counts, result.summary.files, result.summary.resources, result.summary.partial, result.summary.warnings);
  const body = [
    header(result, opts.startedAt ?? new Date()),
    `<p id="summary">${escapeHtml(summary)}</p>`,
    ...ledgerLines(result.summary).map((line) => `<p class="muted ledger">${escapeHtml(line)}</p>`),
    cards(result, counts),
    counts.active.length > 0 ? `<h2>By provider</h2>${breakdownTable('Provider', byProvider(result))}<h2>By cluster</h2>${breakdownTable('Cluster', byCluster(result))}` : '',
    identitySection(result),
    findingsSection(result, counts.active),
    byRule.size > 0 ? '<h2>Details</h2>' : '',
    ...[...byRule].map(([ruleId, findings]) => ruleDetails(result, rules.get(ruleId), ruleId, findings)),
    suppressedSection(result, counts.suppressed),
    notesSection(result),
  ].filter((part) => part !== '');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>podtrust report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
