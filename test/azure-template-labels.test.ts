import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHaveTemplateLabel, podTemplateOf } from '../src/rules-support/azure.js';
import type { JsonValue, Resource } from '../src/model/types.js';

const KINDS = ['Pod', 'Deployment', 'CronJob', 'Job', 'ConfigMap'];
const leaf = fc.constantFrom<JsonValue>('x', '', 0, null, false, { $unknown: 'var.labels' });
const labels = fc.oneof(leaf, fc.dictionary(fc.constantFrom('aadpodidbinding', 'app'), leaf, { maxKeys: 2 }), fc.constant<JsonValue>([]));
const metadata = fc.oneof(leaf, fc.record({ labels }, { requiredKeys: [] }));
const template = fc.oneof(leaf, fc.record({ metadata, spec: fc.constant<JsonValue>({}) }, { requiredKeys: [] }));
const body = fc.record({
  metadata,
  spec: fc.oneof(leaf, fc.record({ template, jobTemplate: fc.record({ spec: fc.record({ template }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

describe('the quick template label test', () => {
  it('is false only where the pod template has no such label', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), body, (kind, b) => {
        const r: Resource = { id: 'x', type: `k8s.${kind}`, name: 'x', file: 'x.yaml', format: 'kubernetes', body: b as JsonValue, positions: {} };
        if (!mayHaveTemplateLabel(r, 'aadpodidbinding')) expect(podTemplateOf(r)?.labels['aadpodidbinding']).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('is true for a pod and a deployment template carrying the label', () => {
    const pod: Resource = { id: 'p', type: 'k8s.Pod', name: 'p', file: 'p.yaml', format: 'kubernetes', body: { metadata: { labels: { aadpodidbinding: 'app' } } }, positions: {} };
    const deploy: Resource = { ...pod, type: 'k8s.Deployment', body: { spec: { template: { metadata: { labels: { aadpodidbinding: 'app' } } } } } };
    expect(mayHaveTemplateLabel(pod, 'aadpodidbinding')).toBe(true);
    expect(mayHaveTemplateLabel(deploy, 'aadpodidbinding')).toBe(true);
    expect(mayHaveTemplateLabel({ ...pod, type: 'k8s.ConfigMap' }, 'aadpodidbinding')).toBe(false);
  });
});
