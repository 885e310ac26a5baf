import { describe, expect, it } from 'vitest';
import { CELL_CHARACTERS, renderTable } from '../../src/reporters/table.js';
import { bulkFinding, sampleResult } from './sample-result.js';
import type { ScanResult } from '../../src/engine/result.js';

const ESCAPE = /[\u001b\u009b]/;

function lengths(text: string): number[] {
  return text.split('\n').map((line) => Array.from(line).length);
}

describe('renderTable', () => {
  it.each([20, 30, 45, 60, 80, 100, 160, 240])('fits %i columns and has no escape sequences without colour', (width) => {
    const text = renderTable(sampleResult(), { color: false, width });
    expect(ESCAPE.test(text)).toBe(false);
    expect(Math.max(...lengths(text))).toBeLessThanOrEqual(width);
    expect(text).toContain('critical');
    expect(text).toContain('Coverage notes:');
  });

  it('breaks rule ids and paths after a dash or slash rather than inside a word', () => {
    const text = renderTable(sampleResult(), { color: false, width: 80 });
    // Every piece of a broken rule id but the last ends at a dash.
    const pieces = text.split('\n').map((line) => line.split('│')[2]?.trim() ?? '').filter((p) => /^(aws|sub|wildcard)/.test(p));
    expect(pieces.join('')).toContain('aws-trust-sub-wildcard');
    expect(pieces.filter((p) => !p.endsWith('-') && p !== 'sub-wildcard' && p !== 'sub-missing' && p !== 'wildcard')).toEqual([]);
    expect(pieces.length).toBeGreaterThan(2);
    expect(text).toContain('k8s/prod/team/');
  });

  it('lists findings most severe first and keeps suppressed ones out of the list', () => {
    const text = renderTable(sampleResult(), { color: false, width: 200 });
    const order = ['critical', 'high', 'medium', 'low'].map((s) => text.indexOf(`│ ${s} `));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain('accepted');
    expect(text).toContain('iam/app role.tf:12');
    expect(text).toContain('k8s/prod/team/Pod/web.yaml');
  });

  it('prints the summary line and coverage notes after the table', () => {
    const text = renderTable(sampleResult(), { color: false, width: 200 });
    expect(text).toContain('4 findings: 1 critical, 1 high, 1 medium, 1 low (1 new) · 14 files, 40 resources · 1 suppressed · incomplete scan (see notes)');
    const notes = text.slice(text.indexOf('Coverage notes:'));
    expect(text.indexOf('Coverage notes:')).toBeGreaterThan(text.lastIndexOf('└'));
    expect(notes).toContain('error k8s/broken.yaml:9:2 unexpected end of flow mapping (parse-error)');
    expect(notes).toContain('warning cannot list Secrets in namespace team (403) (permission)');
  });

  it('says so when there is nothing to report', () => {
    const empty: ScanResult = { ...sampleResult(), findings: [], notes: [] };
    expect(renderTable(empty, { color: false, width: 80 })).toBe('No findings · 14 files, 40 resources · incomplete scan (see notes)\n');
  });

  it('strips escape sequences and line breaks that come from the input, also with colour on', () => {
    for (const color of [false, true]) {
      const text = renderTable(sampleResult(), { color, width: 200 });
      expect(text).not.toContain('pwned');
      expect(text).not.toContain('[2J');
      expect(text).not.toMatch(/\r/);
      expect(text).not.toMatch(/^FAKE/m);
      expect(text).toContain('team/default FAKE');
      // With colour, the only sequences are our own SGR codes.
      const sequences = text.match(/\u001b[^m]*m/g) ?? [];
      expect(sequences.every((s) => /^\u001b\[[0-9;]*m$/.test(s))).toBe(true);
      expect(text.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(ESCAPE);
    }
  });

  it('colours severities only when asked', () => {
    expect(renderTable(sampleResult(), { color: true, width: 120 })).toContain('\u001b[1;31mcritical\u001b[0m');
  });
});

/** Terminal columns of text whose wide characters are all CJK ideographs (two columns each). */
function columns(line: string): number {
  return Array.from(line).reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
}

describe('renderTable with many or long findings', () => {
  it('lists every finding and cuts only long cells, with an ellipsis', () => {
    const long = `Role app admits ${Array.from({ length: 200 }, (_, i) => `"system:serviceaccount:ns-${i}:*"`).join(', ')}.`;
    const findings = Array.from({ length: 3000 }, (_, i) => ({ ...bulkFinding(i, 'high'), message: i === 7 ? long : `Finding ${i}.` }));
    const result: ScanResult = { ...sampleResult(), findings, notes: [] };
    const text = renderTable(result, { color: false, width: 120 });
    for (let i = 0; i < findings.length; i++) expect(text).toContain(`bulk/${i}.yaml:1`);
    expect(text).toContain('3000 findings: 3000 high');
    const cell = text.split('\n').filter((line) => line.includes('│')).map((line) => line.split('│')[5]!.trim());
    const shown = cell.slice(cell.findIndex((c) => c.startsWith('Role app admits'))).join(' ');
    expect(shown).toContain('"system:serviceaccount:ns-0:*"');
    expect(shown).toMatch(/…/);
    expect(shown.slice(0, shown.indexOf('…')).replace(/\s/g, '').length).toBeLessThan(CELL_CHARACTERS);
    expect(shown).not.toContain('ns-199');
    expect(Math.max(...lengths(text))).toBeLessThanOrEqual(120);
  });

  it('takes a width of 0 columns as the default width, not as a list', () => {
    const text = renderTable(sampleResult(), { color: false, width: 0 });
    expect(text).toContain('┌');
    expect(text).toBe(renderTable(sampleResult(), { color: false, width: 80 }));
  });

  it('measures wide characters by the columns they take', () => {
    const result = sampleResult();
    result.findings[1] = { ...result.findings[1]!, resource: { ...result.findings[1]!.resource, name: '漢字角色名前'.repeat(4) }, message: '信頼政策条件'.repeat(12) };
    for (const width of [60, 100, 160]) {
      const grid = renderTable(result, { color: false, width }).split('\n').filter((line) => /^[┌│├└]/.test(line));
      expect(grid.some((line) => line.includes('漢'))).toBe(true);
      // Every line of the grid as wide as its top border: the borders line up.
      for (const line of grid) expect(columns(line)).toBe(columns(grid[0]!));
      expect(columns(grid[0]!)).toBeLessThanOrEqual(width);
      // Wrapped, not cut.
      const messages = grid.filter((line) => line.startsWith('│')).map((line) => line.split('│')[5]!.trim());
      expect(messages.join('')).toContain('信頼政策条件'.repeat(12));
    }
  });
});
