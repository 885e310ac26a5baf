/**
 * Plants realistic credentials (generated at run time) in every source the collectors scan and
 * checks that no report format nor the saved inventory contains any part of them or their
 * base64 form, while each is still reported.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInventory, scan } from '../../src/scan.js';
import { loadInventory, renderInventory } from '../../src/model/snapshot.js';
import { render, type ReportFormat } from '../../src/reporters/index.js';
import { b64, expectNoneLeaked, fakeCredentials, secretWindows } from '../helpers/credentials.js';

type Creds = ReturnType<typeof fakeCredentials>;

function plant(dir: string, c: Creds): string {
  const sharedFile = `[default]\naws_access_key_id = ${c.keyId}\naws_secret_access_key = ${c.secretKey}\n`;
  writeFileSync(join(dir, 'secrets.yaml'), `apiVersion: v1
kind: Secret
metadata:
  name: aws-data
  namespace: a
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","data":{"AWS_ACCESS_KEY_ID":"${b64(c.keyId)}","AWS_SECRET_ACCESS_KEY":"${b64(c.secretKey)}"},"kind":"Secret"}'
data:
  AWS_ACCESS_KEY_ID: ${b64(c.keyId)}
  AWS_SECRET_ACCESS_KEY: ${b64(c.secretKey)}
  key.json: ${b64(c.gcpKey)}
---
apiVersion: v1
kind: Secret
metadata:
  name: string-data
  namespace: a
stringData:
  credentials: ${JSON.stringify(sharedFile)}
  AZURE_CLIENT_SECRET: "${c.azureSecret}"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: a
data:
  azure.json: '{"tenantId":"${randomUUID()}","aadClientId":"${c.clientId}","aadClientSecret":"${c.azureSecret}","subscriptionId":"${randomUUID()}"}'
  gcp.json: '${c.gcpKey}'
binaryData:
  creds: ${b64(sharedFile)}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: pod
      namespace: a
    spec:
      containers:
        - name: c
          image: busybox
          env:
            - { name: AWS_ACCESS_KEY_ID, value: "${c.keyId}" }
            - { name: AWS_SECRET_ACCESS_KEY, value: "${c.secretKey}" }
            - { name: AZURE_CLIENT_SECRET, value: "${c.azureSecret}" }
`);
  writeFileSync(join(dir, 'workloads.yaml'), ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].map((kind) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: w-${kind.toLowerCase()}
  namespace: a
spec:
  template:
    spec:
      initContainers:
        - name: init
          env: [{ name: GOOGLE_CREDENTIALS, value: '${c.gcpKey}' }]
      containers:
        - name: c
          env:
            - name: MY_AWS_SECRET_ACCESS_KEY
              value: ${c.secretKey}
            - name: KEY
              value: ${c.keyId}
`).join('---\n') + `---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron
  namespace: a
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: c
              env:
                - name: AZURE_CLIENT_SECRET
                  value: ${c.azureSecret}
`);
  writeFileSync(join(dir, 'main.tf'), `resource "kubernetes_secret" "tf" {
  metadata {
    name      = "tf-secret"
    namespace = "a"
  }
  data = {
    AWS_ACCESS_KEY_ID     = "${c.keyId}"
    AWS_SECRET_ACCESS_KEY = "${c.secretKey}"
    "key.json"            = ${JSON.stringify(c.gcpKey)}
  }
}

resource "kubernetes_config_map_v1" "tf" {
  metadata {
    name = "tf-config"
  }
  data = {
    AZURE_CLIENT_SECRET = "${c.azureSecret}"
  }
}

resource "kubernetes_manifest" "secret" {
  manifest = {
    apiVersion = "v1"
    kind       = "Secret"
    metadata   = { name = "manifest-secret", namespace = "a" }
    stringData = { AZURE_CLIENT_SECRET = "${c.azureSecret}" }
  }
}
`);
  return `# Source: chart/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: helm-secret
stringData:
  AWS_ACCESS_KEY_ID: ${c.keyId}
  AWS_SECRET_ACCESS_KEY: ${c.secretKey}
`;
}

/** Every 8-character window of a secret, and the base64 of the whole value. */
function forbiddenParts(c: Creds): string[] {
  return [...secretWindows(c.keyId, c.secretKey, c.azureSecret, c.privateKeyBody), b64(c.keyId), b64(c.secretKey), b64(c.azureSecret), b64(c.gcpKey)];
}

describe('planted credentials never reach the inventory or any report', () => {
  it('redacts every source and still reports every credential kind', async () => {
    const c = fakeCredentials();
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-creds-'));
    const helm = plant(dir, c);
    const parts = forbiddenParts(c);
    const options = { paths: [dir, '-'], root: dir, stdin: helm, now: new Date('2026-11-01T00:00:00Z') };

    const inventory = await collectInventory(options);
    expectNoneLeaked([{ what: 'the saved inventory', text: renderInventory(inventory) }], parts);

    const result = await scan(options);
    const found = result.findings.filter((f) => f.ruleId === 'k8s-static-cloud-credentials');
    const byResource = new Map<string, Set<string>>();
    for (const f of found) (byResource.get(f.resource.name) ?? byResource.set(f.resource.name, new Set()).get(f.resource.name)!).add(f.evidence?.kind ?? '');
    expect(byResource.get('a/aws-data')).toEqual(new Set(['aws-access-key', 'gcp-service-account-key']));
    expect(byResource.get('a/string-data')).toEqual(new Set(['aws-access-key', 'azure-client-secret']));
    expect(byResource.get('a/cm')).toEqual(new Set(['aws-access-key', 'azure-client-secret', 'gcp-service-account-key']));
    expect(byResource.get('a/pod')).toEqual(new Set(['aws-access-key', 'azure-client-secret']));
    for (const kind of ['deployment', 'statefulset', 'daemonset', 'job', 'replicaset']) {
      expect(byResource.get(`a/w-${kind}`)).toEqual(new Set(['aws-access-key', 'gcp-service-account-key']));
    }
    expect(byResource.get('a/cron')).toEqual(new Set(['azure-client-secret']));
    expect(byResource.get('a/tf-secret')).toEqual(new Set(['aws-access-key', 'gcp-service-account-key']));
    expect(byResource.get('default/tf-config')).toEqual(new Set(['azure-client-secret']));
    expect(byResource.get('a/manifest-secret')).toEqual(new Set(['azure-client-secret']));
    expect(byResource.get('helm-secret')).toEqual(new Set(['aws-access-key']));
    expect(found.find((f) => f.resource.name === 'a/aws-data' && f.evidence?.kind === 'aws-access-key')?.evidence?.idPrefix).toBe('AKIA…');

    const formats: ReportFormat[] = ['table', 'json', 'sarif', 'markdown', 'html'];
    expectNoneLeaked([...formats.map((format) => ({ what: `the ${format} report`, text: render(format, result) })), { what: 'the scan result', text: JSON.stringify(result) }], parts);
  });

  it('an inventory written elsewhere, holding keys in clear, is redacted when loaded', async () => {
    const c = fakeCredentials();
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-creds-'));
    const file = join(dir, 'handmade.inventory.json');
    const body = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'copy', namespace: 'a' }, spec: { template: { spec: { containers: [{ name: 'c', args: ['--s3-access-key-id', c.keyId, '--s3-secret-access-key', c.secretKey] }] } } } };
    const resource = { id: 'k8s:handmade:Job/a/copy', type: 'k8s.Job', name: 'a/copy', namespace: 'a', file: join(dir, 'job.yaml'), format: 'kubernetes', body, positions: {} };
    writeFileSync(file, JSON.stringify({ version: 1, resources: [resource], clusters: [], notes: [] }));

    const inventory = loadInventory(file);
    expect(inventory.resources[0]!.credentials?.map((e) => [e.key, e.pointer])).toEqual([
      ['--s3-access-key-id', '/spec/template/spec/containers/0/args/1'],
      ['--s3-secret-access-key', '/spec/template/spec/containers/0/args/3'],
    ]);
    const result = await scan({ paths: [], root: dir, inventories: [inventory] });
    expect(result.findings.map((f) => `${f.ruleId} ${f.resource.name} ${f.evidence?.kind}`)).toEqual(['k8s-static-cloud-credentials a/copy aws-access-key']);
    const parts = secretWindows(c.keyId, c.secretKey);
    expectNoneLeaked([{ what: 'the inventory as loaded', text: renderInventory(inventory) }, { what: 'the JSON report', text: render('json', result) }], parts);
  });
});
