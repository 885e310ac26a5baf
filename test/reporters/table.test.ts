import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/reporters/table.js';
import { sampleResult } from './sample-result.js';
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
    expect(text).toMatch(/│ aws-trust-sub-\s*│/);
    expect(text).toMatch(/│ wildcard\s*│/);
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
