/**
 * A rule graded by context declares the range its findings take (`lowestSeverity`…`severity`);
 * the rule table shows that range. Every fixture's expected severity lies within it, and a graded
 * rule's fixtures reach both ends, so the range shown is the range the code reports.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../src/engine/rules.js';
import { severityLabel, severityRange } from '../src/engine/rule-api.js';
import { renderRuleCatalog } from '../src/docs/catalog.js';
import { listFixtureCases } from './helpers/fixtures.js';

const cases = listFixtureCases();

describe('severity ranges', () => {
  it.each(allRules().map((r) => [r.meta.id, r.meta] as const))('%s reports only severities in its range, and its fixtures reach both ends', (id, meta) => {
    const range = severityRange(meta);
    const seen = new Set(cases.filter((c) => c.ruleId === id).flatMap((c) => c.expected.map((e) => e.severity)));
    seen.delete(undefined);
    for (const s of seen) expect(range, `${id}: a fixture expects ${s}, outside ${severityLabel(meta)}`).toContain(s);
    if (range.length > 1) {
      expect(seen.has(range[0]), `${id}: no fixture reaches ${range[0]}`).toBe(true);
      expect(seen.has(range[range.length - 1]), `${id}: no fixture reaches ${range[range.length - 1]}`).toBe(true);
    }
  });

  it('labels a range lowest first and shows it in every catalog format', () => {
    expect(severityLabel({ severity: 'critical', lowestSeverity: 'high' })).toBe('high–critical');
    expect(severityLabel({ severity: 'medium' })).toBe('medium');
    expect(severityRange({ severity: 'medium', lowestSeverity: 'low' })).toEqual(['medium', 'low']);
    const graded = allRules().map((r) => r.meta).find((m) => m.lowestSeverity !== undefined)!;
    const label = severityLabel(graded);
    expect(renderRuleCatalog([graded], 'markdown', { color: false, width: 120 })).toContain(`| ${label} |`);
    expect(renderRuleCatalog([graded], 'table', { color: false, width: 120 })).toContain(label);
    expect(JSON.parse(renderRuleCatalog([graded], 'json', { color: false, width: 120 }))[0]).toMatchObject({ severity: graded.severity, lowestSeverity: graded.lowestSeverity });
  });
});
