import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/reporters/markdown.js';
import { sampleResult } from './sample-result.js';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleResult());

  it('escapes pipes, angle brackets and backticks from the input', () => {
    expect(escapeMarkdown('a|b <c> `d`')).toBe('a\\|b &lt;c&gt; \\`d\\`');
    expect(text).toContain('cluster prod \\| with &lt;no&gt; \\`sub\\`.');
    expect(text).not.toContain('<no>');
    expect(text).not.toContain('pwned');
  });

  it('keeps every findings-table row at five cells', () => {
    const header = text.indexOf('| Severity | Rule |');
    const rows = text.slice(header).split('\n\n')[0]!.split('\n');
    expect(rows).toHaveLength(2 + 4);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('summarises by severity and explains each rule with its remediation', () => {
    expect(text).toContain('| critical | 1 |');
    expect(text).toContain('| suppressed | 1 |');
    expect(text).toContain('### aws-trust-sub-missing: IRSA trust without a sub condition');
    expect(text).toContain('**How to fix.** Add a `StringEquals` condition on `<issuer>:sub`.');
    expect(text).toContain('- <https://kubernetes.io/docs/concepts/security/service-accounts/>');
    expect(text).toContain('  - related: ServiceAccount sa-0: k8s/sa-0.yaml:4');
  });

  it('lists suppressed findings with their justification and coverage notes', () => {
    expect(text).toContain('| aws-kube2iam-legacy | app | k8s/legacy.yaml:3 | migrating in Q3 |');
    expect(text).toContain('- **error** (parse-error) k8s/broken.yaml:9: unexpected end of flow mapping');
    expect(text).toContain('- **warning** (permission) cannot list Secrets in namespace team (403)');
    expect(text.endsWith('\n')).toBe(true);
  });
});
