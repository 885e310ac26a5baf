import { describe, expect, it } from 'vitest';
import { render } from '../../src/reporters/index.js';
import { sampleResult } from './sample-result.js';

describe('render', () => {
  it('dispatches on the format', () => {
    const result = sampleResult();
    expect(JSON.parse(render('sarif', result)).version).toBe('2.1.0');
    expect(JSON.parse(render('json', result)).schemaVersion).toBe(1);
    expect(render('markdown', result)).toMatch(/^# podtrust report\n/);
    const table = render('table', result, { color: false, width: 70 });
    expect(table).toContain('┌');
    expect(Math.max(...table.split('\n').map((l) => Array.from(l).length))).toBeLessThanOrEqual(70);
  });
});
