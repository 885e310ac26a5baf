import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeControls, inertForLog, isExactCommandProperty, sanitizeTerminal } from '../../src/reporters/sanitize.js';
import { logLines, runnerView } from '../helpers/workflow-log.js';

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

describe('inertForLog', () => {
  it('breaks a workflow command at the start of a line and a legacy marker anywhere', () => {
    expect(inertForLog('  ::error title=X::forged')).toBe('  \\::error title=X::forged');
    expect(inertForLog('ns##[error]x ###[y')).toBe('ns##\\[error]x ###\\[y');
    expect(inertForLog('a\n::stop-commands::tok\r::b\r\n\u2028::c')).toBe('a\n\\::stop-commands\\::tok\n\\::b\n\n\\::c');
    expect(inertForLog('x ::STOP-COMMANDS::tok')).toBe('x ::STOP-COMMANDS\\::tok');
  });

  it('sees what the runner sees through characters its comparison skips', () => {
    expect(inertForLog('\u200b::error::x')).toBe('\\::error::x');
    expect(inertForLog('#\u00ad#[error]x')).toBe('##\\[error]x');
    expect(inertForLog('\u3000\t::x')).toBe('\u3000 \\::x');
  });

  it('keeps ordinary text, ARNs and its own colours', () => {
    expect(inertForLog('arn:aws:iam::111122223333:role/app · ünïcødé')).toBe('arn:aws:iam::111122223333:role/app · ünïcødé');
    expect(inertForLog('\u001b[1mbold\u001b[0m text')).toBe('\u001b[1mbold\u001b[0m text');
    // A colour sequence right after ## reads as ##[ to the runner: the line loses its colours.
    expect(inertForLog('##\u001b[31mred')).toBe('##red');
    expect(inertForLog('x\u001b]0;title\u0007y')).toBe('xy');
  });

  it('leaves no line the runner takes as a command, whatever the input', () => {
    const fragment = fc.constantFrom('::', '##[', '#', '[', ':', ' ', '\n', '\r', '\u001b[', '\u200b', '\u00ad', '\u2028', '\u3000', 'error', 'm', 'stop-commands', 'STOP-commands');
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 30 }), (parts) => {
        for (const line of logLines(inertForLog(parts.join('')))) {
          expect(runnerView(line).startsWith('::')).toBe(false);
          expect(runnerView(line).includes('##[') || line.replace(/\u001b/g, '').includes('##[')).toBe(false);
          expect(/::stop-commands::/i.test(runnerView(line))).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('escapeControls and isExactCommandProperty', () => {
  it('shows control and invisible characters of a file name as escapes', () => {
    expect(escapeControls('a\nb\tc\u001b\u200bd')).toBe('a\\nb\\tc\\u{1b}\\u{200b}d');
    expect(escapeControls('plain/name.yaml')).toBe('plain/name.yaml');
  });

  it('accepts what the runner’s property escaping carries exactly, and nothing else', () => {
    expect(isExactCommandProperty('dir/a ::error title=X::b,c%0A.yaml')).toBe(true);
    expect(isExactCommandProperty('line\nbreak.yaml')).toBe(true);
    expect(isExactCommandProperty('##[error]x.yaml')).toBe(false);
    expect(isExactCommandProperty('zw\u200b.yaml')).toBe(false);
    expect(isExactCommandProperty('esc\u001b.yaml')).toBe(false);
  });
});
