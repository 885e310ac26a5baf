import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sanitizeTerminal } from '../../src/reporters/sanitize.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('sanitizeTerminal', () => {
  it('removes CSI, OSC and other escape sequences', () => {
    expect(sanitizeTerminal('\u001b[31mred\u001b[0m')).toBe('red');
    expect(sanitizeTerminal('a\u001b]0;title\u0007b')).toBe('ab');
    expect(sanitizeTerminal('a\u001b]8;;https://x.example\u001b\\link\u001b]8;;\u001b\\b')).toBe('alinkb');
    expect(sanitizeTerminal('\u009b2Jcleared')).toBe('cleared');
    expect(sanitizeTerminal('x\u001bcy')).toBe('xy');
  });

  it('turns line breaks and tabs into one space and drops other controls', () => {
    expect(sanitizeTerminal('one\r\ntwo\tthree')).toBe('one two three');
    expect(sanitizeTerminal('a\u0000b\u0007c\u007fd')).toBe('abcd');
    expect(sanitizeTerminal('abc\u202edef')).toBe('abcdef');
  });

  it('keeps ordinary text, including non-ASCII', () => {
    expect(sanitizeTerminal('team/app-1 · ünïcødé 名前')).toBe('team/app-1 · ünïcødé 名前');
  });

  it('never leaves a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(CONTROL.test(sanitizeTerminal(s))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
