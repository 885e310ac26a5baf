/** One notion of "path relative to the scan root" for config globs, cluster maps and displays. */
import { describe, expect, it } from 'vitest';
import type { Inventory, Resource } from '../src/model/types.js';
import { parseConfig } from '../src/engine/config.js';
import { auditInventory } from '../src/scan.js';
import { rootRelative } from '../src/util/paths.js';
import { relativeId } from '../src/collectors/ids.js';

describe('rootRelative', () => {
  it('makes absolute paths relative to the root with POSIX separators', () => {
    expect(rootRelative('/repo', '/repo/k8s/prod/sa.yaml')).toBe('k8s/prod/sa.yaml');
    expect(rootRelative('/repo', '/other/sa.yaml')).toBe('../other/sa.yaml');
    expect(rootRelative('C:\\repo', 'C:\\repo\\k8s\\sa.yaml')).toBe('k8s/sa.yaml');
  });

  it('keeps virtual live paths and <stdin> as they are instead of resolving them against the cwd', () => {
    expect(rootRelative('/somewhere/else', 'k8s/prod/ns/ServiceAccount/x.yaml')).toBe('k8s/prod/ns/ServiceAccount/x.yaml');
    expect(rootRelative('/repo', '<stdin>')).toBe('<stdin>');
  });
});

describe('config ignore paths on live findings', () => {
  const liveDefaultSa: Resource = {
    id: 'k8s:live:prod:ServiceAccount/ns/default',
    type: 'k8s.ServiceAccount',
    name: 'ns/default',
    file: 'k8s/prod/ns/ServiceAccount/x.yaml',
    format: 'live',
    cluster: 'prod',
    body: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'ns', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app' } },
    },
    positions: { '': { line: 1, column: 1, endLine: 7, endColumn: 1 } },
  };
  const inventory = (): Inventory => ({ version: 1, resources: [structuredClone(liveDefaultSa)], clusters: [{ name: 'prod', complete: true }], notes: [] });
  const options = { paths: [], root: '/scan/root', ruleIds: ['k8s-identity-on-default-sa'] };

  it('the finding exists without an ignore entry', () => {
    const result = auditInventory(inventory(), options);
    expect(result.findings.map((f) => [f.ruleId, f.location.file, f.suppression])).toEqual([['k8s-identity-on-default-sa', 'k8s/prod/ns/ServiceAccount/x.yaml', undefined]]);
  });

  it('an ignore entry with a live-style path glob suppresses it', () => {
    const config = parseConfig('ignore:\n  - rule: k8s-identity-on-default-sa\n    path: "k8s/prod/**"\n    reason: accepted for the prod cluster\n', '/scan/root/.podtrust.yaml');
    const result = auditInventory(inventory(), options, config);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.suppression).toEqual({ kind: 'external', justification: 'accepted for the prod cluster' });
  });

  it('a glob for another context does not', () => {
    const config = parseConfig('ignore:\n  - rule: "*"\n    path: "k8s/staging/**"\n    reason: staging only\n', '/scan/root/.podtrust.yaml');
    expect(auditInventory(inventory(), options, config).findings[0]!.suppression).toBeUndefined();
  });
});

describe('relativeId', () => {
  it('answers each root and file pair on its own, however the calls alternate', () => {
    expect(relativeId('/repo', '/repo/k8s/a.yaml')).toBe('k8s/a.yaml');
    expect(relativeId('/repo', '/repo/k8s/a.yaml')).toBe('k8s/a.yaml');
    expect(relativeId('/repo/k8s', '/repo/k8s/a.yaml')).toBe('a.yaml');
    expect(relativeId('/repo/k8s', '/repo/k8s/b.yaml')).toBe('b.yaml');
    expect(relativeId('/repo', '/repo/k8s/a.yaml')).toBe('k8s/a.yaml');
    expect(relativeId('/repo', '/repo')).toBe('.');
    expect(relativeId('/repo', '<stdin>')).toBe('<stdin>');
  });
});
