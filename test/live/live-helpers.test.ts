import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, HttpStatusError, isRetryable, parseRetryAfter, withRetry } from '../../src/live/retry.js';
import { renderYamlWithPositions } from '../../src/util/yaml-render.js';
import { createProgress } from '../../src/live/progress.js';
import { kubernetesObjectPath } from '../../src/live/locations.js';
import { parseYaml } from '../../src/util/yaml.js';
import { get } from '../../src/util/pointer.js';
import { liveResource } from '../../src/live/cloud.js';
import { parseJson } from '../../src/util/structured.js';
import { isUnread } from '../../src/model/lazy-positions.js';

describe('retry', () => {
  test('Retry-After as seconds and as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  test('429 and 5xx are retried, 4xx are not; Retry-After wins over backoff', async () => {
    expect(isRetryable(new HttpStatusError(429, 'x'))).toBe(true);
    expect(isRetryable(new HttpStatusError(503, 'x'))).toBe(true);
    expect(isRetryable(new HttpStatusError(403, 'x'))).toBe(false);
    expect(backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000 })).toBe(400);
    expect(backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000 }, 2000)).toBe(2000);
    const waits: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new HttpStatusError(429, 'slow down', 1500);
        return 'ok';
      },
      { retries: 4, baseDelayMs: 10, maxDelayMs: 60_000, sleep: async (ms) => void waits.push(ms) },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([1500, 1500]);
    await expect(withRetry(async () => Promise.reject(new HttpStatusError(403, 'no')), { retries: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} })).rejects.toThrow('no');
  });
});

describe('rendered YAML with positions', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 3 })),
  })).value;

  test('parses back to the same value, and each recorded position is where the parser puts it', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), json, { maxKeys: 4 }), (body) => {
        const rendered = renderYamlWithPositions(body as never);
        const parsed = parseYaml(rendered.text);
        expect(parsed.errors).toEqual([]);
        expect(JSON.parse(JSON.stringify(parsed.documents[0]?.value ?? {}))).toEqual(JSON.parse(JSON.stringify(body)));
        for (const [pointer, pos] of Object.entries(rendered.positions)) {
          if (pointer === '') continue;
          expect(get(parsed.documents[0]!.value, pointer), pointer).toEqual(get(body, pointer));
          expect(parsed.documents[0]!.positions[pointer]?.line, pointer).toBe(pos.line);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('locations and progress', () => {
  test('per-object paths cannot escape their folder', () => {
    expect(kubernetesObjectPath('prod-eu', 'payments', 'ServiceAccount', 'api')).toBe('k8s/prod-eu/payments/ServiceAccount/api.yaml');
    expect(kubernetesObjectPath('arn:aws:eks:eu-west-1:1:cluster/prod', undefined, 'Node', 'ip-10-0-0-1')).toBe('k8s/arn:aws:eks:eu-west-1:1:cluster_prod/_cluster/Node/ip-10-0-0-1.yaml');
    expect(kubernetesObjectPath('..', '..', 'Pod', '..')).not.toContain('/../');
  });

  test('a name as long as Kubernetes allows (253 characters) or longer gives a file name a file system takes, one per name', () => {
    const bytes = (path: string) => path.split('/').map((s) => Buffer.byteLength(s));
    const long = 'a'.repeat(253);
    const paths = [long, `${'a'.repeat(252)}b`, 'ü'.repeat(300), `${'ü'.repeat(299)}x`].map((name) => kubernetesObjectPath(`ctx-${'c'.repeat(300)}`, 'ns', 'ConfigMap', name));
    for (const p of paths) expect(Math.max(...bytes(p))).toBeLessThanOrEqual(255);
    expect(new Set(paths).size).toBe(paths.length);
    // Readable: what fits is kept.
    expect(paths[0]!.split('/').pop()!.startsWith('a'.repeat(200))).toBe(true);
    // Names that fit are as before.
    expect(kubernetesObjectPath('ctx', 'ns', 'ConfigMap', 'a'.repeat(250))).toBe(`k8s/ctx/ns/ConfigMap/${'a'.repeat(250)}.yaml`);
  });

  test('progress is silent when stderr is not a terminal or with --quiet', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (t: string) => written.push(t) });
    createProgress({ stream: stream(false) }).update('c', 'pods', 1);
    createProgress({ stream: stream(true), quiet: true }).update('c', 'pods', 1);
    expect(written).toEqual([]);
    createProgress({ stream: stream(true) }).update('c', 'pods', 500);
    expect(written.join('')).toContain('pods 500');
  });
});

describe('cloud objects as resources', () => {
  test('positions computed on first read are those of the two-space JSON text, and the body is that text parsed', () => {
    const spec = {
      id: 'aws:111122223333:aws.iam.Role/app',
      type: 'aws.iam.Role',
      name: 'app',
      file: 'aws/111122223333/iam/role/app.json',
      logicalLocation: 'arn:aws:iam::111122223333:role/app',
      body: { RoleName: 'app', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/x' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'x:sub': 'system:serviceaccount:*:*' } } }] }, Tags: [] },
    };
    const text = JSON.stringify(spec.body, null, 2);
    const eager = parseJson(text).documents[0]!;
    const r = liveResource(structuredClone(spec));
    expect(isUnread(r.positions)).toBe(true);
    expect(r.body).toEqual(eager.value);
    expect(JSON.stringify(r.body, null, 2)).toBe(text);
    expect({ ...r.positions }).toEqual({ ...eager.positions });
    // The line of the wildcard subject, as a finding would point at it.
    expect(r.positions['/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/x:sub']?.line).toBe(text.split('\n').findIndex((l) => l.includes('system:serviceaccount:*:*')) + 1);
  });
});
