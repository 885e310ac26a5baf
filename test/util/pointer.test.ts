import { describe, expect, it } from 'vitest';
import { child, escapeToken, join, split, unescapeToken } from '../../src/util/pointer.js';

describe('JSON pointer tokens (RFC 6901)', () => {
  it('escapes ~ and / and leaves every other token as written', () => {
    expect(escapeToken('metadata')).toBe('metadata');
    expect(escapeToken('')).toBe('');
    expect(escapeToken(0)).toBe('0');
    expect(escapeToken('eks.amazonaws.com/role-arn')).toBe('eks.amazonaws.com~1role-arn');
    expect(escapeToken('a~b')).toBe('a~0b');
    // ~ first: `~1` written in a key is not taken for an escaped slash.
    expect(escapeToken('~1/')).toBe('~01~1');
  });

  it('reads back what it writes', () => {
    const tokens = ['Statement', 0, 'Condition', 'StringLike', 'oidc.eks/id/x:sub', '~0~1', '', 'ü/~'];
    const pointer = join('', ...tokens);
    expect(split(pointer)).toEqual(tokens.map(String));
    for (const t of tokens) expect(unescapeToken(escapeToken(t))).toBe(String(t));
  });

  it('adds one token with child as join does', () => {
    for (const t of ['a', 0, 12, '', 'x/y', '~1', 'ü/~']) expect(child('/base', t)).toBe(join('/base', t));
    expect(child('', 'a/b')).toBe('/a~1b');
  });
});
