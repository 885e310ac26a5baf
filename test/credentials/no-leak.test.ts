/**
 * Plants realistic credentials (generated at run time) in every source the collectors scan and
 * checks that no report format nor the saved inventory contains any part of them or their
 * base64 form, while each is still reported.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInventory, scan } from '../../src/scan.js';
import { renderInventory } from '../../src/model/snapshot.js';
import { render, type ReportFormat } from '../../src/reporters/index.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENTRA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-';

function pick(alphabet: string, n: number): string {
  return Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

function fakeCredentials() {
  const keyId = `AKIA${pick(BASE32, 16)}`;
  const secretKey = `a${pick(BASE64, 37)}9Z`;
  const azureSecret = `${pick(ENTRA.slice(0, 62), 3)}8Q~${pick(ENTRA, 34)}`;
  const privateKeyBody = randomBytes(96).toString('base64');
  const gcpKey = JSON.stringify({
    type: 'service_account',
    project_id: 'acme-prod',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: `-----BEGIN PRIVATE KEY-----\n${privateKeyBody}\n-----END PRIVATE KEY-----\n`,
    client_email: 'exporter@acme-prod.iam.gserviceaccount.com',
    client_id: '1048573928174658392',
  });
  return { keyId, secretKey, azureSecret, privateKeyBody, gcpKey, clientId: randomUUID() };
}

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
  const windows = (s: string) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8));
  return [
    ...windows(c.keyId.slice(4)),
    ...windows(c.secretKey),
    ...windows(c.azureSecret),
    ...windows(c.privateKeyBody),
    b64(c.keyId),
    b64(c.secretKey),
    b64(c.azureSecret),
    b64(c.gcpKey),
  ];
}

function expectClean(text: string, parts: string[], what: string): void {
  const leaked = parts.filter((p) => text.includes(p));
  expect(leaked, `${what} contains part of a planted credential`).toEqual([]);
}

describe('planted credentials never reach the inventory or any report', () => {
  it('redacts every source and still reports every credential kind', async () => {
    const c = fakeCredentials();
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-creds-'));
    const helm = plant(dir, c);
    const parts = forbiddenParts(c);
    const options = { paths: [dir, '-'], root: dir, stdin: helm, now: new Date('2026-11-01T00:00:00Z') };

    const inventory = await collectInventory(options);
    expectClean(renderInventory(inventory), parts, 'the saved inventory');

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

    for (const format of ['table', 'json', 'sarif', 'markdown', 'html'] as ReportFormat[]) {
      expectClean(render(format, result), parts, `the ${format} report`);
    }
    expectClean(JSON.stringify(result), parts, 'the scan result');
  });
});
