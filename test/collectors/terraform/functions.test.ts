import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../src/collectors/terraform/functions.js';
import { EvaluationError } from '../../../src/collectors/terraform/evaluation-error.js';

const call = (name: string, ...args: Parameters<(typeof FUNCTIONS)[string]>[0]) => FUNCTIONS[name]!(args, `${name}(...)`);

describe('Terraform functions where Terraform refuses the call', () => {
  it('refuses a negative element index and min/max of nothing (Terraform errors; the value is then unknown)', () => {
    expect(() => call('element', ['a', 'b'], -1)).toThrow(EvaluationError);
    expect(call('element', ['a', 'b'], 3)).toBe('b');
    expect(() => call('min')).toThrow(EvaluationError);
    expect(() => call('max')).toThrow(EvaluationError);
  });

  it('orders sets as Terraform lists them', () => {
    expect(call('toset', ['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(call('toset', [10, 9])).toEqual([9, 10]);
    expect(call('toset', ['b', 1])).toEqual(['1', 'b']);
  });
});
