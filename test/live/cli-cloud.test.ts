/**
 * The cloud options through the built CLI, as users run it: lazy SDK loading, the collection
 * summary on stderr, live locations in SARIF, permission gaps in the report.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { startAwsFake, type AwsFake } from './aws-server.js';

const ACCOUNT = '210987654321';
const ISSUER_HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A';

let fake: AwsFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The static import closure of a built chunk: what loads before any dynamic import runs. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(REPO, 'build', file), 'utf8');
  for (const m of text.matchAll(/^\s*import\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('./')) staticImports(spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

function awsEnv(url: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent/c', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/s', AWS_PROFILE: '' };
}

const wideRole = {
  name: 'batch-jobs',
  trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${ISSUER_HOST}:sub`]: 'system:serviceaccount:batch-*:*' }, StringEquals: { [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com' } } }] },
};

describe('cloud options of the CLI', () => {
  it('loads no cloud SDK before a cloud option asks for it', () => {
    const loaded = [...staticImports('cli.js')];
    expect(loaded.filter((s) => /^@aws-sdk\/|^@azure\/|^@googleapis\/|^google-auth-library/.test(s))).toEqual([]);
  });

  it('scans an account: finding at the live role with its ARN in SARIF, summary on stderr', async () => {
    fake = await startAwsFake({ account: ACCOUNT, roles: [wideRole], oidcProviders: [{ url: ISSUER_HOST, clientIds: ['sts.amazonaws.com'] }] });
    const root = mkdtempSync(join(tmpdir(), 'podtrust-cli-aws-'));
    const r = await runCliAsync(['scan', '--aws', '--aws-region', 'eu-west-1', '--format', 'sarif', '--root', root], { env: awsEnv(fake.url) });
    expect(r.stderr).toMatch(new RegExp(`podtrust: aws account ${ACCOUNT}: .*1 aws\\.iam\\.Role.*; \\d+ API call\\(s\\) in`));
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations?: { fullyQualifiedName?: string; name?: string }[] }[] }[] }[] };
    const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'aws-trust-sub-wildcard')!;
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`aws/${ACCOUNT}/iam/roles/batch-jobs.json`);
    expect(JSON.stringify(result.locations[0]!.logicalLocations ?? [])).toContain(`arn:aws:iam::${ACCOUNT}:role/batch-jobs`);
  });

  it('reports a permission gap in the JSON report and keeps the findings; --quiet prints no summary', async () => {
    fake = await startAwsFake({ account: ACCOUNT, roles: [wideRole], denied: ['eks:ListClusters'] });
    const root = mkdtempSync(join(tmpdir(), 'podtrust-cli-aws-'));
    const r = await runCliAsync(['scan', '--aws', '--aws-region', 'eu-west-1', '--format', 'json', '--root', root, '--quiet', '--fail-on', 'none'], { env: awsEnv(fake.url) });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/aws account/);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; notes: { kind: string; message: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
    expect(report.notes).toContainEqual(expect.objectContaining({ kind: 'permission', message: expect.stringMatching(/eks:ListClusters/) }));
  });

  it('refuses an endpoint without its source', async () => {
    const r = await runCliAsync(['scan', '--gcp-endpoint', 'http://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--gcp-endpoint needs --gcp-project/);
  });
});
