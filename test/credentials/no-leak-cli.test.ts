/**
 * Credentials planted where only the generic walk finds them (a custom resource's spec, container
 * args, a committed kubeconfig; a live custom resource and pod) never reach anything the real CLI
 * writes: `podtrust collect`'s inventory and objects folder, `podtrust scan --inventory` in every
 * report format, stdout and stderr. The cloud credentials are still reported where they are.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Inventory } from '../../src/model/types.js';
import { runCli, runCliAsync, type CliRun } from '../helpers/cli.js';
import { accessKeyId, b64, entraSecret, expectNoneLeaked, filesUnder, pick, secretAccessKey, secretWindows, type Output } from '../helpers/credentials.js';
import { startCluster, writeKubeconfig, type LoopbackCluster } from '../live/k8s-server.js';

const FORMATS = ['table', 'json', 'sarif', 'markdown', 'html'];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podtrust-no-leak-'));
}

function outputsOf(what: string, run: CliRun): Output[] {
  return [
    { what: `${what} stdout`, text: run.stdout },
    { what: `${what} stderr`, text: run.stderr },
  ];
}

interface JsonReport {
  findings: { ruleId: string; resource: { name: string }; location: { file: string; line: number | null }; evidence?: Record<string, string> }[];
}

/** `scan --inventory` in every format (verbose, so stderr says all it can); the runs and the JSON report. */
function scanInventory(inventory: string, cwd: string): { outputs: Output[]; report: JsonReport } {
  const outputs: Output[] = [];
  let report: JsonReport | undefined;
  for (const format of FORMATS) {
    const run = runCli(['scan', '--inventory', inventory, '--format', format, '--verbose', '--fail-on', 'none'], { cwd });
    expect(run.status, run.stderr).toBe(0);
    outputs.push(...outputsOf(`scan --inventory --format ${format}`, run));
    if (format === 'json') report = JSON.parse(run.stdout) as JsonReport;
  }
  return { outputs, report: report! };
}

function staticCredentialFindings(report: JsonReport): string[] {
  return report.findings
    .filter((f) => f.ruleId === 'k8s-static-cloud-credentials')
    .map((f) => `${f.resource.name} ${f.location.file}:${f.location.line} ${f.evidence?.kind}`)
    .sort();
}

describe('no part of a planted secret in any output of the CLI', () => {
  it('IaC: a custom resource, container args and a committed kubeconfig', () => {
    const [keyId, secretKey, argsKeyId, argsSecret] = [accessKeyId(), secretAccessKey(), accessKeyId(), secretAccessKey()];
    const token = pick('abcdefghijklmnopqrstuvwxyz0123456789', 48);
    const clientKey = b64(`-----BEGIN RSA PRIVATE KEY-----\n${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 64)}\n-----END RSA PRIVATE KEY-----\n`);
    const repo = tempDir();
    writeFileSync(join(repo, 'bucket-sync.yaml'), stringify({
      apiVersion: 'storage.acme.io/v1',
      kind: 'BucketSync',
      metadata: { name: 'media-sync', namespace: 'media' },
      spec: { bucket: 'acme-media', credentials: { accessKeyId: keyId, secretAccessKey: secretKey } },
    }));
    writeFileSync(join(repo, 'uploader.yaml'), stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'uploader', namespace: 'media' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'rclone/rclone:1.68', args: ['sync', '/data', `--s3-access-key-id=${argsKeyId}`, '--s3-secret-access-key', argsSecret] }] } } },
    }));
    writeFileSync(join(repo, 'admin.kubeconfig.yaml'), stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'lab', cluster: { server: 'https://10.20.0.10:6443' } }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'admin' } }],
      'current-context': 'lab',
      users: [{ name: 'admin', user: { token, 'client-key-data': clientKey } }],
    }));
    const forbidden = [...secretWindows(keyId, secretKey, argsKeyId, argsSecret, token, clientKey), b64(secretKey), b64(argsSecret)];

    const inventory = join(repo, 'inventory.json');
    const collect = runCli(['collect', repo, '--output', inventory, '--verbose'], { cwd: repo });
    expect(collect.status, collect.stderr).toBe(0);
    const direct = runCli(['scan', repo, '--format', 'json', '--verbose', '--fail-on', 'none'], { cwd: repo });
    const audited = scanInventory(inventory, repo);
    const inventoryText = readFileSync(inventory, 'utf8');
    expectNoneLeaked([...outputsOf('collect', collect), { what: 'the saved inventory', text: inventoryText }, ...outputsOf('scan', direct), ...audited.outputs], forbidden);

    // The cloud keys are reported where they are written, from the files and from the inventory alike.
    expect(staticCredentialFindings(audited.report)).toEqual([
      'media/media-sync bucket-sync.yaml:9 aws-access-key',
      'media/uploader uploader.yaml:15 aws-access-key',
    ]);
    expect(staticCredentialFindings(JSON.parse(direct.stdout) as JsonReport)).toEqual(staticCredentialFindings(audited.report));
    // The kubeconfig's own credentials are redacted with typed evidence, and not reported.
    const saved = JSON.parse(inventoryText) as Inventory;
    const kubeconfig = saved.resources.find((r) => r.type === 'k8s.Config')!;
    expect(kubeconfig.credentials?.map((e) => [e.kind, e.key])).toEqual([['kubernetes-credential', 'token'], ['kubernetes-credential', 'client-key-data']]);
    expect(JSON.stringify(kubeconfig.body)).not.toContain('x-podtrust-credentials');
  });

  it('IaC: a secret substituted into names through a Terraform variable or local, or a CloudFormation parameter', () => {
    const [keyId, tfSecret, localSecret, cfnSecret, labelSecret] = [accessKeyId(), secretAccessKey(), secretAccessKey(), secretAccessKey(), secretAccessKey()];
    const repo = tempDir();
    // Names that do not say what they hold: only the key id beside them in the module tells.
    writeFileSync(join(repo, 'main.tf'), [
      'variable "k" {',
      `  default = "${tfSecret}"`,
      '}',
      'locals {',
      `  id  = "${keyId}"`,
      `  sec = "${localSecret}"`,
      '}',
      'resource "aws_iam_role" "r" {',
      '  name               = "r-${local.sec}-${var.k}"',
      '  assume_role_policy = "{}"',
      '}',
      '',
    ].join('\n'));
    writeFileSync(join(repo, 'stack.yaml'), stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Sec: { Type: 'String', Default: cfnSecret }, Key: { Type: 'String', Default: keyId } },
      Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Sub': 'x-${Sec}' }, AssumeRolePolicyDocument: { Statement: [] } } } },
    }));
    writeFileSync(join(repo, 'sa.yaml'), stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'app', namespace: 'web', annotations: { note: `aws_access_key_id=${keyId}` }, labels: { k: labelSecret } },
    }));
    const forbidden = secretWindows(tfSecret, localSecret, cfnSecret, labelSecret);
    const inventory = join(repo, 'inventory.json');
    const collect = runCli(['collect', repo, '--output', inventory], { cwd: repo });
    expect(collect.status, collect.stderr).toBe(0);
    const outputs = [...outputsOf('collect', collect), { what: 'the saved inventory', text: readFileSync(inventory, 'utf8') }];
    for (const format of FORMATS) outputs.push(...outputsOf(`scan as ${format}`, runCli(['scan', repo, '--format', format, '--fail-on', 'none'], { cwd: repo })));
    expectNoneLeaked(outputs, forbidden);
    // The roles are still read, their names with the secret redacted.
    const saved = JSON.parse(readFileSync(inventory, 'utf8')) as Inventory;
    expect(saved.resources.filter((r) => r.type === 'aws.iam.Role').map((r) => r.name).sort()).toEqual(['r-<redacted>-<redacted>', 'x-<redacted>']);
  });

  const started: LoopbackCluster[] = [];
  afterAll(async () => {
    await Promise.all(started.map((c) => c.close()));
  });

  it('live: a custom resource and a pod served by the API server', async () => {
    const [keyId, secretKey, azureSecret] = [accessKeyId(), secretAccessKey(), entraSecret()];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'sync-7f9c',
        namespace: 'media',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { containers: [{ args: [`--aws-secret-access-key=${secretKey}`] }] } }) },
      },
      spec: { containers: [{ name: 'sync', image: 'amazon/aws-cli', args: ['s3', 'sync', '--aws-access-key-id', keyId, `--aws-secret-access-key=${secretKey}`], env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: secretKey }] }] },
    };
    const identity = {
      apiVersion: 'aadpodidentity.k8s.io/v1',
      kind: 'AzureIdentity',
      metadata: { name: 'reports-sp', namespace: 'reports' },
      spec: { type: 1, tenantID: '1955eace-038d-4dc3-ad6b-927712a3aadb', clientID: 'd58aedb4-4966-4710-beb3-9c4495dbb7b1', clientPassword: azureSecret },
    };
    const server = await startCluster({ objects: [pod, identity], aadPodIdentity: true });
    started.push(server);
    const kubeconfig = writeKubeconfig([{ context: 'prod-eu', url: server.url }]);
    const dir = tempDir();
    const inventory = join(dir, 'live.inventory.json');
    const objects = join(dir, 'objects');
    const collect = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--context', 'prod-eu', '--objects-dir', objects, '--output', inventory, '--verbose'], { cwd: dir });
    expect(collect.status, collect.stderr).toBe(0);
    const audited = scanInventory(inventory, dir);
    const forbidden = [...secretWindows(keyId, secretKey, azureSecret), b64(secretKey)];
    const written = filesUnder(objects);
    expect(written.map((o) => o.what.slice(objects.length + 1)).sort()).toContain('k8s/prod-eu/media/Pod/sync-7f9c.yaml');
    expectNoneLeaked([...outputsOf('collect', collect), { what: 'the saved inventory', text: readFileSync(inventory, 'utf8') }, ...written, ...audited.outputs], forbidden);

    expect(staticCredentialFindings(audited.report).map((f) => f.replace(/:\d+ /, ' '))).toEqual([
      'media/sync-7f9c k8s/prod-eu/media/Pod/sync-7f9c.yaml aws-access-key',
      'reports/reports-sp k8s/prod-eu/reports/AzureIdentity/reports-sp.yaml azure-client-secret',
    ]);
    // Each points at the line of the written object where the credential was.
    for (const f of audited.report.findings.filter((x) => x.ruleId === 'k8s-static-cloud-credentials')) {
      const line = readFileSync(join(objects, f.location.file), 'utf8').split('\n')[f.location.line! - 1]!;
      expect(line).toMatch(/<redacted>|AWS_SECRET_ACCESS_KEY/);
    }
  });
});
