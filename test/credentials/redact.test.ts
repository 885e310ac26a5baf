import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../src/model/types.js';
import { redactBody } from '../../src/credentials/redact.js';
import { REDACTED } from '../../src/credentials/types.js';
import { unknown } from '../../src/model/unknown.js';
import { get } from '../../src/util/pointer.js';
import { accessKeyId, b64, entraSecret, legacyAzureSecret, secretAccessKey, secretWindows } from '../helpers/credentials.js';

describe('redactBody', () => {
  it('scans container args under the flag that names them, and sh -c scripts', () => {
    const [id, secret, id2, secret2] = [accessKeyId(), secretAccessKey(), accessKeyId(), secretAccessKey()];
    const body = {
      kind: 'Deployment',
      spec: { template: { spec: { containers: [
        { name: 'copy', args: ['copy', '/data', `--s3-access-key-id=${id}`, '--s3-secret-access-key', secret] },
        { name: 'sh', command: ['/bin/sh', '-c', `aws configure set aws_access_key_id ${id2}\naws configure set aws_secret_access_key ${secret2}\nexec run`] },
      ] } } },
    } as JsonObject;
    const found = redactBody('k8s.Deployment', body);
    expect(found).toEqual([
      { kind: 'aws-access-key', key: '--s3-access-key-id', pointer: '/spec/template/spec/containers/0/args/2', form: 'access key id', idPrefix: 'AKIA' },
      { kind: 'aws-access-key', key: '--s3-secret-access-key', pointer: '/spec/template/spec/containers/0/args/4', form: 'secret access key' },
      { kind: 'aws-access-key', key: 'command', pointer: '/spec/template/spec/containers/1/command/2', form: 'secret access key', idPrefix: 'AKIA' },
    ]);
    expect(get(body, '/spec/template/spec/containers/0/args')).toEqual(['copy', '/data', REDACTED, '--s3-secret-access-key', REDACTED]);
    expect(get(body, '/spec/template/spec/containers/1/command')).toEqual(['/bin/sh', '-c', REDACTED]);
  });

  it('finds a secret key by the key id next to it in a custom resource, whatever the field names', () => {
    const [id, secret] = [accessKeyId(), secretAccessKey()];
    const body = { kind: 'S3Backup', spec: { destination: { bucket: 'b', accessKey: id, secretKey: secret, note: 'a'.repeat(40) } } } as JsonObject;
    const found = redactBody('k8s.S3Backup', body);
    expect(found.map((e) => [e.key, e.pointer, e.form])).toEqual([
      ['accessKey', '/spec/destination/accessKey', 'access key id'],
      ['secretKey', '/spec/destination/secretKey', 'secret access key'],
    ]);
    expect(get(body, '/spec/destination')).toEqual({ bucket: 'b', accessKey: REDACTED, secretKey: REDACTED, note: 'a'.repeat(40) });
  });

  it('scans {name, value} entries under their name and points at the entry', () => {
    const secret = secretAccessKey();
    const body = { kind: 'Config', users: [{ name: 'u', user: { exec: { command: 'aws', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: secret }, { name: 'AWS_REGION', value: 'eu-west-1' }] } } }] } as JsonObject;
    expect(redactBody('k8s.Config', body)).toEqual([{ kind: 'aws-access-key', key: 'AWS_SECRET_ACCESS_KEY', pointer: '/users/0/user/exec/env/0', form: 'secret access key' }]);
    expect(get(body, '/users/0/user/exec/env')).toEqual([{ name: 'AWS_SECRET_ACCESS_KEY', value: REDACTED }, { name: 'AWS_REGION', value: 'eu-west-1' }]);
  });

  it("redacts a kubeconfig's user credentials whatever they hold, and nothing else of it", () => {
    const body = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1', 'certificate-authority-data': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') } }],
      users: [
        { name: 'a', user: { token: 'abc', 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5', username: 'admin', password: 'pw' } },
        { name: 'b', user: { 'auth-provider': { name: 'oidc', config: { 'client-id': 'kubernetes', 'client-secret': 's', 'id-token': 'eyJ.x.y', 'refresh-token': 'r', 'idp-issuer-url': 'https://dex' } } } },
        { name: 'c', user: { tokenFile: '/var/run/token' } },
        { name: 'd', user: { exec: { command: 'kubectl', args: ['oidc-login', 'get-token', '--oidc-client-id=kubernetes', '--oidc-client-secret=s3cr3t', '--token', 't'] } } },
      ],
    } as JsonObject;
    const found = redactBody('k8s.Config', body);
    expect(found.map((e) => [e.kind, e.key, e.pointer, e.form])).toEqual([
      ['kubernetes-credential', 'token', '/users/0/user/token', 'kubeconfig bearer token'],
      ['kubernetes-credential', 'password', '/users/0/user/password', 'kubeconfig password'],
      ['kubernetes-credential', 'client-key-data', '/users/0/user/client-key-data', 'kubeconfig client key'],
      ['kubernetes-credential', 'id-token', '/users/1/user/auth-provider/config/id-token', 'kubeconfig auth-provider token'],
      ['kubernetes-credential', 'refresh-token', '/users/1/user/auth-provider/config/refresh-token', 'kubeconfig auth-provider token'],
      ['kubernetes-credential', 'client-secret', '/users/1/user/auth-provider/config/client-secret', 'kubeconfig auth-provider token'],
      ['kubernetes-credential', '--oidc-client-secret', '/users/3/user/exec/args/3', 'kubeconfig exec argument'],
      ['kubernetes-credential', '--token', '/users/3/user/exec/args/5', 'kubeconfig exec argument'],
    ]);
    expect(get(body, '/users/3/user/exec/args')).toEqual(['oidc-login', 'get-token', '--oidc-client-id=kubernetes', REDACTED, '--token', REDACTED]);
    // Read again (a saved inventory), nothing is found twice.
    expect(redactBody('k8s.Config', body)).toEqual([]);
    expect(get(body, '/users/0/user')).toEqual({ token: REDACTED, 'client-certificate-data': 'Y2VydA==', 'client-key-data': REDACTED, username: 'admin', password: REDACTED });
    expect(get(body, '/users/1/user/auth-provider/config')).toEqual({ 'client-id': 'kubernetes', 'client-secret': REDACTED, 'id-token': REDACTED, 'refresh-token': REDACTED, 'idp-issuer-url': 'https://dex' });
    expect(get(body, '/users/2/user')).toEqual({ tokenFile: '/var/run/token' });
    expect(get(body, '/clusters/0/cluster/certificate-authority-data')).not.toBe(REDACTED);
  });

  it('redacts PEM private keys, in clear or base64, under any name', () => {
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${b64('k'.repeat(60))}\n-----END EC PRIVATE KEY-----\n`;
    const body = { kind: 'ConfigMap', data: { 'tls.key': pem, 'client.b64': b64(pem), 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----\n' } } as JsonObject;
    expect(redactBody('k8s.ConfigMap', body).map((e) => [e.kind, e.key, e.form])).toEqual([
      ['private-key', 'tls.key', 'PEM private key'],
      ['private-key', 'client.b64', 'base64 PEM private key'],
    ]);
    expect((body.data as JsonObject)['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE/);
  });

  it('redacts every Secret value, and the last-applied copy of an object that held a credential', () => {
    const secret = entraSecret();
    const lastApplied = JSON.stringify({ kind: 'Deployment', spec: { env: [{ name: 'AZURE_CLIENT_SECRET', value: secret }] } });
    const secretBody = { kind: 'Secret', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' } }, data: { password: b64('hunter2') }, stringData: { user: 'app' } } as JsonObject;
    expect(redactBody('k8s.Secret', secretBody)).toEqual([]);
    expect(secretBody).toEqual({ kind: 'Secret', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': REDACTED } }, data: { password: REDACTED }, stringData: { user: REDACTED } });
    const deployment = { kind: 'Deployment', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, spec: { env: [{ name: 'AZURE_CLIENT_SECRET', value: secret }] } } as JsonObject;
    // One finding place: the element itself, not also its copy in the annotation.
    expect(redactBody('k8s.Deployment', deployment).map((e) => e.pointer)).toEqual(['/spec/env/0']);
    expect(JSON.stringify(deployment)).not.toContain(secret.slice(6));
    // A credential only the copy still holds is found there.
    const changed = { kind: 'Deployment', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, spec: {} } as JsonObject;
    expect(redactBody('k8s.Deployment', changed).map((e) => [e.kind, e.pointer])).toEqual([['azure-client-secret', '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration']]);
    expect(JSON.stringify(changed)).not.toContain(secret.slice(6));
  });

  it("knows the AAD Pod Identity admin Secret's client secret by its keys, whatever the secret's format", () => {
    const admin = (secret: string) => ({ kind: 'Secret', data: { Cloud: b64('AzurePublicCloud'), TenantID: b64('e1d7c4b2-3a9f-4c6e-8b15-9f2a7d6c0e83'), ClientID: b64('3f6b2d1e-8c4a-4e2b-9d7f-1a5c6e8b0d24'), ClientSecret: b64(secret) } }) as JsonObject;
    const legacy = admin(legacyAzureSecret());
    expect(redactBody('k8s.Secret', legacy)).toEqual([{ kind: 'azure-client-secret', key: 'ClientSecret', pointer: '/data/ClientSecret', form: 'AAD Pod Identity admin secret', idPrefix: '3f6b' }]);
    expect(get(legacy, '/data/ClientSecret')).toBe(REDACTED);
    expect(redactBody('k8s.Secret', legacy)).toEqual([]);
    // A secret of the current format is found once, by its shape.
    expect(redactBody('k8s.Secret', admin(entraSecret())).map((e) => e.form)).toEqual(['client secret']);
    // MIC using the cluster's managed identity: the chart's `msi` is no secret.
    expect(redactBody('k8s.Secret', admin('msi'))).toEqual([]);
    // The same keys without a client id are not the admin Secret.
    const other = { kind: 'Secret', stringData: { ClientSecret: legacyAzureSecret(), TenantID: 't' } } as JsonObject;
    expect(redactBody('k8s.Secret', other)).toEqual([]);
  });

  it('redacts unresolved Terraform values that reference a credential attribute anywhere', () => {
    const body = { kind: 'Deployment', spec: { args: [unknown('aws_iam_access_key.ci.secret') as unknown as JsonValue], other: unknown('var.region') as unknown as JsonValue } } as JsonObject;
    expect(redactBody('k8s.Deployment', body).map((e) => [e.kind, e.pointer, e.form])).toEqual([['aws-access-key', '/spec/args/0', 'aws_iam_access_key reference']]);
    expect(get(body, '/spec/args/0')).toBe(REDACTED);
    expect(get(body, '/spec/other')).toEqual({ $unknown: 'var.region' });
  });

  it('leaves bodies without credentials untouched, and finds nothing new in its own output', () => {
    const clean = { kind: 'Pod', metadata: { name: 'p', labels: { app: 'secret-store' } }, spec: { containers: [{ name: 'c', image: 'registry.example.com/password-manager:1.2.3', args: ['--secret-name', 'db-credentials'], env: [{ name: 'PASSWORD_FILE', value: '/var/run/secrets/app/password' }] }] } } as JsonObject;
    const copy = structuredClone(clean);
    expect(redactBody('k8s.Pod', clean)).toEqual([]);
    expect(clean).toEqual(copy);
    const dirty = { kind: 'X', spec: { a: `key ${accessKeyId()}`, b: { AZURE_CLIENT_SECRET: entraSecret() } } } as JsonObject;
    expect(redactBody('k8s.X', dirty)).toHaveLength(2);
    expect(redactBody('k8s.X', dirty)).toEqual([]);
  });

  it('finds a key id or an Entra secret planted in any string of any body, and points at it', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 }),
    })).object as fc.Arbitrary<JsonObject>;
    const planted = fc.record({ secret: fc.constantFrom('id', 'entra'), before: fc.string({ maxLength: 8 }), after: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(json, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.string({ minLength: 1, maxLength: 8 }), planted, (body, route, field, p) => {
        // Walk down the route to some object or array, and put the credential there.
        let at: JsonObject | JsonValue[] = body;
        let pointer = '';
        for (const step of route) {
          const keys = Array.isArray(at) ? at.map((_, i) => String(i)) : Object.keys(at);
          const next = keys.length > 0 ? keys[step % keys.length]! : undefined;
          const child = next === undefined ? undefined : (at as Record<string, JsonValue>)[next];
          if (next === undefined || child === null || typeof child !== 'object') break;
          at = child as JsonObject | JsonValue[];
          pointer += `/${next.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        }
        const credential = p.secret === 'id' ? accessKeyId() : entraSecret();
        // Not `value`, which an entry with a name would be scanned (and pointed at) under; not `__proto__`.
        const slot = Array.isArray(at) ? String(at.push('') - 1) : `f${field}`;
        (at as Record<string, JsonValue>)[slot] = ` ${p.before} ${credential} ${p.after} `;
        const found = redactBody('k8s.Anything', body);
        expect(found.map((e) => e.pointer)).toContain(`${pointer}/${slot.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        const text = JSON.stringify(body);
        for (const part of secretWindows(credential)) expect(text).not.toContain(part);
      }),
      // The credential is random (so it matches nothing else in the body): shrinking would not converge.
      { numRuns: 300, endOnFailure: true },
    );
  });
});

