import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { detectCredentials } from '../../src/credentials/detect.js';
import { findAccessKeyIds } from '../../src/credentials/aws.js';
import { credentialOfExpression } from '../../src/credentials/references.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const keyId = () => 'ASIA' + Array.from(randomBytes(16), (b) => BASE32[b % 32]).join('');
const secret = () => 'Ab1' + randomBytes(30).toString('base64').replace(/=/g, 'x').slice(0, 37);

const kinds = (key: string, value: string) => detectCredentials(key, value).map((d) => d.kind).sort();

describe('detectCredentials', () => {
  it('finds AWS key ids anywhere and secret keys by their key name', () => {
    const id = keyId();
    expect(detectCredentials('token', `prefix ${id} suffix`)).toEqual([{ kind: 'aws-access-key', form: 'access key id', idPrefix: 'ASIA' }]);
    expect(kinds('AWS_SECRET_ACCESS_KEY', secret())).toEqual(['aws-access-key']);
    expect(kinds('password', secret())).toEqual([]);
  });

  it('ignores AWS documentation examples, placeholders and look-alike ids', () => {
    expect(kinds('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(kinds('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual([]);
    expect(kinds('AWS_SECRET_ACCESS_KEY', '${AWS_SECRET_ACCESS_KEY}')).toEqual([]);
    expect(kinds('role', 'AROAJ2UCCR6DPCEXAMPL')).toEqual([]);
    expect(findAccessKeyIds('XAKIA' + 'A'.repeat(16))).toEqual([]);
  });

  it('reads shared-credentials files and .env files', () => {
    const text = `[prod]\naws_access_key_id = ${keyId()}\naws_secret_access_key = ${secret()}\nregion = eu-west-1\n`;
    expect(detectCredentials('credentials', text)).toEqual([{ kind: 'aws-access-key', form: 'shared credentials file', idPrefix: 'ASIA' }]);
    expect(kinds('.env', `export AZURE_CLIENT_SECRET="${secret()}"\nFOO=bar`)).toEqual(['azure-client-secret']);
  });

  it('recognises service-principal JSON and GCP keys, not external-account configs', () => {
    const sp = JSON.stringify({ appId: 'd58aedb4-4966-4710-beb3-9c4495dbb7b1', displayName: 'ci', password: secret(), tenant: '1955eace-038d-4dc3-ad6b-927712a3aadb' });
    expect(detectCredentials('sp.json', sp)).toEqual([{ kind: 'azure-client-secret', form: 'service principal JSON', idPrefix: 'd58a' }]);
    const key = JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n', client_id: '1234567' });
    expect(detectCredentials('key.json', key)).toEqual([{ kind: 'gcp-service-account-key', form: 'service account key JSON', idPrefix: '1234' }]);
    expect(kinds('cfg.json', JSON.stringify({ type: 'external_account', audience: '//iam.googleapis.com/x' }))).toEqual([]);
  });

  it('finds Entra-format client secrets under any name', () => {
    expect(kinds('client_secret', 'abc8Q~' + 'x1Y2z3'.repeat(6).slice(0, 34))).toEqual(['azure-client-secret']);
  });

  it('scans hostile repetitive input without finding anything', () => {
    const hostile = 'AKIA1'.repeat(200_000) + 'Q~'.repeat(200_000) + 'aws_access_key_id=\n'.repeat(50_000);
    expect(detectCredentials('AWS_SECRET_ACCESS_KEY', hostile)).toEqual([]);
  });
});

describe('credentialOfExpression', () => {
  it('knows credential attributes of Terraform resources', () => {
    expect(credentialOfExpression('aws_iam_access_key.ci.secret')?.kind).toBe('aws-access-key');
    expect(credentialOfExpression('base64decode(google_service_account_key.k.private_key)')?.kind).toBe('gcp-service-account-key');
    expect(credentialOfExpression('azuread_application_password.app.value')?.kind).toBe('azure-client-secret');
    expect(credentialOfExpression('aws_iam_user.ci.name')).toBeUndefined();
  });
});
