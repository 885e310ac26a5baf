import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyzeNamespaces } from '../../src/federation/kubernetes-subjects.js';
import type { Matcher, Pattern } from '../../src/federation/types.js';

/** A deny pattern no subject matches: the matcher means the same but takes the automaton's path. */
const viaAutomaton = (m: Matcher): Matcher => ({ ...m, deny: [{ value: 'not-a-subject', wildcard: false, ignoreCase: false }] });

const segment = fc.stringMatching(/^[a-zA-Z0-9.:*-]{0,6}$/);
const subject = fc.oneof(
  fc.tuple(fc.constantFrom('system:serviceaccount:', 'System:ServiceAccount:', 'system:serviceaccount', ''), segment, fc.constantFrom(':', '', '::'), segment).map(([a, b, c, d]) => a + b + c + d),
  fc.constantFrom('system:serviceaccount:team-a:app', 'system:serviceaccount:a:b', 'system:serviceaccount:a-1:x.y', 'system:serviceaccount:b:c', 'system:serviceaccount:ab:c'),
);
const literal: fc.Arbitrary<Pattern> = fc.record({ value: subject, wildcard: fc.constant(false), ignoreCase: fc.boolean() });

describe('namespace analysis of literal-only matchers', () => {
  test('answers exactly as the automaton does', () => {
    fc.assert(
      fc.property(fc.array(literal, { maxLength: 6 }), (allow) => {
        const m: Matcher = { allow, deny: [], unknown: false };
        expect(analyzeNamespaces(m)).toEqual(analyzeNamespaces(viaAutomaton(m)));
      }),
      { numRuns: 300 },
    );
  });

  test('one pinned subject is one namespace', () => {
    expect(analyzeNamespaces({ allow: [{ value: 'system:serviceaccount:payments:ledger', wildcard: false, ignoreCase: false }], deny: [], unknown: false })).toEqual({ span: 'one', namespaces: ['payments'] });
  });
});
