import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInventory } from '../../src/scan.js';

const MANIFESTS = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: first
  namespace: a
---
# podtrust:ignore k8s-identity-on-default-sa legacy namespace, migrating in Q3
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: b
  annotations:
    # podtrust:ignore aws-irsa-trust-mismatch role lives in another account
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/b
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: in-list
      namespace: c
  # podtrust:ignore k8s-identity-on-default-sa shared sandbox
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      # podtrust:ignore k8s-long-lived-sa-token
      name: default
      namespace: c
`;

describe('comment suppressions in Kubernetes manifests', () => {
  it('attach to the object or field that follows, once per comment, and need a reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-k8s-comments-'));
    writeFileSync(join(dir, 'sa.yaml'), MANIFESTS);
    const inv = await collectInventory({ paths: [dir], root: dir });
    const sups = Object.fromEntries(inv.resources.map((r) => [r.name, (r.suppressions ?? []).map((s) => ({ ruleId: s.ruleId, pointer: s.pointer, justification: s.justification, line: s.position?.line }))]));
    expect(sups['a/first']).toEqual([]);
    expect(sups['b/default']).toEqual([
      { ruleId: 'k8s-identity-on-default-sa', pointer: '', justification: 'legacy namespace, migrating in Q3', line: 7 },
      { ruleId: 'aws-irsa-trust-mismatch', pointer: '/metadata/annotations/eks.amazonaws.com~1role-arn', justification: 'role lives in another account', line: 14 },
    ]);
    expect(sups['c/in-list']).toEqual([]);
    expect(sups['c/default']).toEqual([{ ruleId: 'k8s-identity-on-default-sa', pointer: '', justification: 'shared sandbox', line: 25 }]);
    const warnings = inv.notes.filter((n) => n.message.includes('podtrust:ignore'));
    expect(warnings.map((n) => n.line)).toEqual([29]);
  });
});
