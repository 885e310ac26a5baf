/**
 * The HTML report's identity map: one collapsible group per cluster, a table per account,
 * project or subscription inside it, and the group's graph on demand (none for a cluster too
 * large for a graph to be read). Identities without
 * findings are hidden until asked for, and large maps start collapsed, so a map of hundreds
 * of identities opens as a list of clusters. Each row shows a bounded number of grants and
 * findings: the page grows with the rows, not with rows times what an identity shares.
 */
import { SEVERITIES, type Finding } from '../../model/types.js';
import type { ScanResult } from '../../engine/result.js';
import { escapeHtml } from './escape.js';
import { identityGraph, identityGroups, identityRows, firstItems, MECHANISM_LABEL, type ClusterGroup, type IdentityRow } from './identity-map.js';
import { graphSvg } from './graph-svg.js';

/** Identities of a cluster above which it has no graph. */
export const GRAPH_ROWS = 40;
/** Rows with findings above which every cluster starts collapsed. */
export const OPEN_ROWS = 40;

export function sev(severity: string): string {
  return `<span class="sev ${severity}">${severity}</span>`;
}

function more(n: number): string {
  return `<span class="muted">and ${n} more</span>`;
}

function findingsCell(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<span class="muted">none</span>';
  return firstItems(findings, (f) => `${sev(f.severity)} <a href="#rule-${escapeHtml(f.ruleId)}">${escapeHtml(f.ruleId)}</a>`, more, '<br>');
}

function canDoCell(permissions: readonly string[]): string {
  if (permissions.length === 0) return '<span class="muted">no grant in the scan</span>';
  return firstItems(permissions, escapeHtml, more, '<br>');
}

function identityRow(row: IdentityRow): string {
  const quiet = row.findings.length === 0;
  return (
    `<tr data-findings="${row.findings.length}"${quiet ? ' hidden' : ''}>` +
    `<td>${row.serviceAccount ? escapeHtml(row.serviceAccount.name) : '<em>(none scanned)</em>'}</td>` +
    `<td>${MECHANISM_LABEL[row.mechanism]}</td><td>${escapeHtml(row.identity)}</td>` +
    `<td>${canDoCell(row.permissions)}</td><td>${findingsCell(row.findings)}</td></tr>`
  );
}

function groupSummary(group: ClusterGroup): string {
  const severities = SEVERITIES.filter((s) => group.counts[s] > 0).map((s) => `${group.counts[s]} ${sev(s)}`);
  const identities = `${group.total} identit${group.total === 1 ? 'y' : 'ies'}, ${group.withFindings} with findings`;
  return `<summary><span class="group-name">${escapeHtml(group.label)}</span> <span class="muted">${identities}</span>${severities.length > 0 ? ` · ${severities.join(', ')}` : ''}</summary>`;
}

function clusterGroup(group: ClusterGroup, open: boolean): string {
  const tables = group.accounts.map(
    (account) =>
      `<h4>${escapeHtml(account.label)}</h4>` +
      '<table class="identities"><thead><tr><th>ServiceAccount</th><th>Mechanism</th><th>Cloud identity</th><th>Can do</th><th>Findings</th></tr></thead>' +
      `<tbody>${account.rows.map(identityRow).join('\n')}</tbody></table>`,
  );
  const rows = group.accounts.flatMap((a) => a.rows);
  // A graph of more identities than a screen holds is the tangle the tables replace.
  const graph =
    rows.length <= GRAPH_ROWS
      ? `<details class="graph"><summary>Graph</summary><div class="graph-wrap">${graphSvg(identityGraph(rows))}</div></details>`
      : `<p class="muted">No graph for more than ${GRAPH_ROWS} identities: the tables say the same.</p>`;
  return `<details class="cluster" data-with-findings="${group.withFindings}"${open && group.withFindings > 0 ? ' open' : ''}${group.withFindings === 0 ? ' hidden' : ''}>${groupSummary(group)}\n${tables.join('\n')}\n${graph}</details>`;
}

export function identitySection(result: ScanResult): string {
  const rows = identityRows(result);
  if (rows.length === 0) return '';
  const groups = identityGroups(result, rows);
  const withFindings = rows.filter((r) => r.findings.length > 0).length;
  const open = withFindings <= OPEN_ROWS;
  return [
    '<h2 id="identity-map">Identity map</h2>',
    '<p class="muted">ServiceAccount → cloud identity → what it can do → findings, by cluster and account.</p>',
    '<div class="filters">',
    '<label>Search <input type="search" id="identity-filter" placeholder="ServiceAccount, identity, grant or rule"></label>',
    '<label><input type="checkbox" id="identity-all"> show identities without findings</label>',
    `<span class="muted">showing <span id="identity-shown">${withFindings}</span> of ${rows.length} identities in ${groups.length} cluster group${groups.length === 1 ? '' : 's'}</span>`,
    '</div>',
    `<div id="identities">${groups.map((g) => clusterGroup(g, open)).join('\n')}</div>`,
  ].join('\n');
}
