import { describe, expect, it } from 'vitest';
import { analyzeNamespaces } from '../../src/federation/kubernetes-subjects.js';
import type { Matcher, Pattern } from '../../src/federation/types.js';

const like = (value: string): Pattern => ({ value, wildcard: /[*?]/.test(value), ignoreCase: false });

describe('namespace answers asked again', () => {
  it('are equal and independent copies', () => {
    const m: Matcher = { allow: [like('system:serviceaccount:b*:x'), like('system:serviceaccount:a:*')], deny: [like('system:serviceaccount:b*:x')], unknown: false };
    const first = analyzeNamespaces(m);
    expect(first).toEqual({ span: 'one', namespaces: ['a'] });
    first.namespaces!.push('changed');
    expect(analyzeNamespaces(m)).toEqual({ span: 'one', namespaces: ['a'] });
  });

  it('follow a matcher whose patterns changed', () => {
    const m: Matcher = { allow: [like('system:serviceaccount:a?:x')], deny: [like('system:serviceaccount:ab:*')], unknown: false };
    expect(analyzeNamespaces(m).namespaces).toHaveLength(36);
    m.deny.push(like('system:serviceaccount:a*'));
    expect(analyzeNamespaces(m)).toEqual({ span: 'none', namespaces: [] });
  });
});
