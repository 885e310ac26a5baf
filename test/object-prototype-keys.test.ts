/**
 * Keys named like Object.prototype members (`constructor`, `toString`, `__proto__`, ...) are data
 * whichever thread collects them: the same inventory, findings and notes with and without workers.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobs } from '../src/collect/pool.js';
import { collectJob, type WorkerJob } from '../src/collect/collect-job.js';
import { isUnread } from '../src/model/lazy-positions.js';
import { DEFAULT_LIMITS } from '../src/util/structured.js';
import type { CollectOptions, SourceFile } from '../src/collectors/types.js';
import type { JsonValue, Resource } from '../src/model/types.js';
import { REPO } from './helpers/fixtures.js';
import { bodyPrototypes as prototypes } from './helpers/prototypes.js';

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: team
  annotations:
    constructor: "annotated"
data:
  region: eu-west-1
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: team
type: Opaque
data:
  valueOf: dmFsdWU=
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: team
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app
    constructor: arn:aws:iam::111122223333:role/other
    toString: "x"
  labels:
    hasOwnProperty: "true"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: team
  labels:
    valueOf: "1"
spec:
  selector:
    matchLabels:
      constructor: app
  template:
    metadata:
      labels:
        constructor: app
        __proto__: app
        azure.workload.identity/use: "true"
    spec:
      nodeSelector:
        toString: windows
      containers:
        - name: app
          image: app
          env:
            - name: FROM_CONFIG_MAP
              valueFrom:
                configMapKeyRef: { name: settings, key: constructor }
            - name: FROM_SECRET
              valueFrom:
                secretKeyRef: { name: creds, key: toString }
            - name: __proto__
              value: hasOwnProperty
`;

const TERRAFORM = `locals {
  names = { constructor = "app", toString = "web", "__proto__" = "x" }
  picked = lookup(local.names, "valueOf", "none")
}

resource "aws_iam_role" "app" {
  name = "app-\${local.picked}-\${local.names["constructor"]}"
  tags = { constructor = "team", hasOwnProperty = "yes" }
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringLike = { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:*:constructor" }
        toString   = { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com" }
      }
    }]
  })
}

resource "kubernetes_service_account" "web" {
  metadata {
    name      = local.names["toString"]
    namespace = "team"
    annotations = { "iam.gke.io/gcp-service-account" = "web@p.iam.gserviceaccount.com", valueOf = "v" }
    labels = { constructor = "x" }
  }
}
`;

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
}

/** The value each env var's `configMapKeyRef` / `secretKeyRef` names, looked up as a join across resources would. */
function referencedValues(resources: Resource[]): unknown[] {
  const byName = new Map(resources.map((r) => [`${r.type} ${r.name}`, r]));
  const out: unknown[] = [];
  for (const r of resources.filter((x) => x.type === 'k8s.Deployment')) {
    const containers = field(field(field(field(r.body, 'spec'), 'template'), 'spec'), 'containers') as JsonValue[];
    for (const env of containers.flatMap((c) => field(c, 'env') as JsonValue[])) {
      for (const [ref, type] of [['configMapKeyRef', 'k8s.ConfigMap'], ['secretKeyRef', 'k8s.Secret']] as const) {
        const at = field(field(env, 'valueFrom'), ref);
        if (at === undefined) continue;
        const target = byName.get(`${type} ${r.namespace}/${field(at, 'name') as string}`);
        out.push(field(field(target?.body, 'data'), field(at, 'key') as string));
      }
    }
    out.push(field(field(field(field(r.body, 'spec'), 'template'), 'metadata'), 'labels'));
  }
  for (const r of resources) {
    const annotations = field(field(r.body, 'metadata'), 'annotations');
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) out.push(`${r.id} ${key} ${typeof field(annotations, key)}`);
  }
  return out;
}

function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-prototypes-'));
  mkdirSync(join(dir, 'k8s'));
  mkdirSync(join(dir, 'infra'));
  writeFileSync(join(dir, 'k8s', 'app.yaml'), MANIFESTS);
  writeFileSync(join(dir, 'infra', 'main.tf'), TERRAFORM);
  return dir;
}

describe('keys named like Object.prototype members', () => {
  it('a worker sends bodies whose objects have the prototypes they have when collected in this thread', async () => {
    const dir = repository();
    const options: CollectOptions = { root: dir, limits: DEFAULT_LIMITS };
    const files: SourceFile[] = [
      { path: join(dir, 'k8s', 'app.yaml'), text: MANIFESTS },
      { path: join(dir, 'infra', 'main.tf'), text: TERRAFORM },
    ];
    const jobs: WorkerJob[] = [
      { id: 0, kind: 'structured', files: [[files[0]!]], options },
      { id: 1, kind: 'terraform', files: [[files[1]!]], options },
    ];
    // One worker thread, whose two lanes take both jobs before this thread asks for one.
    const fromWorker = await runJobs(jobs, join(REPO, 'build', 'worker.js'), 2);
    expect(fromWorker.resources.every((r) => isUnread(r.positions))).toBe(true);
    const here = (await Promise.all(jobs.map((job) => collectJob(job)))).flatMap((r) => r.resources);

    expect(fromWorker.resources.length).toBeGreaterThan(5);
    expect(prototypes(fromWorker.resources)).toEqual(prototypes(here));
    expect(referencedValues(fromWorker.resources)).toEqual(referencedValues(here));
    // What a pod's `configMapKeyRef.key: constructor` finds in a ConfigMap without that key: nothing, not Object.
    expect(referencedValues(fromWorker.resources).slice(0, 2)).toEqual([undefined, undefined]);
    expect(JSON.stringify(fromWorker.resources)).toBe(JSON.stringify(here));
  });

  it('the built scan finds the same, and names the same notes, with and without workers', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../src/bench-entry.js');
    const dir = repository();
    const sequential = await api.scan({ paths: [dir], root: dir, workers: 0 });
    const parallel = await api.scan({ paths: [dir], root: dir, workers: 2 });
    expect(sequential.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
    expect(sequential.findings.map((f) => f.ruleId)).toContain('k8s-identity-on-default-sa');
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
    expect(JSON.stringify(parallel.identities)).toBe(JSON.stringify(sequential.identities));

    const [one, two] = [await api.collectInventory({ paths: [dir], root: dir, workers: 0 }), await api.collectInventory({ paths: [dir], root: dir, workers: 2 })];
    expect(prototypes(two.resources)).toEqual(prototypes(one.resources));
    expect(referencedValues(two.resources)).toEqual(referencedValues(one.resources));
  });

  it('objects of kinds named like Object.prototype members are counted, and no rule fails on them, in either thread', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../src/bench-entry.js');
    const dir = repository();
    const kinds = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    writeFileSync(join(dir, 'k8s', 'kinds.yaml'), kinds.map((kind) => `apiVersion: example.com/v1\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: team\nspec:\n  template:\n    spec:\n      serviceAccountName: default\n`).join('---\n'));
    for (const workers of [0, 2]) {
      const result = await api.scan({ paths: [dir], root: dir, workers });
      expect(result.notes.filter((n) => n.kind === 'rule-error')).toEqual([]);
      const byKind = result.summary.unread?.byKind ?? {};
      expect(kinds.map((kind) => [kind, Object.hasOwn(byKind, kind) ? byKind[kind] : 'absent'])).toEqual(kinds.map((kind) => [kind, 1]));
    }
  });
});
