/**
 * A live endpoint that accepts the connection and never answers cannot hang a scan: each call
 * has a timeout, and the scan ends with a coverage note naming the API that did not answer.
 * (Small timeouts and no retries keep the tests short; the only time bound is the test's own.)
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { collectLiveKubernetes } from '../../src/live/kubernetes/collect.js';
import { collectLiveAws } from '../../src/live/aws/collect.js';
import { collectLiveAzure } from '../../src/live/azure/collect.js';
import { collectLiveGcp } from '../../src/live/gcp/collect.js';
import { writeKubeconfig } from '../live/k8s-server.js';
import { startAwsFake, type AwsFake } from '../live/aws-server.js';
import { startGcpFake, SUBJECT_TOKEN, type GcpFake } from '../live/gcp-server.js';
import { makeTestTls, type TestTls } from '../live/tls.js';
import { startHangingServer, type HangingServer } from './hanging-server.js';

const saved = { ...process.env };
const open: { close(): Promise<void> }[] = [];
let tls: TestTls;

beforeAll(() => {
  tls = makeTestTls();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  process.env = { ...saved };
});

async function hanging(withTls = false): Promise<HangingServer> {
  const s = await startHangingServer(withTls ? tls : undefined);
  open.push(s);
  return s;
}

describe('per-call timeouts of the live collectors', () => {
  it('Kubernetes: an API server that never answers becomes an error note naming the server', async () => {
    const server = await hanging();
    const kubeconfig = writeKubeconfig([{ context: 'hung', url: server.url }]);
    const result = await collectLiveKubernetes({ root: tmpdir(), kubeconfig, contexts: ['hung'], requestTimeoutSeconds: 0.2, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    expect(server.held.every((p) => p === '/api')).toBe(true);
    expect(result.resources).toEqual([]);
    expect(result.notes).toEqual([expect.objectContaining({ level: 'error', message: `cluster hung: cannot read ${server.url}: timed out` })]);
  });

  it('AWS: an IAM endpoint that never answers is a note naming the IAM action; the rest is read', async () => {
    const fake: AwsFake = await startAwsFake({ account: '123456789012', roles: [], clusters: { 'eu-west-1': [] } });
    open.push(fake);
    const server = await hanging();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: fake.url,
      AWS_ENDPOINT_URL_IAM: server.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/podtrust-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/podtrust-test-credentials',
    });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    const result = await collectLiveAws({ regions: ['eu-west-1'], maxAttempts: 1, requestTimeoutMs: 200 });
    const messages = result.notes.map((n) => n.message);
    expect(messages).toContain('aws account 123456789012: cannot read IAM roles and policies (iam:GetAccountAuthorizationDetails): no answer within 0.2 s');
    expect(messages.some((m) => /iam:ListOpenIDConnectProviders/.test(m))).toBe(true);
    expect(result.notes.every((n) => n.level === 'error')).toBe(true);
    // EKS answered: the regions were still read after IAM hung.
    expect(fake.requests).toContain('eks:ListClusters');
  });

  it('Azure: a Resource Manager that never answers is a note per API, with the timeout', async () => {
    const server = await hanging(true);
    const credential: TokenCredential = { getToken: async () => ({ token: 'test-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const result = await collectLiveAzure({ subscriptions: ['c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f'], endpoint: server.url, credential, tlsCa: tls.ca, requestTimeoutMs: 200, maxRetries: 0 });
    expect(result.notes.map((n) => n.message)).toEqual([
      'azure subscription c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f: cannot read user-assigned managed identities: no answer within 0.2 s',
      'azure subscription c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f: cannot read role assignments: no answer within 0.2 s',
      'azure subscription c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f: cannot read custom role definitions: no answer within 0.2 s',
      'azure subscription c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f: cannot read AKS clusters: no answer within 0.2 s',
    ]);
    expect(server.held.length).toBe(4);
  });

  it('GCP: Google APIs that never answer are notes naming the permission of each call', async () => {
    const tokens: GcpFake = await startGcpFake({ project: 'acme-prod', projectPolicy: { bindings: [] }, serviceAccounts: [], serviceAccountPolicies: {}, clusters: [] });
    open.push(tokens);
    const server = await hanging();
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-gcp-hang-'));
    writeFileSync(join(dir, 'token'), SUBJECT_TOKEN);
    writeFileSync(join(dir, 'adc.json'), JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/providers/ops-cluster',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${tokens.url}/token`,
      credential_source: { file: join(dir, 'token'), format: { type: 'text' } },
    }));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'adc.json');
    delete process.env.GOOGLE_CLOUD_PROJECT;
    const result = await collectLiveGcp({ projects: ['acme-prod'], endpoint: server.url, requestTimeoutMs: 200, retry: { retries: 0 } });
    const messages = result.notes.map((n) => n.message);
    expect(messages).toEqual([
      expect.stringContaining('resourcemanager.projects.getIamPolicy: no answer within 0.2 s'),
      expect.stringContaining('iam.serviceAccounts.list: no answer within 0.2 s'),
      expect.stringContaining('container.clusters.list: no answer within 0.2 s'),
    ]);
    expect(result.notes.every((n) => n.level === 'error')).toBe(true);
  });
});
