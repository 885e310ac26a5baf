import { describe, expect, it } from 'vitest';
import { parseMember } from '../../src/federation/gcp-members.js';
import { unknown } from '../../src/model/unknown.js';

const POOL_PATH = 'projects/318377312066/locations/global/workloadIdentityPools/acme.svc.id.goog';

describe('parseMember', () => {
  it('reads the legacy KSA member form', () => {
    expect(parseMember('serviceAccount:acme.svc.id.goog[apps/web]')).toEqual({ kind: 'ksa', form: 'serviceAccount', pool: 'acme.svc.id.goog', namespace: 'apps', name: 'web' });
  });

  it('reads principal:// subjects, naming the project by number but the pool by id', () => {
    expect(parseMember(`principal://iam.googleapis.com/${POOL_PATH}/subject/ns/apps/sa/web`)).toEqual({ kind: 'ksa', form: 'principal', pool: 'acme.svc.id.goog', namespace: 'apps', name: 'web' });
  });

  it('reads principalSet:// pool, cluster and namespace sets', () => {
    expect(parseMember(`principalSet://iam.googleapis.com/${POOL_PATH}/*`)).toMatchObject({ kind: 'pool-set', scope: 'pool', pool: 'acme.svc.id.goog' });
    expect(parseMember(`principalSet://iam.googleapis.com/${POOL_PATH}/namespace/batch`)).toMatchObject({ kind: 'pool-set', scope: 'namespace', namespace: 'batch' });
    expect(
      parseMember(`principalSet://iam.googleapis.com/${POOL_PATH}/kubernetes.cluster/https://container.googleapis.com/v1/projects/acme/locations/us-central1/clusters/prod`),
    ).toMatchObject({ kind: 'pool-set', scope: 'cluster', cluster: 'prod', clusterProject: 'acme' });
    expect(parseMember(`principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/attribute.repository/acme/app`)).toMatchObject({
      kind: 'pool-set',
      scope: 'attribute',
      pool: 'projects/1/locations/global/workloadIdentityPools/github',
    });
  });

  it('keeps unresolved parts of an interpolated member unknown, and knows the rest', () => {
    const m = parseMember(unknown('serviceAccount:${var.project}.svc.id.goog[${var.ns}/web]', { prefix: 'serviceAccount:', suffix: '/web]' }));
    expect(m).toEqual({ kind: 'ksa', form: 'serviceAccount', pool: null, namespace: null, name: 'web' });
  });

  it('takes each interpolation whole: brackets, slashes and strings inside it are not the member\'s', () => {
    const ns = unknown('serviceAccount:acme.svc.id.goog[${kubernetes_namespace.apps.metadata[0].name}/web]', { prefix: 'serviceAccount:acme.svc.id.goog[', suffix: '/web]' });
    expect(parseMember(ns)).toEqual({ kind: 'ksa', form: 'serviceAccount', pool: 'acme.svc.id.goog', namespace: null, name: 'web' });
    const nested = unknown('serviceAccount:acme.svc.id.goog[apps/${lookup(var.names, "a/b]}", "web")}]', { prefix: 'serviceAccount:acme.svc.id.goog[apps/', suffix: ']' });
    expect(parseMember(nested)).toEqual({ kind: 'ksa', form: 'serviceAccount', pool: 'acme.svc.id.goog', namespace: 'apps', name: null });
    const set = unknown(`principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/\${google_iam_workload_identity_pool.p[0].workload_identity_pool_id}/*`);
    expect(parseMember(set)).toMatchObject({ kind: 'pool-set', scope: 'pool', pool: null });
    const other = unknown('group:${local.groups["ops/a"]}@acme.example');
    expect(parseMember(other)).toEqual({ kind: 'other', value: 'group:${local.groups["ops/a"]}@acme.example' });
  });

  it('tells Google service accounts, other members and unreadable ones apart', () => {
    expect(parseMember('serviceAccount:app@acme.iam.gserviceaccount.com')).toEqual({ kind: 'gsa', email: 'app@acme.iam.gserviceaccount.com' });
    const ref = { id: 'tf:.:google_service_account.app', attribute: 'email' };
    expect(parseMember(unknown('serviceAccount:${google_service_account.app.email}', { prefix: 'serviceAccount:', ref }))).toEqual({ kind: 'gsa', email: null, ref });
    expect(parseMember('group:ops@acme.example')).toEqual({ kind: 'other', value: 'group:ops@acme.example' });
    expect(parseMember(unknown('local.member'))).toEqual({ kind: 'unknown' });
  });
});
