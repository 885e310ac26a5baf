import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/result.js';
import { renderHtml } from '../../src/reporters/html.js';
import { GRAPH_ROWS, OPEN_ROWS } from '../../src/reporters/html/identity-section.js';
import type { Finding } from '../../src/model/types.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { identityGraph, identityGroups, identityRows, mermaidGraph, mermaidLabel, NO_ACCOUNT, ROW_ITEMS } from '../../src/reporters/html/identity-map.js';
import { sampleResult } from './sample-result.js';

const HOSTILE = '<img src=x onerror=alert(1)>"]-->x["`';

function withIdentities(): ScanResult {
  const result = sampleResult();
  const roleId = result.findings[0]!.resource.id;
  return {
    ...result,
    identities: [
      { serviceAccount: { id: 'k8s/sa', name: `shop/${HOSTILE}`, cluster: 'prod' }, provider: 'aws', mechanism: 'irsa', identity: 'arn:aws:iam::1:role/app', identityResourceId: roleId, identityName: 'app', permissions: ['AmazonS3ReadOnlyAccess'] },
      { provider: 'aws', mechanism: 'web-identity', identity: 'orphan-role', permissions: [] },
    ],
    resourceClusters: { [roleId]: ['prod'] },
  };
}

describe('renderHtml', () => {
  const html = renderHtml(withIdentities());

  it('is self-contained: no external script, style, image, frame or fetch', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('escapes everything taken from the input', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<no>');
    expect(html).toContain('shop/&#60;img src=x onerror=alert(1)&#62;&#34;]--&#62;x[&#34;`');
    expect(html).not.toContain('\u001b');
  });

  it('carries the counts, breakdowns, identity map, findings, details and notes', () => {
    expect(html).toContain('<span class="n" id="count-critical">1</span>');
    expect(html).toContain('<span class="n" id="count-suppressed">1</span>');
    expect(html).toContain('<h2>By provider</h2>');
    expect(html).toMatch(/<td>prod<\/td>(<td class="num">\d+<\/td>){5}/);
    expect(html).toContain('<div id="identities">');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="graph"');
    expect(html).toContain('AmazonS3ReadOnlyAccess');
    expect(html).toContain('<strong>How to fix.</strong> Add a <code>StringEquals</code> condition on <code>&#60;issuer&#62;:sub</code>.');
    expect(html).toContain('unexpected end of flow mapping');
    expect(html.match(/<tr data-severity=/g)).toHaveLength(4);
  });
});

describe('the identity map', () => {
  const result = withIdentities();

  it('joins each ServiceAccount to its identity and the findings on either', () => {
    const rows = identityRows(result);
    expect(rows[0]!.findings.map((f) => f.ruleId)).toEqual(result.findings.filter((f) => f.resource.id === result.findings[0]!.resource.id && !f.suppression).map((f) => f.ruleId));
    expect(rows[1]!.serviceAccount).toBeUndefined();
    const graph = identityGraph(rows);
    expect(graph.edges).toContainEqual({ from: 'k8s/sa'.replace(/^/, 's:'), to: `i:${result.findings[0]!.resource.id}` });
  });

  it('escapes Mermaid labels so input cannot end the label or the code block', () => {
    expect(mermaidLabel('a"b]`c<d>')).toBe('a#34;b#93;#96;c#60;d#62;');
    const lines = mermaidGraph(identityGraph(identityRows(result)));
    expect(lines[0]).toBe('```mermaid');
    expect(lines.slice(1, -1).join('\n')).not.toMatch(/`|<img/);
    expect(lines.at(-1)).toBe('```');
  });

  it('appears in the Markdown report as a table and a graph', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('## Identity map');
    expect(md).toContain('| shop/&lt;img src=x onerror=alert(1)&gt;"\\]--&gt;x\\["\\` | prod |');
    expect(md).toContain('| IRSA | app | AmazonS3ReadOnlyAccess | critical: aws-trust-sub-missing');
    expect(md).toContain('```mermaid\ngraph LR');
    expect(md).toContain('| Cluster | critical | high | medium | low | total |');
    expect(md).toContain('| prod |');
  });
});

/** One cluster and account per copy: `copies` ServiceAccounts sharing one role that carries every finding of the sample. */
function estate(copies: number, grants = 3, clusters = 3): ScanResult {
  const result = sampleResult();
  const roleId = result.findings[0]!.resource.id;
  const permissions = Array.from({ length: grants }, (_, i) => `policy-${i}`);
  return {
    ...result,
    identities: Array.from({ length: copies }, (_, i) => ({
      serviceAccount: { id: `k8s/sa-${i}`, name: `team/app-${i}`, cluster: `cluster-${i % clusters}` },
      provider: 'aws' as const,
      mechanism: 'irsa' as const,
      identity: 'app',
      identityResourceId: i % 2 === 0 ? roleId : `other-role-${i}`,
      scope: `AWS account ${String(i % 2).repeat(12)}`,
      permissions,
    })),
  };
}

function group(html: string, cluster: string): string {
  const start = html.indexOf(`<span class="group-name">${cluster}</span>`);
  expect(start).toBeGreaterThan(-1);
  const open = html.lastIndexOf('<details class="cluster"', start);
  return html.slice(open, html.indexOf('</details>\n', html.indexOf('<details class="graph"', start)) + 10);
}

describe('the HTML identity map', () => {
  it('heads the report with the scan date, the version, the paths and the commit', () => {
    const result = { ...withIdentities(), scanned: { paths: ['.', 'infra/<b>', '-'], inventories: 1, commit: 'a'.repeat(40) } };
    const html = renderHtml(result, { startedAt: new Date('2026-05-04T03:02:01Z') });
    const meta = html.slice(html.indexOf('<dl class="meta"'), html.indexOf('</dl>'));
    expect(meta).toContain('<time datetime="2026-05-04T03:02:01.000Z">2026-05-04 03:02 UTC</time>');
    expect(meta).toContain(`<dt>podtrust</dt><dd>${result.tool.version}</dd>`);
    expect(meta).toContain('<code>.</code>, <code>infra/&#60;b&#62;</code>, <code>(standard input)</code>, 1 saved inventory');
    expect(meta).toContain(`<dt>Commit</dt><dd><code>${'a'.repeat(40)}</code></dd>`);
    const live = renderHtml({ ...withIdentities(), scanned: { paths: [], inventories: 0, live: ['Kubernetes context <x>', 'GCP project acme'] } });
    expect(live).toContain('<dt>Live sources</dt><dd>Kubernetes context &#60;x&#62;, GCP project acme</dd>');
    expect(renderHtml(withIdentities())).toContain('<dt>Commit</dt><dd><span class="muted">unknown (no git commit at the root)</span>');
  });

  it('groups identities by cluster, then by account, most severe cluster first', () => {
    const result = estate(6);
    result.identities!.push(
      { serviceAccount: { id: 'k8s/quiet', name: 'team/quiet', cluster: 'a-quiet' }, provider: 'aws', mechanism: 'irsa', identity: 'quiet' },
      { serviceAccount: { id: 'k8s/nowhere', name: 'team/nowhere', cluster: 'cluster-0' }, provider: 'aws', mechanism: 'irsa', identity: 'nowhere' },
    );
    const groups = identityGroups(result);
    expect(groups.map((g) => g.label)).toEqual(['cluster-0', 'cluster-1', 'cluster-2', 'a-quiet']);
    // cluster-0 holds copies 0 and 3: one on the role with the findings (account 000…), one on another role (account 111…).
    expect(groups[0]!.accounts.map((a) => [a.label, a.rows.map((r) => r.serviceAccount?.name)])).toEqual([
      [`AWS account ${'0'.repeat(12)}`, ['team/app-0']],
      [`AWS account ${'1'.repeat(12)}`, ['team/app-3']],
      [NO_ACCOUNT, ['team/nowhere']],
    ]);
    expect(groups[0]!.withFindings).toBe(1);
    // A finding beside several rows counts once in its cluster.
    expect(groups[0]!.counts.critical).toBe(identityRows(estate(6))[0]!.findings.filter((f) => f.severity === 'critical').length);
    expect(identityGroups(withIdentities()).flatMap((g) => g.accounts.map((a) => a.label))).toEqual([NO_ACCOUNT, NO_ACCOUNT]);
  });

  it('shows identities with findings and hides the others until asked', () => {
    const html = renderHtml(estate(6));
    const rows = html.match(/<tr data-findings="\d+"[^>]*>/g)!;
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.endsWith(' hidden>'))).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('<tr data-findings="0"'))).toHaveLength(3);
    expect(html).toContain('<input type="checkbox" id="identity-all">');
    expect(html).toContain('<input type="search" id="identity-filter"');
    expect(group(html, 'cluster-0')).toMatch(/^<details class="cluster" data-with-findings="1" open>/);
  });

  it('starts a large map collapsed to its clusters', () => {
    const html = renderHtml(estate(2 * (OPEN_ROWS + 1)));
    expect(html.match(/<details class="cluster"[^>]*>/g)!.every((d) => !d.includes(' open'))).toBe(true);
  });

  it('draws a graph per cluster, none for a cluster too large to read as one', () => {
    const small = renderHtml(estate(GRAPH_ROWS, 3, 1));
    expect(small.match(/<svg /g)).toHaveLength(1);
    const large = renderHtml(estate(GRAPH_ROWS + 1, 3, 1));
    expect(large).not.toContain('<svg ');
    expect(large).toContain(`<p class="muted">No graph for more than ${GRAPH_ROWS} identities: the tables say the same.</p>`);
  });

  it('lists a bounded number of grants and findings per row', () => {
    const result = estate(1, ROW_ITEMS + 5);
    const many: Finding[] = Array.from({ length: ROW_ITEMS + 2 }, (_, i) => ({ ...result.findings[0]!, fingerprint: `many-${i}` }));
    const html = renderHtml({ ...result, findings: [...result.findings, ...many] });
    const row = html.slice(html.indexOf('<tr data-findings='), html.indexOf('</tr>', html.indexOf('<tr data-findings=')));
    expect(row).toContain(`policy-${ROW_ITEMS - 1}<br><span class="muted">and 5 more</span>`);
    expect(row).not.toContain(`policy-${ROW_ITEMS}`);
    expect(row.match(/<a href="#rule-/g)).toHaveLength(ROW_ITEMS);
    expect(row).toMatch(/<span class="muted">and 5 more<\/span><\/td>$/);
    const md = renderMarkdown({ ...result, findings: [...result.findings, ...many] });
    expect(md).toContain(`policy-${ROW_ITEMS - 1}, and 5 more |`);
    expect(md).not.toContain(`policy-${ROW_ITEMS},`);
  });

  it('folds a rule with many findings after the first ten', () => {
    const result = sampleResult();
    const many: Finding[] = Array.from({ length: 15 }, (_, i) => ({ ...result.findings[0]!, fingerprint: `many-${i}` }));
    const html = renderHtml({ ...result, findings: many });
    const section = html.slice(html.indexOf(`<section class="rule" id="rule-${many[0]!.ruleId}">`), html.indexOf('</section>'));
    expect(section.match(/<li><span class="sev/g)).toHaveLength(15);
    expect(section).toMatch(/<\/ul><details class="more"><summary>5 more findings<\/summary><ul>(<li>.*<\/li>\n?){5}<\/ul><\/details>/);
  });

  it('escapes names, clusters, accounts and grants from the input', () => {
    const hostile = estate(1);
    hostile.identities = hostile.identities!.map((l) => ({ ...l, serviceAccount: { ...l.serviceAccount!, cluster: HOSTILE }, scope: HOSTILE, permissions: [HOSTILE], identity: HOSTILE }));
    const html = renderHtml(hostile);
    expect(html).not.toContain('<img');
    expect(html.match(/&#60;img src=x onerror=alert\(1\)&#62;/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('grows linearly with the identities, however many share a role and its grants', () => {
    // Ten identities a cluster: each cluster has its graph at every size.
    const size = (n: number) => renderHtml(estate(n, 200, Math.max(1, n / 10))).length;
    const base = size(0);
    const small = size(100) - base;
    const large = size(400) - base;
    expect(large / small).toBeGreaterThan(3.5);
    expect(large / small).toBeLessThan(4.5);
    // Grants past the ones a row lists cost nothing more, in the tables or in each cluster's graph.
    const perCluster = (grants: number) => renderHtml(estate(100, grants, 100)).length;
    expect(perCluster(200) - perCluster(ROW_ITEMS + 1)).toBeLessThan(100 * 10);
  });
});
