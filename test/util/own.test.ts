import { describe, expect, it } from 'vitest';
import { own } from '../../src/util/own.js';

describe('own', () => {
  it('finds a table\'s own entry, falsy values included', () => {
    const table: Record<string, unknown> = { zero: 0, empty: '', no: false, nothing: null };
    expect(own(table, 'zero')).toBe(0);
    expect(own(table, 'empty')).toBe('');
    expect(own(table, 'no')).toBe(false);
    expect(own(table, 'nothing')).toBeNull();
  });

  it('finds nothing under a name the prototype holds, or under no name', () => {
    const table: Record<string, string> = { a: 'x' };
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(own(table, key)).toBeUndefined();
    expect(own(table, undefined)).toBeUndefined();
  });

  it('finds an own entry named like a prototype member, in a table with or without a prototype', () => {
    const bare = Object.create(null) as Record<string, string>;
    bare['__proto__'] = 'data';
    const parsed = JSON.parse('{"__proto__": "data", "constructor": "too"}') as Record<string, string>;
    expect(own(bare, '__proto__')).toBe('data');
    expect(own(parsed, '__proto__')).toBe('data');
    expect(own(parsed, 'constructor')).toBe('too');
  });
});
