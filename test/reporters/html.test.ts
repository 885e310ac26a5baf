import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/result.js';
import { renderHtml } from '../../src/reporters/html.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { identityGraph, identityRows, mermaidGraph, mermaidLabel } from '../../src/reporters/html/identity-map.js';
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
    expect(html).toContain('<table id="identities">');
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
