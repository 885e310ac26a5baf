import { describe, expect, it } from 'vitest';
import { formatList, formatValues } from '../../../src/collectors/terraform/format.js';
import { EvaluationError } from '../../../src/collectors/terraform/evaluation-error.js';

describe('Terraform format', () => {
  it('pads, signs and bases numbers as Terraform does', () => {
    expect(formatValues('svc-%02d', [2])).toBe('svc-02');
    expect(formatValues('%3d|%-4d|%+.1f|%x|%X|%#b', [7, 7, 2.25, 255, 255, 5])).toBe('  7|7   |+2.2|ff|FF|0b101');
    expect(formatValues('%.2f|%.0f|%.0f', [1.005, 0.5, 1.5])).toBe('1.00|0|2');
  });

  it('chooses arguments by index and keeps %% literal', () => {
    expect(formatValues('%[2]s/%[1]s/%s %%', ['a', 'b'])).toBe('b/a/b %');
  });

  it('refuses what Terraform refuses', () => {
    expect(() => formatValues('%d', [1.5])).toThrow(EvaluationError);
    expect(() => formatValues('%s', [])).toThrow(EvaluationError);
    expect(() => formatValues('%s', ['a', 'b'])).toThrow(EvaluationError);
    expect(() => formatValues('%s', [null])).toThrow(EvaluationError);
    expect(() => formatValues('%y', [1])).toThrow(EvaluationError);
    expect(() => formatValues('%.f', [1])).toThrow(EvaluationError);
    expect(formatValues('%v', [null])).toBe('null');
  });

  it('formatlist iterates lists together and repeats the other arguments', () => {
    expect(formatList('%s=%d', [['a', 'b'], [1, 2]])).toEqual(['a=1', 'b=2']);
    expect(formatList('%s.%s', ['ns', ['x', 'y']])).toEqual(['ns.x', 'ns.y']);
    expect(() => formatList('%s%s', [['a'], ['b', 'c']])).toThrow(EvaluationError);
  });
});
