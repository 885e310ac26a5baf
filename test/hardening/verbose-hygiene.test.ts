/**
 * `--verbose` on a live scan never prints a credential: a kubeconfig with a bearer token and a
 * client key, and AWS credentials in the environment; neither the values nor their base64 may
 * appear on stdout, stderr or in any report format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { REPO } from '../helpers/fixtures.js';
import { startCluster, type LoopbackCluster } from '../live/k8s-server.js';
import { startAwsFake, type AwsFake } from '../live/aws-server.js';
import { CONTEXT, ISSUER, OBJECTS } from '../live/parity-fixture.js';
import { makeTestTls } from '../live/tls.js';

const TOKEN = 'kube-bearer-7Hq2xPz9WmR4vN8sK3tY6uB1eC5dF0gJ';
const AWS = { id: 'AKIAZ4XJ7QWERTYU2IOP', secret: 'q8Vd2Lr6Tn0Xh4Kp9Ws3Yb7Fm1Gc5Jz+Ae/UiOo', session: 'IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQDhostile5sessionTokenValue0x' };
const FORMATS = ['table', 'json', 'sarif', 'markdown', 'html'] as const;

let cluster: LoopbackCluster;
let aws: AwsFake;
let kubeconfig: string;
let clientKey: string;
let root: string;

beforeAll(async () => {
  cluster = await startCluster({ objects: OBJECTS, issuer: ISSUER, token: TOKEN });
  aws = await startAwsFake({ account: '123456789012', roles: [], clusters: { 'eu-west-1': [] } });
  const tls = makeTestTls();
  clientKey = tls.key;
  root = mkdtempSync(join(tmpdir(), 'podtrust-verbose-'));
  kubeconfig = join(root, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CONTEXT}`,
    '  cluster:',
    `    server: ${cluster.url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${CONTEXT}-admin`,
    '  user:',
    `    token: ${TOKEN}`,
    `    client-certificate-data: ${Buffer.from(tls.cert).toString('base64')}`,
    `    client-key-data: ${Buffer.from(tls.key).toString('base64')}`,
    'contexts:',
    `- name: ${CONTEXT}`,
    '  context:',
    `    cluster: ${CONTEXT}`,
    `    user: ${CONTEXT}-admin`,
    `current-context: ${CONTEXT}`,
  ].join('\n') + '\n');
});

afterAll(async () => {
  await cluster?.close();
  await aws?.close();
});

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'podtrust.js'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ENDPOINT_URL: aws.url,
        AWS_ACCESS_KEY_ID: AWS.id,
        AWS_SECRET_ACCESS_KEY: AWS.secret,
        AWS_SESSION_TOKEN: AWS.session,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/c',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/s',
        AWS_PROFILE: '',
        PODTRUST_DEBUG: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/** Every credential, and pieces long enough to identify it, raw and base64. */
function forbidden(): string[] {
  const keyBody = clientKey.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const raw = [TOKEN, AWS.id, AWS.secret, AWS.session, ...keyBody.slice(1, 4)];
  const base64 = [TOKEN, AWS.secret, AWS.session, clientKey].map((s) => Buffer.from(s).toString('base64').slice(0, 40));
  return [...raw, ...base64];
}

describe('--verbose keeps credentials out of every output', () => {
  it.each(FORMATS)('scan --verbose --format %s', async (format) => {
    const out = join(root, `report.${format}`);
    const r = await run(['scan', '--kubeconfig', kubeconfig, '--context', CONTEXT, '--aws', '--aws-region', 'eu-west-1', '--root', root, '--format', format, '--output', out, '--verbose', '--fail-on', 'none']);
    const report = readFileSync(out, 'utf8');
    // The scan did read both sources (so there was something to leak).
    expect(r.stderr).toMatch(/podtrust: read \d+ file\(s\) and live object source\(s\), [1-9]\d* resource\(s\)/);
    expect(r.stderr).toMatch(/podtrust: aws account 123456789012/);
    expect(report.length).toBeGreaterThan(0);
    for (const secret of forbidden()) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
      expect(report).not.toContain(secret);
    }
    expect(r.status, r.stderr).toBe(0);
  });

  it('collect --verbose: the saved inventory holds no credential either', async () => {
    const out = join(root, 'inventory.json');
    const r = await run(['collect', '--kubeconfig', kubeconfig, '--context', CONTEXT, '--aws', '--aws-region', 'eu-west-1', '--root', root, '--output', out, '--verbose']);
    const inventory = readFileSync(out, 'utf8');
    expect(inventory).toContain('"resources"');
    for (const secret of forbidden()) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(inventory).not.toContain(secret);
    }
    expect(r.status, r.stderr).toBe(0);
  });
});
